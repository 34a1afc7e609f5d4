/**
 * The pre-training recipe (configs/pretrain.yaml): supervised training of the embedded VLM on the
 * gym's reference responses (`meta.reference_response`, the true answer in the response format).
 * One zod schema, every field with its default and reason; unknown keys are rejected.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { HELDOUT_SEEDS, PRETRAIN_SEEDS } from '../../train/seeds.js';
import { ConfigError, parseOrThrow } from '../../util/errors.js';
import { parseModelConfig } from '../config.js';

const sourceSchema = z.strictObject({
  task: z.string().min(1).describe('Gym task (DESIGN.md section 10).'),
  weight: z.number().positive().default(1).describe('Relative share in each batch (default 1).'),
  difficulty: z.number().int().min(1).max(5).nullable().default(null).describe('Fixed gym difficulty 1-5 (default null: drawn per sample). Held-out evaluation keeps the drawn mix.'),
  from_step: z.number().int().min(0).default(0).describe('First step at which the source is in the mix (default 0).'),
  until_step: z.number().int().min(1).nullable().default(null)
    .describe('Step from which the source leaves the mix (default null: never); with from_step, a curriculum (one-object scenes first, then the full mix).'),
});

/** Whether a source is in the mix at `step` (0-based): from_step <= step < until_step (missing: 0 / never). */
export function sourceActive(source: { from_step?: number; until_step?: number | null }, step: number): boolean {
  return step >= (source.from_step ?? 0) && step < (source.until_step ?? Infinity);
}

export const pretrainConfigSchema = z.strictObject({
  out: z.string().min(1).default('runs/pretrain').describe('Run folder: checkpoints/, metrics.jsonl, eval.jsonl (default runs/pretrain).'),
  export: z.string().min(1).nullable().default(null)
    .describe('Where the final weights go as an fp16 checkpoint (e.g. models/base; default null: none).'),
  model: z.strictObject({
    config: z.record(z.string(), z.unknown()).default({}).describe('src/model/config.ts fields (default: the default model).'),
    init_seed: z.number().int().min(0).default(0).describe('Seed of the random init (default 0).'),
    prompt_style: z.enum(['full', 'compact']).default('compact')
      .describe('Prompt text the model reads (default compact, as configs/default.yaml): RL must read the same.'),
    threads: z.number().int().min(1).max(8).default(2).describe('threads of the training executor (default 2).'),
    executor: z.enum(['tfjs', 'onnx']).default('tfjs')
      .describe('training executor (default tfjs, the reference): onnx runs the hand-built backward graph, same gradients, 5-9x faster per step (bench/model/README.md).'),
  }).prefault({}),
  data: z.strictObject({
    seed: z.number().int().min(PRETRAIN_SEEDS.low).max(PRETRAIN_SEEDS.high).default(1)
      .describe(`Gym seed of the training stream, in the pre-training range ${PRETRAIN_SEEDS.low}-${PRETRAIN_SEEDS.high} (src/train/seeds.ts), disjoint from RL and held-out seeds (default 1).`),
    sources: z.array(sourceSchema).min(1).describe('Weighted task mix.'),
  }),
  train: z.strictObject({
    steps: z.number().int().min(1).default(20000).describe('Optimizer steps (default 20000).'),
    batch_size: z.number().int().min(1).default(32).describe('Samples per step (default 32).'),
    lr: z.number().positive().default(1e-3).describe('Peak learning rate (default 1e-3, small-model AdamW).'),
    warmup_steps: z.number().int().min(0).default(200).describe('Linear warm-up steps (default 200), at the start and after each restart.'),
    restarts: z.array(z.number().int().min(1)).default([])
      .describe('Steps at which the schedule restarts (warm-up, then cosine to the next restart or the end; default none): continues a finished run with the same schedule up to its old end.'),
    min_lr_ratio: z.number().min(0).max(1).default(0.1).describe('Cosine decay floor as a fraction of lr (default 0.1, nanoGPT).'),
    weight_decay: z.number().min(0).default(0.1).describe('AdamW decoupled decay on matrices (default 0.1).'),
    clip_norm: z.number().min(0).default(1).describe('Global gradient-norm clip (default 1).'),
    beta1: z.number().min(0).max(1).default(0.9).describe('Adam beta1 (default 0.9).'),
    beta2: z.number().min(0).max(1).default(0.95).describe('Adam beta2 (default 0.95).'),
    fine_digits: z.strictObject({
      zero_until: z.number().int().min(0).describe('Steps during which the trailing digits of multi-digit numbers have loss weight 0.'),
      full_at: z.number().int().min(0).describe('Step at which their weight is back to 1 (linear ramp).'),
    }).nullable().default(null)
      .describe('Coarse-to-fine number loss (./coarse-to-fine.ts): box coordinates\' units digits weighted 0, then ramped to 1 (default null: plain mean NLL).'),
    max_response_tokens: z.number().int().min(4).default(96)
      .describe('Target tokens kept per sample, EOS included (default 96); longer targets are cut (counted in metrics).'),
  }).prefault({}),
  eval: z.strictObject({
    every: z.number().int().min(1).default(500).describe('Held-out evaluation every N steps and at the end (default 500).'),
    heldout_per_task: z.number().int().min(1).default(50).describe('Held-out items per task for the periodic curve (default 50).'),
    heldout_seed: z.number().int().min(HELDOUT_SEEDS.low).max(HELDOUT_SEEDS.high).default(HELDOUT_SEEDS.low)
      .describe('Gym seed of the held-out set, in the held-out range (default the RL runs\' default, so the numbers compare).'),
    max_tokens: z.number().int().min(1).default(96).describe('Generation budget when evaluating (default 96).'),
    batch_size: z.number().int().min(1).default(50).describe('Prompts per generation batch when evaluating (default 50).'),
  }).prefault({}),
  checkpoint_every: z.number().int().min(1).default(500).describe('Resumable checkpoint every N steps (default 500).'),
});

export type PretrainConfig = z.infer<typeof pretrainConfigSchema>;

export function parsePretrainConfig(value: unknown): PretrainConfig {
  const config = parseOrThrow(pretrainConfigSchema, value ?? {}, 'pretrain', ConfigError);
  const fine = config.train.fine_digits;
  if (fine && fine.full_at < fine.zero_until) {
    throw new ConfigError('pretrain.train.fine_digits.full_at', `must be >= zero_until (${fine.zero_until}), got ${fine.full_at}`);
  }
  config.data.sources.forEach((source, i) => {
    if (source.until_step !== null && source.until_step <= source.from_step) {
      throw new ConfigError(`pretrain.data.sources[${i}].until_step`, `must be after from_step (${source.from_step}), got ${source.until_step}`);
    }
  });
  // every step draws from some source: check each point where the active set can change
  const changes = [0, ...config.data.sources.flatMap((s) => [s.from_step, s.until_step ?? 0])].filter((step) => step < config.train.steps);
  const empty = changes.find((step) => !config.data.sources.some((s) => sourceActive(s, step)));
  if (empty !== undefined) throw new ConfigError('pretrain.data.sources', `no source is in the mix at step ${empty} (from_step / until_step leave a gap)`);
  const restarts = config.train.restarts;
  restarts.forEach((r, k) => {
    if (r >= config.train.steps || (k > 0 && r <= restarts[k - 1]!)) throw new ConfigError(`pretrain.train.restarts[${k}]`, `must increase and stay below train.steps (${config.train.steps}), got ${r}`);
  });
  parseModelConfig(config.model.config, 'pretrain.model.config');
  return config;
}

export async function loadPretrainConfig(path: string): Promise<PretrainConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError('config', `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parsePretrainConfig(parseYaml(text));
}

/**
 * Learning rate at `step` (0-based): linear warm-up, then cosine decay to min_lr_ratio * lr, over each
 * segment between warm restarts (SGDR): a run continued past its old end with `restarts: [oldEnd]`
 * replays the old schedule exactly up to it, so one recipe reproduces the continued model.
 */
export function learningRate(train: PretrainConfig['train'], step: number): number {
  const start = Math.max(0, ...train.restarts.filter((r) => r <= step));
  const end = Math.min(train.steps, ...train.restarts.filter((r) => r > step));
  const local = step - start;
  if (local < train.warmup_steps) return (train.lr * (local + 1)) / train.warmup_steps;
  const span = Math.max(1, end - start - train.warmup_steps);
  const progress = Math.min(1, (local - train.warmup_steps) / span);
  const floor = train.lr * train.min_lr_ratio;
  return floor + 0.5 * (train.lr - floor) * (1 + Math.cos(Math.PI * progress));
}
