/**
 * What every advantage estimator shares: its input and result types, the GRPO epsilon and whitening
 * floor, input validation and the metrics. The formulas are documented in ./index.ts.
 */
import { checkLength, isApplicable, type MaybeNumbers, type Metrics, type Numbers } from '../types.js';

export const GRPO_EPS = 1e-6;
/** Floor of the batch variance in REINFORCE++ whitening (OpenRLHF's clamp before rsqrt). */
export const WHITEN_VAR_FLOOR = 1e-8;

export interface AdvantageInput {
  /** `[B]` scalar rewards; null / NaN = not applicable. */
  rewards: MaybeNumbers;
  /** `[B]` group id of each sequence (the prompt it answers). */
  groupIds: Numbers;
  /** `[B]` optional weights for batch-level statistics (`reinforce-pp` only): response lengths. */
  weights?: Numbers;
}

export interface AdvantageResult {
  /** `[B]` advantages, 0 for non-applicable rewards and for groups with < 2 applicable rewards. */
  value: Float64Array;
  /** `advantage/mean`, `advantage/absMean`, `advantage/zeroStdGroupFraction`, `advantage/notApplicable`. */
  metrics: Metrics;
}

export type AdvantageFn = (input: AdvantageInput) => AdvantageResult;

export const ADVANTAGE_NAMES = ['grpo', 'grpo-nostd', 'rloo', 'reinforce-pp', 'raft'] as const;
export type AdvantageName = (typeof ADVANTAGE_NAMES)[number];

export type GroupRule = (reward: number, mean: number, std: number, n: number) => number;

export function validate(input: AdvantageInput): void {
  checkLength('groupIds', input.groupIds, input.rewards.length);
  if (input.weights) checkLength('weights', input.weights, input.rewards.length);
}

/** Metrics shared by every estimator. `zeroStd` counts groups (>= 2 applicable) whose rewards are equal. */
export function summarize(value: Float64Array, rewards: MaybeNumbers, groups: number, zeroStd: number): Metrics {
  let sum = 0;
  let abs = 0;
  let skipped = 0;
  for (let i = 0; i < value.length; i++) {
    sum += value[i]!;
    abs += Math.abs(value[i]!);
    if (!isApplicable(rewards[i])) skipped++;
  }
  const B = value.length || 1;
  return {
    'advantage/mean': sum / B,
    'advantage/absMean': abs / B,
    'advantage/zeroStdGroupFraction': groups > 0 ? zeroStd / groups : 0,
    'advantage/notApplicable': skipped,
  };
}
