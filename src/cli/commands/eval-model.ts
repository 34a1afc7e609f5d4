/**
 * `perceptrl eval model --checkpoint DIR --tasks a,b --n N --seed S [--json]`: the held-out score of a
 * checkpoint per task (greedy decoding, DESIGN.md section 10's frozen held-out set; seed from the
 * held-out range). With `--before DIR2` it also scores a second checkpoint on the same items and
 * adds McNemar's exact p per task (success = score >= 0.5). Thin: calls src/train and src/report.
 *
 * `--endpoint URL --model NAME` (instead of `--checkpoint`) runs the same evaluation through a served
 * model (RemotePolicy over an OpenAI-compatible server, e.g. `perceptrl serve-policy`): the same
 * held-out seed, items and scoring (`evaluatePolicy`), output `{endpoint, model, heldout_seed,
 * heldout_hash, tasks}` with `tasks` shaped as in the checkpoint form. The gym renders the held-out
 * images at `--image-size` (default: the `perceptrl.image_size` that serve-policy reports on
 * /v1/models); the server applies its own prompt style, so `--prompt-style` does not apply.
 */
import type { Command } from 'commander';
import { EmbeddedPolicy, type Policy } from '../../policy/index.js';
import { RemotePolicy } from '../../policy/remote.js';
import { fetchJson } from '../../remote/retry.js';
import { buildSummary } from '../../report/summary.js';
import {
  buildHeldout, DEFAULT_HELDOUT_SEED, evaluatePolicy, sampleEvaluate, taskDefaultSource, type EvalResult, type HeldoutSet, type SampledTaskEval, type StrictEval,
} from '../../train/index.js';
import { InputError } from '../../util/errors.js';
import { FORMAT_STYLES } from '../../verifiers/format/index.js';
import { defaultRegistry } from '../../verifiers/index.js';
import { oneOf, reportCommandError } from '../options.js';

export interface EvalModelFlags {
  checkpoint?: string;
  endpoint?: string;
  model?: string;
  imageSize?: string;
  apiKey?: string;
  concurrency?: string;
  tasks: string;
  n: string;
  seed: string;
  before?: string;
  maxTokens: string;
  batchSize: string;
  promptStyle: string;
  samples?: string;
  temperature?: string;
  strictFormat?: string;
  json?: boolean;
}

function positiveInt(value: string, field: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InputError(field, `expected a positive integer, got "${value}"`);
  return n;
}

function loadEmbedded(dir: string, flags: EvalModelFlags): Promise<EmbeddedPolicy> {
  if (flags.promptStyle !== 'full' && flags.promptStyle !== 'compact') throw new InputError('--prompt-style', `expected full or compact, got "${flags.promptStyle}"`);
  return EmbeddedPolicy.load(dir, { promptStyle: flags.promptStyle });
}

async function score(dir: string, heldout: HeldoutSet, flags: EvalModelFlags): Promise<EvalResult> {
  return scoreWith(await loadEmbedded(dir, flags), heldout, flags);
}

async function scoreWith(policy: Policy, heldout: HeldoutSet, flags: EvalModelFlags): Promise<EvalResult> {
  try {
    return await evaluatePolicy(policy, defaultRegistry(), heldout, {
      batchSize: positiveInt(flags.batchSize, '--batch-size'), maxTokens: positiveInt(flags.maxTokens, '--max-tokens'), strictFormat: flags.strictFormat,
    });
  } finally {
    await policy.close();
  }
}

/** --samples k and --temperature t, checked before any model is loaded; null without --samples. */
function samplingOf(flags: EvalModelFlags): { k: number; temperature: number } | null {
  if (flags.samples === undefined) return null;
  const temperature = Number(flags.temperature ?? '1');
  if (!Number.isFinite(temperature) || temperature <= 0 || temperature > 2) throw new InputError('--temperature', `expected a number in (0, 2], got "${flags.temperature}"`);
  return { k: positiveInt(flags.samples, '--samples'), temperature };
}

/** k rollouts per item at the temperature: pass@1 / pass@k / mean / best-of-k per task. */
async function sampleWith(policy: Policy, heldout: HeldoutSet, flags: EvalModelFlags, sampling: { k: number; temperature: number }): Promise<Record<string, SampledTaskEval>> {
  try {
    return await sampleEvaluate(policy, defaultRegistry(), heldout, {
      ...sampling, seed: Number(flags.seed), batchSize: positiveInt(flags.batchSize, '--batch-size'), maxTokens: positiveInt(flags.maxTokens, '--max-tokens'),
    });
  } finally {
    await policy.close();
  }
}

function apiKeyOf(flags: EvalModelFlags): string | undefined {
  return flags.apiKey ?? process.env.PERCEPTRL_API_KEY ?? process.env.OPENAI_API_KEY;
}

/** The image side of the held-out set: --image-size, else what serve-policy reports on /v1/models. */
async function remoteImageSize(flags: EvalModelFlags, endpoint: string): Promise<number> {
  if (flags.imageSize !== undefined) return positiveInt(flags.imageSize, '--image-size');
  const url = `${endpoint.replace(/\/+$/, '').replace(/\/chat\/completions$/, '').replace(/\/v1$/, '')}/v1/models`;
  const headers: Record<string, string> = { accept: 'application/json' };
  const key = apiKeyOf(flags);
  if (key) headers.authorization = `Bearer ${key}`;
  let listing: unknown;
  try {
    listing = await fetchJson(url, { method: 'GET', headers, timeoutMs: 30_000 });
  } catch (error) {
    throw new InputError('--image-size', `not given, and ${url} did not answer (${(error as Error).message})`);
  }
  const models = (listing as { data?: { id?: unknown; perceptrl?: { image_size?: unknown } }[] }).data ?? [];
  const entry = models.find((m) => m.id === flags.model) ?? (models.length === 1 ? models[0] : undefined);
  const side = entry?.perceptrl?.image_size;
  if (typeof side !== 'number' || !Number.isInteger(side) || side < 1) {
    throw new InputError('--image-size', `not given, and ${url} does not report perceptrl.image_size (only perceptrl serve-policy does): give the image side the model expects`);
  }
  return side;
}

/** Where the evaluated model comes from: a checkpoint folder or a served model. */
interface ModelSource {
  label: Record<string, string>;
  imageSize: number;
  /** A fresh policy for one pass over the held-out set (closed by the pass). */
  open: () => Promise<Policy>;
}

async function sourceOf(flags: EvalModelFlags): Promise<ModelSource> {
  if (flags.endpoint !== undefined) {
    if (flags.checkpoint !== undefined) throw new InputError('--endpoint', 'give --checkpoint or --endpoint, not both');
    if (!flags.model) throw new InputError('--model', '--endpoint needs --model (the served model name)');
    const { endpoint, model } = flags;
    const imageSize = await remoteImageSize(flags, endpoint);
    const open = async (): Promise<Policy> => RemotePolicy.connect({
      endpoint,
      model,
      apiKey: apiKeyOf(flags),
      concurrency: positiveInt(flags.concurrency ?? '8', '--concurrency'),
    });
    return { label: { endpoint, model }, imageSize, open };
  }
  if (flags.checkpoint === undefined) throw new InputError('--checkpoint', 'give --checkpoint DIR or --endpoint URL --model NAME');
  const checkpoint = flags.checkpoint;
  const probe = await EmbeddedPolicy.load(checkpoint);
  const imageSize = probe.model.config.imageSize;
  await probe.close();
  return { label: { checkpoint }, imageSize, open: () => loadEmbedded(checkpoint, flags) };
}

/** Builds the held-out set, scores the checkpoint(s) or served model, and returns the JSON printed by `--json`. */
export async function evalModel(flags: EvalModelFlags): Promise<Record<string, unknown>> {
  const tasks = flags.tasks.split(',').map((t) => t.trim()).filter(Boolean);
  if (tasks.length === 0) throw new InputError('--tasks', 'name at least one gym task');
  const sampling = samplingOf(flags);
  // --strict-format: one of the format verifier's styles, checked before any model is loaded
  if (flags.strictFormat !== undefined) oneOf('--strict-format', flags.strictFormat, FORMAT_STYLES);
  const source = await sourceOf(flags);
  const heldout = buildHeldout(tasks.map(taskDefaultSource), positiveInt(flags.n, '--n'), Number(flags.seed), source.imageSize);
  const after = await scoreWith(await source.open(), heldout, flags);
  const out: Record<string, unknown> = {
    ...source.label,
    heldout_seed: heldout.seed,
    heldout_hash: heldout.hash,
    tasks: Object.fromEntries(Object.entries(after.tasks).map(([t, r]) => [t, { score: r.score, accuracy: r.accuracy, n: r.n, ...(r.strict ? { strict: r.strict } : {}) }])),
  };
  if (sampling) out.sampled = await sampleWith(await source.open(), heldout, flags, sampling);
  if (flags.before) {
    const before = await score(flags.before, heldout, flags);
    out.comparison = buildSummary(before, after, 0, 0);
  }
  return out;
}

export function registerEvalModel(evalCommand: Command): void {
  evalCommand
    .command('model')
    .description('Held-out score per gym task of an embedded-model checkpoint or a served model (greedy decoding); --before adds McNemar p per task')
    .option('--checkpoint <dir>', 'checkpoint folder (e.g. runs/x/checkpoints/step-000100 or models/base)')
    .option('--endpoint <url>', 'instead of --checkpoint: an OpenAI-compatible server, e.g. http://127.0.0.1:8001/v1 (perceptrl serve-policy)')
    .option('--model <name>', 'with --endpoint: the served model name')
    .option('--image-size <px>', 'with --endpoint: held-out image side (default: what serve-policy reports on /v1/models)')
    .option('--api-key <key>', 'with --endpoint: bearer key (default $PERCEPTRL_API_KEY or $OPENAI_API_KEY)')
    .option('--concurrency <n>', 'with --endpoint: requests in flight at most', '8')
    .option('--tasks <list>', 'comma-separated gym tasks', 'grounding,counting,detection')
    .option('--n <n>', 'held-out items per task', '200')
    .option('--seed <s>', 'held-out gym seed (900001-999999)', String(DEFAULT_HELDOUT_SEED))
    .option('--before <dir>', 'a second checkpoint to compare against on the same items')
    .option('--max-tokens <n>', 'generation budget', '48')
    .option('--batch-size <n>', 'prompts per generation batch', '32')
    .option('--prompt-style <style>', 'full or compact (must match training; a server applies its own)', 'full')
    .option('--samples <k>', 'also sample k responses per item: pass@1, pass@k, mean and best-of-k score per task (what RL can sharpen toward)')
    .option('--temperature <t>', 'with --samples: sampling temperature', '1')
    .option('--strict-format <style>', 'also score each answer under the training format gate (e.g. r1-strict): a response not exactly in that format, or cut at the budget, counts 0')
    .option('--json', 'machine-readable output')
    .action(async (flags: EvalModelFlags) => {
      try {
        const out = await evalModel(flags);
        if (flags.json) process.stdout.write(`${JSON.stringify(out)}\n`);
        else {
          for (const [task, r] of Object.entries(out.tasks as Record<string, { score: number; accuracy: number; n: number; strict?: StrictEval }>)) {
            process.stdout.write(`${task.padEnd(24)} score ${(100 * r.score).toFixed(1)}  accuracy ${(100 * r.accuracy).toFixed(1)}%  n=${r.n}\n`);
            if (r.strict) process.stdout.write(`${''.padEnd(24)} strict ${r.strict.style}: score ${(100 * r.strict.score).toFixed(1)}  accuracy ${(100 * r.strict.accuracy).toFixed(1)}%  format followed ${(100 * r.strict.format_rate).toFixed(1)}%\n`);
          }
          for (const [task, r] of Object.entries((out.sampled ?? {}) as Record<string, SampledTaskEval>)) {
            process.stdout.write(`${task.padEnd(24)} ${r.k} samples at T=${r.temperature}: pass@1 ${(100 * r.pass_at_1).toFixed(1)}%  pass@${r.k} ${(100 * r.pass_at_k).toFixed(1)}%  mean score ${(100 * r.mean_score).toFixed(1)}  best-of-${r.k} ${(100 * r.best_score).toFixed(1)}\n`);
          }
          process.stdout.write(`held-out sha256 ${String(out.heldout_hash).slice(0, 12)}\n`);
        }
      } catch (error) {
        reportCommandError('eval model', error);
      }
    });
}
