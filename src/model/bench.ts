/**
 * `perceptrl bench model`: training and generation throughput of the embedded VLM, against the
 * same shapes in PyTorch measured in the same run (bench/model/torch_ref.py, Debian's python with
 * python3-torch; OpenBLAS at 1 thread, torch at 2: FEASIBILITY.md section 5). Torch figures are null
 * when that python or torch is missing. Two shapes: the default model (image prefix included) and
 * FEASIBILITY.md's reference decoder (0.94M parameters, text only: train 32 x 96 tokens, generate 32
 * tokens for 64 sequences after a 64-token prompt). Medians of `repeats` timed runs after `warmup`,
 * ours and torch's interleaved run by run. The training step is the ONNX executor's (src/model/
 * onnx-train, what pre-training and RL use); the tfjs reference trainer's step is timed beside it
 * (`tfjs_train_tokens_per_s`) unless `noTfjs`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Rng } from '../util/rng.js';
import type { ModelBatch } from './batch.js';
import type { ModelConfig } from './config.js';
import { modelDims, parseModelConfig } from './config.js';
import { OnnxTrainer } from './onnx-train/trainer.js';
import { OnnxExecutor } from './onnx/executor.js';
import { generate } from './onnx/generate.js';
import { countParams, initParams } from './params.js';
import { initTfjs } from './tfjs/runtime.js';
import { meanNll, TfjsTrainer } from './tfjs/trainer.js';

export interface BenchShape {
  name: string;
  config: ModelConfig;
  trainRows: number;
  /** Text tokens per training row (BOS + prompt + response). */
  trainText: number;
  /** Distinct images of the training batch (0: text only). */
  trainImages: number;
  genRows: number;
  /** Prompt tokens per generation row, BOS included. */
  genPrompt: number;
  genTokens: number;
  genImages: number;
}

export function benchShapes(): BenchShape[] {
  return [
    { name: 'default', config: parseModelConfig({}), trainRows: 32, trainText: 96, trainImages: 8, genRows: 64, genPrompt: 32, genTokens: 32, genImages: 8 },
    {
      name: 'reference',
      config: parseModelConfig({ decoderLayers: 4, decoderWidth: 128, decoderHeads: 4, vocabSize: 512, maxTextLength: 128 }),
      trainRows: 32, trainText: 96, trainImages: 0, genRows: 64, genPrompt: 64, genTokens: 32, genImages: 0,
    },
  ];
}

export interface BenchOptions {
  repeats?: number;
  warmup?: number;
  /** Skip the PyTorch reference. */
  noTorch?: boolean;
  /** Skip timing the tfjs reference trainer (slow: ~2 s a step). */
  noTfjs?: boolean;
  python?: string;
}

export interface ShapeResult {
  name: string;
  params: number;
  decoder_params: number;
  /** The training executor timed in train_* (onnx: the hand-built backward graph RL and pre-training run). */
  train_executor: 'onnx';
  train_ms: number;
  gen_ms: number;
  /** The tfjs reference trainer on the same batch (null when skipped), and its ratio to torch. */
  tfjs_train_tokens_per_s: number | null;
  tfjs_train_ratio: number | null;
  train_tokens_per_s: number;
  gen_tokens_per_s: number;
  torch_train_tokens_per_s: number | null;
  torch_gen_tokens_per_s: number | null;
  train_ratio: number | null;
  gen_ratio: number | null;
  /** Ratios of the fastest runs: on a loaded machine torch's OpenMP threads degrade far more than ours, so medians can flatter us. */
  train_ratio_best: number | null;
  gen_ratio_best: number | null;
  train_ms_all: number[];
  gen_ms_all: number[];
  torch_train_ms_all: number[] | null;
  torch_gen_ms_all: number[] | null;
}

export interface BenchReport {
  shapes: ShapeResult[];
  torch: { version: string; threads: number } | { error: string };
  machine: { cpus: number; loadavg_before: number[]; loadavg_after: number[]; node: string };
  tfjs: { backend: string; threads: number };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function randomImages(config: ModelConfig, n: number, rng: Rng): Float32Array[] {
  const size = config.imageSize * config.imageSize * 3;
  return Array.from({ length: n }, () => Float32Array.from({ length: size }, () => rng.next()));
}

function ids(n: number, rng: Rng, V: number): number[] {
  return Array.from({ length: n }, () => rng.int(4, V - 1));
}

/** Our side of one shape: a training step and a generation run, as timed closures. */
interface Ours {
  train: () => Promise<unknown>;
  tfjsTrain: (() => void) | null;
  gen: () => Promise<unknown>;
  close: () => Promise<void>;
}

async function setupOurs(shape: BenchShape, withTfjs: boolean): Promise<Ours> {
  const { config } = shape;
  const rng = new Rng('bench/model');
  const params = initParams(config, 0);
  const trainer = await OnnxTrainer.create(config, params);
  const tfjs = withTfjs ? new TfjsTrainer(await initTfjs(), config, initParams(config, 0)) : null;
  const promptLen = Math.floor((shape.trainText - 1) / 2);
  const group = (rows: number, images: number) => (images > 0 ? { imageIndex: Array.from({ length: rows }, (_, b) => b % images) } : {});
  const trainBatch: ModelBatch = {
    images: randomImages(config, shape.trainImages, rng),
    ...group(shape.trainRows, shape.trainImages),
    prompts: Array.from({ length: shape.trainRows }, () => ids(promptLen, rng, config.vocabSize)),
  };
  const responses = Array.from({ length: shape.trainRows }, () => ids(shape.trainText - 1 - promptLen, rng, config.vocabSize));
  const executor = await OnnxExecutor.create(config, params);
  const genBatch: ModelBatch = {
    images: randomImages(config, shape.genImages, rng),
    ...group(shape.genRows, shape.genImages),
    prompts: Array.from({ length: shape.genRows }, () => ids(shape.genPrompt - 1, rng, config.vocabSize)),
  };
  let seed = 0;
  return {
    train: () => trainer.step(trainBatch, responses, meanNll, { lr: 1e-4 }),
    tfjsTrain: tfjs ? () => void tfjs.step(trainBatch, responses, meanNll, { lr: 1e-4 }) : null,
    gen: () => generate(executor, genBatch, { maxTokens: shape.genTokens, stopTokens: [], seed: seed++ }),
    close: async () => {
      tfjs?.dispose();
      await trainer.dispose();
      await executor.dispose();
    },
  };
}

/** Finds bench/model/torch_ref.py from this file (src/model or dist/model) up to the package root. */
function torchScript(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'bench', 'model', 'torch_ref.py');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return null;
}

/** The PyTorch reference as a child process answering one timed run per request (torch_ref.py serve mode). */
interface TorchServer {
  version: string;
  threads: number;
  run(shape: string, what: 'train' | 'gen'): Promise<number>;
  close(): void;
}

async function startTorch(shapes: BenchShape[], python: string): Promise<TorchServer | { error: string }> {
  const script = torchScript();
  if (!script) return { error: 'bench/model/torch_ref.py not found' };
  if (!existsSync(python)) return { error: `${python} not found` };
  const args = {
    serve: true,
    threads: 2,
    shapes: shapes.map((s) => {
      const dims = modelDims(s.config);
      const { config, ...sizes } = s;
      return { ...config, ...sizes, patches: s.trainImages > 0 ? dims.patches : 0, patchDim: dims.patchDim };
    }),
  };
  const child = spawn(python, [script, JSON.stringify(args)], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout });
  const pending: ((line: string | null) => void)[] = [];
  const buffered: string[] = [];
  lines.on('line', (line) => (pending.length ? pending.shift()!(line) : buffered.push(line)));
  lines.on('close', () => pending.splice(0).forEach((resolve) => resolve(null)));
  const nextLine = () => new Promise<string | null>((resolve) => (buffered.length ? resolve(buffered.shift()!) : pending.push(resolve)));
  const ready = await nextLine();
  if (ready === null) return { error: stderr.trim().split('\n').at(-1) ?? 'python exited' };
  const hello = JSON.parse(ready) as { torch_version: string; threads: number };
  return {
    version: hello.torch_version,
    threads: hello.threads,
    async run(shape, what) {
      child.stdin.write(`${JSON.stringify({ shape, what })}\n`);
      const line = await nextLine();
      if (line === null) throw new Error(`torch reference died: ${stderr.trim().split('\n').at(-1)}`);
      return (JSON.parse(line) as { ms: number }).ms;
    },
    close() {
      child.stdin.end();
    },
  };
}

/**
 * Runs every measurement with ours and torch's interleaved run by run (train: ours, torch; gen:
 * ours, torch), so load from other processes on the shared machine hits both sides alike.
 */
export async function benchModel(options: BenchOptions = {}): Promise<BenchReport> {
  const repeats = options.repeats ?? 5;
  const warmup = options.warmup ?? 2;
  const shapes = benchShapes();
  const loadBefore = os.loadavg();
  const torch = options.noTorch ? { error: 'skipped (--no-torch)' } : await startTorch(shapes, options.python ?? '/usr/bin/python3');
  const server = 'run' in torch ? torch : null;
  const runtime = await initTfjs();
  const results: ShapeResult[] = [];
  try {
    for (const shape of shapes) {
      const ours = await setupOurs(shape, !options.noTfjs);
      const times: Times = { train: [], tfjsTrain: [], gen: [], torchTrain: [], torchGen: [] };
      for (let i = 0; i < warmup + repeats; i++) {
        const keep = i >= warmup;
        let t = performance.now();
        await ours.train();
        if (keep) times.train.push(performance.now() - t);
        if (ours.tfjsTrain) {
          t = performance.now();
          ours.tfjsTrain();
          if (keep) times.tfjsTrain.push(performance.now() - t);
        }
        if (server) {
          const ms = await server.run(shape.name, 'train');
          if (keep) times.torchTrain.push(ms);
        }
        t = performance.now();
        await ours.gen();
        if (keep) times.gen.push(performance.now() - t);
        if (server) {
          const ms = await server.run(shape.name, 'gen');
          if (keep) times.torchGen.push(ms);
        }
      }
      await ours.close();
      results.push(summarise(shape, times, server !== null));
    }
  } finally {
    server?.close();
  }
  return {
    shapes: results,
    torch: server ? { version: server.version, threads: server.threads } : (torch as { error: string }),
    machine: { cpus: os.cpus().length, loadavg_before: loadBefore, loadavg_after: os.loadavg(), node: process.version },
    tfjs: { backend: runtime.backend, threads: runtime.threads },
  };
}

interface Times {
  train: number[];
  tfjsTrain: number[];
  gen: number[];
  torchTrain: number[];
  torchGen: number[];
}

function summarise(shape: BenchShape, times: Times, withTorch: boolean): ShapeResult {
  const trainTokens = shape.trainRows * shape.trainText;
  const genTokens = shape.genRows * shape.genTokens;
  const train = trainTokens / (median(times.train) / 1000);
  const gen = genTokens / (median(times.gen) / 1000);
  const torchTrain = withTorch ? trainTokens / (median(times.torchTrain) / 1000) : null;
  const torchGen = withTorch ? genTokens / (median(times.torchGen) / 1000) : null;
  const tfjsTrain = times.tfjsTrain.length ? trainTokens / (median(times.tfjsTrain) / 1000) : null;
  return {
    name: shape.name,
    params: countParams(shape.config),
    decoder_params: countParams(shape.config, 'dec'),
    train_executor: 'onnx',
    train_ms: median(times.train),
    gen_ms: median(times.gen),
    tfjs_train_tokens_per_s: tfjsTrain,
    tfjs_train_ratio: tfjsTrain !== null && torchTrain ? tfjsTrain / torchTrain : null,
    train_tokens_per_s: train,
    gen_tokens_per_s: gen,
    torch_train_tokens_per_s: torchTrain,
    torch_gen_tokens_per_s: torchGen,
    train_ratio: torchTrain ? train / torchTrain : null,
    gen_ratio: torchGen ? gen / torchGen : null,
    train_ratio_best: withTorch ? Math.min(...times.torchTrain) / Math.min(...times.train) : null,
    gen_ratio_best: withTorch ? Math.min(...times.torchGen) / Math.min(...times.gen) : null,
    train_ms_all: times.train,
    gen_ms_all: times.gen,
    torch_train_ms_all: withTorch ? times.torchTrain : null,
    torch_gen_ms_all: withTorch ? times.torchGen : null,
  };
}
