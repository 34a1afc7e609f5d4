/**
 * Coarse-to-fine number loss for pre-training: the trailing digits of every multi-digit number in a
 * target (a box's "45" -> the "5") get a loss weight that starts at 0 and ramps to 1, while every
 * other token (leading digits, words, JSON) keeps weight 1.
 *
 * Why: a box answer has four coordinates; their units digits cannot be predicted until the model
 * localises the object, so early on they only add gradient noise, and with Adam that noise shrinks
 * the steps on the learnable part. Measured on a toy (one red square, full box answer, batch 32,
 * lr 2e-3; bench/probes/toy-box-format.ts, seeds 0-2): the leading digit's NLL left its plateau
 * (first probe below 1 nat) at step 300 / 200 / 200 with the units digits at weight 0, and at
 * 300 / 400 / 400 with every token weighted. On the gym it did not help: configs/pretrain-c2f.yaml
 * left the first coordinate's tens digit at the prior after 3500 steps (bench/probes/README.md), so it
 * is off in configs/pretrain.yaml. Once the weight is back to 1 the objective is the plain mean NLL.
 * With the default tokenizer's number pieces (src/model/tokenizer/vocab.ts) every integer up to 128
 * is one token, so for such checkpoints the option only touches larger numbers.
 */
import type { Objective } from '../tfjs/trainer.js';

export interface FineDigitSchedule {
  /** Steps (0-based, exclusive) during which trailing digits have weight 0. */
  zero_until: number;
  /** Step at which the weight reaches 1 (linear ramp from zero_until). */
  full_at: number;
}

/** Weight of trailing digits at `step`: 0 before zero_until, linear to 1 at full_at, then 1. */
export function fineDigitWeight(schedule: FineDigitSchedule | null, step: number): number {
  if (!schedule) return 1;
  if (step < schedule.zero_until) return 0;
  if (step >= schedule.full_at) return 1;
  return (step - schedule.zero_until) / Math.max(1, schedule.full_at - schedule.zero_until);
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/**
 * Per-token weights of a target given its token pieces (the decoded text of each token, in order):
 * `fine` for a single-digit token that follows a digit in the text, 1 otherwise.
 */
export function fineDigitWeights(pieces: readonly string[], fine: number): Float32Array {
  const out = new Float32Array(pieces.length);
  let previous: string | undefined;
  pieces.forEach((piece, i) => {
    out[i] = piece.length === 1 && isDigit(piece) && isDigit(previous) ? fine : 1;
    if (piece.length > 0) previous = piece[piece.length - 1];
  });
  return out;
}

/** Weighted mean NLL: sum of -w * logp over the batch divided by the sum of weights. */
export function weightedNll(weights: readonly Float32Array[]): Objective {
  return (logprobs) => {
    let total = 0;
    let sum = 0;
    logprobs.forEach((row, r) => {
      const w = weights[r]!;
      for (let j = 0; j < row.length; j++) {
        total += w[j] ?? 1;
        sum -= (w[j] ?? 1) * row[j]!;
      }
    });
    const count = Math.max(1e-9, total);
    return { loss: sum / count, grad: logprobs.map((row, r) => Float32Array.from(row, (_, j) => -(weights[r]![j] ?? 1) / count)) };
  };
}
