/**
 * `perceptrl compare --configs a.yaml,b.yaml [--sft c.yaml] --seconds S [--set k=v ...] [--out DIR]`
 * (issue 5): runs each recipe from its base for the same training wall-clock (train.max_seconds = S,
 * steps unbounded), plus optionally the compute-matched control (recipe c with train.algorithm=sft:
 * continued supervised training on the same data stream for the same time, Visual-RFT's RL-versus-SFT
 * comparison), one after the other so they do not share the cores. Writes DIR/compare.json,
 * DIR/compare.md (src/report/compare.ts) and DIR/reward.svg; each run keeps its own folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { compareTable, rewardCurveSvg, type CompareRow } from '../../report/compare.js';
import { FILES, loadRecipe, readJsonl, startRun } from '../../train/index.js';
import { InputError } from '../../util/errors.js';
import { reportCommandError } from '../options.js';
import { progressHooks, progressMode } from '../progress.js';

interface CompareFlags {
  configs: string;
  sft?: string;
  seconds: string;
  set: string[];
  out?: string;
  progress?: boolean;
}

/** Mean training reward of each step (source "all") against cumulated step seconds. */
async function rewardsOf(runDir: string): Promise<{ seconds: number; reward: number }[]> {
  let seconds = 0;
  const out: { seconds: number; reward: number }[] = [];
  for (const m of await readJsonl<Record<string, unknown>>(join(runDir, FILES.metrics))) {
    if (m.source !== 'all') continue;
    seconds += typeof m['time/step'] === 'number' ? m['time/step'] : 0;
    if (typeof m['reward/mean'] === 'number') out.push({ seconds, reward: m['reward/mean'] });
  }
  return out;
}

export async function compareRecipes(flags: CompareFlags): Promise<CompareRow[]> {
  const seconds = Number(flags.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InputError('--seconds', `expected a positive number of seconds, got "${flags.seconds}"`);
  const configs = flags.configs.split(',').map((c) => c.trim()).filter(Boolean);
  if (configs.length === 0 && !flags.sft) throw new InputError('--configs', 'name at least one recipe');
  const out = flags.out ?? join('runs', `compare-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await mkdir(out, { recursive: true });
  const timed = [...flags.set, `train.max_seconds=${seconds}`, 'train.steps=1000000'];
  const plan = [
    ...configs.map((config) => ({ config, name: basename(config).replace(/\.ya?ml$/, ''), extra: [] as string[] })),
    ...(flags.sft ? [{ config: flags.sft, name: 'sft-control', extra: ['train.algorithm=sft'] }] : []),
  ];
  // all recipes are checked before the first one spends its minutes
  const recipes = await Promise.all(plan.map((p) => loadRecipe(p.config, [...timed, ...p.extra])));
  const rows: CompareRow[] = [];
  for (const [i, p] of plan.entries()) {
    const hooks = progressHooks(progressMode(flags.progress));
    hooks.log?.(`compare: ${p.name} (${p.config}${p.extra.length ? ', ' + p.extra.join(' ') : ''}) for ${seconds} s`);
    const runDir = join(out, p.name);
    const outcome = await startRun(recipes[i]!, { out: runDir, hooks });
    hooks.stop();
    if (!outcome.summary) throw new InputError('eval.heldout_per_task', `${p.name} has no held-out summary; compare needs eval.heldout_per_task > 0`);
    rows.push({ name: p.name, algorithm: recipes[i]!.train.algorithm, runDir, summary: outcome.summary, rewards: p.extra.length ? [] : await rewardsOf(runDir) });
  }
  const table = compareTable(rows);
  await writeFile(join(out, 'compare.json'), `${JSON.stringify({ seconds, rows: rows.map(({ rewards, ...r }) => r) }, null, 2)}\n`);
  await writeFile(join(out, 'compare.md'), `# Equal wall-clock comparison (${seconds} s of training each)\n\n${table}\n\n![training reward](reward.svg)\n`);
  await writeFile(join(out, 'reward.svg'), await rewardCurveSvg(rows));
  process.stdout.write(`${table}\n\ncompare: ${join(out, 'compare.md')}\n`);
  return rows;
}

export function register(program: Command): void {
  program
    .command('compare')
    .description('Run recipes from the same base for the same training wall-clock (plus an SFT control) and tabulate their held-out before/after')
    .requiredOption('--configs <list>', 'comma-separated recipes, e.g. configs/grpo.yaml,configs/dr-grpo.yaml,configs/dapo.yaml')
    .option('--sft <recipe>', 'also run this recipe with train.algorithm=sft: the compute-matched supervised control')
    .requiredOption('--seconds <s>', 'training seconds per recipe (train.max_seconds)')
    .option('--set <key=value>', 'override a field of every recipe (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--out <dir>', 'folder of the runs and the table (default runs/compare-<timestamp>)')
    .option('--no-progress', 'no progress bars on stderr')
    .action(async (flags: CompareFlags) => {
      try {
        await compareRecipes(flags);
      } catch (error) {
        reportCommandError('compare', error);
      }
    });
}
