/**
 * The model card of a pre-trained checkpoint (models/base/README.md, issue 4): the command that made
 * it, the data mix and seeds, the time, the per-task held-out table with an image-blind baseline, and
 * the held-out curve over pre-training (curve.svg beside it). Pure rendering: the CLI
 * (`perceptrl model-card`) gathers the numbers.
 *
 * The image-blind baseline gives each held-out item the reference response of the next item of the
 * same task: the right format and plausible content, but not about this image. A model that does not
 * look at the image cannot beat it on average, so "above chance" is measured, not asserted.
 */
import { lineChartSvg, type CurvePoint } from './charts.js';
import { sourceActive } from '../model/pretrain/config.js';

export interface CardEval {
  step: number;
  scores: Record<string, number>;
  accuracy: Record<string, number>;
}

export interface CardTaskRow {
  task: string;
  score: number;
  accuracy: number;
  n: number;
  /** Image-blind baseline on the same items (null when the task has no reference responses). */
  blind: number | null;
}

export interface ModelCardInput {
  command: string;
  recipePath: string;
  model: { params: number; config: Record<string, unknown>; bytes: number | null; dtype: string };
  data: {
    seed: number;
    batchSize: number;
    steps: number;
    sources: CardSource[];
    /** Coarse-to-fine number loss schedule (src/model/pretrain/coarse-to-fine.ts), null when off. */
    fineDigits?: { zero_until: number; full_at: number } | null;
    /** Warm restarts of the learning-rate schedule (src/model/pretrain/config.ts learningRate). */
    restarts?: readonly number[];
  };
  heldout: { seed: number; hash: string; perTask: number };
  /** Sum of optimizer-step seconds (data rendering included, evaluations excluded). */
  stepSeconds: number;
  finalLoss: number;
  /** Rows evaluated on the RL tasks' held-out set (n per task) at the end. */
  rows: CardTaskRow[];
  /** Pre-training's periodic evaluations (every task, fewer items). */
  curve: CardEval[];
  curvePerTask: number;
  machine: string;
}

const pct = (x: number): string => (100 * x).toFixed(1);

/** Markdown table of the final evaluation, blind baseline beside each score; `share` is the task's
 * fraction of all pre-training samples (every source of the task, over its window). */
function finalTable(rows: readonly CardTaskRow[], share: (task: string) => number): string[] {
  return [
    '| task | % of samples | held-out score | accuracy (score ≥ 0.5) | image-blind baseline | n |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.task} | ${pct(share(r.task))} | ${pct(r.score)} | ${pct(r.accuracy)} | ${r.blind === null ? 'n/a' : pct(r.blind)} | ${r.n} |`),
  ];
}

export interface CardSource {
  task: string;
  weight: number;
  difficulty?: number | null;
  /** Curriculum window: in the mix while `sourceActive` (src/model/pretrain/config.ts) says so. */
  from_step?: number;
  until_step?: number | null;
}

/** Expected share of all samples of the run that each source gives (its window and the others' count). */
export function sampleShares(sources: readonly CardSource[], steps: number): number[] {
  const shares = sources.map(() => 0);
  for (let step = 0; step < steps; step++) {
    const total = sources.reduce((sum, s) => sum + (sourceActive(s, step) ? s.weight : 0), 0);
    sources.forEach((s, i) => {
      if (total > 0 && sourceActive(s, step)) shares[i]! += s.weight / total / steps;
    });
  }
  return shares;
}

function scheduleText(restarts: readonly number[]): string {
  if (restarts.length === 0) return 'cosine schedule';
  if (restarts.length === 1) return `cosine schedule with a warm restart at step ${restarts[0]}`;
  return `cosine schedule with warm restarts at steps ${restarts.slice(0, -1).join(', ')} and ${restarts.at(-1)}`;
}

function sourceLine(source: CardSource, share: number, steps: number): string {
  const from = source.from_step ?? 0;
  const until = source.until_step ?? null;
  const window = from > 0 || (until !== null && until < steps) ? `, steps ${from}-${Math.min(until ?? steps, steps)}` : '';
  return `  - ${source.task}${source.difficulty ? ` (difficulty ${source.difficulty})` : ''}: weight ${source.weight}${window} (${pct(share)} % of samples)`;
}

/** Markdown table of the curve: one row per task, one column per evaluation step. */
function curveTable(curve: readonly CardEval[]): string[] {
  if (curve.length === 0) return ['(no evaluations)'];
  const tasks = Object.keys(curve[0]!.scores);
  return [
    `| task | ${curve.map((e) => `step ${e.step}`).join(' | ')} |`,
    `|---|${curve.map(() => '---:').join('|')}|`,
    ...tasks.map((t) => `| ${t} | ${curve.map((e) => (e.scores[t] === undefined ? '' : pct(e.scores[t]!))).join(' | ')} |`),
  ];
}

export async function renderModelCard(input: ModelCardInput): Promise<{ markdown: string; curveSvg: string }> {
  const points: CurvePoint[] = input.curve.flatMap((e) => Object.entries(e.scores).map(([source, value]) => ({ step: e.step, source, value })));
  const curveSvg = await lineChartSvg(points, `held-out score during pre-training (${input.curvePerTask} items per task)`, 'score');
  const shares = sampleShares(input.data.sources, input.data.steps);
  const minutes = (input.stepSeconds / 60).toFixed(0);
  const markdown = [
    '# models/base: the embedded VLM\'s base checkpoint',
    '',
    `A ${(input.model.params / 1e6).toFixed(2)}M-parameter vision-language model (ViT-style patch encoder + decoder-only`,
    'transformer, src/model/config.ts), pre-trained here on the gym\'s reference responses in the response format real',
    'VLMs use (`<think>…</think><answer>…</answer>`, `bbox_2d` JSON), so every verifier applies unchanged. It is the',
    'starting point of `npm start` (configs/default.yaml: RL on grounding, counting and detection).',
    '',
    '## How it was made',
    '',
    '```',
    input.command,
    '```',
    '',
    `- Recipe: \`${input.recipePath}\` (AdamW, ${scheduleText(input.data.restarts ?? [])}, ${input.data.steps} steps × batch ${input.data.batchSize} = ${input.data.steps * input.data.batchSize} samples).`,
    ...(input.data.fineDigits
      ? [`- Loss: mean token NLL, with the units digits of multi-digit numbers (box coordinates) at weight 0 until step ${input.data.fineDigits.zero_until}, ramped back to 1 by step ${input.data.fineDigits.full_at} (coarse-to-fine, src/model/pretrain/coarse-to-fine.ts).`]
      : []),
    `- Time: ${minutes} minutes of optimizer steps (data rendering included, evaluations not) on ${input.machine}; final training loss ${input.finalLoss.toFixed(3)}.`,
    `- Weights: ${input.model.dtype}, ${input.model.bytes === null ? 'size not recorded' : `${(input.model.bytes / 1e6).toFixed(1)} MB`} (model.safetensors); config.json and tokenizer.json beside it.`,
    `- Data: procedural gym items, data seed ${input.data.seed} (the pre-training seed range of src/train/seeds.ts, disjoint from RL's and the held-out range). Mix:`,
    '',
    ...input.data.sources.map((s, i) => sourceLine(s, shares[i]!, input.data.steps)),
    '',
    '## Held-out scores',
    '',
    `Greedy decoding on the frozen held-out set (gym seed ${input.heldout.seed}, ${input.heldout.perTask} items per task, content hash`,
    `\`${input.heldout.hash.slice(0, 16)}…\`): the same items RL's before/after numbers use. Scores are each task's verifier,`,
    'normalised to [0, 1], in percent. The image-blind baseline scores each item with the reference answer of another item',
    'of the same task: what a model that ignores the image can reach.',
    '',
    ...finalTable(input.rows, (task) => input.data.sources.reduce((sum, s, i) => sum + (s.task === task ? shares[i]! : 0), 0)),
    '',
    `## Curve (every task, ${input.curvePerTask} held-out items each)`,
    '',
    '![held-out score during pre-training](curve.svg)',
    '',
    ...curveTable(input.curve),
    '',
    '## Model config',
    '',
    '```json',
    JSON.stringify(input.model.config, null, 2),
    '```',
    '',
  ].join('\n');
  return { markdown, curveSvg };
}

/** One line per step, the last one logged (a resumed run re-logs the steps after its last checkpoint), in step order. */
export function lastPerStep<T extends { step: number }>(lines: readonly T[]): T[] {
  const byStep = new Map<number, T>();
  for (const line of lines) byStep.set(line.step, line);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}
