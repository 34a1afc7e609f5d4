/**
 * `perceptrl model-card --run runs/pretrain --checkpoint models/base`: writes the checkpoint's model
 * card (README.md + curve.svg, src/report/model-card.ts) from the pre-training run folder
 * (config.json, metrics.jsonl, eval.jsonl) and a final greedy evaluation of the checkpoint on the RL
 * tasks' frozen held-out set, with the image-blind baseline on the same items. Thin: reads files,
 * calls src/train and src/report.
 */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { checkpointWeights, countParams } from '../../model/index.js';
import { EmbeddedPolicy } from '../../policy/index.js';
import { lastPerStep, renderModelCard, type CardEval, type CardSource, type CardTaskRow } from '../../report/model-card.js';
import { blindBaseline, buildHeldout, DEFAULT_HELDOUT_SEED, evaluatePolicy, readJsonl, taskDefaultSource } from '../../train/index.js';
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
  data: { seed: number; sources: CardSource[] };
  train: { steps: number; batch_size: number; fine_digits?: { zero_until: number; full_at: number } | null; restarts?: number[] };
  eval: { heldout_per_task: number; max_tokens: number; batch_size: number };
  model: { prompt_style: 'full' | 'compact' };
  resolved_model: Record<string, unknown>;
}

/** A run file's records; the card needs at least one (a missing file is an error, not an empty card). */
async function records<T>(path: string): Promise<T[]> {
  const lines = await readJsonl<T>(path);
  if (lines.length === 0) throw new DataError(path, 'missing or empty: not a finished pre-training run folder?');
  return lines;
}

async function modelCardAction(flags: CardFlags): Promise<Record<string, unknown>> {
  const recipe = JSON.parse(await readFile(join(flags.run, 'config.json'), 'utf8')) as RunRecipe;
  // a run killed after its last checkpoint logged steps it then ran again on resume: count each step once
  const metrics = lastPerStep(await records<{ step: number; loss: number; seconds: number }>(join(flags.run, 'metrics.jsonl')));
  const curve = await records<CardEval>(join(flags.run, 'eval.jsonl'));
  const tasks = flags.tasks.split(',').map((t) => t.trim()).filter(Boolean);
  const policy = await EmbeddedPolicy.load(flags.checkpoint, { promptStyle: recipe.model.prompt_style });
  const config = policy.model.config;
  const heldout = buildHeldout(tasks.map(taskDefaultSource), flags.n, flags.seed, config.imageSize);
  const registry = defaultRegistry();
  let result;
  try {
    result = await evaluatePolicy(policy, registry, heldout, { batchSize: recipe.eval.batch_size, maxTokens: recipe.eval.max_tokens });
  } finally {
    await policy.close();
  }
  const rows: CardTaskRow[] = Object.entries(result.tasks).map(([task, r]) => ({
    task, score: r.score, accuracy: r.accuracy, n: r.n, blind: blindBaseline(registry, heldout.tasks[task]!),
  }));
  const tail = metrics.slice(-100).filter((m) => Number.isFinite(m.loss));
  const cpu = os.cpus()[0]?.model.trim() ?? 'cpu';
  const card = await renderModelCard({
    command: flags.recipe,
    recipePath: flags.recipe.match(/--config\s+(\S+)/)?.[1] ?? 'configs/pretrain.yaml',
    model: { params: countParams(config), config: { ...config }, ...(await checkpointWeights(flags.checkpoint)) },
    data: { seed: recipe.data.seed, batchSize: recipe.train.batch_size, steps: metrics.length, sources: recipe.data.sources, fineDigits: recipe.train.fine_digits ?? null, restarts: recipe.train.restarts ?? [] },
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
