/**
 * Advantage estimators: per-sequence rewards grouped by prompt -> per-sequence advantages `[B]`
 * (broadcast to tokens later with `broadcastToTokens`). Outcome rewards only; no value model.
 *
 * Names (DESIGN.md section 10): `grpo`, `grpo-nostd` (Dr.GRPO), `rloo`, `reinforce-pp`; and `raft`.
 * Input: `rewards[i]` with `groupIds[i]` (any integers; a group's members need not be adjacent).
 *
 * Design decisions:
 * - `null` / NaN rewards are "not applicable": left out of every mean, std and count, advantage 0
 *   (TRL's nanmean behaviour; STYLE.md habit 6).
 * - A group with fewer than 2 applicable rewards gets advantage 0 in every estimator: one sample
 *   carries no relative signal. verl instead uses mean 0 / std 1 for a singleton, so A = r (its
 *   `compute_grpo_outcome_advantage`); EasyR1 asserts n > 1 (ENGINES.md section 1).
 * - GRPO: A = (r - mean) / (std + 1e-6) with the unbiased (n - 1) std, as torch.std in verl/EasyR1
 *   (METHODS.md 0.1). A group whose rewards are all equal gets exactly 0.
 * - Dr.GRPO (`grpo-nostd`): A = r - mean, no std division (arXiv 2503.20783, METHODS.md 0.4).
 * - RLOO: A = r - mean of the *other* applicable rewards of the group = n/(n-1) (r - mean).
 * - REINFORCE++ baseline: A = r - group mean, then whitened over the whole batch,
 *   (A - mean_batch) * rsqrt(max(var_batch, 1e-8)) with the biased variance, as OpenRLHF's
 *   `reinforce_baseline` (openrlhf/trainer/ppo_utils/experience_maker.py: `rewards - rewards.mean(-1)`,
 *   then mean and var masked over all action tokens of the batch, `var.clamp(min=1e-8).rsqrt()`).
 *   OpenRLHF's statistics are over *tokens*; pass `weights` = response lengths to reproduce that
 *   weighting exactly (default 1 per sequence). Non-applicable rewards and singleton groups are
 *   left out of the batch statistics and get 0 (OpenRLHF has neither case).
 * - RAFT (`raft`, best-of-G rejection sampling): A = 1 for the rollouts whose reward is the group's
 *   highest, 0 for the rest, and 0 for a group whose rewards are all equal. Positive-only: the
 *   winners are imitated and the losers are not pushed down (RAFT, Dong et al. 2023, arXiv
 *   2304.06767; RAFT++ with PPO's ratio and clip, Xiong et al. 2025, arXiv 2504.11343, which keeps
 *   samples of reward 1; for binary rewards that is the same set, except that an all-correct group
 *   trains here on nothing). With graded rewards (IoU) the best of the group wins, as best-of-n does.
 */
import { createRegistry, type Registry } from '../registry.js';
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

type GroupRule = (reward: number, mean: number, std: number, n: number) => number;

const RULES: Record<Exclude<AdvantageName, 'reinforce-pp' | 'raft'>, GroupRule> = {
  grpo: (r, mean, std) => (r - mean) / (std + GRPO_EPS),
  'grpo-nostd': (r, mean) => r - mean,
  rloo: (r, mean, _std, n) => ((r - mean) * n) / (n - 1),
};

function validate(input: AdvantageInput): void {
  checkLength('groupIds', input.groupIds, input.rewards.length);
  if (input.weights) checkLength('weights', input.weights, input.rewards.length);
}

/** Metrics shared by every estimator. `zeroStd` counts groups (>= 2 applicable) whose rewards are equal. */
function summarize(value: Float64Array, rewards: MaybeNumbers, groups: number, zeroStd: number): Metrics {
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

// ---------------------------------------------------------------------------------------------
// Reference: group members into arrays, then apply the formula per group.

function referenceGroups(input: AdvantageInput, rule: GroupRule): AdvantageResult {
  validate(input);
  const { rewards, groupIds } = input;
  const members = new Map<number, number[]>();
  for (let i = 0; i < rewards.length; i++) {
    if (!isApplicable(rewards[i])) continue;
    const list = members.get(groupIds[i]!) ?? [];
    list.push(i);
    members.set(groupIds[i]!, list);
  }
  const value = new Float64Array(rewards.length);
  let zeroStd = 0;
  let groups = 0;
  for (const indices of members.values()) {
    const n = indices.length;
    if (n < 2) continue;
    groups++;
    const values = indices.map((i) => rewards[i] as number);
    const mean = values.reduce((a, b) => a + b, 0) / n;
    const std = Math.sqrt(values.reduce((a, r) => a + (r - mean) ** 2, 0) / (n - 1));
    if (std === 0) zeroStd++;
    indices.forEach((i, k) => {
      value[i] = std === 0 ? 0 : rule(values[k]!, mean, std, n);
    });
  }
  return { value, metrics: summarize(value, rewards, groups, zeroStd) };
}

function referenceReinforcePp(input: AdvantageInput): AdvantageResult {
  const centred = referenceGroups(input, RULES['grpo-nostd']);
  const { rewards } = input;
  const weights = input.weights;
  // Applicable members of groups with >= 2 applicable rewards take part in the batch statistics.
  const members: number[] = [];
  const sizes = new Map<number, number>();
  for (let i = 0; i < rewards.length; i++) {
    if (isApplicable(rewards[i])) sizes.set(input.groupIds[i]!, (sizes.get(input.groupIds[i]!) ?? 0) + 1);
  }
  for (let i = 0; i < rewards.length; i++) {
    if (isApplicable(rewards[i]) && sizes.get(input.groupIds[i]!)! >= 2) members.push(i);
  }
  const w = (i: number) => (weights ? weights[i]! : 1);
  const total = members.reduce((a, i) => a + w(i), 0);
  const value = new Float64Array(rewards.length);
  if (total > 0) {
    const mean = members.reduce((a, i) => a + w(i) * centred.value[i]!, 0) / total;
    const variance = members.reduce((a, i) => a + w(i) * (centred.value[i]! - mean) ** 2, 0) / total;
    const scale = 1 / Math.sqrt(Math.max(variance, WHITEN_VAR_FLOOR));
    for (const i of members) value[i] = (centred.value[i]! - mean) * scale;
  }
  const metrics = summarize(value, rewards, 0, 0);
  metrics['advantage/zeroStdGroupFraction'] = centred.metrics['advantage/zeroStdGroupFraction']!;
  return { value, metrics };
}

function referenceRaft(input: AdvantageInput): AdvantageResult {
  validate(input);
  const { rewards, groupIds } = input;
  const value = new Float64Array(rewards.length);
  const all = Array.from({ length: rewards.length }, (_, i) => i);
  const ids = [...new Set(all.map((i) => groupIds[i]!))];
  let groups = 0;
  let zeroStd = 0;
  for (const id of ids) {
    const indices = all.filter((i) => groupIds[i] === id && isApplicable(rewards[i]));
    if (indices.length < 2) continue;
    groups++;
    const values = indices.map((i) => rewards[i] as number);
    const best = Math.max(...values);
    if (best === Math.min(...values)) {
      zeroStd++;
      continue;
    }
    for (const i of indices) if (rewards[i] === best) value[i] = 1;
  }
  return { value, metrics: summarize(value, rewards, groups, zeroStd) };
}

// ---------------------------------------------------------------------------------------------
// Fast: dense group index, then three flat passes (count+sum, squared deviations, output).

interface GroupStats {
  /** `[B]` dense group index (0..groups-1, order of first appearance). */
  dense: Int32Array;
  /** Per dense group: applicable count, mean, unbiased std. */
  count: Float64Array;
  mean: Float64Array;
  std: Float64Array;
}

/**
 * Dense group index (0..groups-1, order of first appearance). Ids usually arrive in runs (the G
 * rollouts of a prompt side by side), so the Map is consulted only when the id changes.
 */
function denseGroups(groupIds: Numbers): { dense: Int32Array; groups: number } {
  const B = groupIds.length;
  const dense = new Int32Array(B);
  const index = new Map<number, number>();
  let previousId = Number.NaN;
  let previousGroup = -1;
  for (let i = 0; i < B; i++) {
    const id = groupIds[i]!;
    if (id !== previousId) {
      let g = index.get(id);
      if (g === undefined) index.set(id, (g = index.size));
      previousId = id;
      previousGroup = g;
    }
    dense[i] = previousGroup;
  }
  return { dense, groups: index.size };
}

/** Group statistics in four flat passes over the dense index. */
function fastGroupStats(rewards: MaybeNumbers, groupIds: Numbers): GroupStats {
  const B = rewards.length;
  const { dense, groups } = denseGroups(groupIds);
  const stats = new Float64Array(3 * groups);
  const count = stats.subarray(0, groups);
  const mean = stats.subarray(groups, 2 * groups);
  const std = stats.subarray(2 * groups);
  for (let i = 0; i < B; i++) {
    const r = rewards[i];
    if (r == null || r !== r) continue;
    const g = dense[i]!;
    count[g] = count[g]! + 1;
    mean[g] = mean[g]! + r;
  }
  for (let g = 0; g < groups; g++) mean[g] = count[g]! > 0 ? mean[g]! / count[g]! : 0;
  for (let i = 0; i < B; i++) {
    const r = rewards[i];
    if (r == null || r !== r) continue;
    const g = dense[i]!;
    const d = r - mean[g]!;
    std[g] = std[g]! + d * d;
  }
  for (let g = 0; g < groups; g++) std[g] = count[g]! > 1 ? Math.sqrt(std[g]! / (count[g]! - 1)) : 0;
  return { dense, count, mean, std };
}

/** The per-group formulas with the rule inlined (kind 0 grpo, 1 grpo-nostd, 2 rloo), metrics in the same pass. */
function fastGroups(input: AdvantageInput, kind: 0 | 1 | 2): AdvantageResult & { stats: GroupStats } {
  validate(input);
  const { rewards } = input;
  const stats = fastGroupStats(rewards, input.groupIds);
  const { dense, count, mean, std } = stats;
  const B = rewards.length;
  const value = new Float64Array(B);
  let sum = 0;
  let abs = 0;
  let skipped = 0;
  for (let i = 0; i < B; i++) {
    const r = rewards[i];
    if (r == null || r !== r) {
      skipped++;
      continue;
    }
    const g = dense[i]!;
    const n = count[g]!;
    const sd = std[g]!;
    if (n < 2 || sd === 0) continue;
    const centred = r - mean[g]!;
    const a = kind === 0 ? centred / (sd + GRPO_EPS) : kind === 1 ? centred : (centred * n) / (n - 1);
    value[i] = a;
    sum += a;
    abs += a < 0 ? -a : a;
  }
  let groups = 0;
  let zeroStd = 0;
  for (let g = 0; g < count.length; g++) {
    if (count[g]! < 2) continue;
    groups++;
    if (std[g] === 0) zeroStd++;
  }
  const denominator = B || 1;
  const metrics: Metrics = {
    'advantage/mean': sum / denominator,
    'advantage/absMean': abs / denominator,
    'advantage/zeroStdGroupFraction': groups > 0 ? zeroStd / groups : 0,
    'advantage/notApplicable': skipped,
  };
  return { value, metrics, stats };
}

function fastReinforcePp(input: AdvantageInput): AdvantageResult {
  const centred = fastGroups(input, 1);
  const { rewards, weights } = input;
  const { dense, count } = centred.stats;
  const v = centred.value;
  let total = 0;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    if (!isApplicable(rewards[i]) || count[dense[i]!]! < 2) continue;
    const w = weights ? weights[i]! : 1;
    total += w;
    sum += w * v[i]!;
  }
  const value = new Float64Array(v.length);
  if (total > 0) {
    const mean = sum / total;
    let variance = 0;
    for (let i = 0; i < v.length; i++) {
      if (!isApplicable(rewards[i]) || count[dense[i]!]! < 2) continue;
      variance += (weights ? weights[i]! : 1) * (v[i]! - mean) ** 2;
    }
    const scale = 1 / Math.sqrt(Math.max(variance / total, WHITEN_VAR_FLOOR));
    for (let i = 0; i < v.length; i++) {
      if (isApplicable(rewards[i]) && count[dense[i]!]! >= 2) value[i] = (v[i]! - mean) * scale;
    }
  }
  const metrics = summarize(value, rewards, 0, 0);
  metrics['advantage/zeroStdGroupFraction'] = centred.metrics['advantage/zeroStdGroupFraction']!;
  return { value, metrics };
}

/** RAFT in flat passes over the dense group index: per-group count, max and min, then the winners. */
function fastRaft(input: AdvantageInput): AdvantageResult {
  validate(input);
  const { rewards } = input;
  const { dense, groups } = denseGroups(input.groupIds);
  const count = new Float64Array(groups);
  const max = new Float64Array(groups).fill(-Infinity);
  const min = new Float64Array(groups).fill(Infinity);
  for (let i = 0; i < rewards.length; i++) {
    const r = rewards[i];
    if (r == null || r !== r) continue;
    const g = dense[i]!;
    count[g] = count[g]! + 1;
    if (r > max[g]!) max[g] = r;
    if (r < min[g]!) min[g] = r;
  }
  const value = new Float64Array(rewards.length);
  for (let i = 0; i < rewards.length; i++) {
    const r = rewards[i];
    const g = dense[i]!;
    if (r != null && r === r && count[g]! >= 2 && max[g]! > min[g]! && r === max[g]) value[i] = 1;
  }
  let counted = 0;
  let zeroStd = 0;
  for (let g = 0; g < groups; g++) {
    if (count[g]! < 2) continue;
    counted++;
    if (max[g] === min[g]) zeroStd++;
  }
  return { value, metrics: summarize(value, rewards, counted, zeroStd) };
}

const DESCRIPTIONS: Record<AdvantageName, string> = {
  grpo: 'GRPO: (r - group mean) / (unbiased group std + 1e-6) (DeepSeekMath; verl/EasyR1)',
  'grpo-nostd': 'Dr.GRPO: r - group mean, no std division (removes the difficulty bias, arXiv 2503.20783)',
  rloo: 'RLOO: r - mean of the other rewards of the group (leave-one-out baseline)',
  'reinforce-pp': 'REINFORCE++ baseline: r - group mean, then whitened over the batch (OpenRLHF reinforce_baseline)',
  raft: 'RAFT: 1 for the group\'s best rollouts, 0 otherwise (best-of-G rejection sampling; positive-only, arXiv 2304.06767, 2504.11343)',
};

/** A new registry holding the four standard advantage estimators and RAFT. */
export function createAdvantageRegistry(): Registry<AdvantageFn> {
  const registry = createRegistry<AdvantageFn>('advantage');
  const kinds = { grpo: 0, 'grpo-nostd': 1, rloo: 2 } as const;
  for (const name of ['grpo', 'grpo-nostd', 'rloo'] as const) {
    const rule = RULES[name];
    const kind = kinds[name];
    registry.register({
      name,
      description: DESCRIPTIONS[name],
      reference: (input) => referenceGroups(input, rule),
      fast: (input) => {
        const { value, metrics } = fastGroups(input, kind);
        return { value, metrics };
      },
    });
  }
  registry.register({
    name: 'reinforce-pp',
    description: DESCRIPTIONS['reinforce-pp'],
    reference: referenceReinforcePp,
    fast: fastReinforcePp,
  });
  registry.register({ name: 'raft', description: DESCRIPTIONS.raft, reference: referenceRaft, fast: fastRaft });
  return registry;
}
