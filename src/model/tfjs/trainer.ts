/**
 * The training executor: the model's weights as tfjs variables, response log-probs with gradients,
 * and an AdamW step. RL losses stay plain-array math (DESIGN.md section 6): `step` takes an
 * objective that maps the per-token log-probs (numbers) to a loss and its gradient with respect to
 * those log-probs; the surrogate sum(logp * stopgrad(dL/dlogp)) then has exactly the model
 * gradients of the loss. Supervised training is the objective "mean NLL of response tokens".
 *
 * AdamW (Loshchilov & Hutter) with decoupled decay on matrices only (nanoGPT: no decay on biases and
 * LayerNorm gains), global-norm gradient clipping.
 */
import type * as tfType from '@tensorflow/tfjs';
import type { ModelConfig } from '../config.js';
import type { ImageOptions, ModelBatch } from '../batch.js';
import { buildTextLayout, decoderMask, imagePatches, responseValues, rowImages } from '../batch.js';
import { modelDims } from '../config.js';
import type { ModelParams } from '../params.js';
import { paramSpecs } from '../params.js';
import { estimateTrainBytes, splitRows } from './chunks.js';
import { type Ctx, decodeLogits, encodeImages, FAST_KERNELS, type KernelChoices, type TfParams } from './layers.js';
import type { TfjsRuntime } from './runtime.js';

type Tensor = tfType.Tensor;

export interface OptimizerOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** Global gradient-norm clip (default 1; 0 disables). */
  clipNorm?: number;
}

/** Loss of per-token response log-probs, with its gradient d loss / d logp (same shapes). */
export type Objective = (logprobs: Float32Array[]) => { loss: number; grad: Float32Array[] };

export interface StepResult {
  loss: number;
  gradNorm: number;
}

/** Mean negative log-likelihood over all response tokens of the batch. */
export const meanNll: Objective = (logprobs) => {
  const count = Math.max(1, logprobs.reduce((n, r) => n + r.length, 0));
  let sum = 0;
  for (const row of logprobs) for (const v of row) sum -= v;
  return { loss: sum / count, grad: logprobs.map((row) => new Float32Array(row.length).fill(-1 / count)) };
};

export interface TrainerOptions {
  /** Implementation choices of the graph (default: the fastest measured; bench/model/README.md). */
  kernels?: Partial<KernelChoices>;
  /**
   * Estimated peak bytes of one forward + backward pass above which a batch is split into row
   * chunks with accumulated gradients (default 2.5e9; the wasm heap ends at 4 GB: ./chunks.ts).
   */
  memoryBudget?: number;
}

export class TfjsTrainer {
  private readonly tf: typeof tfType;
  private readonly ctx: Ctx;
  private readonly vars: Record<string, tfType.Variable> = {};
  private readonly names: string[];
  private readonly m = new Map<string, tfType.Variable>();
  private readonly v = new Map<string, tfType.Variable>();
  private t = 0;
  private readonly memoryBudget: number;

  constructor(
    runtime: TfjsRuntime,
    readonly config: ModelConfig,
    params: ModelParams,
    options: TrainerOptions = {},
  ) {
    this.tf = runtime.tf;
    this.ctx = { tf: runtime.tf, kernels: { ...FAST_KERNELS, ...options.kernels } };
    this.memoryBudget = options.memoryBudget ?? 2.5e9;
    this.names = paramSpecs(config).map((s) => s.name);
    for (const spec of paramSpecs(config)) {
      const data = params.get(spec.name);
      if (!data) throw new Error(`missing parameter ${spec.name}`);
      this.vars[spec.name] = this.tf.variable(this.tf.tensor(data, spec.shape), true);
    }
  }

  /** Optimizer step count (restored from checkpoints). */
  get steps(): number {
    return this.t;
  }

  /** Raw logits [B, L, V] of the text positions and the layout (call inside a tidy). */
  private logitsOf(batch: ModelBatch, responses: number[][], options: ImageOptions): { logits: Tensor; layout: ReturnType<typeof buildTextLayout> } {
    const tf = this.tf;
    const params = this.vars as TfParams;
    const layout = buildTextLayout(this.config, batch.prompts, responses);
    const rows = layout.rows;
    let prefix: Tensor | null = null;
    if (batch.images.length > 0) {
      const index = rowImages(batch);
      const images = encodeImages(this.ctx, this.config, params, imagePatches(this.config, batch.images, options), batch.images.length);
      const identity = index.length === batch.images.length && index.every((i, b) => i === b);
      if (identity) prefix = images;
      else if (batch.images.length === 1) prefix = tf.mul(images, tf.ones([rows, 1, 1])); // oneHot needs depth >= 2
      else {
        // Rows sharing an image share one encoding; oneHot-matmul instead of gather (no gather grad on wasm).
        const [I, P, C] = images.shape as [number, number, number];
        const pick = tf.oneHot(tf.tensor1d(index, 'int32'), I).asType('float32'); // (B, I)
        prefix = tf.matMul(pick, images.reshape([I, P * C])).reshape([rows, P, C]);
      }
    }
    const P = prefix ? modelDims(this.config).patches : 0;
    const logits = decodeLogits(this.ctx, this.config, params, prefix, layout.tokens, rows, layout.length, decoderMask(this.config, layout, P));
    return { logits, layout };
  }

  /** Per-row log-probs of the responses, as a [B, L] tensor and the layout (inside a tidy). */
  private forward(batch: ModelBatch, responses: number[][], options: ImageOptions): { logp: Tensor; layout: ReturnType<typeof buildTextLayout> } {
    const tf = this.tf;
    const { logits, layout } = this.logitsOf(batch, responses, options);
    const rows = layout.rows;
    const logSoftmax = tf.logSoftmax(logits, -1);
    const targets = tf.oneHot(tf.tensor1d(layout.targets, 'int32'), this.config.vocabSize).asType('float32').reshape(logSoftmax.shape);
    const logp = tf.sum(tf.mul(logSoftmax, targets), -1); // (B, L)
    return { logp: tf.mul(logp, tf.tensor2d(layout.mask, [rows, layout.length])), layout };
  }

  /** Raw logits of the text positions, [B * L * V] in the training layout (for parity tests). */
  textLogits(batch: ModelBatch, responses: number[][], options: ImageOptions = {}): { logits: Float32Array; length: number } {
    return this.tf.tidy(() => {
      const { logits, layout } = this.logitsOf(batch, responses, options);
      return { logits: logits.dataSync() as Float32Array, length: layout.length };
    });
  }

  /** Response log-probs without gradients (in row chunks for big batches: a forward holds ~1/3 of a step's peak). */
  logprobs(batch: ModelBatch, responses: number[][], options: ImageOptions = {}): Float32Array[] {
    const out: Float32Array[] = new Array(batch.prompts.length);
    for (const chunk of splitRows(batch, responses, this.chunkRows(batch, responses, 3))) {
      const values = this.tf.tidy(() => {
        const { logp, layout } = this.forward(chunk.batch, chunk.responses, options);
        return responseValues(layout, logp.dataSync());
      });
      chunk.rows.forEach((b, i) => (out[b] = values[i]!));
    }
    return out;
  }

  /** Rows per chunk so that one pass stays under the memory budget (times `factor`). */
  private chunkRows(batch: ModelBatch, responses: number[][], factor = 1): number {
    const rows = batch.prompts.length;
    const length = Math.max(1, ...batch.prompts.map((p, b) => 1 + p.length + (responses[b]?.length ?? 0)));
    const bytes = estimateTrainBytes(this.config, rows, length, batch.images.length > 0);
    return bytes <= this.memoryBudget * factor ? rows : Math.max(1, Math.floor((rows * this.memoryBudget * factor) / bytes));
  }

  /**
   * Loss and gradients by parameter name (tensors the caller disposes). One pass when the batch
   * fits the memory budget; otherwise log-probs first (chunked, no gradients), the objective on
   * all rows, then per chunk the backward of sum(logp * dL/dlogp), accumulated.
   */
  private computeGrads(batch: ModelBatch, responses: number[][], objective: Objective, options: ImageOptions): { loss: number; grads: Record<string, Tensor> } {
    const tf = this.tf;
    const size = this.chunkRows(batch, responses);
    let loss = 0;
    if (size >= batch.prompts.length) {
      const grads = tf.tidy(() => this.surrogateGrads(batch, responses, (values) => {
        const r = objective(values);
        loss = r.loss;
        return r.grad;
      }, options));
      return { loss, grads };
    }
    const all = this.logprobs(batch, responses, options);
    const result = objective(all);
    const acc: Record<string, Tensor> = {};
    for (const chunk of splitRows(batch, responses, size)) {
      const grads = tf.tidy(() => this.surrogateGrads(chunk.batch, chunk.responses, () => chunk.rows.map((b) => result.grad[b]!), options));
      for (const [name, g] of Object.entries(grads)) {
        const prev = acc[name];
        acc[name] = prev ? tf.add(prev, g) : g;
        if (prev) {
          prev.dispose();
          g.dispose();
        }
      }
    }
    return { loss: result.loss, grads: acc };
  }

  /** Gradients of an objective w.r.t. every parameter (for tests and custom optimizers). */
  gradients(batch: ModelBatch, responses: number[][], objective: Objective, options: ImageOptions = {}): { loss: number; grads: ModelParams } {
    const { loss, grads } = this.computeGrads(batch, responses, objective, options);
    const out: ModelParams = new Map();
    for (const name of this.names) {
      const g = grads[name];
      out.set(name, g ? (g.dataSync() as Float32Array) : new Float32Array(this.vars[name]!.size));
    }
    for (const g of Object.values(grads)) g.dispose();
    return { loss, grads: out };
  }

  /**
   * Gradients keyed by parameter name (tfjs keys them by its own unique variable names). Parameters
   * the batch does not reach (the encoder, for a text-only batch) have none and are left out, so
   * the optimizer skips them (as PyTorch does for a None grad).
   */
  private surrogateGrads(batch: ModelBatch, responses: number[][], upstreamOf: (values: Float32Array[]) => Float32Array[], options: ImageOptions): Record<string, Tensor> {
    const tf = this.tf;
    const { grads } = tf.variableGrads(() => {
      const { logp, layout } = this.forward(batch, responses, options);
      const grad = upstreamOf(responseValues(layout, logp.dataSync()));
      const upstream = new Float32Array(layout.rows * layout.length);
      grad.forEach((row, b) => upstream.set(row, b * layout.length + layout.responseStart[b]!));
      return tf.sum(tf.mul(logp, tf.tensor2d(upstream, [layout.rows, layout.length]))) as tfType.Scalar;
    }, Object.values(this.vars));
    const byParam: Record<string, Tensor> = {};
    for (const name of this.names) {
      const g = grads[this.vars[name]!.name];
      if (g) byParam[name] = g;
    }
    return byParam;
  }

  /** One AdamW step on `objective`; returns the loss (before the step) and the gradient norm. */
  step(batch: ModelBatch, responses: number[][], objective: Objective, optimizer: OptimizerOptions, options: ImageOptions = {}): StepResult {
    const tf = this.tf;
    const { loss, grads } = this.computeGrads(batch, responses, objective, options);
    let gradNorm = 0;
    try {
      tf.tidy(() => {
        gradNorm = Math.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))).dataSync()[0]!);
        const clip = optimizer.clipNorm ?? 1;
        const scale = clip > 0 && gradNorm > clip ? clip / gradNorm : 1;
        this.applyAdamW(grads, scale, optimizer);
      });
    } finally {
      for (const g of Object.values(grads)) g.dispose();
    }
    return { loss, gradNorm };
  }

  private applyAdamW(grads: Record<string, Tensor>, scale: number, o: OptimizerOptions): void {
    const tf = this.tf;
    const b1 = o.beta1 ?? 0.9;
    const b2 = o.beta2 ?? 0.95;
    const eps = o.eps ?? 1e-8;
    const wd = o.weightDecay ?? 0.1;
    this.t += 1;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    for (const name of this.names) {
      const p = this.vars[name]!;
      const raw = grads[name];
      if (!raw) continue;
      const g = scale === 1 ? raw : tf.mul(raw, scale);
      const m = this.slot(this.m, name, p);
      const v = this.slot(this.v, name, p);
      m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
      v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
      const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), eps));
      const decay = p.shape.length >= 2 ? tf.mul(p, wd) : null;
      p.assign(tf.sub(p, tf.mul(decay ? tf.add(update, decay) : update, o.lr)));
    }
  }

  private slot(store: Map<string, tfType.Variable>, name: string, like: tfType.Variable): tfType.Variable {
    let s = store.get(name);
    if (!s) {
      s = this.tf.variable(this.tf.zerosLike(like), false);
      store.set(name, s);
    }
    return s;
  }

  /** Replaces the weights (same layout); optimizer moments are kept. */
  setParams(params: ModelParams): void {
    for (const name of this.names) {
      const data = params.get(name);
      if (!data) throw new Error(`missing parameter ${name}`);
      this.vars[name]!.assign(this.tf.tensor(data, this.vars[name]!.shape));
    }
  }

  /** Current weights as plain arrays (copies). */
  params(): ModelParams {
    return new Map(this.names.map((n) => [n, this.vars[n]!.dataSync() as Float32Array]));
  }

  /** Optimizer state for checkpoints: step count and moments (absent before the first step). */
  optimizerState(): { step: number; m: ModelParams; v: ModelParams } {
    const read = (store: Map<string, tfType.Variable>) => new Map([...store].map(([n, t]) => [n, t.dataSync() as Float32Array]));
    return { step: this.t, m: read(this.m), v: read(this.v) };
  }

  loadOptimizerState(state: { step: number; m: ModelParams; v: ModelParams }): void {
    this.t = state.step;
    for (const [store, values] of [[this.m, state.m], [this.v, state.v]] as const) {
      for (const [name, data] of values) {
        const p = this.vars[name];
        if (!p) throw new Error(`optimizer state for unknown parameter ${name}`);
        store.get(name)?.dispose();
        store.set(name, this.tf.variable(this.tf.tensor(data, p.shape), false));
      }
    }
  }

  dispose(): void {
    for (const t of [...Object.values(this.vars), ...this.m.values(), ...this.v.values()]) t.dispose();
  }
}
