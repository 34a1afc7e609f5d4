/**
 * Reference advantage estimators: the readable versions (each group's members collected into arrays,
 * then the formula applied per group). The fast versions in ./fast.ts are tested equal to these.
 */
import { isApplicable } from '../types.js';
import { GRPO_EPS, WHITEN_VAR_FLOOR, summarize, validate, type AdvantageInput, type AdvantageName, type AdvantageResult, type GroupRule } from './common.js';

export const RULES: Record<Exclude<AdvantageName, 'reinforce-pp' | 'raft'>, GroupRule> = {
  grpo: (r, mean, std) => (r - mean) / (std + GRPO_EPS),
  'grpo-nostd': (r, mean) => r - mean,
  rloo: (r, mean, _std, n) => ((r - mean) * n) / (n - 1),
};

export function referenceGroups(input: AdvantageInput, rule: GroupRule): AdvantageResult {
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

export function referenceReinforcePp(input: AdvantageInput): AdvantageResult {
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

export function referenceRaft(input: AdvantageInput): AdvantageResult {
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
