/**
 * The VLM's forward pass in TensorFlow.js, written for the wasm backend's fast paths
 * (FEASIBILITY.md section 2; measurements in bench/model/README.md):
 * - `linear` is a customGrad matmul whose backward uses explicit transposes: wasm's BatchMatMul
 *   only reaches XNNPACK for untransposed batch-1 inputs, and tf.matMul's own gradient uses the
 *   transpose flags; its bias gradient is a ones-row matmul, not a column Sum;
 * - embeddings are oneHot + linear, because the gradient of gather (UnsortedSegmentSum) has no wasm
 *   kernel;
 * - GELU's cube is x*x*x, not pow, and its tanh is written as a sigmoid (vectorised on wasm);
 * - q, k, v come from column slices of the fused qkv weight, with 4-D (not 5-D) transposes;
 * - LayerNorm, GELU and the masked softmax have hand-written backward passes (customGrad), which
 *   keep one saved tensor each instead of the autodiff chain: a third of the peak memory.
 * Each choice can be switched back (`KernelChoices`) so the benchmark can measure what it gives.
 * Shapes: B rows, T positions, C width, H heads, D head size, V vocabulary.
 */
import type * as tfType from '@tensorflow/tfjs';
import type { DecoderMask } from '../batch.js';
import type { ModelConfig } from '../config.js';
import { modelDims } from '../config.js';
import { blockNames } from '../params.js';

type Tf = typeof tfType;
type Tensor = tfType.Tensor;
export type TfParams = Record<string, tfType.Variable | Tensor>;

/** Implementation choices of the training graph; every option computes the same function. */
export interface KernelChoices {
  /** Matmul backward: explicit transposes (fast) or tf.matMul's own gradient (transpose flags). */
  matmulGrad: 'explicit-transpose' | 'tf';
  /** Bias gradient: ones-row matmul or tf's column Sum. */
  biasGrad: 'matmul' | 'sum';
  /** How q, k, v are cut from the fused projection. */
  qkv: 'weight-slice' | 'activation-split' | 'reshape-5d';
  gelu: 'sigmoid' | 'tanh';
  /** LayerNorm, GELU (sigmoid form) and the masked softmax as customGrad ops with closed-form backward. */
  fusedGrads: boolean;
}

export const FAST_KERNELS: KernelChoices = { matmulGrad: 'explicit-transpose', biasGrad: 'matmul', qkv: 'weight-slice', gelu: 'sigmoid', fusedGrads: true };

export interface Ctx {
  tf: Tf;
  kernels: KernelChoices;
}

function param(params: TfParams, name: string): Tensor {
  const t = params[name];
  if (!t) throw new Error(`missing parameter ${name}`);
  return t;
}

type MatmulFn = (x: Tensor, w: Tensor) => Tensor;
type LinearFn = (x: Tensor, w: Tensor, b: Tensor) => Tensor;
const matmulByTf = new WeakMap<Tf, MatmulFn>();
const linearByTf = new WeakMap<Tf, LinearFn>();

/** y = x W for x [M, in], W [in, out], with the explicit-transpose backward. */
export function matmulFast(tf: Tf, x: Tensor, w: Tensor): Tensor {
  let f = matmulByTf.get(tf);
  if (!f) {
    f = tf.customGrad((...args: unknown[]) => {
      const [a, b, save] = args as [tfType.Tensor2D, tfType.Tensor2D, tfType.GradSaveFunc];
      save([a, b]);
      return {
        value: tf.matMul(a, b),
        gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
          const [sa, sb] = saved as [tfType.Tensor2D, tfType.Tensor2D];
          const g = dy as tfType.Tensor2D;
          return [tf.matMul(g, tf.transpose(sb)), tf.matMul(tf.transpose(sa), g)];
        },
      };
    }) as MatmulFn;
    matmulByTf.set(tf, f);
  }
  return f(x, w);
}

/** y = x W + b for x [M, in]; the bias gradient is ones[1, M] dy (a matmul, not a column Sum). */
function linearFast(tf: Tf, x: Tensor, w: Tensor, b: Tensor): Tensor {
  let f = linearByTf.get(tf);
  if (!f) {
    f = tf.customGrad((...args: unknown[]) => {
      const [a, wt, bias, save] = args as [tfType.Tensor2D, tfType.Tensor2D, tfType.Tensor1D, tfType.GradSaveFunc];
      save([a, wt]);
      return {
        value: tf.tidy(() => tf.add(tf.matMul(a, wt), bias)),
        gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
          const [sa, sw] = saved as [tfType.Tensor2D, tfType.Tensor2D];
          const g = dy as tfType.Tensor2D;
          const ones = tf.ones([1, g.shape[0]]) as tfType.Tensor2D;
          return [tf.matMul(g, tf.transpose(sw)), tf.matMul(tf.transpose(sa), g), tf.matMul(ones, g).reshape([g.shape[1]])];
        },
      };
    }) as LinearFn;
    linearByTf.set(tf, f);
  }
  return f(x, w, b);
}

/** x [..., in] -> [..., out]. */
export function linear(ctx: Ctx, x: Tensor, w: Tensor, b?: Tensor): Tensor {
  const { tf, kernels } = ctx;
  const shape = x.shape;
  const x2 = x.reshape([-1, shape[shape.length - 1]!]);
  let y: Tensor;
  if (kernels.matmulGrad === 'tf') y = b ? tf.add(tf.matMul(x2 as tfType.Tensor2D, w as tfType.Tensor2D), b) : tf.matMul(x2 as tfType.Tensor2D, w as tfType.Tensor2D);
  else if (b && kernels.biasGrad === 'matmul') y = linearFast(tf, x2, w, b);
  else y = b ? tf.add(matmulFast(tf, x2, w), b) : matmulFast(tf, x2, w);
  return y.reshape([...shape.slice(0, -1), w.shape[1]!]);
}

/**
 * LayerNorm over the last axis. The default is one customGrad op that saves only x-hat and 1/std
 * and applies the closed-form backward (the autodiff graph kept ~8 full-size intermediates per
 * call alive until the backward pass: bench/model/README.md, memory).
 */
export function layerNorm(ctx: Ctx, x: Tensor, g: Tensor, b: Tensor, eps: number): Tensor {
  const { tf } = ctx;
  if (!ctx.kernels.fusedGrads) {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), g), b);
  }
  const shape = x.shape;
  const C = shape[shape.length - 1]!;
  const f = tf.customGrad((...args: unknown[]) => {
    const [x2, gain, bias, save] = args as [tfType.Tensor2D, tfType.Tensor1D, tfType.Tensor1D, tfType.GradSaveFunc];
    // tidy: only what is saved (and the value) outlives the forward pass
    const [xhat, rstd, value] = tf.tidy(() => {
      const { mean, variance } = tf.moments(x2, -1, true);
      const r = tf.rsqrt(tf.add(variance, eps)); // (M, 1)
      const xh = tf.mul(tf.sub(x2, mean), r);
      return [xh, r, tf.add(tf.mul(xh, gain), bias)];
    });
    save([xhat, rstd, gain]);
    return {
      value,
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const [sx, sr, sg] = saved as [tfType.Tensor2D, tfType.Tensor2D, tfType.Tensor1D];
        const d = dy as tfType.Tensor2D;
        const ones = tf.ones([1, d.shape[0]]) as tfType.Tensor2D;
        const dxhat = tf.mul(d, sg);
        const dx = tf.mul(sr, tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)), tf.mul(sx, tf.mean(tf.mul(dxhat, sx), -1, true))));
        return [dx, tf.matMul(ones, tf.mul(d, sx)).reshape([C]), tf.matMul(ones, d).reshape([C])];
      },
    };
  }) as (x: Tensor, g: Tensor, b: Tensor) => Tensor;
  return f(x.reshape([-1, C]), g, b).reshape(shape);
}

const GELU_A = 0.044715;
const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * GELU, tanh form (GPT-2). 0.5 x (1 + tanh u) is written as x sigmoid(2u), the same function, since
 * wasm's Sigmoid kernel is vectorised and its Tanh is not; ONNX uses the tanh form (ORT fuses it).
 * The default is a customGrad op saving only x: d/dx = s + x s (1 - s) 2c (1 + 3a x^2).
 */
export function gelu(ctx: Ctx, x: Tensor): Tensor {
  const { tf } = ctx;
  const sigmoidOf = (t: Tensor) => tf.sigmoid(tf.mul(tf.add(t, tf.mul(tf.mul(tf.mul(t, t), t), GELU_A)), 2 * GELU_C));
  if (ctx.kernels.gelu === 'tanh') {
    const cube = tf.mul(tf.mul(x, x), x);
    const u = tf.mul(tf.add(x, tf.mul(cube, GELU_A)), GELU_C);
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(u), 1));
  }
  if (!ctx.kernels.fusedGrads) return tf.mul(x, sigmoidOf(x));
  const f = tf.customGrad((...args: unknown[]) => {
    const [t, save] = args as [Tensor, tfType.GradSaveFunc];
    save([t]);
    return {
      value: tf.tidy(() => tf.mul(t, sigmoidOf(t))),
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const [st] = saved as [Tensor];
        const sg = sigmoidOf(st);
        const du = tf.mul(tf.add(tf.mul(tf.mul(st, st), 3 * GELU_A), 1), 2 * GELU_C);
        return [tf.mul(dy as Tensor, tf.add(sg, tf.mul(tf.mul(st, tf.mul(sg, tf.sub(1, sg))), du)))];
      },
    };
  }) as (x: Tensor) => Tensor;
  return f(x);
}

/** softmax(scores * scale + mask) over the last axis; the default customGrad saves only the output. */
function maskedSoftmax(ctx: Ctx, scores: Tensor, scale: number, mask: Tensor | null): Tensor {
  const { tf } = ctx;
  const forward = (s: Tensor) => tf.softmax(mask ? tf.add(tf.mul(s, scale), mask) : tf.mul(s, scale), -1);
  if (!ctx.kernels.fusedGrads) return forward(scores);
  const f = tf.customGrad((...args: unknown[]) => {
    const [s, save] = args as [Tensor, tfType.GradSaveFunc];
    const p = tf.tidy(() => forward(s));
    save([p]);
    return {
      value: p,
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const [sp] = saved as [Tensor];
        const d = dy as Tensor;
        return [tf.mul(tf.mul(sp, tf.sub(d, tf.sum(tf.mul(d, sp), -1, true))), scale)];
      },
    };
  }) as (s: Tensor) => Tensor;
  return f(scores);
}

/** q, k, v, each (B, H, T, D), from x (B, T, C). */
function projectQkv(ctx: Ctx, x: Tensor, W: Tensor, bias: Tensor, heads: number): [Tensor, Tensor, Tensor] {
  const { tf } = ctx;
  const [B, T, C] = x.shape as [number, number, number];
  const D = C / heads;
  const toHeads = (t: Tensor) => t.reshape([B, T, heads, D]).transpose([0, 2, 1, 3]);
  if (ctx.kernels.qkv === 'weight-slice') {
    const one = (i: number) => toHeads(linear(ctx, x, tf.slice(W, [0, i * C], [C, C]), tf.slice(bias, [i * C], [C])));
    return [one(0), one(1), one(2)];
  }
  const qkv = linear(ctx, x, W, bias); // (B, T, 3C)
  if (ctx.kernels.qkv === 'activation-split') return tf.split(qkv, 3, -1).map(toHeads) as [Tensor, Tensor, Tensor];
  return tf.unstack(qkv.reshape([B, T, 3, heads, D]).transpose([2, 0, 3, 1, 4])) as [Tensor, Tensor, Tensor];
}

/** Multi-head self-attention of x [B, T, C] with an additive mask broadcastable to [B, H, T, T]. */
function attention(ctx: Ctx, x: Tensor, params: TfParams, n: ReturnType<typeof blockNames>, heads: number, mask: Tensor | null): Tensor {
  const { tf } = ctx;
  const [B, T, C] = x.shape as [number, number, number];
  const [q, k, v] = projectQkv(ctx, x, param(params, n.qkvW), param(params, n.qkvB), heads);
  const att = maskedSoftmax(ctx, tf.matMul(q, tf.transpose(k, [0, 1, 3, 2])), 1 / Math.sqrt(C / heads), mask); // (B, H, T, T)
  const y = tf.matMul(att, v).transpose([0, 2, 1, 3]).reshape([B, T, C]); // (B, T, C)
  return linear(ctx, y, param(params, n.projW), param(params, n.projB));
}

function block(ctx: Ctx, x: Tensor, params: TfParams, prefix: string, i: number, heads: number, eps: number, mask: Tensor | null): Tensor {
  const { tf } = ctx;
  const n = blockNames(prefix, i);
  const h = tf.add(x, attention(ctx, layerNorm(ctx, x, param(params, n.ln1g), param(params, n.ln1b), eps), params, n, heads, mask));
  const hidden = gelu(ctx, linear(ctx, layerNorm(ctx, h, param(params, n.ln2g), param(params, n.ln2b), eps), param(params, n.fcW), param(params, n.fcB)));
  return tf.add(h, linear(ctx, hidden, param(params, n.outW), param(params, n.outB)));
}

/** Image tokens in decoder width: patches [I * P * patchDim] -> [I, P, Wd]. */
export function encodeImages(ctx: Ctx, config: ModelConfig, params: TfParams, patches: Float32Array, images: number): Tensor {
  const { tf } = ctx;
  const dims = modelDims(config);
  const x0 = tf.tensor3d(patches, [images, dims.patches, dims.patchDim]);
  let x = tf.add(linear(ctx, x0, param(params, 'enc.patch.w'), param(params, 'enc.patch.b')), param(params, 'enc.pos'));
  for (let i = 0; i < config.encoderLayers; i++) x = block(ctx, x, params, 'enc', i, config.encoderHeads, config.normEps, null);
  x = layerNorm(ctx, x, param(params, 'enc.ln_f.g'), param(params, 'enc.ln_f.b'), config.normEps);
  return linear(ctx, x, param(params, 'enc.to_dec.w'), param(params, 'enc.to_dec.b'));
}

/**
 * Decoder over [prefix, text]: returns the logits of the text positions, [B, L, V].
 * `prefix` is [B, P, Wd] or null; `tokens` [B * L] ids; `mask` over P + L (../batch.ts decoderMask).
 */
export function decodeLogits(ctx: Ctx, config: ModelConfig, params: TfParams, prefix: Tensor | null, tokens: Int32Array, rows: number, length: number, mask: DecoderMask): Tensor {
  const { tf } = ctx;
  const Wd = config.decoderWidth;
  const onehot = tf.oneHot(tf.tensor1d(tokens, 'int32'), config.vocabSize).asType('float32'); // (B*L, V)
  let x = linear(ctx, onehot, param(params, 'dec.wte')).reshape([rows, length, Wd]);
  const P = prefix ? prefix.shape[1]! : 0;
  if (prefix) x = tf.concat([prefix, x], 1);
  const T = P + length;
  x = tf.add(x, tf.slice(param(params, 'dec.wpe'), [0, 0], [T, Wd]));
  const maskT = tf.tensor4d(mask.data, mask.dims);
  for (let i = 0; i < config.decoderLayers; i++) x = block(ctx, x, params, 'dec', i, config.decoderHeads, config.normEps, maskT);
  const text = P > 0 ? tf.slice(x, [0, P, 0], [rows, length, Wd]) : x;
  const h = layerNorm(ctx, text, param(params, 'dec.ln_f.g'), param(params, 'dec.ln_f.b'), config.normEps);
  return linear(ctx, h, param(params, 'dec.head.w'));
}
