/**
 * One training step of DESIGN.md section 1, as visible numbered phases. The step only orchestrates:
 * data from ./data.ts, rollouts from the Policy, rewards from the verifier registry (./scoring.ts),
 * filters / advantages / overlong shaping / loss from src/rl's registries, the update from
 * ./update.ts. Every random choice is keyed by (seed, step, round), so the step is a pure function of
 * (weights, optimizer state, data cursor, seed, step): that is what makes resume exact.
 */
import type { Policy, ResponseRow, TrainablePolicy } from '../policy/index.js';
import {
  applyOverlongPenalty, nextRoundSize, planDynamicSampling, toFilter, toLossSpec, toOverlongParams,
  type DynamicSamplingPlan, type Metrics, type RlRegistries, type SamplingCandidate,
} from '../rl/index.js';
import { hashString } from '../util/rng.js';
import type { VerifierRegistry } from '../verifiers/index.js';
import type { Recipe } from './config.js';
import { drawBatch, type DataCursor, type DataSource } from './data.js';
import { groupMetrics, perSourceLines, type MetricsLine, type ScoredGroup } from './metrics.js';
import { formatGate, scoreResponses } from './scoring.js';
import { referenceTokens, runPpoEpochs, type UpdateRow } from './update.js';
import { weightRows } from './weighting.js';

export interface StepContext {
  recipe: Recipe;
  policy: TrainablePolicy;
  /** Frozen reference, only when the KL term is on. */
  reference: Policy | null;
  sources: readonly DataSource[];
  verifiers: VerifierRegistry;
  registries: RlRegistries;
  /** Restricts sampling to these ids (toy tasks over a small vocabulary). */
  allowedTokens?: readonly number[] | undefined;
}

export interface SampleRecord {
  step: number;
  source: string;
  id: string;
  prompt: string;
  response: string;
  score: number | null;
  components: Record<string, number>;
  advantage: number;
  reason?: string;
}

export interface StepResult {
  cursor: DataCursor;
  lines: MetricsLine[];
  samples: SampleRecord[];
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

interface Generated extends ScoredGroup {
  reward: (number | null)[];
}

/** Phases 1-4 for one round: draw, generate, score, shape. */
async function generateRound(
  ctx: StepContext, step: number, round: number, size: number, cursor: DataCursor, timing: Metrics,
): Promise<{ groups: Generated[]; cursor: DataCursor; tokens: number }> {
  const { recipe } = ctx;
  const seed = recipe.seed;
  // 1. draw `size` prompts from the weighted mix
  const drawn = drawBatch(ctx.sources, cursor, size, `${seed}/data/${step}/${round}`);
  // 2. generate G rollouts per sample (one image encoding per group)
  let t0 = process.hrtime.bigint();
  const encoded = await ctx.policy.encode(drawn.items.map((item) => item.prompt));
  const rollouts = await ctx.policy.generate(encoded, {
    n: recipe.train.group_size, maxTokens: recipe.train.max_new_tokens, temperature: recipe.train.temperature, topP: recipe.train.top_p,
    seed: hashString(`${seed}/generate/${step}/${round}`), allowedTokens: ctx.allowedTokens,
  });
  timing['time/generate'] = (timing['time/generate'] ?? 0) + seconds(t0);
  // 3. score through the verifier registry (step / totalSteps for schedules, response_tokens)
  t0 = process.hrtime.bigint();
  const gate = recipe.rl.format_gate ? formatGate(ctx.verifiers, recipe.rl.format_gate) : undefined;
  const scores = scoreResponses(ctx.verifiers, drawn.items, rollouts, { step, totalSteps: recipe.train.steps }, gate);
  const overlong = toOverlongParams(recipe.rl, recipe.train.max_new_tokens);
  const groups = drawn.items.map((item, i) => {
    const raw = scores[i]!.map((s) => s.score);
    const reward = overlong ? applyOverlongPenalty(raw, rollouts[i]!.map((r) => r.tokens.length), overlong) : raw;
    return { item, rollouts: rollouts[i]!, scores: scores[i]!, reward };
  });
  timing['time/score'] = (timing['time/score'] ?? 0) + seconds(t0);
  const tokens = rollouts.flat().reduce((n, r) => n + r.tokens.length, 0);
  return { groups, cursor: drawn.cursor, tokens };
}

/** Phase 4: the group filter's verdict on each group (dapo on rewards, band on accuracy). */
function judgeGroups(ctx: StepContext, groups: readonly Generated[]): boolean[] {
  const filter = toFilter(ctx.recipe.rl);
  const values: (number | null)[] = [];
  const groupIds: number[] = [];
  groups.forEach((g, i) => g.reward.forEach((r, k) => {
    values.push(filter.name === 'band' ? (g.scores[k]!.score === null ? null : g.scores[k]!.success ? 1 : 0) : r);
    groupIds.push(i);
  }));
  const result = ctx.registries.filters.get(filter.name).fast({ values, groupIds }, filter.params);
  const kept = new Set(result.keptGroups);
  return groups.map((_, i) => kept.has(i));
}

/**
 * Phases 1-4 with DAPO dynamic sampling: rounds of draw, generate, score and filter until the batch has
 * `batch_size` kept groups or the round cap is hit. A later round draws a full batch or, with
 * `rl.filter.next_round: shortfall`, only what the keep rate so far says is missing.
 */
async function sampleGroups(ctx: StepContext, step: number, cursor: DataCursor, timing: Metrics): Promise<{
  all: Generated[]; plan: DynamicSamplingPlan; rounds: number; genTokens: number; cursor: DataCursor;
}> {
  const { recipe } = ctx;
  const filter = toFilter(recipe.rl);
  const maxRounds = filter.name === 'none' ? 1 : filter.maxRounds;
  const all: Generated[] = [];
  const candidates: SamplingCandidate[] = [];
  let genTokens = 0;
  let size = recipe.train.batch_size;
  for (let round = 0; ; round++) {
    const r = await generateRound(ctx, step, round, size, cursor, timing);
    cursor = r.cursor;
    genTokens += r.tokens;
    judgeGroups(ctx, r.groups).forEach((keep, i) => candidates.push({ id: all.length + i, keep }));
    all.push(...r.groups);
    const plan = planDynamicSampling({ candidates, targetGroups: recipe.train.batch_size, roundsDone: round + 1, maxRounds, surplus: filter.surplus });
    if (plan.status !== 'sample-more') return { all, plan, rounds: round + 1, genTokens, cursor };
    if (filter.nextRound === 'shortfall') {
      size = nextRoundSize({ generated: all.length, kept: plan.kept, shortfall: plan.shortfall, batchSize: recipe.train.batch_size, margin: filter.margin });
    }
  }
}

/** Runs step `step` (1-based) and returns the new cursor, the metrics lines and sample rollouts. */
export async function trainStep(ctx: StepContext, step: number, cursor: DataCursor): Promise<StepResult> {
  const { recipe, policy } = ctx;
  const timing: Metrics = {};
  const tStep = process.hrtime.bigint();
  // 1-4. draw, generate, score, filter; DAPO dynamic sampling repeats rounds until the batch is full
  const { all, plan, rounds, genTokens, cursor: next } = await sampleGroups(ctx, step, cursor, timing);
  cursor = next;
  const kept = plan.train.map((id) => all[id as number]!);
  // 5. advantages per group over the kept groups
  const rewards: (number | null)[] = [];
  const groupIds: number[] = [];
  const lengths: number[] = [];
  kept.forEach((g, i) => g.rollouts.forEach((r, k) => {
    rewards.push(g.reward[k]!);
    groupIds.push(i);
    lengths.push(Math.max(1, r.tokens.length));
  }));
  const adv = ctx.registries.advantages.get(recipe.rl.advantage).fast({ rewards, groupIds, weights: lengths });
  // 6. rows for the update: old log-probs from generation (computed once), reference log-probs if KL is on
  const t0 = process.hrtime.bigint();
  // the ptx anchor reads every group drawn this step (filtered ones too), after the kept ones
  const anchorGroups = recipe.train.ptx_coef > 0 ? [...kept, ...all.filter((g) => !kept.includes(g))] : kept;
  const encoded = await policy.encode(anchorGroups.map((g) => g.item.prompt));
  const anchor = recipe.train.ptx_coef > 0 ? anchorRows(policy, anchorGroups, recipe.train.max_new_tokens, recipe.train.ptx_coef) : undefined;
  const rows: UpdateRow[] = [];
  kept.forEach((g, i) => g.rollouts.forEach((r) => rows.push({ prompt: i, tokens: r.tokens, logpOld: r.logprobs, advantage: 0 })));
  rows.forEach((row, j) => (row.advantage = adv.value[j]!));
  if (ctx.reference && rows.length > 0) {
    const refEncoded = await ctx.reference.encode(kept.map((g) => g.item.prompt));
    const ref = await ctx.reference.logprobs(refEncoded, rows);
    rows.forEach((row, j) => (row.logpRef = ref[j]!));
  }
  // 6b. VPPO weighting (advantage scales and token mask from the corrupted-image probe), when enabled
  const weighting = await weightRows(policy, ctx.registries, recipe.rl, encoded, rows, `${recipe.seed}/probe/${step}`);
  timing['time/reference'] = seconds(t0);
  // 7. PPO epochs over minibatches, then 8. sync the inference weights
  const t1 = process.hrtime.bigint();
  const update = rows.length === 0 ? { 'actor/updates': 0 } : await runPpoEpochs(policy, encoded, rows, {
    epochs: recipe.train.ppo_epochs,
    minibatchSize: recipe.train.minibatch_size,
    spec: toLossSpec(recipe.rl, recipe.train.max_new_tokens),
    optimizer: { lr: recipe.train.lr, weightDecay: recipe.train.weight_decay, clipNorm: recipe.train.clip_norm, beta1: recipe.train.beta1, beta2: recipe.train.beta2 },
    shuffleKey: `${recipe.seed}/shuffle/${step}`,
    shuffle: recipe.train.shuffle,
    anchor,
  });
  await policy.sync();
  timing['time/update'] = seconds(t1);
  timing['time/step'] = seconds(tStep);
  // 9. metrics per data source and overall
  const memory = process.memoryUsage();
  const allLine: MetricsLine = {
    step, source: 'all', ...groupMetrics(all), ...update, ...adv.metrics, ...weighting,
    'filter/groupsGenerated': all.length, 'filter/groupsKept': kept.length, 'filter/groupsFiltered': all.length - plan.kept,
    'filter/rounds': rounds, 'filter/shortfall': plan.shortfall,
    ...timing,
    'perf/tokensPerSecond': genTokens / Math.max(1e-9, timing['time/generate'] ?? 0),
    'perf/rssMB': memory.rss / 2 ** 20, 'perf/heapMB': memory.heapUsed / 2 ** 20,
  };
  // 10. sample rollouts with their rewards
  const advantageOf = new Map(kept.map((g, i) => [g, i]));
  const samples: SampleRecord[] = [];
  for (const g of all) {
    g.rollouts.forEach((r, k) => {
      if (samples.length >= recipe.log.sample_rollouts) return;
      const gi = advantageOf.get(g);
      const s = g.scores[k]!;
      const record: SampleRecord = {
        step, source: g.item.source, id: g.item.id, prompt: g.item.prompt.text, response: r.text, score: s.score, components: s.components,
        advantage: gi === undefined ? 0 : rows[rowIndex(kept, gi, k)]!.advantage,
      };
      if (s.reason !== undefined) record.reason = s.reason;
      samples.push(record);
    });
  }
  return { cursor, lines: [allLine, ...perSourceLines(step, all)], samples };
}

/** The ptx rows: each group's reference response (prompt index = its position in `groups`). */
function anchorRows(policy: TrainablePolicy, groups: readonly Generated[], maxTokens: number, coef: number): { rows: ResponseRow[]; coef: number } {
  const rows: ResponseRow[] = [];
  groups.forEach((g, i) => {
    const tokens = referenceTokens(policy, g.item.meta, maxTokens);
    if (tokens) rows.push({ prompt: i, tokens });
  });
  return { rows, coef };
}

function rowIndex(kept: readonly Generated[], group: number, k: number): number {
  let offset = 0;
  for (let i = 0; i < group; i++) offset += kept[i]!.rollouts.length;
  return offset + k;
}
