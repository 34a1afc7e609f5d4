/**
 * `perceptrl eval remote --endpoint URL --model NAME (--tasks a,b --n N --seed S | --input F.jsonl)`:
 * score a VLM served behind an OpenAI-compatible chat-completions API (vLLM, SGLang, Ollama,
 * llama.cpp server) on gym or loaded samples, greedy, one response each (src/remote/evaluate.ts).
 * Prints a table per task, or `{endpoint, model, tasks, items}` with `--json`. Thin: parse flags,
 * build the client, call `evaluateRemote`.
 *
 * Exported as `registerRemoteEval(evalCommand)` so the lead attaches it to `perceptrl eval` (and can
 * reuse it for `eval model --endpoint`).
 */
import { dirname } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { gymFamily } from '../../gym/registry.js';
import { evaluateRemote, type RemoteEvalOptions, type RemoteEvalResult } from '../../remote/evaluate.js';
import { OpenAIChatClient } from '../../remote/openai.js';
import type { ExportItem } from '../../sample/export/index.js';
import { loadSamplesJsonl } from '../../sample/jsonl.js';
import { InputError } from '../../util/errors.js';
import { formatTable } from '../../util/table.js';
import type { BoxSpace } from '../../verifiers/boxes/types.js';
import { defaultRegistry } from '../../verifiers/index.js';
import { PRED_SPACES } from './export.js';
import { gymSamples } from './gym-export.js';
import { oneOf, reportCommandError } from '../options.js';

interface RemoteEvalFlags {
  endpoint: string;
  model: string;
  tasks?: string;
  n: string;
  seed: string;
  size: string;
  input?: string;
  apiKey?: string;
  concurrency: string;
  timeout: string;
  retries: string;
  maxTokens: string;
  predSpace?: string;
  system?: string;
  json?: boolean;
}

function int(value: string, flag: string, low: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < low) throw new InputError(flag, `expected an integer >= ${low}, got "${value}"`);
  return n;
}

/** The samples to evaluate and the folder their relative image paths resolve against. */
async function samplesOf(flags: RemoteEvalFlags): Promise<{ samples: ExportItem[]; baseDir: string }> {
  if (flags.input !== undefined) {
    if (flags.tasks !== undefined) throw new InputError('--tasks', 'give --tasks (gym) or --input (JSONL), not both');
    return { samples: await loadSamplesJsonl(flags.input, defaultRegistry()), baseDir: dirname(flags.input) };
  }
  const tasks = (flags.tasks ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (tasks.length === 0) throw new InputError('--tasks', 'give gym tasks (--tasks a,b) or --input F.jsonl');
  for (const task of tasks) gymFamily(task);
  const samples = [...gymSamples({ tasks, n: int(flags.n, '--n', 1), seed: int(flags.seed, '--seed', 0), size: int(flags.size, '--size', 16) })];
  return { samples, baseDir: process.cwd() };
}

/** Run the evaluation from flags (exported for tests). */
export async function runRemoteEval(flags: RemoteEvalFlags, onProgress?: (done: number, total: number) => void): Promise<RemoteEvalResult> {
  if (flags.predSpace !== undefined) oneOf('--pred-space', flags.predSpace, PRED_SPACES);
  const client = new OpenAIChatClient({
    endpoint: flags.endpoint,
    model: flags.model,
    apiKey: flags.apiKey ?? process.env.PERCEPTRL_API_KEY ?? process.env.OPENAI_API_KEY,
    concurrency: int(flags.concurrency, '--concurrency', 1),
    timeoutMs: int(flags.timeout, '--timeout', 1),
    retry: { retries: int(flags.retries, '--retries', 0) },
  });
  const { samples, baseDir } = await samplesOf(flags);
  const options: RemoteEvalOptions = { maxTokens: int(flags.maxTokens, '--max-tokens', 1), baseDir };
  if (flags.predSpace !== undefined) options.predSpace = flags.predSpace as BoxSpace;
  if (flags.system !== undefined) options.system = flags.system;
  if (onProgress) options.onProgress = onProgress;
  return evaluateRemote(client, samples, defaultRegistry(), options);
}

export function registerRemoteEval(evalCommand: Command): void {
  evalCommand
    .command('remote')
    .description('Score a VLM served by an OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp) on gym or JSONL samples, greedy')
    .requiredOption('--endpoint <url>', 'server base URL, e.g. http://gpu-host:8000/v1')
    .requiredOption('--model <name>', 'served model name')
    .option('--tasks <list>', 'gym tasks, comma-separated')
    .option('--n <count>', 'gym: samples per task', '50')
    .option('--seed <seed>', 'gym: seed of the sample streams', '0')
    .option('--size <px>', 'gym: image side in pixels', '224')
    .option('--input <file>', 'Samples JSONL instead of gym tasks')
    .option('--api-key <key>', 'bearer API key (default $PERCEPTRL_API_KEY or $OPENAI_API_KEY)')
    .option('--concurrency <n>', 'requests in flight at most', '8')
    .option('--timeout <ms>', 'per-request time limit', '120000')
    .option('--retries <n>', 'retries on 429/5xx/timeouts/connection errors', '4')
    .option('--max-tokens <n>', 'response tokens at most', '1024')
    .option('--pred-space <space>', `box verifiers: the model's coordinate space (${PRED_SPACES.join(', ')}); Qwen2-VL/Qwen3-VL norm1000, Qwen2.5-VL resized-pixel`)
    .option('--system <text>', 'system message')
    .option('--json', 'print {endpoint, model, tasks, items}')
    .action(async (flags: RemoteEvalFlags) => {
      const bar = new SingleBar({ format: 'eval remote [{bar}] {value}/{total} samples | {eta}s left', stream: process.stderr, hideCursor: true });
      let started = false;
      try {
        const result = await runRemoteEval(flags, (done, total) => {
          if (!started) bar.start(total, 0);
          started = true;
          bar.update(done);
        });
        bar.stop();
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ endpoint: flags.endpoint, model: flags.model, ...result })}\n`);
        } else {
          const rows = Object.entries(result.tasks).map(([task, s]) => [task, String(s.n), s.mean.toFixed(3), String(s.errors), String(s.notApplicable)]);
          process.stdout.write(`${formatTable(['task', 'n', 'mean', 'errors', 'n/a'], rows)}\n`);
        }
      } catch (error) {
        bar.stop();
        reportCommandError('eval remote', error);
      }
    });
}
