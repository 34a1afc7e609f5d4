/**
 * Plain-array preparation shared by both executors, so they see identical inputs: images to
 * normalised patches (and VPPO's corrupted variant), and the token layout of a batch.
 *
 * Layout of row b (training and `logprobs`): [image prefix (P tokens, or none for text-only
 * batches)] [BOS, prompt..., response...] then PAD up to the longest row (right padding). Causal
 * attention over the whole row, so pads never influence real tokens; positions are 0..P+L-1 for
 * every row. Log-probs of response token j of row b are read at text index 1 + |prompt_b| + j - 1.
 * Generation (onnx/generate.ts) left-pads prompts instead and passes per-row positions and a key
 * mask, which gives the same numbers (tested).
 */
import { InputError } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import type { ModelConfig } from './config.js';
import { modelDims } from './config.js';
import { BOS_ID, PAD_ID } from './tokenizer/index.js';

export interface ModelBatch {
  /** Distinct images, each imageSize*imageSize*3 floats in [0, 1] (HWC, RGB). Empty: text only. */
  images: Float32Array[];
  /** Image of each row (default: row b uses image b). The G rollouts of a group share one entry. */
  imageIndex?: number[];
  /** Prompt token ids of each row (without BOS; the model adds it). */
  prompts: number[][];
}

/** Which image the model sees: the real one, or VPPO's probe (METHODS.md section 6). */
export interface ImageOptions {
  image?: 'real' | 'corrupted';
  /** Probability that each patch is blackened (default 0.5, VPPO's). */
  corruptProb?: number;
  /** Seed of the corruption; image i uses stream `${seed}/corrupt/${i}` (default 0). */
  corruptSeed?: number;
}

/** Image index of each row, validated. */
export function rowImages(batch: ModelBatch): number[] {
  const rows = batch.prompts.length;
  if (batch.images.length === 0) return [];
  const index = batch.imageIndex ?? batch.prompts.map((_, b) => b);
  if (index.length !== rows) throw new InputError('batch.imageIndex', `has ${index.length} entries for ${rows} rows`);
  for (const i of index) {
    if (!Number.isInteger(i) || i < 0 || i >= batch.images.length) {
      throw new InputError('batch.imageIndex', `index ${i} outside [0, ${batch.images.length})`);
    }
  }
  return index;
}

/**
 * Normalised patches of every image, [images, patches, patchDim] flattened; a patch is its pixels in
 * row-major (y, x, channel) order; values map [0, 1] to [-1, 1]. A corrupted patch is black (-1).
 */
export function imagePatches(config: ModelConfig, images: readonly Float32Array[], options: ImageOptions = {}): Float32Array {
  const { patches, patchDim } = modelDims(config);
  const S = config.imageSize;
  const p = config.patchSize;
  const side = S / p;
  const out = new Float32Array(images.length * patches * patchDim);
  const corrupt = options.image === 'corrupted';
  const prob = options.corruptProb ?? 0.5;
  images.forEach((pixels, i) => {
    if (pixels.length !== S * S * 3) throw new InputError(`batch.images[${i}]`, `has ${pixels.length} values, expected ${S}x${S}x3`);
    const rng = corrupt ? new Rng(`${options.corruptSeed ?? 0}/corrupt/${i}`) : null;
    for (let py = 0; py < side; py++) {
      for (let px = 0; px < side; px++) {
        const base = (i * patches + py * side + px) * patchDim;
        if (rng && rng.bool(prob)) {
          out.fill(-1, base, base + patchDim);
          continue;
        }
        let k = base;
        for (let y = 0; y < p; y++) {
          const row = ((py * p + y) * S + px * p) * 3;
          for (let x = 0; x < p * 3; x++) out[k++] = pixels[row + x]! * 2 - 1;
        }
      }
    }
  });
  return out;
}

/** Token layout of (prompt, response) rows, right padded (see the module docstring). */
export interface TextLayout {
  rows: number;
  /** Text length L (longest BOS + prompt + response). */
  length: number;
  /** [rows * L] input ids. */
  tokens: Int32Array;
  /** [rows * L] the id at the next index (PAD where none). */
  targets: Int32Array;
  /** [rows * L] 1 where the target is a response token. */
  mask: Float32Array;
  /** Text index (in targets) of each row's first response token. */
  responseStart: number[];
  responseLength: number[];
  /** Layout row holding each response (the identity here; ./packing.ts packs several per row). */
  responseRow: number[];
}

export function buildTextLayout(config: ModelConfig, prompts: readonly number[][], responses: readonly number[][]): TextLayout {
  if (responses.length !== prompts.length) throw new InputError('responses', `${responses.length} responses for ${prompts.length} prompts`);
  const rows = prompts.length;
  const texts = prompts.map((prompt, b) => [BOS_ID, ...prompt, ...responses[b]!]);
  const length = Math.max(1, ...texts.map((t) => t.length));
  if (length > config.maxTextLength) {
    throw new InputError('responses', `prompt + response of ${length} tokens exceeds maxTextLength ${config.maxTextLength}`);
  }
  const tokens = new Int32Array(rows * length).fill(PAD_ID);
  const targets = new Int32Array(rows * length).fill(PAD_ID);
  const mask = new Float32Array(rows * length);
  const responseStart: number[] = [];
  texts.forEach((text, b) => {
    const first = prompts[b]!.length; // index whose target is the first response token
    for (let i = 0; i < text.length; i++) {
      const id = text[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= config.vocabSize) throw new InputError(`tokens[${b}]`, `token id ${id} outside [0, ${config.vocabSize})`);
      tokens[b * length + i] = id;
      if (i + 1 < text.length) targets[b * length + i] = text[i + 1]!;
      if (i >= first && i + 1 < text.length) mask[b * length + i] = 1;
    }
    responseStart.push(first);
  });
  return { rows, length, tokens, targets, mask, responseStart, responseLength: responses.map((r) => r.length), responseRow: responses.map((_, b) => b) };
}

/** Per-row response log-probs out of a [rows * L] per-position array. */
export function responseValues(layout: TextLayout, perPosition: ArrayLike<number>): Float32Array[] {
  return layout.responseStart.map((start, b) => {
    const out = new Float32Array(layout.responseLength[b]!);
    const at = layout.responseRow[b]! * layout.length + start;
    for (let j = 0; j < out.length; j++) out[j] = perPosition[at + j]!;
    return out;
  });
}

/** Additive causal mask [T, T]: 0 where key <= query, -1e9 elsewhere (exp underflows to exactly 0). */
export function causalMask(T: number): Float32Array {
  const mask = new Float32Array(T * T);
  for (let q = 0; q < T; q++) mask.fill(-1e9, q * T + q + 1, (q + 1) * T);
  return mask;
}

/** An additive attention mask and its shape, [Bm, 1, T, T] (Bm 1: the same for every row). */
export interface DecoderMask {
  data: Float32Array;
  dims: [number, 1, number, number];
}

/**
 * The decoder's mask over the training layout's T = P + L positions (config.attention): causal, one
 * [1, 1, T, T] for all rows; prefix, per row: the P image tokens, BOS and the prompt see each other,
 * response (and pad) positions see everything up to themselves.
 */
export function decoderMask(config: ModelConfig, layout: TextLayout, P: number): DecoderMask {
  const T = P + layout.length;
  if (config.attention === 'causal') return { data: causalMask(T), dims: [1, 1, T, T] };
  const data = new Float32Array(layout.rows * T * T);
  layout.responseStart.forEach((start, b) => {
    const prefix = P + start + 1; // image, BOS, prompt
    for (let q = 0; q < T; q++) {
      const last = q < prefix ? prefix - 1 : q;
      data.fill(-1e9, (b * T + q) * T + last + 1, (b * T + q + 1) * T);
    }
  });
  return { data, dims: [layout.rows, 1, T, T] };
}
