/**
 * Batched generation with a KV cache on the inference executor. The distinct images of the batch
 * are encoded once (the G rollouts of a group share one encoding), prompts are left-padded with
 * per-row positions and a key mask so every row sees exactly what it would see alone (and what
 * `logprobs()` sees in the right-padded training layout: tested to 1e-4), then one decoder run per
 * new token fetches only the last position's logits. Rows that hit a stop token keep running until
 * the whole batch is done or the token limit is reached (their extra tokens are dropped).
 */
import * as ort from 'onnxruntime-node';
import { Rng } from '../../util/rng.js';
import type { ImageOptions, ModelBatch } from '../batch.js';
import { rowImages } from '../batch.js';
import { logSoftmaxAt, sampleToken, type SamplingOptions } from '../sampling.js';
import { BOS_ID, EOS_ID, IMAGE_ID, PAD_ID } from '../tokenizer/index.js';
import { type DecoderStepOutput, int64Tensor, type OnnxExecutor } from './executor.js';

export interface GenerateOptions extends SamplingOptions {
  /** Token limit per row (the response is cut there with finish reason "length"). */
  maxTokens: number;
  /** Tokens that end a row (included in its output; default [EOS]). */
  stopTokens?: number[];
  /** Ids never sampled (default PAD, BOS, IMAGE). */
  suppressTokens?: number[];
  /** Ids >= this are never sampled: the tokenizer size when the vocabulary is padded. */
  vocabLimit?: number;
  /** Seed of the sampling stream (default 0). */
  seed?: number;
  /** Real or corrupted images (the probe generates rarely, but it is the same switch). */
  image?: ImageOptions;
  /**
   * KV cache of the decode steps: 'fixed' (default: preallocated, updated in place) or 'concat'
   * (the cache grows by concatenation inside the graph and is copied out and back every step; kept
   * to measure the difference, bench/model/levers.ts).
   */
  kvCache?: 'fixed' | 'concat';
}

export interface Generation {
  /** Generated ids per row, including the stop token when one was produced. */
  tokens: number[][];
  /** Log-prob of each generated token at temperature 1 (see ../sampling.ts). */
  logprobs: Float32Array[];
  finishReason: ('stop' | 'length')[];
}

export async function generate(executor: OnnxExecutor, batch: ModelBatch, options: GenerateOptions): Promise<Generation> {
  const config = executor.config;
  const V = config.vocabSize;
  const B = batch.prompts.length;
  const texts = batch.prompts.map((p) => [BOS_ID, ...p]);
  const Lp = Math.max(...texts.map((t) => t.length));
  const maxTokens = Math.min(options.maxTokens, config.maxTextLength - Lp);
  if (maxTokens < 1) throw new Error(`prompts of ${Lp} tokens leave no room under maxTextLength ${config.maxTextLength}`);
  const banned = bannedMask(V, options);
  const stops = new Set(options.stopTokens ?? [EOS_ID]);
  const rng = new Rng(options.seed ?? 0);

  const prefix = batch.images.length > 0
    ? executor.expandPrefix(await executor.encodeImages(batch.images, options.image ?? {}), rowImages(batch))
    : executor.emptyPrefix(B);
  const P = prefix.dims[1]!;

  // Prefill: [prefix, left pads, BOS, prompt] with per-row positions and pad keys masked.
  const T0 = P + Lp;
  const tokens = new Array<number>(B * Lp).fill(PAD_ID);
  const positions = new Array<number>(B * T0);
  const keyValid: Uint8Array[] = [];
  for (let b = 0; b < B; b++) {
    const pad = Lp - texts[b]!.length;
    const valid = new Uint8Array(P + Lp + maxTokens);
    for (let t = 0; t < T0; t++) {
      const isPad = t >= P && t < P + pad;
      valid[t] = isPad ? 0 : 1;
      positions[b * T0 + t] = t < P ? t : isPad ? P : P + (t - P - pad);
      if (t >= P + pad) tokens[b * Lp + t - P] = texts[b]![t - P - pad]!;
    }
    keyValid.push(valid);
  }
  // The prefill is the whole prefix (image, BOS, prompt): causal, or all of it with prefix attention.
  const bidirectional = config.attention === 'prefix';
  const prefillMask = new Float32Array(B * T0 * T0);
  for (let b = 0; b < B; b++) {
    for (let q = 0; q < T0; q++) {
      for (let k = 0; k < T0; k++) prefillMask[(b * T0 + q) * T0 + k] = (bidirectional || k <= q) && keyValid[b]![k] ? 0 : -1e9;
    }
  }
  let step = await executor.decoderStep({
    prefix,
    tokens: int64Tensor(tokens, [B, Lp]),
    positions: int64Tensor(positions, [B, T0]),
    mask: new ort.Tensor('float32', prefillMask, [B, 1, T0, T0]),
    pastK: executor.emptyCache(B),
    pastV: executor.emptyCache(B),
  }, 'last_logits');

  const out: Generation = { tokens: texts.map(() => []), logprobs: [], finishReason: texts.map(() => 'length') };
  const lps: number[][] = texts.map(() => []);
  const done = new Array<boolean>(B).fill(false);
  const fixed = (options.kvCache ?? 'fixed') === 'fixed';
  const cache = fixed ? new FixedCache(executor, B, T0, T0 + maxTokens - 1, step) : null;
  const emptyPrefix = executor.emptyPrefix(B);
  for (let s = 0; s < maxTokens; s++) {
    const logits = step.lastLogits!;
    const next = new Array<number>(B);
    for (let b = 0; b < B; b++) {
      const id = sampleToken(logits, b * V, V, banned, rng, options);
      next[b] = id;
      if (done[b]) continue;
      out.tokens[b]!.push(id);
      lps[b]!.push(logSoftmaxAt(logits, b * V, V, id));
      if (stops.has(id)) {
        done[b] = true;
        out.finishReason[b] = 'stop';
      }
    }
    if (done.every(Boolean) || s === maxTokens - 1) break;
    if (!cache) {
      step = await concatStep(executor, step, next, texts.map((t) => P + t.length + s), keyValid, T0 + s + 1);
      continue;
    }
    // Feed the new tokens: one query per row against the filled cache slots and itself.
    const Tmax = cache.capacity;
    const mask = new Float32Array(B * (Tmax + 1)).fill(-1e9);
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < cache.filled; k++) if (keyValid[b]![k]) mask[b * (Tmax + 1) + k] = 0;
      mask[b * (Tmax + 1) + Tmax] = 0;
    }
    step = await executor.decoderStep({
      prefix: emptyPrefix,
      tokens: int64Tensor(next, [B, 1]),
      positions: int64Tensor(texts.map((t) => P + t.length + s), [B, 1]),
      mask: new ort.Tensor('float32', mask, [B, 1, 1, Tmax + 1]),
      pastK: cache.k,
      pastV: cache.v,
    }, 'last_logits', true);
    keyValid.forEach((valid) => (valid[cache.filled] = 1));
    cache.append(step);
  }
  out.logprobs = lps.map((row) => Float32Array.from(row));
  return out;
}

/** One decode step with the growing (concatenated) cache: the pre-'fixed' path, for measurement. */
async function concatStep(executor: OnnxExecutor, prev: DecoderStepOutput, next: number[], positions: number[], keyValid: Uint8Array[], Tk: number): Promise<DecoderStepOutput> {
  const B = next.length;
  const mask = new Float32Array(B * Tk);
  for (let b = 0; b < B; b++) {
    keyValid[b]![Tk - 1] = 1;
    for (let k = 0; k < Tk; k++) mask[b * Tk + k] = keyValid[b]![k] ? 0 : -1e9;
  }
  return executor.decoderStep({
    prefix: executor.emptyPrefix(B),
    tokens: int64Tensor(next, [B, 1]),
    positions: int64Tensor(positions, [B, 1]),
    mask: new ort.Tensor('float32', mask, [B, 1, 1, Tk]),
    pastK: prev.presentK,
    pastV: prev.presentV,
  }, 'last_logits');
}

/**
 * Preallocated [B, H, capacity, D] key/value buffers, one per layer, wrapped once as ORT tensors
 * and updated in place: a decode step reads them as inputs and returns only the new entries, so no
 * step copies the whole cache (bench/model/README.md).
 */
class FixedCache {
  readonly k: ort.Tensor[];
  readonly v: ort.Tensor[];
  filled: number;
  private readonly dataK: Float32Array[];
  private readonly dataV: Float32Array[];
  private readonly heads: number;
  private readonly size: number;

  constructor(
    executor: OnnxExecutor,
    private readonly rows: number,
    prefilled: number,
    readonly capacity: number,
    prefill: { presentK: ort.Tensor[]; presentV: ort.Tensor[] },
  ) {
    const { decoderHeads: H, decoderLayers } = executor.config;
    this.heads = H;
    this.size = executor.config.decoderWidth / H;
    const make = () => Array.from({ length: decoderLayers }, () => new Float32Array(rows * H * capacity * this.size));
    this.dataK = make();
    this.dataV = make();
    const dims = [rows, H, capacity, this.size];
    this.k = this.dataK.map((d) => new ort.Tensor('float32', d, dims));
    this.v = this.dataV.map((d) => new ort.Tensor('float32', d, dims));
    this.filled = 0;
    this.write(prefill, prefilled);
  }

  /** Copies `count` new positions per (row, head) from a step's present tensors into the slots. */
  private write(step: { presentK: ort.Tensor[]; presentV: ort.Tensor[] }, count: number): void {
    const D = this.size;
    const copy = (src: Float32Array, dst: Float32Array) => {
      for (let bh = 0; bh < this.rows * this.heads; bh++) {
        dst.set(src.subarray(bh * count * D, (bh + 1) * count * D), (bh * this.capacity + this.filled) * D);
      }
    };
    step.presentK.forEach((t, i) => copy(t.data as Float32Array, this.dataK[i]!));
    step.presentV.forEach((t, i) => copy(t.data as Float32Array, this.dataV[i]!));
    this.filled += count;
  }

  append(step: { presentK: ort.Tensor[]; presentV: ort.Tensor[] }): void {
    this.write(step, 1);
  }
}

function bannedMask(V: number, options: GenerateOptions): Uint8Array {
  const banned = new Uint8Array(V);
  for (const id of options.suppressTokens ?? [PAD_ID, BOS_ID, IMAGE_ID]) if (id >= 0 && id < V) banned[id] = 1;
  if (options.vocabLimit !== undefined) banned.fill(1, Math.min(V, options.vocabLimit));
  return banned;
}
