/**
 * `perceptrl model-card --run runs/pretrain --checkpoint models/base`: writes the checkpoint's model
 * card (README.md + curve.svg, src/report/model-card.ts) from the pre-training run folder
 * (config.json, metrics.jsonl, eval.jsonl) and a final greedy evaluation of the checkpoint on the RL
 * tasks' frozen held-out set, with the image-blind baseline on the same items. Thin: reads files,
 * calls src/train and src/report.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { countParams, parseModelConfig } from '../../model/index.js';
import { EmbeddedPolicy } from '../../policy/index.js';
import { renderModelCard, type CardEval, type CardTaskRow } from '../../report/model-card.js';
import { blindBaseline, buildHeldout, DEFAULT_HELDOUT_SEED, evaluatePolicy } from '../../train/index.js';
import { DataError } from '../../util/errors.js';
import { defaultRegistry } from '../../verifiers/index.js';
import { integerOption, reportCommandError } from '../options.js';

interface CardFlags {
  run: string;
  checkpoint: string;
  tasks: string;
  n: number;
  seed: number;
  recipe: string;
  json?: boolean;
}

interface RunRecipe {
  data: { seed: number; sources: { task: string; weight: number }[] };
  train: { steps: number; batch_size: number };
  eval: { heldout_per_task: number; max_tokens: number; batch_size: number };
  model: { prompt_style: 'full' | 'compact' };
  resolved_model: Record<string, unknown>;
}

async function jsonLines<T>(path: string): Promise<T[]> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').filter((l) => l.trim()).map((line, i) => {
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new DataError(`${path}:${i + 1}`, 'not a JSON line');
    }
  });
}

/** The dtype of the first tensor in a safetensors header (F16 for the exported base). */
async function safetensorsDtype(path: string): Promise<string> {
  const bytes = await readFile(path);
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')) as Record<string, { dtype?: string }>;
  const first = Object.entries(header).find(([k]) => k !== '__metadata__');
  return first?.[1].dtype ?? 'unknown';
}

async function modelCardAction(flags: CardFlags): Promise<Record<string, unknown>> {
  const recipe = JSON.parse(await readFile(join(flags.run, 'config.json'), 'utf8')) as RunRecipe;
  const metrics = await jsonLines<{ loss: number; seconds: number }>(join(flags.run, 'metrics.jsonl'));
  const curve = await jsonLines<CardEval>(join(flags.run, 'eval.jsonl'));
  const weights = join(flags.checkpoint, 'model.safetensors');
  const tasks = flags.tasks.split(',').map((t) => t.trim()).filter(Boolean);
  const policy = await EmbeddedPolicy.load(flags.checkpoint, { promptStyle: recipe.model.prompt_style });
  const config = policy.model.config;
  const heldout = buildHeldout(tasks.map((task) => ({ task, weight: 1, difficulty: null, image_size: null, verifier: null })), flags.n, flags.seed, config.imageSize);
  const registry = defaultRegistry();
  let result;
  try {
    result = await evaluatePolicy(policy, registry, heldout, { batchSize: recipe.eval.batch_size, maxTokens: recipe.eval.max_tokens });
  } finally {
    await policy.close();
  }
  const weightOf = new Map(recipe.data.sources.map((s) => [s.task, s.weight]));
  const rows: CardTaskRow[] = Object.entries(result.tasks).map(([task, r]) => ({
    task, weight: weightOf.get(task) ?? 0, score: r.score, accuracy: r.accuracy, n: r.n, blind: blindBaseline(registry, heldout.tasks[task]!),
  }));
  const tail = metrics.slice(-100).filter((m) => Number.isFinite(m.loss));
  const cpu = os.cpus()[0]?.model.trim() ?? 'cpu';
  const card = await renderModelCard({
    command: flags.recipe,
    recipePath: flags.recipe.match(/--config\s+(\S+)/)?.[1] ?? 'configs/pretrain.yaml',
    model: { params: countParams(parseModelConfig(config)), config: { ...config }, bytes: (await stat(weights)).size, dtype: await safetensorsDtype(weights) },
    data: { seed: recipe.data.seed, batchSize: recipe.train.batch_size, steps: metrics.length, sources: recipe.data.sources },
    heldout: { seed: result.heldout_seed, hash: result.heldout_hash, perTask: flags.n },
    stepSeconds: metrics.reduce((s, m) => s + m.seconds, 0),
    finalLoss: tail.reduce((s, m) => s + m.loss, 0) / Math.max(1, tail.length),
    rows,
    curve,
    curvePerTask: recipe.eval.heldout_per_task,
    machine: `${os.cpus().length} cores (${cpu}), Node ${process.version}, no GPU`,
  });
  await writeFile(join(flags.checkpoint, 'README.md'), card.markdown);
  await writeFile(join(flags.checkpoint, 'curve.svg'), card.curveSvg);
  return { checkpoint: flags.checkpoint, heldout_hash: result.heldout_hash, rows };
}

export function register(program: Command): void {
  program
    .command('model-card')
    .description('Write a pre-trained checkpoint\'s model card (README.md + curve.svg): command, data, time, held-out table with an image-blind baseline, curve')
    .requiredOption('--run <dir>', 'the pre-training run folder (config.json, metrics.jsonl, eval.jsonl)')
    .requiredOption('--checkpoint <dir>', 'the exported checkpoint (the card is written into it)')
    .option('--tasks <list>', 'tasks of the final held-out table', 'grounding,counting,detection')
    .option('--n <n>', 'held-out items per task', integerOption('n', 2, 100_000), 200)
    .option('--seed <s>', 'held-out gym seed', integerOption('seed', 0, 10_000_000), DEFAULT_HELDOUT_SEED)
    .option('--recipe <command>', 'the command that trained it, as shown in the card', 'perceptrl pretrain --config configs/pretrain.yaml')
    .option('--json', 'print the table as JSON')
    .action(async (flags: CardFlags) => {
      try {
        const out = await modelCardAction(flags);
        process.stdout.write(flags.json ? `${JSON.stringify(out)}\n` : `model card written to ${join(flags.checkpoint, 'README.md')}\n`);
      } catch (error) {
        reportCommandError('model-card', error);
      }
    });
}
