/**
 * Fast advantage estimators: a dense group index, then flat passes over typed arrays (count and
 * sum, squared deviations, output), metrics in the same passes. Tested equal to ./reference.ts.
 */
import { isApplicable, type MaybeNumbers, type Metrics, type Numbers } from '../types.js';
import { GRPO_EPS, WHITEN_VAR_FLOOR, summarize, validate, type AdvantageInput, type AdvantageResult } from './common.js';

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
export function fastGroups(input: AdvantageInput, kind: 0 | 1 | 2): AdvantageResult & { stats: GroupStats } {
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

export function fastReinforcePp(input: AdvantageInput): AdvantageResult {
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
export function fastRaft(input: AdvantageInput): AdvantageResult {
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
