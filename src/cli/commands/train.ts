/**
 * `perceptrl train --config X [--set key=value ...] [--out DIR]` and `perceptrl train --resume DIR`
 * (issue 5). Thin: parses flags, loads the recipe, calls src/train, shows progress on stderr (a
 * cli-progress bar on a terminal, a line per tenth of each phase in a log), prints the before/after
 * summary and the report's path. `runMainJob` is what `npm start` runs: configs/default.yaml.
 */
import type { Command } from 'commander';
import { formatSummary } from '../../report/summary.js';
import { loadRecipe, resumeRun, startRun, type RunOutcome } from '../../train/index.js';
import { InputError } from '../../util/errors.js';
import { reportCommandError } from '../options.js';
import { progressHooks, progressMode } from '../progress.js';

export const DEFAULT_RECIPE = 'configs/default.yaml';

function report(outcome: RunOutcome, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ run_dir: outcome.runDir, report: outcome.reportPath, summary: outcome.summary })}\n`);
    return;
  }
  if (outcome.summary) process.stdout.write(`${formatSummary(outcome.summary)}\n`);
  process.stdout.write(`run: ${outcome.runDir}\n`);
  if (outcome.reportPath) process.stdout.write(`report: ${outcome.reportPath}\n`);
}

export interface TrainFlags {
  config?: string;
  set?: string[];
  out?: string;
  resume?: string;
  json?: boolean;
  progress?: boolean;
}

/** Runs `train` with parsed flags (also used by `npm start`). */
export async function runTrainCommand(flags: TrainFlags): Promise<void> {
  const hooks = progressHooks(progressMode(flags.progress));
  try {
    let outcome: RunOutcome;
    if (flags.resume) {
      if (flags.config || flags.set?.length) throw new InputError('--resume', 'takes the recipe stored in the run folder; drop --config and --set');
      outcome = await resumeRun(flags.resume, { hooks });
    } else {
      const recipe = await loadRecipe(flags.config ?? DEFAULT_RECIPE, flags.set ?? []);
      outcome = await startRun(recipe, { out: flags.out, hooks });
    }
    hooks.stop();
    report(outcome, flags.json ?? false);
  } catch (error) {
    hooks.stop();
    reportCommandError('train', error);
  }
}

/** `npm start`: configs/default.yaml from the committed base checkpoint. */
export function runMainJob(options: { json?: boolean } = {}): Promise<void> {
  return runTrainCommand({ config: DEFAULT_RECIPE, json: options.json ?? false });
}

export function register(program: Command): void {
  program
    .command('train')
    .description('RL training of the embedded VLM from a recipe (GRPO, Dr.GRPO, DAPO); writes a run folder with metrics, checkpoints, summary.json and report.html')
    .option('--config <file>', `recipe YAML (default ${DEFAULT_RECIPE})`)
    .option('--set <key=value>', 'override a recipe field, e.g. --set train.steps=10 (repeatable; same validation as the file)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--out <dir>', 'run folder (default runs/<name>-<timestamp>)')
    .option('--resume <dir>', 'resume the run in DIR from its last checkpoint')
    .option('--json', 'print {run_dir, report, summary} as JSON')
    .option('--no-progress', 'no progress bar on stderr')
    .action((flags: TrainFlags) => runTrainCommand(flags));
}
