/**
 * The VLM's training step as ONE ONNX inference graph: forward, then a hand-built backward pass
 * (./ops.ts, ./blocks.ts), run by onnxruntime-node (bench/model/README.md: the route to training at
 * or above PyTorch). Two variants: text only (decoder weights only), and with the image prefix
 * (`images: true`: every weight, the patch encoder included).
 *
 * Inputs: the weights named and shaped as in ../params.ts (the same Float32Arrays feed the tfjs
 * trainer and the inference graphs); `tokens` and `targets` [B, L] int64 in the training layout of
 * ../batch.ts; `mask` the additive causal mask [T, T] over T = P + L positions; `upstream` [B, L],
 * d loss / d logp of each target token (zero where the target is not a response token: the
 * `Objective` contract of ../tfjs/trainer.ts, whose surrogate is sum(logp * upstream)); with
 * images, `patches` [I, P, patchDim] (../batch.ts imagePatches) and `image_index` [B] int64.
 * `positions` [B, T] int64, the position of every index (0..T-1 per row, or ../packing.ts's).
 * Outputs: `logp` [B, L] (log-prob of each target, every position) and `grad.<name>` per weight.
 * Shapes are symbolic, so one session serves every batch shape. With `forwardOnly`, the same
 * forward without `upstream` and gradients (ORT runs every node of a graph whatever outputs are
 * fetched: fetching only `logp` from the training graph cost a whole step).
 *
 * Design: residual streams are [M, C] so linear layers are single Gemms; the token embedding is a
 * Gather forward and a ScatterND-add backward (a one-hot Gemm is the measured alternative); rows
 * sharing an image share one encoding, and positions are gathered per index (packed rows repeat
 * them): both Gather forward and one-hot Gemm backward, exact where ScatterND-add is not (below).
 */
import type { ModelConfig } from '../config.js';
import { modelDims } from '../config.js';
import { FLOAT, GraphBuilder, INT64 } from '../onnx/builder.js';
import { paramSpecs } from '../params.js';
import { type Stack, stackBackward, stackForward } from './blocks.js';
import { type GeluForm, layerNorm, layerNormBackward, linear, linearBackward, sumRows } from './ops.js';

/** Name of the gradient output of a parameter. */
export const gradName = (param: string): string => `grad.${param}`;

/** Implementation choices of the graph (A/B-measured in bench/model/onnx-train.ts). */
export interface TrainGraphOptions {
  /** With the image prefix (patch encoder included) or text only (decoder weights only). */
  images?: boolean;
  /** Only the forward pass (`logp`): for the objective's log-probs before the training run. */
  forwardOnly?: boolean;
  /** GELU written as x sigmoid(2u) (default) or 0.5 x (1 + tanh u): the same function. */
  gelu?: GeluForm;
  /**
   * Sparse gradients (token embedding, the target term of d logits) as ScatterND /
   * ScatterElements with reduction 'add' (default) or as one-hot products.
   */
  sparse?: 'scatter' | 'onehot';
}

/** The parameters a graph variant reads (and returns gradients for). */
export function trainParamNames(config: ModelConfig, images = false): string[] {
  return paramSpecs(config).filter((s) => images || s.name.startsWith('dec.')).map((s) => s.name);
}

/** shape4 = [shape(x3)[0], shape(x3)[1], heads, headSize] for a 3-D activation shape. */
function heads4(g: GraphBuilder, shape3: string, heads: number, headSize: number): string {
  return g.node('Concat', [g.node('Slice', [shape3, g.ints([0]), g.ints([2])]), g.ints([heads, headSize])], { axis: 0 });
}

interface EncoderGraph {
  /** Image tokens [I, P, Wd]. */
  tokens3: string;
  backward: (dTokens3: string, grads: Map<string, string>) => void;
}

function encoderForward(g: GraphBuilder, config: ModelConfig, gelu: GeluForm): EncoderGraph {
  const dims = modelDims(config);
  const We = config.encoderWidth;
  const patches = g.input('patches', FLOAT, ['I', dims.patches, dims.patchDim]);
  const shape3 = g.node('Concat', [g.node('Slice', [g.node('Shape', [patches]), g.ints([0]), g.ints([2])]), g.ints([We])], { axis: 0 });
  const flat = g.node('Reshape', [patches, g.ints([-1, dims.patchDim])]);
  const embedded = g.node('Add', [g.node('Reshape', [linear(g, flat, 'enc.patch.w', 'enc.patch.b'), shape3]), 'enc.pos']);
  const s: Stack = {
    prefix: 'enc', layers: config.encoderLayers, gelu, width: We, eps: config.normEps,
    shape4: heads4(g, shape3, config.encoderHeads, dims.encoderHeadSize), scale: 1 / Math.sqrt(dims.encoderHeadSize),
  };
  const stack = stackForward(g, g.node('Reshape', [embedded, g.ints([-1, We])]), s);
  const lnf = layerNorm(g, stack.out, 'enc.ln_f.g', 'enc.ln_f.b', config.normEps);
  const tokens = linear(g, lnf.y, 'enc.to_dec.w', 'enc.to_dec.b');
  const tokens3 = g.node('Reshape', [tokens, g.ints([-1, dims.patches, config.decoderWidth])]);
  const backward = (dTokens3: string, grads: Map<string, string>): void => {
    const toDec = linearBackward(g, lnf.y, 'enc.to_dec.w', g.node('Reshape', [dTokens3, g.ints([-1, config.decoderWidth])]), true);
    grads.set('enc.to_dec.w', toDec.dw).set('enc.to_dec.b', toDec.db!);
    const ln = layerNormBackward(g, lnf, toDec.dx);
    grads.set('enc.ln_f.g', ln.dgain).set('enc.ln_f.b', ln.dbias);
    const d = stackBackward(g, ln.dx, stack.saved, s, grads);
    grads.set('enc.pos', g.node('ReduceSum', [g.node('Reshape', [d, shape3]), g.ints([0])], { keepdims: 0 }));
    grads.set('enc.patch.w', g.node('Gemm', [flat, d], { transA: 1 })).set('enc.patch.b', sumRows(g, d));
  };
  return { tokens3, backward };
}

/** Serialised training (or forward-only) graph (see the module docstring). */
export function buildTrainGraph(config: ModelConfig, options: TrainGraphOptions = {}): Uint8Array {
  const g = new GraphBuilder();
  const dims = modelDims(config);
  const C = config.decoderWidth;
  const V = config.vocabSize;
  const geluForm = options.gelu ?? 'sigmoid';
  const sparse = options.sparse ?? 'scatter';
  const names = trainParamNames(config, options.images);
  const specs = paramSpecs(config).filter((spec) => names.includes(spec.name));
  for (const spec of specs) g.input(spec.name, FLOAT, spec.shape);
  const tokens = g.input('tokens', INT64, ['B', 'L']);
  const targets = g.input('targets', INT64, ['B', 'L']);
  const mask = g.input('mask', FLOAT, ['Bm', 1, 'T', 'T']);
  const P = options.images ? dims.patches : 0;

  // Decoder input [B, T, C]: [image prefix,] token embeddings, plus positions 0..T-1.
  let x3 = g.node('Gather', ['dec.wte', tokens], { axis: 0 }); // (B, L, C)
  let encoder: EncoderGraph | undefined;
  let imageIndex: string | undefined;
  if (options.images) {
    encoder = encoderForward(g, config, geluForm);
    imageIndex = g.input('image_index', INT64, ['B']);
    x3 = g.node('Concat', [g.node('Gather', [encoder.tokens3, imageIndex], { axis: 0 }), x3], { axis: 1 });
  }
  const shape3 = g.node('Shape', [x3]); // [B, T, C]
  const positions = g.input('positions', INT64, ['B', 'T']);
  const pos = g.node('Gather', ['dec.wpe', positions], { axis: 0 }); // (B, T, C)
  const s: Stack = {
    prefix: 'dec', layers: config.decoderLayers, gelu: geluForm, width: C, eps: config.normEps, mask,
    shape4: heads4(g, shape3, config.decoderHeads, dims.decoderHeadSize), scale: 1 / Math.sqrt(dims.decoderHeadSize),
  };
  const stack = stackForward(g, g.node('Reshape', [g.node('Add', [x3, pos]), g.ints([-1, C])]), s);
  // Text positions only, [B * L, C].
  const text = P > 0 ? g.node('Reshape', [g.node('Slice', [g.node('Reshape', [stack.out, shape3]), g.ints([P]), g.ints([2 ** 62]), g.ints([1])]), g.ints([-1, C])]) : stack.out;
  const lnf = layerNorm(g, text, 'dec.ln_f.g', 'dec.ln_f.b', config.normEps);
  const logsm = g.node('LogSoftmax', [linear(g, lnf.y, 'dec.head.w')], { axis: 1 }); // (B * L, V)
  const flatTargets = g.node('Reshape', [targets, g.ints([-1])]);
  const targetIndex = g.node('Unsqueeze', [flatTargets, g.ints([1])]); // (B * L, 1)
  const logp = g.node('GatherElements', [logsm, targetIndex], { axis: 1 });
  g.output('logp', g.node('Reshape', [logp, g.node('Shape', [tokens])]), FLOAT, ['B', 'L']);
  if (options.forwardOnly) return g.build('perceptrl-logp');

  // Backward. d logits = upstream * (onehot(target) - softmax).
  const upstream = g.input('upstream', FLOAT, ['B', 'L']);
  let onehotValues: string | undefined;
  /** [N, depth] one-hot rows of the flattened int64 `ids` (depth a number or an int64 [1] tensor). */
  const onehot = (ids: string, depth: number | string = V) => {
    onehotValues ??= g.floatInitializer('onehot_values', Float32Array.of(0, 1), [2]);
    return g.node('OneHot', [g.node('Reshape', [ids, g.ints([-1])]), typeof depth === 'number' ? g.ints([depth]) : depth, onehotValues], { axis: -1 });
  };
  const up = g.node('Reshape', [upstream, g.ints([-1, 1])]);
  const dlogits = sparse === 'onehot'
    ? g.node('Mul', [g.node('Sub', [onehot(flatTargets), g.node('Exp', [logsm])]), up])
    : g.node('ScatterElements', [g.node('Mul', [g.node('Exp', [logsm]), g.node('Neg', [up])]), targetIndex, up], { axis: 1, reduction: 'add' });
  const grads = new Map<string, string>();
  const head = linearBackward(g, lnf.y, 'dec.head.w', dlogits, false);
  grads.set('dec.head.w', head.dw);
  const dlnf = layerNormBackward(g, lnf, head.dx);
  grads.set('dec.ln_f.g', dlnf.dgain).set('dec.ln_f.b', dlnf.dbias);
  // Prefix positions get no gradient from the head.
  const dtop = P > 0
    ? g.node('Reshape', [g.node('Pad', [g.node('Reshape', [dlnf.dx, g.node('Concat', [g.node('Shape', [tokens]), g.ints([C])], { axis: 0 })]), g.ints([0, P, 0, 0, 0, 0])]), g.ints([-1, C])])
    : dlnf.dx;
  const dx3 = g.node('Reshape', [stackBackward(g, dtop, stack.saved, s, grads), shape3]); // (B, T, C)
  // Position and image gradients as one-hot products, not ScatterND-add: every row repeats the same
  // positions, and ORT's multi-threaded ScatterND loses updates to duplicate indices (measured: the
  // position gradient of two identical runs differed by 27 % at 2 threads).
  grads.set('dec.wpe', g.node('Gemm', [onehot(positions, dims.maxPositions), g.node('Reshape', [dx3, g.ints([-1, C])])], { transA: 1 }));
  const demb = g.node('Reshape', [P > 0 ? g.node('Slice', [dx3, g.ints([P]), g.ints([2 ** 62]), g.ints([1])]) : dx3, g.ints([-1, C])]);
  const flatTokens = g.node('Reshape', [tokens, g.ints([-1])]);
  grads.set('dec.wte', sparse === 'onehot'
    ? g.node('Gemm', [onehot(flatTokens), demb], { transA: 1 })
    : g.node('ScatterND', [g.floatInitializer('wte_zeros', new Float32Array(V * C), [V, C]), g.node('Unsqueeze', [flatTokens, g.ints([1])]), demb], { reduction: 'add' }));
  if (encoder && imageIndex) {
    const dprefix = g.node('Reshape', [g.node('Slice', [dx3, g.ints([0]), g.ints([P]), g.ints([1])]), g.ints([0, -1])]); // (B, P * C)
    const images = g.node('Slice', [g.node('Shape', [encoder.tokens3]), g.ints([0]), g.ints([1])]); // [I]
    const dtokens = g.node('Gemm', [onehot(imageIndex, images), dprefix], { transA: 1 }); // (I, P * C)
    encoder.backward(g.node('Reshape', [dtokens, g.node('Shape', [encoder.tokens3])]), grads);
  }
  for (const spec of specs) {
    const grad = grads.get(spec.name);
    if (!grad) throw new Error(`no gradient built for ${spec.name}`);
    g.output(gradName(spec.name), grad, FLOAT, spec.shape);
  }
  return g.build('perceptrl-train');
}
