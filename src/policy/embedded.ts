/**
 * The embedded policy: the Policy contract over `EmbeddedModel` (src/model/). Rollouts and old /
 * reference log-probs come from the inference executor (onnxruntime), optimizer steps from the tfjs
 * trainer; `sync` copies the trained weights to the executor. Each prompt must carry exactly one
 * image (the model has one image prefix per row); the G rollouts of a prompt share its encoding
 * (ModelBatch.imageIndex), and a minibatch encodes only the images its rows use.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddedModel, EOS_ID, IMAGE_ID, PAD_ID, BOS_ID, type ModelBatch, type ModelConfigInput, type TrainingExecutor, type Tokenizer } from '../model/index.js';
import { InputError } from '../util/errors.js';
import { imageToPixels } from './images.js';
import { countPlaceholders, promptText, type PromptStyle } from './prompt.js';
import type {
  EncodedPrompts, LogprobOptions, OptimizerParams, PolicyPrompt, ResponseRow, Rollout, SamplingParams, TokenObjective, TrainablePolicy,
} from './types.js';

interface EmbeddedPrompts extends EncodedPrompts {
  readonly pixels: readonly Float32Array[];
}

export interface EmbeddedPolicyOptions {
  promptStyle?: PromptStyle;
  /** threads of the training executor (default 2). */
  threads?: number;
  /** training executor (default tfjs; onnx is the faster hand-built ONNX backward, src/model/onnx-train). */
  executor?: TrainingExecutor;
  /** Tokenizer of a new model (`create` only; default: the default vocabulary). A checkpoint brings its own. */
  tokenizer?: Tokenizer;
}

export class EmbeddedPolicy implements TrainablePolicy {
  readonly kind = 'embedded';
  readonly eosId = EOS_ID;
  private constructor(
    readonly model: EmbeddedModel,
    private readonly promptStyle: PromptStyle,
  ) {}

  /** A randomly initialised model (tests, toy runs). */
  static async create(config: ModelConfigInput, seed: number, options: EmbeddedPolicyOptions = {}): Promise<EmbeddedPolicy> {
    const model = await EmbeddedModel.create({ config, seed, runtime: runtimeOf(options), ...executorOf(options), ...(options.tokenizer ? { tokenizer: options.tokenizer } : {}) });
    return new EmbeddedPolicy(model, options.promptStyle ?? 'full');
  }

  /** A checkpoint folder; a clear InputError when it does not exist (e.g. models/base before pre-training). */
  static async load(dir: string, options: EmbeddedPolicyOptions = {}): Promise<EmbeddedPolicy> {
    try {
      await access(join(dir, 'config.json'));
    } catch {
      throw new InputError('model.init', `no checkpoint at ${dir} (config.json missing); train one first (the model issue's pretrain) or point model.init elsewhere`);
    }
    const model = await EmbeddedModel.load(dir, { runtime: runtimeOf(options), ...executorOf(options) });
    return new EmbeddedPolicy(model, options.promptStyle ?? 'full');
  }

  get meta(): Record<string, unknown> {
    return this.model.meta;
  }

  tokenize(text: string): number[] {
    return this.model.tokenizer.encode(text);
  }

  async encode(prompts: readonly PolicyPrompt[]): Promise<EncodedPrompts> {
    const side = this.model.config.imageSize;
    const pixels = await Promise.all(prompts.map((p, i) => {
      const image = p.images[0];
      if (p.images.length !== 1 || countPlaceholders(p.text) > 1 || !image) {
        throw new InputError(`prompts[${i}].images`, `the embedded model takes exactly one image per prompt, got ${p.images.length}`);
      }
      return imageToPixels(image.png, side);
    }));
    const promptTokens = prompts.map((p) => this.tokenize(promptText(p.text, this.promptStyle)));
    const out: EmbeddedPrompts = { count: prompts.length, promptTokens, pixels };
    return out;
  }

  async generate(prompts: EncodedPrompts, params: SamplingParams): Promise<Rollout[][]> {
    const p = prompts as EmbeddedPrompts;
    const rows: ResponseRow[] = [];
    for (let i = 0; i < p.count; i++) for (let k = 0; k < params.n; k++) rows.push({ prompt: i, tokens: [] });
    const gen = await this.model.generate(this.batch(p, rows), {
      maxTokens: params.maxTokens,
      temperature: params.temperature,
      topP: params.topP,
      seed: params.seed,
      ...(params.allowedTokens ? { suppressTokens: this.suppressedOutside(params.allowedTokens) } : {}),
    });
    const out: Rollout[][] = Array.from({ length: p.count }, () => []);
    rows.forEach((row, r) => {
      const tokens = gen.tokens[r]!;
      out[row.prompt]!.push({
        text: this.model.tokenizer.decode(tokens),
        tokens,
        logprobs: gen.logprobs[r]!,
        finishReason: gen.finishReason[r]!,
      });
    });
    return out;
  }

  logprobs(prompts: EncodedPrompts, rows: readonly ResponseRow[], options: LogprobOptions = {}): Promise<Float32Array[]> {
    return this.model.logprobs(this.batch(prompts as EmbeddedPrompts, rows), rows.map((r) => [...r.tokens]), {
      ...(options.image ? { image: options.image } : {}),
      ...(options.corruptSeed !== undefined ? { corruptSeed: options.corruptSeed } : {}),
    });
  }

  async step(prompts: EncodedPrompts, rows: readonly ResponseRow[], objective: TokenObjective, optimizer: OptimizerParams): Promise<{ loss: number; gradNorm: number }> {
    return await this.model.trainer.step(this.batch(prompts as EmbeddedPrompts, rows), rows.map((r) => [...r.tokens]), objective, {
      lr: optimizer.lr, weightDecay: optimizer.weightDecay, clipNorm: optimizer.clipNorm, beta1: optimizer.beta1, beta2: optimizer.beta2,
    });
  }

  sync(): Promise<void> {
    return this.model.syncInference();
  }

  async save(dir: string, meta: Record<string, unknown>): Promise<void> {
    this.model.meta = meta;
    await this.model.save(dir);
  }

  close(): Promise<void> {
    return this.model.close();
  }

  /** The model batch of `rows`, with only the images those rows use. */
  private batch(p: EmbeddedPrompts, rows: readonly ResponseRow[]): ModelBatch {
    const used = new Map<number, number>();
    const images: Float32Array[] = [];
    const imageIndex = rows.map((row) => {
      let at = used.get(row.prompt);
      if (at === undefined) {
        const pixels = p.pixels[row.prompt];
        if (!pixels) throw new InputError('rows.prompt', `prompt ${row.prompt} outside [0, ${p.count})`);
        at = images.length;
        images.push(pixels);
        used.set(row.prompt, at);
      }
      return at;
    });
    return { images, imageIndex, prompts: rows.map((row) => [...p.promptTokens[row.prompt]!]) };
  }

  /** Every id outside `allowed` (and outside the stop token), plus the specials that are never sampled. */
  private suppressedOutside(allowed: readonly number[]): number[] {
    const keep = new Set([...allowed, EOS_ID]);
    const out = [PAD_ID, BOS_ID, IMAGE_ID];
    for (let id = 0; id < this.model.config.vocabSize; id++) if (!keep.has(id) && !out.includes(id)) out.push(id);
    return out;
  }
}

function executorOf(options: EmbeddedPolicyOptions): { executor?: TrainingExecutor } {
  return options.executor ? { executor: options.executor } : {};
}

function runtimeOf(options: EmbeddedPolicyOptions): { threads?: number } {
  return options.threads !== undefined ? { threads: options.threads } : {};
}
