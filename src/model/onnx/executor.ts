/**
 * The inference executor: onnxruntime-node sessions over the graphs of ./graphs.ts. Serves rollouts
 * (./generate.ts), old/reference log-probs and VPPO's corrupted-image probe, without gradients.
 * Weights, after each optimizer step, through `setParams`:
 * - `weights: 'inputs'` (default): fed as graph inputs; an update swaps tensors, no re-export;
 * - `weights: 'baked'`: initializers, so ORT prepacks the matmul weights; an update rebuilds the
 *   two sessions (tens of ms, once per policy update; bench/model/README.md has the trade).
 * Sessions use 2 intra-op threads (FEASIBILITY.md section 4: 544 -> 312 ms for generation).
 */
import * as ort from 'onnxruntime-node';
import type { ImageOptions, ModelBatch } from '../batch.js';
import { buildTextLayout, decoderMask, imagePatches, responseValues, rowImages } from '../batch.js';
import type { ModelConfig } from '../config.js';
import { modelDims } from '../config.js';
import type { ModelParams } from '../params.js';
import { paramSpecs } from '../params.js';
import { buildDecoderGraph, buildEncoderGraph, decoderIoNames, type DecoderIo, type GraphOptions } from './graphs.js';

export interface OnnxExecutorOptions {
  /** Intra-op threads (default 2). */
  threads?: number;
  /** Weights as graph inputs (default) or baked into the graphs (see the module docstring). */
  weights?: 'inputs' | 'baked';
  /** GELU form in the graphs (default tanh: ORT's FastGelu fusion pattern). */
  gelu?: GraphOptions['gelu'];
  /**
   * Let ORT's idle threads spin between runs (default false: they would burn both cores while JS
   * samples tokens or the trainer runs, on a 2-core machine shared with the trainer).
   */
  spinning?: boolean;
}

export interface DecoderStepInput {
  prefix: ort.Tensor;
  tokens: ort.Tensor;
  positions: ort.Tensor;
  mask: ort.Tensor;
  pastK: ort.Tensor[];
  pastV: ort.Tensor[];
}

export interface DecoderStepOutput {
  logits?: Float32Array;
  lastLogits?: Float32Array;
  presentK: ort.Tensor[];
  presentV: ort.Tensor[];
}

export function int64Tensor(values: ArrayLike<number>, dims: number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(Array.from(values, (v) => BigInt(v))), dims);
}

/** Rows of `width` values: row b of the result is row `index[b]` of `data`. */
export function gatherRows(data: Float32Array, width: number, index: readonly number[]): Float32Array {
  const out = new Float32Array(index.length * width);
  index.forEach((i, b) => out.set(data.subarray(i * width, (i + 1) * width), b * width));
  return out;
}

/** A float tensor gathered along its leading dimension (`gatherRows` for any trailing shape). */
export function gatherTensor(t: ort.Tensor, index: readonly number[]): ort.Tensor {
  const [, ...rest] = t.dims;
  const width = rest.reduce((a, b) => a * b, 1);
  return new ort.Tensor('float32', gatherRows(t.data as Float32Array, width, index), [index.length, ...rest]);
}

export class OnnxExecutor {
  readonly io: DecoderIo;
  private encoderWeights: Record<string, ort.Tensor> = {};
  private decoderWeights: Record<string, ort.Tensor> = {};

  private constructor(
    readonly config: ModelConfig,
    private readonly options: OnnxExecutorOptions,
    private encoder: ort.InferenceSession,
    private decoder: ort.InferenceSession,
    /** The decode-step graph (fixed-size cache, see ./graphs.ts). */
    private stepper: ort.InferenceSession,
  ) {
    this.io = decoderIoNames(config);
  }

  private static sessions(config: ModelConfig, options: OnnxExecutorOptions, baked?: ModelParams): Promise<[ort.InferenceSession, ort.InferenceSession, ort.InferenceSession]> {
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: options.threads ?? 2,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      extra: { session: { intra_op: { allow_spinning: options.spinning ? '1' : '0' }, inter_op: { allow_spinning: options.spinning ? '1' : '0' } } },
    };
    const graph: GraphOptions = { gelu: options.gelu ?? 'tanh', ...(baked ? { baked } : {}) };
    return Promise.all([
      ort.InferenceSession.create(buildEncoderGraph(config, graph), sessionOptions),
      ort.InferenceSession.create(buildDecoderGraph(config, graph), sessionOptions),
      ort.InferenceSession.create(buildDecoderGraph(config, { ...graph, cache: 'fixed' }), sessionOptions),
    ]);
  }

  static async create(config: ModelConfig, params: ModelParams, options: OnnxExecutorOptions = {}): Promise<OnnxExecutor> {
    const baked = options.weights === 'baked';
    const [encoder, decoder, stepper] = await OnnxExecutor.sessions(config, options, baked ? params : undefined);
    const executor = new OnnxExecutor(config, options, encoder, decoder, stepper);
    if (!baked) await executor.setParams(params);
    return executor;
  }

  /**
   * Points the executor at new weights. Inputs mode copies nothing (the arrays must not be mutated
   * afterwards); baked mode rebuilds the sessions.
   */
  async setParams(params: ModelParams): Promise<void> {
    if (this.options.weights === 'baked') {
      const [encoder, decoder, stepper] = await OnnxExecutor.sessions(this.config, this.options, params);
      await this.dispose();
      this.encoder = encoder;
      this.decoder = decoder;
      this.stepper = stepper;
      return;
    }
    const enc: Record<string, ort.Tensor> = {};
    const dec: Record<string, ort.Tensor> = {};
    for (const spec of paramSpecs(this.config)) {
      const data = params.get(spec.name);
      if (!data) throw new Error(`missing parameter ${spec.name}`);
      (spec.name.startsWith('enc.') ? enc : dec)[spec.name] = new ort.Tensor('float32', data, spec.shape);
    }
    this.encoderWeights = enc;
    this.decoderWeights = dec;
  }

  /** Image tokens [I, P, Wd] of distinct images (each encoded once, whatever the group size). */
  async encodeImages(images: readonly Float32Array[], options: ImageOptions = {}): Promise<Float32Array> {
    const dims = modelDims(this.config);
    const patches = new ort.Tensor('float32', imagePatches(this.config, images, options), [images.length, dims.patches, dims.patchDim]);
    const out = await this.encoder.run({ ...this.encoderWeights, patches });
    return out.image_tokens!.data as Float32Array;
  }

  /** Row prefixes [B, P, Wd] from image tokens, rows sharing an image share its encoding. */
  expandPrefix(imageTokens: Float32Array, index: readonly number[]): ort.Tensor {
    const { patches } = modelDims(this.config);
    const rows = gatherRows(imageTokens, patches * this.config.decoderWidth, index);
    return new ort.Tensor('float32', rows, [index.length, patches, this.config.decoderWidth]);
  }

  emptyPrefix(rows: number): ort.Tensor {
    return new ort.Tensor('float32', new Float32Array(0), [rows, 0, this.config.decoderWidth]);
  }

  emptyCache(rows: number): ort.Tensor[] {
    const D = modelDims(this.config).decoderHeadSize;
    return Array.from({ length: this.config.decoderLayers }, () => new ort.Tensor('float32', new Float32Array(0), [rows, this.config.decoderHeads, 0, D]));
  }

  /**
   * One decoder run; `fetch` picks the logits output (the cache is always returned). `fixedCache`
   * runs the decode-step graph: the past is a preallocated, masked [B, H, Tmax, D] buffer and the
   * returned present tensors hold only the new entries.
   */
  async decoderStep(input: DecoderStepInput, fetch: 'logits' | 'last_logits', fixedCache = false): Promise<DecoderStepOutput> {
    const feeds: Record<string, ort.Tensor> = {
      ...this.decoderWeights,
      prefix: input.prefix,
      tokens: input.tokens,
      positions: input.positions,
      mask: input.mask,
    };
    this.io.pastK.forEach((name, i) => (feeds[name] = input.pastK[i]!));
    this.io.pastV.forEach((name, i) => (feeds[name] = input.pastV[i]!));
    const session = fixedCache ? this.stepper : this.decoder;
    const out = await session.run(feeds, [fetch, ...this.io.presentK, ...this.io.presentV]);
    const result: DecoderStepOutput = {
      presentK: this.io.presentK.map((n) => out[n]!),
      presentV: this.io.presentV.map((n) => out[n]!),
    };
    if (fetch === 'logits') result.logits = out.logits!.data as Float32Array;
    else result.lastLogits = out.last_logits!.data as Float32Array;
    return result;
  }

  /** Raw logits of the text positions, [B * L * V], in the training layout (for parity tests). */
  async textLogits(batch: ModelBatch, responses: number[][], options: ImageOptions = {}): Promise<{ logits: Float32Array; length: number }> {
    const layout = buildTextLayout(this.config, batch.prompts, responses);
    const rows = layout.rows;
    let prefix = this.emptyPrefix(rows);
    if (batch.images.length > 0) prefix = this.expandPrefix(await this.encodeImages(batch.images, options), rowImages(batch));
    const P = prefix.dims[1]!;
    const T = P + layout.length;
    const mask = decoderMask(this.config, layout, P);
    const positions = new Array<number>(rows * T);
    for (let b = 0; b < rows; b++) for (let t = 0; t < T; t++) positions[b * T + t] = t;
    const out = await this.decoderStep({
      prefix,
      tokens: int64Tensor(layout.tokens, [rows, layout.length]),
      positions: int64Tensor(positions, [rows, T]),
      mask: new ort.Tensor('float32', mask.data, mask.dims),
      pastK: this.emptyCache(rows),
      pastV: this.emptyCache(rows),
    }, 'logits');
    return { logits: out.logits!, length: layout.length };
  }

  /** Per-row log-probs of the responses (no gradients). */
  async logprobs(batch: ModelBatch, responses: number[][], options: ImageOptions = {}): Promise<Float32Array[]> {
    const layout = buildTextLayout(this.config, batch.prompts, responses);
    const { logits } = await this.textLogits(batch, responses, options);
    const V = this.config.vocabSize;
    const perPosition = new Float32Array(layout.rows * layout.length);
    for (let i = 0; i < perPosition.length; i++) {
      if (!layout.mask[i]) continue;
      const offset = i * V;
      let max = -Infinity;
      for (let v = 0; v < V; v++) max = Math.max(max, logits[offset + v]!);
      let sum = 0;
      for (let v = 0; v < V; v++) sum += Math.exp(logits[offset + v]! - max);
      perPosition[i] = logits[offset + layout.targets[i]!]! - max - Math.log(sum);
    }
    return responseValues(layout, perPosition);
  }

  async dispose(): Promise<void> {
    await Promise.all([this.encoder.release(), this.decoder.release(), this.stepper.release()]);
  }
}
