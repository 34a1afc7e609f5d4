/**
 * Gradients of the VLM from onnxruntime-node, through the hand-built training graphs of ./graph.ts:
 * the same `gradients(batch, responses, objective)` contract as TfjsTrainer, for text-only batches
 * (decoder graph) and image batches (graph with the patch encoder, built on first use).
 *
 * An objective needs the log-probs before it can give d loss / d logp, and the graph needs that
 * upstream as an input. By default (`mode: 'split'`) `gradients` runs the forward half of the
 * training graph (log-probs plus the activations the backward reads), calls the objective, then
 * runs the backward half (./split.ts); `mode: 'recompute'` runs the forward-only graph, then the
 * whole training graph (ORT runs every node of a session whatever is fetched, so one session
 * cannot serve both). `stepWithUpstream` is the single run, for objectives whose gradient does not
 * depend on the log-probs (mean NLL) and for benchmarks.
 * The weights are fed as graph inputs without copies: an optimizer updating the arrays in place
 * (./adamw.ts) needs no `setParams`.
 */
import * as ort from 'onnxruntime-node';
import type { ImageOptions, ModelBatch } from '../batch.js';
import { buildTextLayout, decoderMask, imagePatches, responseValues, rowImages, type TextLayout } from '../batch.js';
import type { ModelConfig } from '../config.js';
import { modelDims } from '../config.js';
import type { ModelParams } from '../params.js';
import { cloneParams, paramSpecs, sizeOf } from '../params.js';
import type { Objective, OptimizerOptions, StepResult } from '../tfjs/trainer.js';
import { adamwStep, type AdamWState, newAdamWState } from './adamw.js';
import { buildTrainGraph, gradName, trainParamNames, type TrainGraphOptions } from './graph.js';
import { isPacked, packBatch, packedMask, decoderPositions, type PackMode } from '../packing.js';
import { splitTrainGraph } from './split.js';

export interface OnnxTrainerOptions {
  /** Intra-op threads (default 2). */
  threads?: number;
  /** Let idle ORT threads spin between runs (default false; see ../onnx/executor.ts). */
  spinning?: boolean;
  /** Graph implementation choices (defaults: the fastest measured). */
  graph?: Pick<TrainGraphOptions, 'gelu' | 'sparse'>;
  /**
   * How `gradients` gets the log-probs its objective needs: 'split' (default) runs a forward
   * graph that also emits the saved activations, then only the backward (./split.ts);
   * 'recompute' runs the forward-only graph, then the whole training graph.
   */
  mode?: 'split' | 'recompute';
  /**
   * Shared-prefix packing of image batches whose rows share image and prompt (../packing.ts):
   * 'auto' (default) when its FLOP estimate is below the plain layout's, 'always', or 'off'.
   */
  pack?: PackMode;
}

/** A prepared batch: its text layout and the graph inputs other than weights and upstream. */
export interface PreparedBatch {
  layout: TextLayout;
  images: boolean;
  inputs: Record<string, ort.Tensor>;
}

interface Sessions {
  /** Forward + backward in one run (`stepWithUpstream`). */
  train: ort.InferenceSession;
  /** `logp` only. */
  forward: ort.InferenceSession;
  /** `logp` and the saved activations; then the backward from them (./split.ts). */
  splitForward: ort.InferenceSession;
  splitBackward: ort.InferenceSession;
}

function int64(values: ArrayLike<number>, dims: number[]): ort.Tensor {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i]!);
  return new ort.Tensor('int64', out, dims);
}

export class OnnxTrainer {
  private weights: Record<string, ort.Tensor> = {};
  private arrays: ModelParams = new Map();
  private imageSessions: Promise<Sessions> | null = null;
  private adam: AdamWState = newAdamWState();
  private readonly ndims: Map<string, number>;

  private constructor(
    readonly config: ModelConfig,
    private readonly options: OnnxTrainerOptions,
    private readonly textSessions: Sessions,
  ) {
    this.ndims = new Map(paramSpecs(config).map((spec) => [spec.name, spec.shape.length]));
  }

  static async create(config: ModelConfig, params: ModelParams, options: OnnxTrainerOptions = {}): Promise<OnnxTrainer> {
    const trainer = new OnnxTrainer(config, options, await OnnxTrainer.sessions(config, options, false));
    trainer.setParams(cloneParams(params));
    return trainer;
  }

  private static async sessions(config: ModelConfig, options: OnnxTrainerOptions, images: boolean): Promise<Sessions> {
    const spin = options.spinning ? '1' : '0';
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: options.threads ?? 2,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      extra: { session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } } },
    };
    const graph = { ...options.graph, images };
    const full = buildTrainGraph(config, graph);
    const split = splitTrainGraph(full, ['logp']);
    const [train, forward, splitForward, splitBackward] = await Promise.all([
      ort.InferenceSession.create(full, sessionOptions),
      ort.InferenceSession.create(buildTrainGraph(config, { ...graph, forwardOnly: true }), sessionOptions),
      ort.InferenceSession.create(split.forward, sessionOptions),
      ort.InferenceSession.create(split.backward, sessionOptions),
    ]);
    return { train, forward, splitForward, splitBackward };
  }

  private sessionsFor(images: boolean): Promise<Sessions> {
    if (!images) return Promise.resolve(this.textSessions);
    this.imageSessions ??= OnnxTrainer.sessions(this.config, this.options, true);
    return this.imageSessions;
  }

  /**
   * Points the sessions at these arrays without copying: the trainer's `step` updates them in
   * place, and a caller mutating them is seen by the next run (TfjsTrainer copies; this does not).
   */
  setParams(params: ModelParams): void {
    const weights: Record<string, ort.Tensor> = {};
    for (const spec of paramSpecs(this.config)) {
      const data = params.get(spec.name);
      if (!data) throw new Error(`missing parameter ${spec.name}`);
      weights[spec.name] = new ort.Tensor('float32', data, spec.shape);
    }
    this.weights = weights;
    this.arrays = params;
  }

  /** Current weights (copies). */
  params(): ModelParams {
    return cloneParams(this.arrays);
  }

  /** Optimizer step count. */
  get steps(): number {
    return this.adam.step;
  }

  /** Optimizer state, as TfjsTrainer.optimizerState (moments absent before the first step). */
  optimizerState(): AdamWState {
    return { step: this.adam.step, m: cloneParams(this.adam.m), v: cloneParams(this.adam.v) };
  }

  loadOptimizerState(state: AdamWState): void {
    this.adam = { step: state.step, m: cloneParams(state.m), v: cloneParams(state.v) };
  }

  /**
   * One AdamW step on `objective` (TfjsTrainer.step's update in JS, ./adamw.ts); returns the loss
   * before the step and the gradient norm. Parameters the batch does not reach are skipped.
   */
  async step(batch: ModelBatch, responses: number[][], objective: Objective, optimizer: OptimizerOptions, options: ImageOptions = {}): Promise<StepResult> {
    const prepared = this.prepare(batch, responses, options);
    const { loss, grads } = await this.reachedGradients(prepared, objective);
    const gradNorm = adamwStep(this.arrays, grads, this.ndims, this.adam, optimizer);
    return { loss, gradNorm };
  }

  /** Layout and graph inputs of a batch (reusable across runs). */
  prepare(batch: ModelBatch, responses: number[][], options: ImageOptions = {}): PreparedBatch {
    const images = batch.images.length > 0;
    const rowImage = rowImages(batch);
    const layout = images
      ? packBatch(this.config, batch.prompts, responses, rowImage, this.options.pack)
      : buildTextLayout(this.config, batch.prompts, responses);
    const dims = [layout.rows, layout.length];
    const P = images ? modelDims(this.config).patches : 0;
    const mask = isPacked(layout) ? packedMask(layout, P) : decoderMask(this.config, layout, P);
    const inputs: Record<string, ort.Tensor> = {
      tokens: int64(layout.tokens, dims),
      targets: int64(layout.targets, dims),
      mask: new ort.Tensor('float32', mask.data, mask.dims),
      positions: int64(decoderPositions(layout, P), [layout.rows, P + layout.length]),
    };
    if (images) {
      const { patches, patchDim } = modelDims(this.config);
      inputs.patches = new ort.Tensor('float32', imagePatches(this.config, batch.images, options), [batch.images.length, patches, patchDim]);
      inputs.image_index = int64(isPacked(layout) ? layout.imageIndex : rowImage, [layout.rows]);
    }
    return { layout, images, inputs };
  }

  /** The inputs `session` declares, from the batch, the weights, the upstream and `extra`. */
  private feeds(session: ort.InferenceSession, prepared: PreparedBatch, upstream?: Float32Array, extra: Record<string, ort.Tensor> = {}): Record<string, ort.Tensor> {
    const available: Record<string, ort.Tensor> = { ...this.weights, ...prepared.inputs, ...extra };
    if (upstream) available.upstream = new ort.Tensor('float32', upstream, [prepared.layout.rows, prepared.layout.length]);
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) {
      const tensor = available[name];
      if (!tensor) throw new Error(`no value for graph input ${name}`);
      feeds[name] = tensor;
    }
    return feeds;
  }

  /** Per-position log-probs [rows * L] (forward-only graph). */
  async positionLogprobs(prepared: PreparedBatch): Promise<Float32Array> {
    const { forward } = await this.sessionsFor(prepared.images);
    const out = await forward.run(this.feeds(forward, prepared));
    return out.logp!.data as Float32Array;
  }

  /** Response log-probs per row (no gradients). */
  async logprobs(batch: ModelBatch, responses: number[][], options: ImageOptions = {}): Promise<Float32Array[]> {
    const prepared = this.prepare(batch, responses, options);
    return responseValues(prepared.layout, await this.positionLogprobs(prepared));
  }

  /**
   * One forward + backward with a given upstream [rows * L] (d loss / d logp per position, zero
   * off the responses): per-position log-probs and the gradients of the weights the graph reads
   * (the decoder's for text-only batches, all for image batches).
   */
  async stepWithUpstream(prepared: PreparedBatch, upstream: Float32Array): Promise<{ logp: Float32Array; grads: ModelParams }> {
    const { train } = await this.sessionsFor(prepared.images);
    const names = trainParamNames(this.config, prepared.images);
    const out = await train.run(this.feeds(train, prepared, upstream));
    const grads: ModelParams = new Map();
    for (const name of names) grads.set(name, out[gradName(name)]!.data as Float32Array);
    return { logp: out.logp!.data as Float32Array, grads };
  }

  /** Upstream [rows * L] of an objective's per-row gradients. */
  private upstreamOf(layout: TextLayout, grad: Float32Array[]): Float32Array {
    const upstream = new Float32Array(layout.rows * layout.length);
    grad.forEach((row, b) => upstream.set(row, layout.responseRow[b]! * layout.length + layout.responseStart[b]!));
    return upstream;
  }

  /** Split mode: forward (log-probs + saved activations), objective, backward. */
  private async splitGradients(prepared: PreparedBatch, objective: Objective): Promise<{ loss: number; grads: ModelParams }> {
    const { splitForward, splitBackward } = await this.sessionsFor(prepared.images);
    const saved = await splitForward.run(this.feeds(splitForward, prepared));
    const { loss, grad } = objective(responseValues(prepared.layout, saved.logp!.data as Float32Array));
    const out = await splitBackward.run(this.feeds(splitBackward, prepared, this.upstreamOf(prepared.layout, grad), saved));
    const grads: ModelParams = new Map();
    for (const name of trainParamNames(this.config, prepared.images)) grads.set(name, out[gradName(name)]!.data as Float32Array);
    return { loss, grads };
  }

  /**
   * Loss and gradients of an objective, as TfjsTrainer.gradients: every parameter of the model is
   * present; those the batch does not reach (the encoder, for text-only batches) are zeros.
   */
  async gradients(batch: ModelBatch, responses: number[][], objective: Objective, options: ImageOptions = {}): Promise<{ loss: number; grads: ModelParams }> {
    const { loss, grads: reached } = await this.reachedGradients(this.prepare(batch, responses, options), objective);
    const grads: ModelParams = new Map();
    for (const spec of paramSpecs(this.config)) grads.set(spec.name, reached.get(spec.name) ?? new Float32Array(sizeOf(spec.shape)));
    return { loss, grads };
  }

  /** Loss and the gradients of the weights the batch reaches, by `mode`. */
  private async reachedGradients(prepared: PreparedBatch, objective: Objective): Promise<{ loss: number; grads: ModelParams }> {
    if ((this.options.mode ?? 'split') === 'split') return this.splitGradients(prepared, objective);
    const { loss, grad } = objective(responseValues(prepared.layout, await this.positionLogprobs(prepared)));
    return { loss, grads: (await this.stepWithUpstream(prepared, this.upstreamOf(prepared.layout, grad))).grads };
  }

  async dispose(): Promise<void> {
    const sessions = [this.textSessions, ...(this.imageSessions ? [await this.imageSessions] : [])];
    await Promise.all(sessions.flatMap((s) => [s.train, s.forward, s.splitForward, s.splitBackward].map((x) => x.release())));
  }
}
