/**
 * `perceptrl launch --ray http://HEAD:8265 --engine verl|openrlhf ...`: builds the engine's training
 * command with the perceptrl reward service as its reward (src/remote/ray/entrypoints.ts), submits it
 * through the Ray Jobs REST API (src/remote/ray/jobs.ts, ENGINES.md 3.6) and, with `--follow`,
 * prints its status and logs until it ends (exit 0 only when it SUCCEEDED). `--dry-run` prints the
 * request instead of sending it. Thin: parse flags, call src/remote.
 *
 * `runtime_env.working_dir` must be a URI Ray can fetch: the bare REST API does not upload a local
 * folder (the `ray job submit` CLI zips and uploads it first). `--cluster-dir` instead prefixes the
 * entrypoint with `cd DIR &&` for a checkout that already exists on the cluster.
 */
import type { Command } from 'commander';
import { buildEntrypoint, ENGINES, shellQuote, type LaunchSpec } from '../../remote/ray/entrypoints.js';
import { isTerminal, newSubmissionId, RayJobsClient, type RayJobRequest } from '../../remote/ray/jobs.js';
import { InputError } from '../../util/errors.js';
import { oneOf } from '../options.js';

interface LaunchFlags {
  ray: string;
  engine: string;
  model: string;
  data: string;
  valData?: string;
  rewardUrl: string;
  token?: string;
  gpusPerNode: string;
  nnodes: string;
  n: string;
  batchSize: string;
  maxPromptLength: string;
  maxResponseLength: string;
  epochs: string;
  maxImages: string;
  verlLayout: string;
  integrationsDir: string;
  outputDir?: string;
  experiment?: string;
  workingDir?: string;
  clusterDir?: string;
  env: string[];
  pip: string[];
  engineArg: string[];
  submissionId?: string;
  entrypointGpus?: string;
  follow?: boolean;
  pollMs: string;
  dryRun?: boolean;
  json?: boolean;
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InputError(flag, `expected a positive integer, got "${value}"`);
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseEnv(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new InputError('--env', `expected KEY=VALUE, got "${pair}"`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/** Flags to the Ray job request (exported for tests and --dry-run). */
export function buildLaunchRequest(flags: LaunchFlags, environment: NodeJS.ProcessEnv = process.env, now = new Date()): RayJobRequest {
  const engine = oneOf('--engine', flags.engine, ENGINES);
  if (!/^https?:\/\/[^/]+/.test(flags.rewardUrl)) throw new InputError('--reward-url', `expected the perceptrl serve URL, e.g. http://10.0.0.5:8000, got "${flags.rewardUrl}"`);
  if (flags.verlLayout !== 'top-level' && flags.verlLayout !== 'reward') throw new InputError('--verl-layout', `expected top-level or reward, got "${flags.verlLayout}"`);
  if (flags.workingDir !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(flags.workingDir)) {
    throw new InputError('--working-dir', `must be a URI Ray can fetch (https://.../pkg.zip, s3://, gs://, gcs://_ray_pkg_...), got "${flags.workingDir}"; the REST API does not upload local folders: use --cluster-dir for a checkout on the cluster`);
  }
  const token = flags.token ?? environment.PERCEPTRL_SERVE_TOKEN;
  const experiment = flags.experiment ?? `${engine}-${now.toISOString().slice(0, 19).replace(/[-:T]/g, '')}`;
  const spec: LaunchSpec = {
    engine, model: flags.model, data: flags.data, valData: flags.valData, rewardUrl: flags.rewardUrl, token,
    gpusPerNode: positive(flags.gpusPerNode, '--gpus-per-node'), nnodes: positive(flags.nnodes, '--nnodes'), n: positive(flags.n, '--n'),
    batchSize: positive(flags.batchSize, '--batch-size'), maxPromptLength: positive(flags.maxPromptLength, '--max-prompt-length'),
    maxResponseLength: positive(flags.maxResponseLength, '--max-response-length'), epochs: positive(flags.epochs, '--epochs'),
    maxImages: positive(flags.maxImages, '--max-images'), layout: flags.verlLayout, integrationsDir: flags.integrationsDir,
    outputDir: flags.outputDir ?? `checkpoints/${experiment}`, experiment, extraArgs: flags.engineArg,
  };
  const entry = buildEntrypoint(spec);
  const runtime: NonNullable<RayJobRequest['runtime_env']> = { env_vars: { ...entry.env, ...parseEnv(flags.env) } };
  if (flags.workingDir) runtime.working_dir = flags.workingDir;
  if (flags.pip.length > 0) runtime.pip = flags.pip;
  const request: RayJobRequest = {
    entrypoint: flags.clusterDir ? `cd ${shellQuote(flags.clusterDir)} && ${entry.command}` : entry.command,
    submission_id: flags.submissionId ?? newSubmissionId(engine, now),
    runtime_env: runtime,
    metadata: { tool: 'perceptrl', engine, model: flags.model },
  };
  if (flags.entrypointGpus !== undefined) request.entrypoint_num_gpus = Number(flags.entrypointGpus);
  return request;
}

/** Redact secrets for printing (the token sits in env_vars and, for OpenRLHF, the reward URL). */
export function redact(request: RayJobRequest): RayJobRequest {
  const text = JSON.stringify(request).replace(/([?&]token=)[^&"\s']+/g, '$1***').replace(/("PERCEPTRL_SERVE_TOKEN":")[^"]*/g, '$1***');
  return JSON.parse(text) as RayJobRequest;
}

/** Where the command writes (process streams; tests capture them). */
export interface LaunchIO {
  out: (text: string) => void;
  err: (text: string) => void;
  exit: (code: number) => void;
}

const processIO: LaunchIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  exit: (code) => {
    process.exitCode = code;
  },
};

async function run(flags: LaunchFlags, io: LaunchIO): Promise<void> {
  const request = buildLaunchRequest(flags);
  if (/^https?:\/\/(127\.|localhost|\[::1\])/.test(flags.rewardUrl)) {
    io.err('perceptrl launch: warning: --reward-url is a loopback address; Ray workers on other nodes will not reach it\n');
  }
  const client = new RayJobsClient({ address: flags.ray });
  if (flags.dryRun) {
    io.out(`${JSON.stringify({ method: 'POST', url: `${client.base}/api/jobs/`, body: redact(request) }, null, 2)}\n`);
    return;
  }
  const id = await client.submit(request);
  io.err(`perceptrl launch: submitted ${id} to ${client.base}\n`);
  if (!flags.follow) {
    io.out(flags.json ? `${JSON.stringify({ submission_id: id })}\n` : `${id}\n`);
    return;
  }
  const info = await client.follow(id, {
    pollMs: positive(flags.pollMs, '--poll-ms'),
    onLogs: (text) => io.err(text),
    onStatus: (status) => io.err(`perceptrl launch: ${id} ${status.status}${status.message ? `: ${status.message}` : ''}\n`),
  });
  io.out(flags.json ? `${JSON.stringify({ submission_id: id, status: info.status, message: info.message ?? null })}\n` : `${id} ${info.status}\n`);
  if (isTerminal(info.status) && info.status !== 'SUCCEEDED') io.exit(1);
}

export function register(program: Command, io: LaunchIO = processIO): void {
  program
    .command('launch')
    .description('Submit a verl or OpenRLHF training job with perceptrl rewards to a Ray cluster (Ray Jobs REST API)')
    .requiredOption('--ray <url>', 'Ray dashboard address, e.g. http://HEAD:8265')
    .requiredOption('--engine <name>', `training engine: ${ENGINES.join(', ')}`)
    .requiredOption('--model <id>', 'policy model (HF id or cluster path), e.g. Qwen/Qwen2.5-VL-7B-Instruct')
    .requiredOption('--data <dir>', 'perceptrl export folder on the cluster (train.parquet for verl, train.jsonl for openrlhf)')
    .requiredOption('--reward-url <url>', 'perceptrl serve base URL reachable from the cluster, e.g. http://10.0.0.5:8000')
    .option('--val-data <file>', 'verl validation parquet (default: the training file)')
    .option('--token <secret>', 'reward service token (default $PERCEPTRL_SERVE_TOKEN)')
    .option('--gpus-per-node <n>', 'GPUs per node', '8')
    .option('--nnodes <n>', 'nodes', '1')
    .option('--n <g>', 'rollouts per prompt (GRPO group size)', '8')
    .option('--batch-size <n>', 'prompts per step', '128')
    .option('--max-prompt-length <n>', 'prompt tokens (images included)', '1024')
    .option('--max-response-length <n>', 'response tokens', '1024')
    .option('--epochs <n>', 'verl total_epochs / OpenRLHF num_episodes', '1')
    .option('--max-images <n>', 'OpenRLHF: images per prompt at most', '1')
    .option('--verl-layout <layout>', 'verl reward config keys: top-level (verl <= 2026-01) or reward (newest)', 'top-level')
    .option('--integrations-dir <dir>', 'verl: folder of the perceptrl Python adapters, relative to the job directory', 'integrations')
    .option('--output-dir <dir>', 'checkpoint folder on the cluster (default checkpoints/<experiment>)')
    .option('--experiment <name>', 'experiment name (default <engine>-<timestamp>)')
    .option('--working-dir <uri>', 'runtime_env.working_dir: a URI Ray can fetch (zip of a perceptrl checkout)')
    .option('--cluster-dir <dir>', 'run the entrypoint from this folder on the cluster (cd DIR && ...)')
    .option('--env <KEY=VALUE>', 'extra runtime_env.env_vars (repeatable)', collect, [])
    .option('--pip <package>', 'runtime_env.pip package (repeatable)', collect, [])
    .option('--engine-arg <arg>', 'extra engine argument appended last, e.g. trainer.save_freq=20 (repeatable)', collect, [])
    .option('--submission-id <id>', 'Ray submission id (default perceptrl-<engine>-<stamp>-<random>)')
    .option('--entrypoint-gpus <n>', 'GPUs reserved for the entrypoint process itself')
    .option('--follow', 'print status and logs until the job ends; exit 1 unless it SUCCEEDED')
    .option('--poll-ms <ms>', 'poll interval with --follow', '5000')
    .option('--dry-run', 'print the request (token redacted) instead of sending it')
    .option('--json', 'print the result as JSON')
    .action(async (flags: LaunchFlags) => {
      try {
        await run(flags, io);
      } catch (error) {
        io.err(`perceptrl launch: ${error instanceof Error ? error.message : String(error)}\n`);
        io.exit(error instanceof InputError ? 2 : 1);
      }
    });
}
