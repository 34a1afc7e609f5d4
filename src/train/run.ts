/**
 * A whole run (DESIGN.md section 7): run directory, initial weights, held-out evaluation before,
 * the step loop with checkpoints, evaluation after, summary.json and report.html. `--resume DIR`
 * re-enters the same function: the resolved recipe is read back from DIR, the newest committed
 * checkpoint restores weights, optimizer state, data cursor and step (all randomness is keyed by
 * seed and step, so there is no generator state to save), and the JSONL logs are cut back to it.
 */
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { EmbeddedPolicy, type EmbeddedPolicyOptions, type Policy, type TrainablePolicy } from '../policy/index.js';
import { createRlRegistries, needsReference } from '../rl/index.js';
import { buildSummary, type Summary } from '../report/summary.js';
import { writeReport } from '../report/index.js';
import { ConfigError } from '../util/errors.js';
import { defaultRegistry, type VerifierRegistry } from '../verifiers/index.js';
import { evalMaxTokens, heldoutSources, parseRecipe, type Recipe } from './config.js';
import { gymSources, type DataCursor, type DataSource } from './data.js';
import { buildHeldout, evaluatePolicy, type EvalResult, type HeldoutSet } from './heldout.js';
import {
  appendJsonl, checkpointDir, commitCheckpoint, defaultRunDir, ensureRunDir, FILES, gitSha, readJson, readLatestCheckpoint, truncateJsonl, writeJsonAtomic,
} from './run-dir.js';
import { rlGymSeed } from './seeds.js';
import { sftStep } from './sft-step.js';
import { trainStep, type StepContext } from './step.js';

/** Trainer state stored in each checkpoint's meta. */
export interface TrainerState {
  step: number;
  cursor: DataCursor;
  /** Training-loop seconds, summed over resumed segments (evaluation excluded). */
  seconds: number;
  /** Set when train.max_seconds ended the run before train.steps. */
  stoppedEarly?: boolean;
}

/** Progress callbacks (the CLI draws a bar on stderr; tests pass nothing). */
export interface RunHooks {
  phase?(name: 'eval-before' | 'train' | 'eval-after' | 'report', total: number): void;
  progress?(done: number, info: Record<string, number | string>): void;
  log?(message: string): void;
}

export interface RunOptions {
  /** Run folder (DESIGN.md section 10: written into DIR itself). */
  out?: string | undefined;
  hooks?: RunHooks;
  verifiers?: VerifierRegistry;
  /** Replace the recipe's gym sources (toy tasks in tests and benches). */
  sources?: DataSource[];
  allowedTokens?: readonly number[];
  /** Stop after this step without evaluating (tests of resume); default: the recipe's steps. */
  stopAfter?: number;
}

export interface RunOutcome {
  runDir: string;
  summary: Summary | null;
  reportPath: string | null;
  state: TrainerState;
}

/** The embedded policy's options from a recipe's `model` section. */
export function policyOptionsOf(recipe: Recipe): EmbeddedPolicyOptions {
  return { promptStyle: recipe.model.prompt_style, threads: recipe.model.threads, executor: recipe.model.executor };
}

async function initialPolicy(recipe: Recipe): Promise<EmbeddedPolicy> {
  const options = policyOptionsOf(recipe);
  return recipe.model.init === 'random' ? EmbeddedPolicy.create(recipe.model.config, recipe.model.init_seed, options) : EmbeddedPolicy.load(recipe.model.init, options);
}

/** A clear error before anything is written when the initial checkpoint is missing (e.g. models/base). */
async function checkCheckpointExists(dir: string): Promise<void> {
  try {
    await access(join(dir, 'config.json'));
  } catch {
    throw new ConfigError('model.init', `no checkpoint at ${dir} (config.json missing): the base checkpoint comes from pre-training (the model issue); train it first or set model.init`);
  }
}

/** Starts a new run in `options.out` (or runs/<name>-<timestamp>). */
export async function startRun(recipe: Recipe, options: RunOptions = {}): Promise<RunOutcome> {
  const runDir = options.out ?? defaultRunDir(recipe.name);
  if (recipe.model.init !== 'random') await checkCheckpointExists(recipe.model.init);
  if (await readLatestCheckpoint(runDir)) throw new ConfigError('--out', `${runDir} already holds a run; use --resume ${runDir} or another --out`);
  await ensureRunDir(runDir);
  await writeFile(join(runDir, FILES.recipe), stringifyYaml(recipe));
  await writeJsonAtomic(join(runDir, FILES.run), { seed: recipe.seed, git_sha: gitSha(), started: new Date().toISOString(), node: process.version });
  for (const file of [FILES.metrics, FILES.samples]) await writeFile(join(runDir, file), '');
  return continueRun(runDir, recipe, null, options);
}

/** Resumes the run in `runDir` from its newest checkpoint (or from the start when there is none). */
export async function resumeRun(runDir: string, options: Omit<RunOptions, 'out'> = {}): Promise<RunOutcome> {
  let text: string;
  try {
    text = await readFile(join(runDir, FILES.recipe), 'utf8');
  } catch {
    throw new ConfigError('--resume', `${runDir} has no ${FILES.recipe}; is it a run folder?`);
  }
  const recipe = parseRecipe(parseYaml(text));
  return continueRun(runDir, recipe, await readLatestCheckpoint(runDir), options);
}

async function continueRun(runDir: string, recipe: Recipe, latest: { step: number; dir: string } | null, options: RunOptions): Promise<RunOutcome> {
  const hooks = options.hooks ?? {};
  const verifiers = options.verifiers ?? defaultRegistry();
  const policyOptions = policyOptionsOf(recipe);
  const policy: TrainablePolicy = latest ? await EmbeddedPolicy.load(latest.dir, policyOptions) : await initialPolicy(recipe);
  let state: TrainerState = latest ? (policy.meta.trainer as TrainerState) : { step: 0, cursor: {}, seconds: 0 };
  if (latest) hooks.log?.(`resuming ${runDir} from step ${state.step}`);
  for (const file of [FILES.metrics, FILES.samples]) await truncateJsonl(join(runDir, file), state.step);
  const reference: Policy | null = needsReference(recipe.rl) ? await initialPolicy(recipe) : null;
  try {
    const imageSize = (policy as EmbeddedPolicy).model.config.imageSize;
    const heldout = recipe.eval.heldout_per_task > 0 ? buildHeldout(heldoutSources(recipe), recipe.eval.heldout_per_task, recipe.eval.heldout_seed, imageSize) : null;
    if (heldout) await writeJsonAtomic(join(runDir, FILES.heldout), { seed: heldout.seed, hash: heldout.hash, tasks: Object.fromEntries(Object.entries(heldout.tasks).map(([t, items]) => [t, items.map((i) => i.id)])) });
    const allowedTokens = options.allowedTokens ?? (recipe.model.vocab_subset ? subsetTokens(policy, recipe.model.vocab_subset) : undefined);
    const evaluate = async (p: Policy, phase: 'eval-before' | 'eval-after', step: number): Promise<EvalResult> => {
      hooks.phase?.(phase, Object.values(heldout!.tasks).reduce((n, items) => n + items.length, 0));
      return evaluatePolicy(p, verifiers, heldout!, { batchSize: recipe.eval.batch_size, maxTokens: evalMaxTokens(recipe), step, totalSteps: recipe.train.steps, allowedTokens, strictFormat: recipe.rl.format_gate ?? undefined, onProgress: (done) => hooks.progress?.(done, {}) });
    };
    // Evaluation before training, once per run (kept across resumes).
    let before = heldout ? await readJson<EvalResult>(join(runDir, FILES.evalBefore)) : null;
    if (heldout && !before) {
      const initial = state.step === 0 ? policy : await initialPolicy(recipe);
      before = await evaluate(initial, 'eval-before', 0);
      if (initial !== policy) await initial.close();
      await writeJsonAtomic(join(runDir, FILES.evalBefore), before);
    }
    state = await trainLoop(runDir, recipe, { recipe, policy, reference, verifiers, sources: options.sources ?? gymSources(recipe.data.sources, rlGymSeed(recipe.seed), imageSize), registries: createRlRegistries(), allowedTokens }, state, options);
    if (state.step < recipe.train.steps && !state.stoppedEarly) return { runDir, summary: null, reportPath: null, state };
    return await finish(runDir, recipe, policy, heldout, before, state, evaluate, hooks);
  } finally {
    await policy.close();
    await reference?.close();
  }
}

/** Token ids of each character of `text` on its own (byte or piece tokens), deduplicated. */
function subsetTokens(policy: Policy, text: string): number[] {
  return [...new Set([...text].flatMap((ch) => policy.tokenize(ch)))];
}

async function trainLoop(runDir: string, recipe: Recipe, ctx: StepContext, state: TrainerState, options: RunOptions): Promise<TrainerState> {
  const hooks = options.hooks ?? {};
  if (state.stoppedEarly) return state;
  const last = Math.min(recipe.train.steps, options.stopAfter ?? recipe.train.steps);
  hooks.phase?.('train', recipe.train.steps);
  hooks.progress?.(state.step, {});
  let { step, cursor, seconds } = state;
  let end = last;
  while (step < end) {
    const t0 = Date.now();
    step += 1;
    const result = recipe.train.algorithm === 'sft' ? await sftStep(ctx, step, cursor) : await trainStep(ctx, step, cursor);
    cursor = result.cursor;
    await appendJsonl(join(runDir, FILES.metrics), result.lines);
    await appendJsonl(join(runDir, FILES.samples), result.samples);
    seconds += (Date.now() - t0) / 1000;
    const all = result.lines[0]!;
    hooks.progress?.(step, all['reward/mean'] !== undefined ? { reward: Number(all['reward/mean']).toFixed(3), acc: Number(all.accuracy).toFixed(2) } : { reward: `nll ${Number(all['loss/nll'] ?? 0).toFixed(3)}` });
    const outOfTime = recipe.train.max_seconds !== null && seconds >= recipe.train.max_seconds;
    if (outOfTime) end = step; // equal wall-clock budget: this is the last step
    if (step % recipe.log.checkpoint_every === 0 || step === recipe.train.steps || outOfTime) {
      const trainer: TrainerState = outOfTime ? { step, cursor, seconds, stoppedEarly: true } : { step, cursor, seconds };
      await ctx.policy.save(checkpointDir(runDir, step), { trainer, recipe: recipe.name, seed: recipe.seed });
      await commitCheckpoint(runDir, step, recipe.log.keep_checkpoints);
    }
  }
  return { step, cursor, seconds, ...(end < last ? { stoppedEarly: true } : {}) };
}

async function finish(
  runDir: string, recipe: Recipe, policy: Policy, heldout: HeldoutSet | null, before: EvalResult | null, state: TrainerState,
  evaluate: (p: Policy, phase: 'eval-after', step: number) => Promise<EvalResult>, hooks: RunHooks,
): Promise<RunOutcome> {
  if (!heldout || !before) return { runDir, summary: null, reportPath: null, state };
  let after = await readJson<EvalResult>(join(runDir, FILES.evalAfter));
  if (!after) {
    after = await evaluate(policy, 'eval-after', recipe.train.steps);
    await writeJsonAtomic(join(runDir, FILES.evalAfter), after);
  }
  const summary = buildSummary(before, after, state.step, state.seconds);
  await writeJsonAtomic(join(runDir, FILES.summary), summary);
  hooks.phase?.('report', 1);
  const reportPath = await writeReport(runDir, { recipe, heldout, before, after, summary, samplesPerTask: recipe.log.report_samples });
  return { runDir, summary, reportPath, state };
}
