/**
 * `perceptrl` commands of the model area: `bench model` (throughput against PyTorch on the same
 * shapes, issue 4's Performance section) and `pretrain` (supervised pre-training on the gym). Thin:
 * parses flags, calls src/model, prints. The `bench` parent is shared: it is created here only if
 * no other area created it first.
 */
import type { Command } from 'commander';
import { benchModel, type BenchReport } from '../../model/bench.js';
import { loadPretrainConfig, parsePretrainConfig } from '../../model/pretrain/config.js';
import { runPretrain, type PretrainEval } from '../../model/pretrain/run.js';
import { integerOption } from '../options.js';
import { progressHooks, progressMode } from '../progress.js';
import { InputError } from '../../util/errors.js';

function benchGroup(program: Command): Command {
  return program.commands.find((c) => c.name() === 'bench') ?? program.command('bench').description('Benchmarks that print ratios against a reference measured in the same run');
}

function formatReport(report: BenchReport): string {
  const f = (x: number | null, digits = 0) => (x === null ? 'n/a' : x.toFixed(digits));
  const lines = [
    `tfjs ${report.tfjs.backend} x${report.tfjs.threads} threads; torch ${'version' in report.torch ? `${report.torch.version} x${report.torch.threads}` : `unavailable (${report.torch.error})`}`,
    `load average before ${report.machine.loadavg_before.map((x) => x.toFixed(2)).join(' ')}, after ${report.machine.loadavg_after.map((x) => x.toFixed(2)).join(' ')} (${report.machine.cpus} cpus)`,
    '',
    'training: the ONNX executor (src/model/onnx-train); tfjs: the reference trainer on the same batch',
    'shape      params   train tok/s  torch   ratio (best)   tfjs ratio | gen tok/s  torch   ratio (best)',
  ];
  for (const s of report.shapes) {
    lines.push(
      `${s.name.padEnd(10)} ${(s.params / 1e6).toFixed(2)}M  ${f(s.train_tokens_per_s).padStart(9)} ${f(s.torch_train_tokens_per_s).padStart(7)} ${f(s.train_ratio, 2).padStart(6)}x (${f(s.train_ratio_best, 2)}x) ${f(s.tfjs_train_ratio, 2).padStart(6)}x | ${f(s.gen_tokens_per_s).padStart(9)} ${f(s.torch_gen_tokens_per_s).padStart(6)} ${f(s.gen_ratio, 2).padStart(6)}x (${f(s.gen_ratio_best, 2)}x)`,
    );
  }
  return lines.join('\n');
}

function formatEval(e: PretrainEval): string {
  const tasks = Object.keys(e.scores);
  const width = Math.max(4, ...tasks.map((t) => t.length));
  return [`held-out at step ${e.step}:`, ...tasks.map((t) => `  ${t.padEnd(width)}  score ${e.scores[t]!.toFixed(3)}  accuracy ${e.accuracy[t]!.toFixed(3)}`)].join('\n');
}

interface PretrainFlags {
  config: string;
  resume?: boolean;
  out?: string;
  steps?: number;
  tasks?: string;
  export?: string | false;
  json?: boolean;
  progress?: boolean;
}

async function pretrainAction(flags: PretrainFlags): Promise<void> {
  const base = await loadPretrainConfig(flags.config);
  const config = parsePretrainConfig({
    ...base,
    ...(flags.out ? { out: flags.out } : {}),
    ...(flags.export === false ? { export: null } : flags.export ? { export: flags.export } : {}),
    train: { ...base.train, ...(flags.steps !== undefined ? { steps: flags.steps } : {}) },
    data: { ...base.data, ...(flags.tasks ? { sources: flags.tasks.split(',').map((task) => ({ task: task.trim(), weight: 1 })) } : {}) },
  });
  // --json: machine lines on stdout and no progress; else a bar on a terminal, a line per tenth in a log.
  const hooks = progressHooks(flags.json ? 'off' : progressMode(flags.progress));
  hooks.phase?.('pretrain', config.train.steps);
  let result: Awaited<ReturnType<typeof runPretrain>>;
  try {
    result = await runPretrain(config, {
      resume: flags.resume === true,
      onStep: (s) => hooks.progress?.(s.step, { loss: s.loss.toFixed(3), lr: s.lr.toExponential(2), 'tok/s': s.tokensPerSecond.toFixed(0) }),
      onEval: (e) => {
        if (flags.json) process.stdout.write(`${JSON.stringify({ eval: e })}\n`);
        else hooks.log(formatEval(e));
      },
    });
  } finally {
    hooks.stop();
  }
  const final = result.evals.at(-1);
  if (flags.json) process.stdout.write(`${JSON.stringify({ steps: result.steps, out: config.out, export: config.export, final })}\n`);
  else process.stdout.write(`done: ${result.steps} steps in ${config.out}${config.export ? `, exported to ${config.export}` : ''}\n`);
}

export function register(program: Command): void {
  program
    .command('pretrain')
    .description('Supervised pre-training of the embedded VLM on gym tasks (reference responses), with held-out evaluation; resumable')
    .requiredOption('--config <file>', 'pre-training recipe (YAML), e.g. configs/pretrain.yaml')
    .option('--resume', 'continue from <out>/checkpoints/last')
    .option('--out <dir>', 'run folder (overrides the recipe)')
    .option('--steps <n>', 'optimizer steps (overrides the recipe; e.g. a short smoke run)', integerOption('steps', 1, 10_000_000))
    .option('--tasks <list>', 'comma-separated gym tasks, equal weights (overrides the recipe)')
    .option('--export <dir>', 'final fp16 checkpoint folder (overrides the recipe)')
    .option('--no-export', 'do not export the final checkpoint')
    .option('--json', 'print JSON lines instead of progress')
    .option('--no-progress', 'no progress on stderr (a bar on a terminal, else a line per tenth of the run)')
    .action(async (flags: PretrainFlags) => {
      try {
        await pretrainAction(flags);
      } catch (error) {
        // Input and config errors name their field; anything else is a bug worth a stack trace.
        if (!(error instanceof InputError)) throw error;
        process.stderr.write(`\nperceptrl pretrain: ${error.message}\n`);
        process.exitCode = 2;
      }
    });

  benchGroup(program)
    .command('model')
    .description('Train and generation tokens/s of the embedded VLM (default model and the 0.94M reference shape) against PyTorch on the same shapes')
    .option('--json', 'print the report as JSON')
    .option('--repeats <n>', 'timed runs per measurement (median reported)', integerOption('repeats', 1, 1000), 5)
    .option('--warmup <n>', 'untimed runs before timing', integerOption('warmup', 0, 1000), 2)
    .option('--no-torch', 'skip the PyTorch reference')
    .option('--no-tfjs', 'skip timing the tfjs reference trainer')
    .option('--python <path>', "python with torch (Debian's own)", '/usr/bin/python3')
    .action(async (opts: { json?: boolean; repeats: number; warmup: number; torch: boolean; tfjs: boolean; python: string }) => {
      const report = await benchModel({
        repeats: opts.repeats,
        warmup: opts.warmup,
        noTorch: !opts.torch,
        noTfjs: !opts.tfjs,
        python: opts.python,
      });
      process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
    });
}
