/**
 * Parameter layout of the embedded VLM: every tensor by name and shape, in one fixed order, as plain
 * Float32Arrays. The layout is the contract between the two executors and the checkpoint file
 * (safetensors names are these names). Linear weights are stored [in, out] (y = x W + b).
 *
 * Init is deterministic: each tensor draws from its own stream `${seed}/${name}` (src/util/rng.ts),
 * so adding a tensor never changes the others. GPT-2 init: N(0, initStd) weights, residual output
 * projections scaled by 1/sqrt(2 * layers), zero biases, unit LayerNorm gains.
 */
import { Rng } from '../util/rng.js';
import type { ModelConfig } from './config.js';
import { modelDims } from './config.js';

export interface ParamSpec {
  name: string;
  shape: number[];
  init: 'normal' | 'zeros' | 'ones' | 'sincos2d';
  /** Std of a normal init. */
  std: number;
}

export type ModelParams = Map<string, Float32Array>;

/** Names of the tensors of one pre-norm block `${prefix}.h.${i}`. */
export function blockNames(prefix: string, i: number) {
  const p = `${prefix}.h.${i}`;
  return {
    ln1g: `${p}.ln1.g`, ln1b: `${p}.ln1.b`,
    qkvW: `${p}.attn.qkv.w`, qkvB: `${p}.attn.qkv.b`,
    projW: `${p}.attn.proj.w`, projB: `${p}.attn.proj.b`,
    ln2g: `${p}.ln2.g`, ln2b: `${p}.ln2.b`,
    fcW: `${p}.mlp.fc.w`, fcB: `${p}.mlp.fc.b`,
    outW: `${p}.mlp.proj.w`, outB: `${p}.mlp.proj.b`,
  };
}

function blockSpecs(prefix: string, i: number, width: number, hidden: number, layers: number, std: number): ParamSpec[] {
  const n = blockNames(prefix, i);
  const residualStd = std / Math.sqrt(2 * layers);
  return [
    { name: n.ln1g, shape: [width], init: 'ones', std: 0 },
    { name: n.ln1b, shape: [width], init: 'zeros', std: 0 },
    { name: n.qkvW, shape: [width, 3 * width], init: 'normal', std },
    { name: n.qkvB, shape: [3 * width], init: 'zeros', std: 0 },
    { name: n.projW, shape: [width, width], init: 'normal', std: residualStd },
    { name: n.projB, shape: [width], init: 'zeros', std: 0 },
    { name: n.ln2g, shape: [width], init: 'ones', std: 0 },
    { name: n.ln2b, shape: [width], init: 'zeros', std: 0 },
    { name: n.fcW, shape: [width, hidden], init: 'normal', std },
    { name: n.fcB, shape: [hidden], init: 'zeros', std: 0 },
    { name: n.outW, shape: [hidden, width], init: 'normal', std: residualStd },
    { name: n.outB, shape: [width], init: 'zeros', std: 0 },
  ];
}

/** The full layout, in a fixed order (encoder, bridge, decoder). */
export function paramSpecs(config: ModelConfig): ParamSpec[] {
  const dims = modelDims(config);
  const We = config.encoderWidth;
  const Wd = config.decoderWidth;
  const std = config.initStd;
  const specs: ParamSpec[] = [
    { name: 'enc.patch.w', shape: [dims.patchDim, We], init: 'normal', std },
    { name: 'enc.patch.b', shape: [We], init: 'zeros', std: 0 },
    { name: 'enc.pos', shape: [dims.patches, We], init: config.positionInit, std },
  ];
  for (let i = 0; i < config.encoderLayers; i++) {
    specs.push(...blockSpecs('enc', i, We, We * config.mlpRatio, Math.max(1, config.encoderLayers), std));
  }
  specs.push(
    { name: 'enc.ln_f.g', shape: [We], init: 'ones', std: 0 },
    { name: 'enc.ln_f.b', shape: [We], init: 'zeros', std: 0 },
    { name: 'enc.to_dec.w', shape: [We, Wd], init: 'normal', std },
    { name: 'enc.to_dec.b', shape: [Wd], init: 'zeros', std: 0 },
    { name: 'dec.wte', shape: [config.vocabSize, Wd], init: 'normal', std },
    { name: 'dec.wpe', shape: [dims.maxPositions, Wd], init: 'normal', std },
  );
  for (let i = 0; i < config.decoderLayers; i++) {
    specs.push(...blockSpecs('dec', i, Wd, Wd * config.mlpRatio, config.decoderLayers, std));
  }
  specs.push(
    { name: 'dec.ln_f.g', shape: [Wd], init: 'ones', std: 0 },
    { name: 'dec.ln_f.b', shape: [Wd], init: 'zeros', std: 0 },
    { name: 'dec.head.w', shape: [Wd, config.vocabSize], init: 'normal', std },
  );
  return specs;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Number of parameters; `part` restricts to the encoder (`enc.`) or decoder (`dec.`) tensors. */
export function countParams(config: ModelConfig, part?: 'enc' | 'dec'): number {
  return paramSpecs(config)
    .filter((s) => part === undefined || s.name.startsWith(`${part}.`))
    .reduce((sum, s) => sum + sizeOf(s.shape), 0);
}

/** Deterministic init from `seed` (see the module docstring). */
export function initParams(config: ModelConfig, seed: number): ModelParams {
  const params: ModelParams = new Map();
  for (const spec of paramSpecs(config)) {
    const data = new Float32Array(sizeOf(spec.shape));
    if (spec.init === 'ones') data.fill(1);
    else if (spec.init === 'sincos2d') sincos2d(data, spec.shape[0]!, spec.shape[1]!);
    else if (spec.init === 'normal') {
      const rng = new Rng(`${seed}/${spec.name}`);
      for (let i = 0; i < data.length; i++) data[i] = rng.normal() * spec.std;
    }
    params.set(spec.name, data);
  }
  return params;
}

/**
 * 2-D sine-cosine positions (MAE's fixed table, here the init of a trained one) for a square grid of
 * `patches` cells and `width` channels: a quarter of the channels each for sin(column·w), cos(column·w),
 * sin(row·w), cos(row·w), with frequencies w spread linearly up to just below Nyquist (pi per cell),
 * since the grids here are small (8x8 by default) and MAE's log-spaced frequencies would leave most
 * channels nearly constant. Channels beyond a multiple of 4 stay 0.
 */
export function sincos2d(out: Float32Array, patches: number, width: number): void {
  const side = Math.round(Math.sqrt(patches));
  const quarter = Math.floor(width / 4);
  for (let p = 0; p < patches; p++) {
    const row = Math.floor(p / side);
    const col = p % side;
    for (let k = 0; k < quarter; k++) {
      const w = (Math.PI * (k + 1)) / (quarter + 1);
      out[p * width + k] = Math.sin(col * w);
      out[p * width + quarter + k] = Math.cos(col * w);
      out[p * width + 2 * quarter + k] = Math.sin(row * w);
      out[p * width + 3 * quarter + k] = Math.cos(row * w);
    }
  }
}

/** A deep copy (executors own their copies; callers may keep theirs). */
export function cloneParams(params: ModelParams): ModelParams {
  return new Map([...params].map(([name, data]) => [name, new Float32Array(data)]));
}
