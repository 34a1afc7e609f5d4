/**
 * Batched generation with a KV cache on the inference executor. The distinct images of the batch
 * are encoded once (the G rollouts of a group share one encoding), prompts are left-padded with
 * per-row positions and a key mask so every row sees exactly what it would see alone (and what
 * `logprobs()` sees in the right-padded training layout: tested to 1e-4), then one decoder run per
 * new token fetches only the last position's logits. The G rollouts of a group share one prefill,
 * and rows that hit a stop token leave the batch (the cache drops them once they are a quarter of it),
 * so a mixed batch of short and long answers runs its tail on the long rows only. Both are exact:
 * tested token for token against the plain loop, which `sharedPrefill: false, compactRows: false` runs.
 */
import * as ort from 'onnxruntime-node';
import { Rng } from '../../util/rng.js';
import type { ImageOptions, ModelBatch } from '../batch.js';
import { rowImages } from '../batch.js';
import { logSoftmaxAt, sampleToken, type SamplingOptions } from '../sampling.js';
import { BOS_ID, EOS_ID, IMAGE_ID, PAD_ID } from '../tokenizer/index.js';
import { type DecoderStepOutput, gatherRows, gatherTensor, int64Tensor, type OnnxExecutor } from './executor.js';
import { FixedCache } from './kv-cache.js';

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
  /** Run the prefill once per distinct (image, prompt) row (default true). */
  sharedPrefill?: boolean;
  /** Drop finished rows from the fixed cache (default true; the concat cache never drops). */
  compactRows?: boolean;
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

  const fixed = (options.kvCache ?? 'fixed') === 'fixed';
  const pre = await prefill(executor, batch, texts, Lp, maxTokens, options);
  const { keyValid, P, T0 } = pre;
  const cache = fixed ? new FixedCache(B, config.decoderLayers, config.decoderHeads, config.decoderWidth / config.decoderHeads, T0 + maxTokens - 1) : null;
  cache?.write(pre.step, T0, pre.source);
  let step = cache ? pre.step : { ...pre.step, presentK: pre.step.presentK.map((t) => gatherTensor(t, pre.source)), presentV: pre.step.presentV.map((t) => gatherTensor(t, pre.source)) };

  const out: Generation = { tokens: texts.map(() => []), logprobs: [], finishReason: texts.map(() => 'length') };
  const lps: number[][] = texts.map(() => []);
  const done = new Array<boolean>(B).fill(false);
  const compact = fixed && (options.compactRows ?? true);
  let live = texts.map((_, b) => b); // the batch row of each cache row: all rows, then the unfinished ones
  for (let s = 0; s < maxTokens; s++) {
    const logits = step.lastLogits!;
    const next = sampleLive(logits, live, B, V, banned, rng, options);
    live.forEach((b, r) => {
      if (done[b]) return;
      out.tokens[b]!.push(next[r]!);
      lps[b]!.push(logSoftmaxAt(logits, r * V, V, next[r]!));
      if (stops.has(next[r]!)) {
        done[b] = true;
        out.finishReason[b] = 'stop';
      }
    });
    if (done.every(Boolean) || s === maxTokens - 1) break;
    if (!cache) {
      step = await concatStep(executor, step, next, texts.map((t) => P + t.length + s), keyValid, T0 + s + 1);
      continue;
    }
    // Drop finished rows once they are a quarter of the cache: a decode step costs about its row count.
    let feed = next;
    if (compact && 4 * live.filter((b) => done[b]).length >= live.length) {
      const keep = live.flatMap((b, r) => (done[b] ? [] : [r]));
      cache.keepRows(keep);
      feed = keep.map((r) => next[r]!);
      live = keep.map((r) => live[r]!);
    }
    step = await decodeStep(executor, cache, live, feed, live.map((b) => P + texts[b]!.length + s), keyValid);
  }
  out.logprobs = lps.map((row) => Float32Array.from(row));
  return out;
}

/**
 * The next token of every cache row. The sampling stream is the one an uncompacted batch draws: rows
 * already dropped from the cache still take their one uniform draw (sampleToken takes exactly one when
 * temperature > 0, none when greedy), so compaction never changes what any row samples.
 */
function sampleLive(logits: Float32Array, live: readonly number[], B: number, V: number, banned: Uint8Array, rng: Rng, options: GenerateOptions): number[] {
  const next = new Array<number>(live.length);
  const draws = (options.temperature ?? 1) > 0;
  let r = 0;
  for (let b = 0; b < B; b++) {
    if (live[r] === b) next[r] = sampleToken(logits, r++ * V, V, banned, rng, options);
    else if (draws) rng.next();
  }
  return next;
}

interface Prefill {
  /** The prefill run: `lastLogits` per batch row, present keys/values per distinct row. */
  step: DecoderStepOutput;
  /** The distinct row each batch row reads its cache from. */
  source: number[];
  keyValid: Uint8Array[];
  P: number;
  T0: number;
}

/**
 * Prefill: [prefix, left pads, BOS, prompt] with per-row positions and pad keys masked. Rows with the
 * same image and prompt (the G rollouts of a group) are identical here, so only distinct rows run
 * (`sharedPrefill`, default on), and every batch row reads its distinct row's cache and logits.
 */
async function prefill(executor: OnnxExecutor, batch: ModelBatch, texts: number[][], Lp: number, maxTokens: number, options: GenerateOptions): Promise<Prefill> {
  const images = rowImages(batch);
  const { unique, source } = (options.sharedPrefill ?? true) ? distinctRows(texts, images) : { unique: texts.map((_, b) => b), source: texts.map((_, b) => b) };
  const U = unique.length;
  const prefix = batch.images.length > 0
    ? executor.expandPrefix(await executor.encodeImages(batch.images, options.image ?? {}), unique.map((u) => images[u]!))
    : executor.emptyPrefix(U);
  const P = prefix.dims[1]!;
  const T0 = P + Lp;
  const keyValid = texts.map((text) => {
    const valid = new Uint8Array(T0 + maxTokens);
    valid.fill(1, 0, P);
    valid.fill(1, P + Lp - text.length, T0);
    return valid;
  });
  const tokens = new Array<number>(U * Lp).fill(PAD_ID);
  const positions = new Array<number>(U * T0);
  unique.forEach((row, u) => {
    const pad = Lp - texts[row]!.length;
    for (let t = 0; t < T0; t++) positions[u * T0 + t] = t < P ? t : t < P + pad ? P : t - pad;
    texts[row]!.forEach((id, j) => (tokens[u * Lp + pad + j] = id));
  });
  // The prefill is the whole prefix (image, BOS, prompt): causal, or all of it with prefix attention.
  const bidirectional = executor.config.attention === 'prefix';
  const mask = new Float32Array(U * T0 * T0);
  unique.forEach((row, u) => {
    const valid = keyValid[row]!;
    for (let q = 0; q < T0; q++) {
      for (let k = 0; k < T0; k++) mask[(u * T0 + q) * T0 + k] = (bidirectional || k <= q) && valid[k] ? 0 : -1e9;
    }
  });
  const step = await executor.decoderStep({
    prefix,
    tokens: int64Tensor(tokens, [U, Lp]),
    positions: int64Tensor(positions, [U, T0]),
    mask: new ort.Tensor('float32', mask, [U, 1, T0, T0]),
    pastK: executor.emptyCache(U),
    pastV: executor.emptyCache(U),
  }, 'last_logits');
  if (U < texts.length) step.lastLogits = gatherRows(step.lastLogits!, executor.config.vocabSize, source);
  return { step, source, keyValid, P, T0 };
}

/** Rows with the same image and prompt tokens share one distinct row (first occurrence order). */
function distinctRows(texts: readonly number[][], images: readonly number[]): { unique: number[]; source: number[] } {
  const index = new Map<string, number>();
  const unique: number[] = [];
  const source = texts.map((text, b) => {
    const key = `${images[b] ?? -1}|${text.join(',')}`;
    let u = index.get(key);
    if (u === undefined) {
      u = unique.length;
      index.set(key, u);
      unique.push(b);
    }
    return u;
  });
  return { unique, source };
}

/** One decode step on the fixed cache: one query per cache row against its filled slots and itself. */
async function decodeStep(executor: OnnxExecutor, cache: FixedCache, live: readonly number[], feed: readonly number[], positions: number[], keyValid: Uint8Array[]): Promise<DecoderStepOutput> {
  const R = live.length;
  const Tmax = cache.capacity;
  const mask = new Float32Array(R * (Tmax + 1)).fill(-1e9);
  live.forEach((b, r) => {
    const valid = keyValid[b]!;
    for (let k = 0; k < cache.filled; k++) if (valid[k]) mask[r * (Tmax + 1) + k] = 0;
    mask[r * (Tmax + 1) + Tmax] = 0;
  });
  const step = await executor.decoderStep({
    prefix: executor.emptyPrefix(R),
    tokens: int64Tensor([...feed], [R, 1]),
    positions: int64Tensor(positions, [R, 1]),
    mask: new ort.Tensor('float32', mask, [R, 1, 1, Tmax + 1]),
    pastK: cache.k,
    pastV: cache.v,
  }, 'last_logits', true);
  keyValid.forEach((valid) => (valid[cache.filled] = 1));
  cache.write(step, 1);
  return step;
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

function bannedMask(V: number, options: GenerateOptions): Uint8Array {
  const banned = new Uint8Array(V);
  for (const id of options.suppressTokens ?? [PAD_ID, BOS_ID, IMAGE_ID]) if (id >= 0 && id < V) banned[id] = 1;
  if (options.vocabLimit !== undefined) banned.fill(1, Math.min(V, options.vocabLimit));
  return banned;
}
