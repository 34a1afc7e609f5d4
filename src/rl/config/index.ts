/**
 * The RL part of a recipe (`rl:` in configs/*.yaml): one zod schema, every field with a default and a
 * one-line reason citing the paper or bias it addresses (STYLE.md habits 11, 12). Keys are snake_case
 * because DESIGN.md section 10 fixes `eps_low`, `eps_high`, `dual_clip` for recipes and `--set`.
 * Unknown keys are rejected at every level. `parseRlConfig` adds the cross-field checks and throws
 * ConfigError naming the field; the `to*` functions derive the arguments of the pure functions in one
 * tested place, so the trainer never reads this tree field by field.
 */
import { z } from 'zod';
import { ConfigError, parseOrThrow } from '../../util/errors.js';
import { FORMAT_STYLES } from '../../verifiers/format/index.js';
import { ADVANTAGE_NAMES } from '../advantages/index.js';
import { AGGREGATION_NAMES } from '../aggregation/index.js';
import { FILTER_NAMES, type FilterParams } from '../filters/index.js';
import { KL_NAMES } from '../kl/index.js';
import type { LossSpec } from '../loss/index.js';
import { OBJECTIVE_NAMES } from '../objectives/index.js';
import type { OverlongParams, WeightingName, WeightingParams } from '../shaping/index.js';

const objectiveSchema = z.strictObject({
  name: z.enum(OBJECTIVE_NAMES).default('ppo-clip')
    .describe('Policy objective (default ppo-clip): the clipped surrogate of PPO as used by GRPO/DAPO.'),
  eps_low: z.number().min(0).max(1).default(0.2)
    .describe('Lower clip eps (default 0.2): ratio below 1 - eps_low stops pushing a token down (PPO).'),
  eps_high: z.number().min(0).max(10).default(0.28)
    .describe('Upper clip eps (default 0.28, DAPO clip-higher; 0.2 for plain GRPO): more room to raise rare tokens against entropy collapse.'),
  dual_clip: z.number().gt(1).nullable().default(3)
    .describe('Dual-clip constant c for A < 0 (default 3, EasyR1): caps the loss at -A*c against ratio blow-ups; null disables.'),
});

const klSchema = z.strictObject({
  estimator: z.enum(KL_NAMES).default('k3')
    .describe('KL estimator (default k3 = low_var_kl, verl/EasyR1): non-negative, low variance.'),
  coef: z.number().min(0).default(0)
    .describe('KL loss coefficient (default 0: no reference model, as DAPO/VPPO; 1e-2 in Perception-R1/Vision-SR1).'),
});

const filterSchema = z.strictObject({
  name: z.enum(FILTER_NAMES).default('none')
    .describe('Group filter (default none; dapo drops all-equal groups whose advantage is 0, band keeps mean accuracy in (low, high)).'),
  low: z.number().min(0).max(1).default(0.01)
    .describe('band: exclusive lower bound of the group mean accuracy (default 0.01, EasyR1/VPPO online filtering).'),
  high: z.number().min(0).max(1).default(0.99)
    .describe('band: exclusive upper bound of the group mean accuracy (default 0.99, EasyR1/VPPO online filtering).'),
  max_rounds: z.number().int().min(0).default(10)
    .describe('Dynamic sampling: cap on generation rounds per step (default 10, verl DAPO max_num_gen_batches; 0 = no cap).'),
  surplus: z.enum(['drop', 'keep']).default('drop')
    .describe('Dynamic sampling: kept groups beyond the batch size are dropped (default, verl DAPO) or trained on (keep).'),
  next_round: z.enum(['full', 'shortfall']).default('full')
    .describe('Dynamic sampling: a later round draws a full batch (default, verl DAPO) or the shortfall over the keep rate so far, times margin.'),
  margin: z.number().min(1).max(10).default(1.25)
    .describe('next_round shortfall: multiplies the expected number of prompts needed (default 1.25).'),
});

const overlongSchema = z.strictObject({
  enabled: z.boolean().default(false)
    .describe('DAPO overlong reward shaping (default off): penalise responses near the length budget instead of a cliff.'),
  max_length: z.number().int().positive().nullable().default(null)
    .describe('L_max in tokens (default null = the generation budget of the recipe; DAPO 20480).'),
  buffer_fraction: z.number().gt(0).max(1).default(0.2)
    .describe('L_cache as a fraction of L_max (default 0.2 = DAPO 4096 / 20480): the linear penalty zone.'),
  factor: z.number().min(0).default(1)
    .describe('Penalty at L_max (default 1.0, DAPO).'),
});

const vppoSchema = z.strictObject({
  enabled: z.boolean().default(false)
    .describe('VPPO (default off, arXiv 2510.09285): weight updates toward visually dependent tokens and trajectories.'),
  beta_min: z.number().min(0).max(1).default(0.9)
    .describe('TAS minimum advantage scale (default 0.9, VPPO 7B script; config default 0.8).'),
  top_p: z.number().gt(0).max(1).default(0.4)
    .describe('TGF: fraction of each response\'s tokens, highest visual dependency first, that keep a gradient (default 0.4, VPPO 7B).'),
  entropy_coef: z.number().min(0).default(0.06)
    .describe('VPPO entropy penalty c on mean(-log pi) (default 0.06): sharpens the policy; only with vppo enabled.'),
});

const pearlSchema = z.strictObject({
  enabled: z.boolean().default(false)
    .describe('PEARL perception gate (default off, arXiv 2511.18437): no reasoning update when perception fails.'),
  min_scale: z.number().min(0).max(1).default(0)
    .describe('Advantage scale just above perception 0 (default 0: A * perception score; our assumption, the paper gives no formula).'),
});

export const rlConfigSchema = z.strictObject({
  advantage: z.enum(ADVANTAGE_NAMES).default('grpo')
    .describe('Advantage estimator (default grpo; grpo-nostd = Dr.GRPO removes the std difficulty bias, rloo, reinforce-pp).'),
  objective: objectiveSchema.prefault({}).describe('Policy objective and its clip parameters.'),
  aggregation: z.enum(AGGREGATION_NAMES).default('token-mean')
    .describe('Token aggregation (default token-mean, DAPO; seq-mean-token-mean = original GRPO, length-biased; seq-mean-token-sum-norm = Dr.GRPO).'),
  kl: klSchema.prefault({}).describe('KL penalty to the frozen reference (added to the loss, METHODS.md 0.2).'),
  filter: filterSchema.prefault({}).describe('Group filtering and DAPO dynamic sampling.'),
  overlong: overlongSchema.prefault({}).describe('DAPO overlong reward shaping.'),
  format_gate: z.enum(FORMAT_STYLES).nullable().default(null)
    .describe('Training-reward gate (default null: off): a rollout that fails this format check (the format verifier, e.g. r1-strict: nothing after </answer>) or was cut at the token budget scores the verifier\'s minimum, so a right answer followed by rambling earns nothing (R1\'s strict format; verifiers alone read the first answer). Held-out evaluation is not gated.'),
  vppo: vppoSchema.prefault({}).describe('VPPO token-perception weighting.'),
  pearl: pearlSchema.prefault({}).describe('PEARL perception gate.'),
});

export type RlConfig = z.infer<typeof rlConfigSchema>;
export type RlConfigInput = z.input<typeof rlConfigSchema>;

/** The default RL config (GRPO with DAPO clip-higher, token-mean, no KL). */
export const defaultRlConfig: RlConfig = rlConfigSchema.parse({});

/** Parse and check the `rl` section, throwing ConfigError naming the field (e.g. `rl.filter.high`). */
export function parseRlConfig(value: unknown, root = 'rl'): RlConfig {
  const config = parseOrThrow(rlConfigSchema, value ?? {}, root, ConfigError);
  if (!(config.filter.low < config.filter.high)) {
    throw new ConfigError(`${root}.filter.high`, `must be above filter.low (${config.filter.low}), got ${config.filter.high}`);
  }
  if (config.kl.estimator === 'none' && config.kl.coef > 0) {
    throw new ConfigError(`${root}.kl.estimator`, `kl.coef is ${config.kl.coef} but the estimator is none; pick k1, k2 or k3, or set coef 0`);
  }
  return config;
}

/** True when the run needs a frozen reference model (KL on). */
export function needsReference(config: RlConfig): boolean {
  return config.kl.estimator !== 'none' && config.kl.coef > 0;
}

/** The `computeLoss` spec; `maxResponseLength` is the generation budget (the Dr.GRPO constant). */
export function toLossSpec(config: RlConfig, maxResponseLength: number): LossSpec {
  return {
    objective: config.objective.name,
    objectiveParams: { epsLow: config.objective.eps_low, epsHigh: config.objective.eps_high, dualClip: config.objective.dual_clip },
    aggregation: config.aggregation,
    maxLength: maxResponseLength,
    kl: needsReference(config) ? config.kl.estimator : 'none',
    klCoef: needsReference(config) ? config.kl.coef : 0,
    nllCoef: config.vppo.enabled ? config.vppo.entropy_coef : 0,
  };
}

/** Weightings to apply in order (PEARL gate first, then VPPO) and their parameters. */
export function toWeighting(config: RlConfig): { names: WeightingName[]; params: WeightingParams } {
  const names: WeightingName[] = [];
  if (config.pearl.enabled) names.push('pearl');
  if (config.vppo.enabled) names.push('vppo');
  return { names, params: { vppo: { betaMin: config.vppo.beta_min, topP: config.vppo.top_p }, pearl: { minScale: config.pearl.min_scale } } };
}

/** Overlong parameters, or null when disabled; L_max defaults to the generation budget. */
export function toOverlongParams(config: RlConfig, maxResponseLength: number): OverlongParams | null {
  if (!config.overlong.enabled) return null;
  const maxLength = config.overlong.max_length ?? maxResponseLength;
  return { maxLength, cacheLength: Math.max(1, Math.round(maxLength * config.overlong.buffer_fraction)), factor: config.overlong.factor };
}

/** Group-filter name and parameters. */
export function toFilter(config: RlConfig): {
  name: string; params: FilterParams; maxRounds: number; surplus: 'drop' | 'keep'; nextRound: 'full' | 'shortfall'; margin: number;
} {
  const f = config.filter;
  return {
    name: f.name, params: { low: f.low, high: f.high }, maxRounds: f.max_rounds, surplus: f.surplus, nextRound: f.next_round, margin: f.margin,
  };
}
