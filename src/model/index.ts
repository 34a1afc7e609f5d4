/**
 * The embedded VLM (DESIGN.md section 5; issue 4): the only place in the project that touches tensor
 * libraries. One description (./config.ts, ./params.ts, ./tokenizer), two executors kept equal by a
 * parity test: ./tfjs (training, gradients) and ./onnx (rollouts and log-probs, no gradients), and
 * checkpoints (./checkpoint). `EmbeddedModel` bundles them for callers that want one handle.
 *
 * @example
 * const model = await EmbeddedModel.create({ seed: 1 });
 * const prompt = model.tokenizer.encode('How many red circles are there?');
 * const gen = await model.generate({ images: [pixels], prompts: [prompt, prompt] , imageIndex: [0, 0] }, { maxTokens: 32 });
 * await model.trainer.step(batch, gen.tokens, objective, { lr: 1e-4 });
 * await model.syncInference(); // rollouts now use the updated weights
 * await model.save('runs/x/checkpoints/step-1');
 * await model.close();
 */
import type { ImageOptions, ModelBatch } from './batch.js';
import { loadCheckpoint, saveCheckpoint, type SaveOptions } from './checkpoint/index.js';
import type { ModelConfig, ModelConfigInput } from './config.js';
import { parseModelConfig } from './config.js';
import { OnnxExecutor, type OnnxExecutorOptions } from './onnx/executor.js';
import { generate, type GenerateOptions, type Generation } from './onnx/generate.js';
import { initParams, type ModelParams } from './params.js';
import { initTfjs, type TfjsRuntimeOptions } from './tfjs/runtime.js';
import { OnnxTrainer } from './onnx-train/trainer.js';
import type { OptimizerState } from './checkpoint/index.js';
import { TfjsTrainer, type Objective, type OptimizerOptions, type StepResult } from './tfjs/trainer.js';
import { Tokenizer } from './tokenizer/index.js';

export type { ImageOptions, ModelBatch } from './batch.js';
export { imagePatches } from './batch.js';
export { checkpointWeights, loadCheckpoint, saveCheckpoint } from './checkpoint/index.js';
export type { Checkpoint, OptimizerState, SaveOptions } from './checkpoint/index.js';
export { modelConfigSchema, modelDims, parseModelConfig } from './config.js';
export type { ModelConfig, ModelConfigInput } from './config.js';
export { OnnxExecutor } from './onnx/executor.js';
export type { OnnxExecutorOptions } from './onnx/executor.js';
export { generate } from './onnx/generate.js';
export type { GenerateOptions, Generation } from './onnx/generate.js';
export { countParams, initParams, paramSpecs } from './params.js';
export type { ModelParams } from './params.js';
export { initTfjs } from './tfjs/runtime.js';
export { meanNll, TfjsTrainer } from './tfjs/trainer.js';
export type { Objective, OptimizerOptions, StepResult } from './tfjs/trainer.js';
export { BOS_ID, EOS_ID, IMAGE_ID, PAD_ID, Tokenizer } from './tokenizer/index.js';

/**
 * Which executor computes gradients: `tfjs` (the reference, tfjs-wasm) or `onnx` (the hand-built
 * ONNX backward graph run by onnxruntime, src/model/onnx-train: same gradients to ~5e-7 and 5-9x
 * faster per step here, bench/model/README.md).
 */
export type TrainingExecutor = 'tfjs' | 'onnx';

/** What callers need of a training executor; both executors provide it. */
export interface ModelTrainer {
  step(batch: ModelBatch, responses: number[][], objective: Objective, optimizer: OptimizerOptions, options?: ImageOptions): StepResult | Promise<StepResult>;
  params(): ModelParams;
  readonly steps: number;
  optimizerState(): OptimizerState;
  loadOptimizerState(state: OptimizerState): void;
  dispose(): void | Promise<void>;
}

export interface CreateModelOptions {
  config?: ModelConfigInput;
  seed?: number;
  tokenizer?: Tokenizer;
  runtime?: TfjsRuntimeOptions;
  /** Training executor (default `tfjs`). */
  executor?: TrainingExecutor;
  /** Inference executor options (threads, weights fed as inputs or baked). */
  inference?: OnnxExecutorOptions;
}

export class EmbeddedModel {
  private constructor(
    readonly config: ModelConfig,
    readonly tokenizer: Tokenizer,
    readonly trainer: ModelTrainer,
    readonly inference: OnnxExecutor,
    /** Free JSON restored from / written to checkpoints. */
    public meta: Record<string, unknown>,
  ) {}

  static async create(options: CreateModelOptions = {}): Promise<EmbeddedModel> {
    const config = parseModelConfig(options.config ?? {});
    return EmbeddedModel.from(config, initParams(config, options.seed ?? 0), options.tokenizer ?? new Tokenizer(), options, {});
  }

  /** Loads a checkpoint folder, with its optimizer state when present. */
  static async load(dir: string, options: Omit<CreateModelOptions, 'config' | 'seed' | 'tokenizer'> = {}): Promise<EmbeddedModel> {
    const ckpt = await loadCheckpoint(dir);
    const model = await EmbeddedModel.from(ckpt.config, ckpt.params, ckpt.tokenizer, options, ckpt.meta ?? {});
    if (ckpt.optimizer) model.trainer.loadOptimizerState(ckpt.optimizer);
    return model;
  }

  private static async from(config: ModelConfig, params: ModelParams, tokenizer: Tokenizer, options: CreateModelOptions, meta: Record<string, unknown>): Promise<EmbeddedModel> {
    if (tokenizer.size > config.vocabSize) throw new Error(`tokenizer has ${tokenizer.size} tokens, vocabSize is ${config.vocabSize}`);
    const trainer: ModelTrainer = options.executor === 'onnx'
      ? await OnnxTrainer.create(config, params, options.runtime?.threads !== undefined ? { threads: options.runtime.threads } : {})
      : new TfjsTrainer(await initTfjs(options.runtime ?? {}), config, params);
    const inference = await OnnxExecutor.create(config, trainer.params(), options.inference ?? {});
    return new EmbeddedModel(config, tokenizer, trainer, inference, meta);
  }

  /** Copies the trainer's current weights to the inference executor (after optimizer steps). */
  syncInference(): Promise<void> {
    return this.inference.setParams(this.trainer.params());
  }

  /** Rollouts from the inference executor; sampling never produces ids outside the tokenizer. */
  generate(batch: ModelBatch, options: GenerateOptions): Promise<Generation> {
    return generate(this.inference, batch, { vocabLimit: this.tokenizer.size, ...options });
  }

  /** Old/reference log-probs or VPPO's probe, from the inference executor (no gradients). */
  logprobs(batch: ModelBatch, responses: number[][], options: ImageOptions = {}): Promise<Float32Array[]> {
    return this.inference.logprobs(batch, responses, options);
  }

  async save(dir: string, options: SaveOptions & { withOptimizer?: boolean } = {}): Promise<void> {
    const optimizer = options.withOptimizer === false || this.trainer.steps === 0 ? undefined : this.trainer.optimizerState();
    await saveCheckpoint(dir, { config: this.config, params: this.trainer.params(), tokenizer: this.tokenizer, optimizer, meta: this.meta }, options.dtype ? { dtype: options.dtype } : {});
  }

  async close(): Promise<void> {
    await this.trainer.dispose();
    await this.inference.dispose();
  }
}
