/**
 * A training recipe (configs/*.yaml; DESIGN.md section 7): one zod schema, every field with a default
 * and a one-line reason. The `rl:` section is src/rl's own schema (parseRlConfig), the `model.config`
 * section src/model's (parseModelConfig); this file composes them (STYLE.md habit 11) and adds the
 * trainer's own sections. Unknown keys are rejected at every level with the field named
 * (`train.lrr: unknown key`), and `--set key=value` overrides go through the same validation.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { parseModelConfig } from '../model/config.js';
import { parseRlConfig, type RlConfig } from '../rl/index.js';
import { ConfigError, formatPath } from '../util/errors.js';
import { checkHeldoutSeed, DEFAULT_HELDOUT_SEED, RL_SEED_BASE } from './seeds.js';

const modelSchema = z.strictObject({
  init: z.string().min(1).default('random')
    .describe('Start weights (default random): a checkpoint folder (e.g. models/base) or "random" for a fresh model of model.config.'),
  config: z.record(z.string(), z.unknown()).default({})
    .describe('Model shape for init "random" (src/model/config.ts fields; default the default model); ignored for a checkpoint.'),
  init_seed: z.number().int().min(0).default(0)
    .describe('Seed of the random init (default 0), separate from the data seed so data and weights vary independently.'),
  prompt_style: z.enum(['full', 'compact']).default('full')
    .describe('Prompt text the model reads (default full; compact keeps the first sentence of the question): must match pre-training.'),
  vocab_subset: z.string().min(1).nullable().default(null)
    .describe('Sample only the tokens of these characters plus end-of-sequence (default null: the whole vocabulary); for toy runs and tests.'),
  threads: z.number().int().min(1).max(8).default(2)
    .describe('threads of the training executor (default 2, the cores of this machine).'),
  executor: z.enum(['tfjs', 'onnx']).default('tfjs')
    .describe('training executor (default tfjs, the reference): onnx runs the hand-built backward graph, same gradients, 5-9x faster per step (bench/model/README.md).'),
});

const verifierSchema = z.strictObject({
  name: z.string().min(1).describe('Registered verifier name.'),
  params: z.record(z.string(), z.unknown()).default({}).describe('Its params (validated by the verifier).'),
});

const sourceSchema = z.strictObject({
  task: z.string().min(1).describe('Gym task name (DESIGN.md section 10), e.g. grounding, digits-counting.'),
  weight: z.number().positive().default(1)
    .describe('Relative share of this source in each batch (default 1): the mix is drawn by weight per sample.'),
  difficulty: z.number().int().min(1).max(5).nullable().default(null)
    .describe('Fixed gym difficulty 1-5 (default null: drawn per sample, the gym\'s curriculum-free mix).'),
  image_size: z.number().int().min(16).max(1024).nullable().default(null)
    .describe('Gym image side (default null: the model\'s image size, so no resize blurs small objects).'),
  verifier: verifierSchema.nullable().default(null)
    .describe('Override of the task\'s default verifier (default null), e.g. weighted detection 0.9 + format 0.1.'),
});

const dataSchema = z.strictObject({
  sources: z.array(sourceSchema).min(1).prefault([{ task: 'digits-counting' }])
    .describe('Weighted mix of data sources (default digits-counting alone).'),
});

const trainSchema = z.strictObject({
  algorithm: z.enum(['rl', 'sft']).default('rl')
    .describe('rl (default) or sft: supervised training on the samples\' reference responses, the compute-matched control of Visual-RFT\'s RL-versus-SFT comparison.'),
  max_seconds: z.number().positive().nullable().default(null)
    .describe('Stop after this many training seconds (default null: run all steps); equal wall-clock comparisons. Makes the step count time-dependent.'),
  steps: z.number().int().min(1).default(100).describe('Optimizer steps of the run (default 100).'),
  batch_size: z.number().int().min(1).default(8).describe('Prompts (groups) per step (default 8).'),
  group_size: z.number().int().min(2).default(8).describe('Rollouts per prompt G (default 8, GRPO/DAPO papers use 8-16).'),
  max_new_tokens: z.number().int().min(1).default(48).describe('Generation budget per rollout (default 48): also L of Dr.GRPO and DAPO overlong.'),
  temperature: z.number().min(0).max(2).default(1).describe('Sampling temperature (default 1: PPO ratios are exact at temperature 1).'),
  top_p: z.number().gt(0).max(1).default(1).describe('Nucleus mass (default 1: no truncation, so old log-probs match the sampler).'),
  ppo_epochs: z.number().int().min(1).default(1).describe('Passes over each batch (default 1: on-policy GRPO; >1 reuses rollouts with clipping).'),
  minibatch_size: z.number().int().min(1).default(16).describe('Rollouts per optimizer step (default 16); a step batch of B*G rollouts gives B*G/16 updates per epoch.'),
  shuffle: z.enum(['groups', 'rows']).default('groups')
    .describe('Minibatch order: groups (default) shuffles whole groups, so a minibatch of a multiple of G rollouts holds whole groups, as verl\'s and DAPO\'s prompt-sized mini-batches, and the trainer computes each group\'s image and prompt once (shared-prefix packing); rows shuffles rollouts independently.'),
  lr: z.number().positive().max(1).default(1e-4).describe('AdamW learning rate (default 1e-4, small-model RL).'),
  weight_decay: z.number().min(0).default(0).describe('AdamW decoupled weight decay (default 0: RL steps are few; verl uses 0.01).'),
  clip_norm: z.number().min(0).default(1).describe('Global gradient-norm clip (default 1, verl/EasyR1; 0 disables).'),
  ptx_coef: z.number().min(0).default(0)
    .describe('InstructGPT\'s ptx term (default 0: off): adds coef x the mean token NLL of the step\'s samples\' reference responses to every update, anchoring pre-trained skills during RL.'),
  beta1: z.number().min(0).lt(1).default(0.9).describe('AdamW beta1 (default 0.9).'),
  beta2: z.number().min(0).lt(1).default(0.99).describe('AdamW beta2 (default 0.99: fewer steps than pre-training\'s 0.95 horizon).'),
});

const evalSchema = z.strictObject({
  heldout_per_task: z.number().int().min(0).default(200)
    .describe('Frozen held-out items per RL task (default 200, DESIGN.md section 10\'s minimum); 0 skips evaluation.'),
  heldout_seed: z.number().int().default(DEFAULT_HELDOUT_SEED)
    .describe('Gym seed of the held-out set (default 900001; must lie in the held-out range of src/train/seeds.ts).'),
  batch_size: z.number().int().min(1).default(32).describe('Prompts per greedy generation batch (default 32).'),
  max_new_tokens: z.number().int().min(1).nullable().default(null).describe('Evaluation budget (default null: train.max_new_tokens).'),
  spec: z.enum(['task', 'training']).default('task')
    .describe('Held-out items and scores: task (default) each task\'s own mix (difficulty drawn, its default verifier), as the model card and `eval model` use, so runs with different rewards or difficulties report the same metric; training: the first training source\'s difficulty and verifier.'),
});

const logSchema = z.strictObject({
  checkpoint_every: z.number().int().min(1).default(10).describe('Steps between checkpoints (default 10); the last step always checkpoints.'),
  keep_checkpoints: z.number().int().min(1).default(2).describe('Checkpoints kept on disk (default 2, the newest).'),
  sample_rollouts: z.number().int().min(0).default(4).describe('Rollouts per step written to samples.jsonl with their rewards (default 4).'),
  report_samples: z.number().int().min(0).default(6).describe('Held-out items per task drawn in report.html (default 6).'),
});

export const recipeSchema = z.strictObject({
  name: z.string().min(1).default('run').describe('Recipe name (default run): the run folder is <name>-<timestamp>.'),
  seed: z.number().int().min(0).lt(RL_SEED_BASE).default(0).describe('Data and sampling seed (default 0); the gym seed is 100000 + seed.'),
  model: modelSchema.prefault({}).describe('Initial weights and the policy\'s input options.'),
  data: dataSchema.prefault({}).describe('The training mix.'),
  train: trainSchema.prefault({}).describe('Rollout and optimizer sizes.'),
  rl: z.unknown().optional().describe('RL algorithm (src/rl/config: advantage, objective, aggregation, kl, filter, overlong).'),
  eval: evalSchema.prefault({}).describe('Held-out evaluation before and after training.'),
  log: logSchema.prefault({}).describe('Checkpoints and logged samples.'),
});

export type Recipe = Omit<z.infer<typeof recipeSchema>, 'rl'> & { rl: RlConfig };
export type DataSourceConfig = z.infer<typeof sourceSchema>;

/** The first zod issue as (field, message), naming the unknown key itself for unrecognized keys. */
function describeIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: 'recipe', message: 'invalid value' };
  if (issue.code === 'unrecognized_keys') {
    return { field: formatPath('', [...issue.path, issue.keys[0] ?? '?']), message: `unknown key (the recipe fields, with defaults and reasons, are in src/train/config.ts)` };
  }
  return { field: formatPath('', issue.path) || 'recipe', message: issue.message };
}

/** Validates a recipe object (from YAML plus overrides); throws ConfigError naming the field. */
export function parseRecipe(value: unknown): Recipe {
  const result = recipeSchema.safeParse(value ?? {});
  if (!result.success) {
    const { field, message } = describeIssue(result.error);
    throw new ConfigError(field, message);
  }
  const recipe = { ...result.data, rl: parseRlConfig(result.data.rl ?? {}, 'rl') };
  if (recipe.model.init === 'random') parseModelConfig(recipe.model.config, 'model.config');
  checkHeldoutSeed(recipe.eval.heldout_seed);
  if (recipe.rl.pearl.enabled) throw new ConfigError('rl.pearl.enabled', 'the trainer has no per-item perception score for the PEARL gate yet; leave it false');
  if (recipe.train.minibatch_size > recipe.train.batch_size * recipe.train.group_size) {
    throw new ConfigError('train.minibatch_size', `${recipe.train.minibatch_size} exceeds the rollouts per step (batch_size * group_size = ${recipe.train.batch_size * recipe.train.group_size})`);
  }
  return recipe;
}

/** Sets `value` (YAML-parsed, so numbers, booleans, null and [lists] work) at a dotted path. */
export function applyOverride(target: Record<string, unknown>, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new ConfigError('--set', `expected key=value, got "${assignment}"`);
  const path = assignment.slice(0, eq).trim().split('.');
  let value: unknown;
  try {
    value = parseYaml(assignment.slice(eq + 1));
  } catch (error) {
    throw new ConfigError(path.join('.'), `value is not valid YAML: ${(error as Error).message}`);
  }
  let node: Record<string, unknown> = target;
  path.slice(0, -1).forEach((key, i) => {
    const next = node[key];
    if (next === undefined || next === null) node[key] = {};
    else if (typeof next !== 'object') throw new ConfigError(path.slice(0, i + 1).join('.'), `is a ${typeof next}, cannot set ${path.join('.')} inside it`);
    node = node[key] as Record<string, unknown>;
  });
  node[path[path.length - 1]!] = value;
}

/** Reads a YAML recipe, applies `--set` overrides, validates. */
export async function loadRecipe(file: string, overrides: readonly string[] = []): Promise<Recipe> {
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, 'utf8')) ?? {};
  } catch (error) {
    throw new ConfigError('--config', `cannot read ${file}: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError('recipe', `${file} must hold a YAML mapping`);
  const tree = raw as Record<string, unknown>;
  for (const assignment of overrides) applyOverride(tree, assignment);
  return parseRecipe(tree);
}

/** A source as its task scores itself: difficulty drawn per item, the task's own verifier. */
export function asTaskDefault(source: DataSourceConfig): DataSourceConfig {
  return { ...source, difficulty: null, verifier: null };
}

/** One task's source as its task scores itself, weight 1 (held-out sets named by task alone). */
export function taskDefaultSource(task: string): DataSourceConfig {
  return { task, weight: 1, difficulty: null, image_size: null, verifier: null };
}

/** The sources the held-out set is drawn from: one per task, under `eval.spec`. */
export function heldoutSources(recipe: Recipe): DataSourceConfig[] {
  if (recipe.eval.spec === 'training') return recipe.data.sources;
  return recipe.data.sources.map(asTaskDefault);
}

/** The effective evaluation budget. */
export function evalMaxTokens(recipe: Recipe): number {
  return recipe.eval.max_new_tokens ?? recipe.train.max_new_tokens;
}
