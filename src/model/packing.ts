/**
 * Shared-prefix packing of a training batch. The G rollouts of a GRPO group read the same image and
 * prompt; in ./batch.ts's layout every row recomputes that prefix (64 image tokens and the prompt,
 * most of a short answer's positions) in the forward and the backward. Packed, one layout row holds
 * the prefix once and several responses after it as branches:
 *
 *   [image] [BOS, p1 .. p(n-1)] [pn, a1 .. a(m-1)] [pn, b1 .. b(k-1)] ... PAD
 *
 * Branch j repeats the prompt's last token (whose output predicts the response's first token),
 * attends to the image, the shared tokens and its own earlier tokens only, and takes the positions
 * the unpacked row would give it (n, n+1, ...). Each branch therefore computes exactly what its
 * unpacked row computes, and the shared positions receive the sum of every branch's gradient, as
 * the rows' separate prefixes would: the same log-probs and gradients (tested against the unpacked
 * layout), for fewer positions. Attention grows with the packed length, so `packBatch` picks how
 * many branches share a row by a FLOP estimate, and 1 (the plain layout) whenever packing does not pay.
 */
import type { DecoderMask, TextLayout } from './batch.js';
import { buildTextLayout } from './batch.js';
import { modelDims, type ModelConfig } from './config.js';
import { BOS_ID, PAD_ID } from './tokenizer/index.js';

/** A layout whose rows may hold several responses after one shared prefix. */
export interface PackedLayout extends TextLayout {
  /** Text position of every layout index, [rows * L] (branches continue from the shared prompt). */
  positions: Int32Array;
  /** Image of each layout row. */
  imageIndex: number[];
  /** Per layout row: shared text tokens, then each branch's [start, end) text indices. */
  segments: { shared: number; branches: [number, number][] }[];
}

/** Forward FLOPs of the decoder for `rows` rows of `T` positions (linear layers + head, and attention). */
function decoderCost(config: ModelConfig, rows: number, T: number): number {
  const C = config.decoderWidth;
  const perPosition = config.decoderLayers * 2 * (4 + 2 * config.mlpRatio) * C * C + 2 * C * config.vocabSize;
  const perPair = config.decoderLayers * 4 * C;
  return rows * (T * perPosition + T * T * perPair);
}

/** Groups of rows with the same image and prompt, in first-seen order. */
function prefixGroups(prompts: readonly number[][], imageIndex: readonly number[]): number[][] {
  const byKey = new Map<string, number[]>();
  prompts.forEach((prompt, b) => {
    const key = `${imageIndex[b]}|${prompt.join(',')}`;
    const rows = byKey.get(key);
    if (rows) rows.push(b);
    else byKey.set(key, [b]);
  });
  return [...byKey.values()];
}

/** Chunks of at most `k` rows per group, longest responses together. */
function chunked(groups: readonly number[][], responses: readonly number[][], k: number): number[][] {
  const out: number[][] = [];
  for (const group of groups) {
    const sorted = [...group].sort((a, b) => responses[b]!.length - responses[a]!.length || a - b);
    for (let i = 0; i < sorted.length; i += k) out.push(sorted.slice(i, i + k));
  }
  return out;
}

/** Text length of a packed row: shared prompt (BOS + prompt minus its last token) + branches. */
const rowLength = (prompt: readonly number[], responses: readonly number[][], rows: readonly number[]): number =>
  prompt.length + rows.reduce((n, b) => n + responses[b]!.length, 0);

/**
 * The packed layout of `chunks` (each a list of batch rows sharing image and prompt). Token ids and
 * lengths are the caller's to validate (`packBatch` builds the plain layout, which checks them).
 */
function packRows(prompts: readonly number[][], responses: readonly number[][], imageIndex: readonly number[], chunks: readonly number[][]): PackedLayout {
  const rows = chunks.length;
  const length = Math.max(1, ...chunks.map((c) => rowLength(prompts[c[0]!]!, responses, c)));
  const tokens = new Int32Array(rows * length).fill(PAD_ID);
  const targets = new Int32Array(rows * length).fill(PAD_ID);
  const mask = new Float32Array(rows * length);
  const positions = new Int32Array(rows * length);
  const responseStart = new Array<number>(prompts.length).fill(0);
  const responseRow = new Array<number>(prompts.length).fill(0);
  const segments: PackedLayout['segments'] = [];
  chunks.forEach((chunk, r) => {
    const base = [BOS_ID, ...prompts[chunk[0]!]!];
    const n = base.length - 1; // shared tokens: base[0 .. n-1]; each branch starts with base[n]
    for (let i = 0; i < n; i++) {
      tokens[r * length + i] = base[i]!;
      targets[r * length + i] = base[i + 1]!;
      positions[r * length + i] = i;
    }
    let at = n;
    const branches: [number, number][] = [];
    for (const b of chunk) {
      const response = responses[b]!;
      responseStart[b] = at;
      responseRow[b] = r;
      for (let t = 0; t < response.length; t++) {
        tokens[r * length + at + t] = t === 0 ? base[n]! : response[t - 1]!;
        targets[r * length + at + t] = response[t]!;
        mask[r * length + at + t] = 1;
        positions[r * length + at + t] = n + t;
      }
      branches.push([at, at + response.length]);
      at += response.length;
    }
    segments.push({ shared: n, branches });
  });
  return {
    rows, length, tokens, targets, mask, positions, responseStart, responseRow, segments,
    responseLength: responses.map((r) => r.length), imageIndex: chunks.map((c) => imageIndex[c[0]!]!),
  };
}

/** 'auto': the cheapest layout by `decoderCost`; 'always': whole groups per row; 'off': the plain layout. */
export type PackMode = 'auto' | 'always' | 'off';

/**
 * The layout of an image batch: with 'auto', the cheapest by `decoderCost` of branches per row 1
 * (the plain layout, returned as is), 2, 4, ... up to the largest group. Only for causal attention
 * (a prefix-LM's prompt would see its last token, which packing repeats per branch).
 */
export function packBatch(config: ModelConfig, prompts: readonly number[][], responses: readonly number[][], imageIndex: readonly number[], mode: PackMode = 'auto'): TextLayout | PackedLayout {
  const plain = buildTextLayout(config, prompts, responses);
  if (config.attention !== 'causal' || mode === 'off' || prompts.length === 0) return plain;
  const P = modelDims(config).patches;
  const groups = prefixGroups(prompts, imageIndex);
  const largest = Math.max(...groups.map((g) => g.length));
  if (mode === 'always') return packRows(prompts, responses, imageIndex, chunked(groups, responses, largest));
  let best: { cost: number; chunks: number[][] | null } = { cost: decoderCost(config, plain.rows, P + plain.length), chunks: null };
  for (let k = 2; k < 2 * largest; k *= 2) {
    const chunks = chunked(groups, responses, k);
    const T = P + Math.max(1, ...chunks.map((c) => rowLength(prompts[c[0]!]!, responses, c)));
    const cost = decoderCost(config, chunks.length, T);
    if (cost < best.cost) best = { cost, chunks };
  }
  return best.chunks ? packRows(prompts, responses, imageIndex, best.chunks) : plain;
}

export const isPacked = (layout: TextLayout): layout is PackedLayout => 'segments' in layout;

/**
 * Additive mask [rows, 1, T, T] of a packed layout: image and shared tokens causal; a branch sees
 * the image, the shared tokens and itself up to the query; pads see everything before them.
 */
export function packedMask(layout: PackedLayout, P: number): DecoderMask {
  const T = P + layout.length;
  const data = new Float32Array(layout.rows * T * T);
  layout.segments.forEach((seg, r) => {
    const sharedEnd = P + seg.shared;
    for (let q = 0; q < T; q++) data.fill(-1e9, (r * T + q) * T + q + 1, (r * T + q + 1) * T);
    for (const [start, end] of seg.branches) {
      for (let q = P + start; q < P + end; q++) data.fill(-1e9, (r * T + q) * T + sharedEnd, (r * T + q) * T + P + start);
    }
  });
  return { data, dims: [layout.rows, 1, T, T] };
}

/** Decoder position of every index of a layout's rows, [rows * (P + L)]: 0..P-1, then P + text position. */
export function decoderPositions(layout: TextLayout, P: number): number[] {
  const T = P + layout.length;
  const out = new Array<number>(layout.rows * T);
  const text = isPacked(layout) ? layout.positions : null;
  for (let r = 0; r < layout.rows; r++) {
    for (let i = 0; i < P; i++) out[r * T + i] = i;
    for (let i = 0; i < layout.length; i++) out[r * T + P + i] = P + (text ? text[r * layout.length + i]! : i);
  }
  return out;
}
