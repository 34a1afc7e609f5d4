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
import type { AdvantageFn, AdvantageName } from './common.js';
import { fastGroups, fastRaft, fastReinforcePp } from './fast.js';
import { referenceGroups, referenceRaft, referenceReinforcePp, RULES } from './reference.js';

export { ADVANTAGE_NAMES, GRPO_EPS, WHITEN_VAR_FLOOR, type AdvantageFn, type AdvantageInput, type AdvantageName, type AdvantageResult } from './common.js';

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
