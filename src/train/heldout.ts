/**
 * The frozen held-out set (DESIGN.md section 10): per RL task, items 0..n-1 of the gym stream under
 * a seed from the held-out range (./seeds.ts), disjoint from pre-training and RL seeds. Its content
 * hash (sha256 over every item's id, prompt, answer, verifier and image bytes) goes into summary.json
 * so two numbers are only compared on the same items. `evaluatePolicy` scores it with greedy decoding,
 * `sampleEvaluate` with k samples per item (pass@k: what RL's sharpening can reach).
 */
import { createHash } from 'node:crypto';
import { passAtK } from '../eval/stats/index.js';
import type { Policy, Rollout, SamplingParams } from '../policy/index.js';
import type { VerifierRegistry } from '../verifiers/index.js';
import type { DataSourceConfig } from './config.js';
import { gymSource, type TrainItem } from './data.js';
import { formatGate, scoreResponses, type ScoredResponse } from './scoring.js';
import { checkHeldoutSeed } from './seeds.js';

export interface HeldoutSet {
  seed: number;
  hash: string;
  tasks: Record<string, TrainItem[]>;
}

/** Held-out items of each distinct task of the sources (first source's settings per task). */
export function buildHeldout(sources: readonly DataSourceConfig[], perTask: number, seed: number, imageSize: number): HeldoutSet {
  checkHeldoutSeed(seed);
  const tasks: Record<string, TrainItem[]> = {};
  const hash = createHash('sha256');
  for (const config of sources) {
    if (tasks[config.task]) continue;
    const source = gymSource(config, seed, imageSize, config.task);
    const items = Array.from({ length: perTask }, (_, i) => source.item(i));
    tasks[config.task] = items;
    for (const item of items) {
      hash.update(JSON.stringify([item.id, item.prompt.text, item.answer, item.verifier]));
      for (const image of item.prompt.images) hash.update(image.png);
    }
  }
  return { seed, hash: hash.digest('hex'), tasks };
}

export interface ItemOutcome {
  id: string;
  score: number | null;
  normalized: number;
  success: boolean;
  response: string;
  reason?: string;
  /** The gym item's difficulty (1-5), for the summary's per-difficulty split. */
  difficulty?: number;
  /** With `strictFormat`: whether the response passes the format gate (exact format, stopped by itself). */
  format_ok?: boolean;
}

/** The strict reading of a task's held-out answers: a response that fails the format gate scores 0. */
export interface StrictEval {
  style: string;
  score: number;
  accuracy: number;
  /** Share of the responses that pass the gate. */
  format_rate: number;
}

export interface TaskEval {
  /** Mean normalized score in [0, 1] (null -> 0). */
  score: number;
  accuracy: number;
  n: number;
  items: ItemOutcome[];
  /** With `strictFormat`. */
  strict?: StrictEval;
}

export interface EvalResult {
  heldout_hash: string;
  heldout_seed: number;
  tasks: Record<string, TaskEval>;
}

export interface EvaluateOptions {
  batchSize: number;
  maxTokens: number;
  /** Training progress passed to verifiers (schedules at their final value by default). */
  step?: number;
  totalSteps?: number;
  /** Sampling restricted to these ids (toy vocabularies), as in training. */
  allowedTokens?: readonly number[] | undefined;
  /**
   * A format style (e.g. r1-strict): also score every answer under the training format gate
   * (`rl.format_gate`), so an answer whose verdict rests on a lenient parse (a right count followed
   * by a loop, a response cut at the budget) is reported apart. The lenient score stays the headline.
   */
  strictFormat?: string | undefined;
  onProgress?: (done: number, total: number) => void;
}

interface ScoredBatch {
  task: string;
  batch: TrainItem[];
  rollouts: Rollout[][];
  scored: ScoredResponse[][];
}

/**
 * Every held-out item, task by task in batches of `options.batchSize`: encode, generate with the
 * batch's sampling params, score with each item's verifier; progress is counted over the whole set.
 */
async function* scoredBatches(
  policy: Policy, registry: VerifierRegistry, heldout: HeldoutSet, options: EvaluateOptions, sampling: (start: number) => Omit<SamplingParams, 'maxTokens' | 'allowedTokens'>,
): AsyncGenerator<ScoredBatch> {
  const total = Object.values(heldout.tasks).reduce((n, items) => n + items.length, 0);
  let done = 0;
  for (const [task, items] of Object.entries(heldout.tasks)) {
    for (let start = 0; start < items.length; start += options.batchSize) {
      const batch = items.slice(start, start + options.batchSize);
      const encoded = await policy.encode(batch.map((item) => item.prompt));
      const rollouts = await policy.generate(encoded, { ...sampling(start), maxTokens: options.maxTokens, allowedTokens: options.allowedTokens });
      const scored = scoreResponses(registry, batch, rollouts, { step: options.step ?? 1, totalSteps: options.totalSteps ?? 1 });
      yield { task, batch, rollouts, scored };
      done += batch.length;
      options.onProgress?.(done, total);
    }
  }
}

/** Greedy decoding on every held-out item, scored by the item's verifier (and the format gate with `strictFormat`). */
export async function evaluatePolicy(policy: Policy, registry: VerifierRegistry, heldout: HeldoutSet, options: EvaluateOptions): Promise<EvalResult> {
  const gate = options.strictFormat ? formatGate(registry, options.strictFormat) : undefined;
  const outcomes = new Map(Object.keys(heldout.tasks).map((task) => [task, [] as ItemOutcome[]]));
  for await (const { task, batch, rollouts, scored } of scoredBatches(policy, registry, heldout, options, () => ({ n: 1, temperature: 0, topP: 1, seed: 0 }))) {
    batch.forEach((item, i) => {
      const s = scored[i]![0]!;
      const rollout = rollouts[i]![0]!;
      const outcome: ItemOutcome = { id: item.id, score: s.score, normalized: s.normalized ?? 0, success: s.success, response: rollout.text };
      if (s.reason !== undefined) outcome.reason = s.reason;
      if (typeof item.meta.difficulty === 'number') outcome.difficulty = item.meta.difficulty;
      if (gate) outcome.format_ok = gate(rollout) === null;
      outcomes.get(task)!.push(outcome);
    });
  }
  const out: EvalResult = { heldout_hash: heldout.hash, heldout_seed: heldout.seed, tasks: {} };
  for (const [task, items] of outcomes) {
    out.tasks[task] = { ...taskScores(items), n: items.length, items };
    if (options.strictFormat) out.tasks[task].strict = { style: options.strictFormat, ...strictScores(items) };
  }
  return out;
}

const mean = (values: readonly number[]): number => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

/** Mean normalized score and share of successes of a task's outcomes. */
export function taskScores(items: readonly ItemOutcome[]): { score: number; accuracy: number } {
  return { score: mean(items.map((o) => o.normalized)), accuracy: mean(items.map((o) => (o.success ? 1 : 0))) };
}

/** Whether an outcome passes the format gate (true when it was not read strictly). */
const formatOk = (o: ItemOutcome): boolean => o.format_ok !== false;

/** Success in the strict reading: a success whose response passes the format gate. */
export const strictSuccess = (o: ItemOutcome): boolean => o.success && formatOk(o);

/** The same under the format gate: an outcome with `format_ok` false counts 0. */
export function strictScores(items: readonly ItemOutcome[]): { score: number; accuracy: number; format_rate: number } {
  return {
    score: mean(items.map((o) => (formatOk(o) ? o.normalized : 0))),
    accuracy: mean(items.map((o) => (strictSuccess(o) ? 1 : 0))),
    format_rate: mean(items.map((o) => (formatOk(o) ? 1 : 0))),
  };
}

export interface SampledTaskEval {
  k: number;
  temperature: number;
  /** Mean over items of the unbiased pass@1 and pass@k (success = the verifier's success flag). */
  pass_at_1: number;
  pass_at_k: number;
  /** Mean normalized score over all samples, and mean over items of the best sample's score. */
  mean_score: number;
  best_score: number;
  n: number;
}

export interface SampleOptions extends EvaluateOptions {
  k: number;
  temperature: number;
  seed: number;
}

/** One item's k scored responses: its pass@1, pass@k, mean score and best score (null scores count 0). */
export function sampleStats(row: readonly Pick<ScoredResponse, 'success' | 'normalized'>[]): { pass1: number; passK: number; mean: number; best: number } {
  const successes = row.filter((s) => s.success).length;
  const scores = row.map((s) => s.normalized ?? 0);
  return {
    pass1: passAtK(row.length, successes, 1),
    passK: passAtK(row.length, successes, row.length),
    mean: scores.reduce((a, b) => a + b, 0) / row.length,
    best: Math.max(...scores),
  };
}

/** Sampled decoding, k rollouts per held-out item: pass@1, pass@k, mean and best-of-k score per task. */
export async function sampleEvaluate(policy: Policy, registry: VerifierRegistry, heldout: HeldoutSet, options: SampleOptions): Promise<Record<string, SampledTaskEval>> {
  const sums = new Map(Object.keys(heldout.tasks).map((task) => [task, { pass1: 0, passK: 0, mean: 0, best: 0 }]));
  const sampling = (start: number) => ({ n: options.k, temperature: options.temperature, topP: 1, seed: options.seed + start });
  for await (const { task, scored } of scoredBatches(policy, registry, heldout, options, sampling)) {
    const sum = sums.get(task)!;
    for (const row of scored) {
      const item = sampleStats(row);
      sum.pass1 += item.pass1;
      sum.passK += item.passK;
      sum.mean += item.mean;
      sum.best += item.best;
    }
  }
  const out: Record<string, SampledTaskEval> = {};
  for (const [task, sum] of sums) {
    const n = heldout.tasks[task]!.length;
    const d = Math.max(1, n);
    out[task] = { k: options.k, temperature: options.temperature, pass_at_1: sum.pass1 / d, pass_at_k: sum.passK / d, mean_score: sum.mean / d, best_score: sum.best / d, n };
  }
  return out;
}

/**
 * The image-blind baseline of a task's held-out items: item i answered with the reference response
 * of item i+1 (cyclic), so the format and the answer distribution are right but the image is not
 * looked at. Mean normalized score, or null when the items carry no reference responses.
 */
export function blindBaseline(registry: VerifierRegistry, items: readonly TrainItem[]): number | null {
  const responses = blindResponses(items);
  if (!responses) return null;
  const scored = scoreResponses(registry, items, responses, { step: 1, totalSteps: 1 });
  return scored.reduce((sum, row) => sum + (row[0]!.normalized ?? 0), 0) / items.length;
}

/**
 * Image-blind guesses: item i answered with the reference responses of the k items after it
 * (cyclic), or null when there are fewer than k + 1 items or they carry no reference responses.
 */
export function blindResponses(items: readonly TrainItem[], k = 1): { text: string; tokens: number[] }[][] | null {
  const refs = items.map((item) => item.meta.reference_response);
  if (items.length < k + 1 || refs.some((r) => typeof r !== 'string')) return null;
  return items.map((_, i) => Array.from({ length: k }, (_, j) => ({ text: refs[(i + 1 + j) % items.length] as string, tokens: [] })));
}
