/**
 * The embedded VLM's description: one zod schema with defaults (each with its reason), the derived
 * sizes, and the parameter count. Both executors (tfjs for training, onnxruntime for inference) and
 * the checkpoint format read only this record, so they cannot drift apart.
 *
 * Architecture (DESIGN.md section 5): a ViT-style patch encoder (linear patch embedding + learned
 * positions + pre-norm bidirectional blocks) whose outputs, projected to the decoder width, are a
 * prefix of image tokens for a decoder-only pre-norm transformer with learned positions (rotary would
 * need sin/cos tables in both graphs for no gain at these lengths). GELU (tanh form) MLPs, untied
 * output head (FEASIBILITY.md's reference shape is untied).
 */
import { z } from 'zod';
import { ConfigError, parseOrThrow } from '../util/errors.js';

export const modelConfigSchema = z.strictObject({
  imageSize: z.number().int().min(32).max(128).default(64)
    .describe('Square image side in pixels (default 64): images are resized to this; 32-128 keeps the prefix short.'),
  patchSize: z.number().int().min(2).max(32).default(8)
    .describe('Patch side in pixels (default 8): 64/8 gives 64 image tokens, cheap next to the text.'),
  encoderLayers: z.number().int().min(0).max(12).default(2)
    .describe('Patch-encoder blocks (default 2); 0 feeds the patch embeddings straight to the decoder.'),
  encoderWidth: z.number().int().min(16).max(512).default(128)
    .describe('Patch-encoder width (default 128).'),
  encoderHeads: z.number().int().min(1).max(16).default(4)
    .describe('Patch-encoder attention heads (default 4); must divide encoderWidth.'),
  decoderLayers: z.number().int().min(1).max(16).default(4)
    .describe('Decoder blocks (default 4).'),
  decoderWidth: z.number().int().min(16).max(768).default(128)
    .describe('Decoder width (default 128): FEASIBILITY.md\'s 0.94M reference decoder, 1.4M parameters with the encoder; sized for training on 2 CPU cores (a 192-wide decoder measured 2x slower per step).'),
  decoderHeads: z.number().int().min(1).max(16).default(4)
    .describe('Decoder attention heads (default 4, head size 32); must divide decoderWidth.'),
  mlpRatio: z.number().int().min(1).max(8).default(4)
    .describe('MLP hidden size as a multiple of the width (default 4, as GPT-2).'),
  vocabSize: z.number().int().min(8).max(65536).default(640)
    .describe('Output vocabulary (default 640): at least the tokenizer size (597 with the number pieces 10-128), padded to a multiple of 64 for matmul efficiency (nanoGPT).'),
  maxTextLength: z.number().int().min(8).max(1024).default(160)
    .describe('Prompt + response tokens the decoder positions cover (default 160).'),
  normEps: z.number().positive().max(1e-2).default(1e-5)
    .describe('LayerNorm epsilon (default 1e-5).'),
  positionInit: z.enum(['sincos2d', 'normal']).default('sincos2d')
    .describe('Init of the patch position table enc.pos (default sincos2d: each patch\'s row and column as sines and cosines of amplitude 1, still trained; normal: N(0, initStd)). With N(0, 0.02) the model learned no box coordinates in 2000 pre-training steps: the position signal was 10x weaker than the pixels\'.'),
  attention: z.enum(['causal', 'prefix']).default('causal')
    .describe('Decoder attention (default causal, what every checkpoint before this field was trained with). prefix: the image tokens and the prompt attend to each other in both directions, responses causally (PaliGemma\'s prefix-LM), so each image token can check itself against the words of the question before the answer reads it.'),
  initStd: z.number().positive().max(1).default(0.02)
    .describe('Std of the normal init of weights (default 0.02, GPT-2); residual projections are scaled by 1/sqrt(2 layers).'),
});

export type ModelConfig = z.infer<typeof modelConfigSchema>;
export type ModelConfigInput = z.input<typeof modelConfigSchema>;

/** Parses and checks a config (unknown keys rejected; cross-field rules checked), throwing ConfigError. */
export function parseModelConfig(value: unknown, root = 'model'): ModelConfig {
  const config = parseOrThrow(modelConfigSchema, value ?? {}, root, ConfigError);
  const check = (ok: boolean, field: string, message: string): void => {
    if (!ok) throw new ConfigError(`${root}.${field}`, message);
  };
  check(config.imageSize % config.patchSize === 0, 'patchSize', `patchSize ${config.patchSize} must divide imageSize ${config.imageSize}`);
  check(config.encoderWidth % config.encoderHeads === 0, 'encoderHeads', `encoderHeads ${config.encoderHeads} must divide encoderWidth ${config.encoderWidth}`);
  check(config.decoderWidth % config.decoderHeads === 0, 'decoderHeads', `decoderHeads ${config.decoderHeads} must divide decoderWidth ${config.decoderWidth}`);
  return config;
}

/** Sizes derived from a config, computed in one place. */
export interface ModelDims {
  /** Image tokens per image, (imageSize / patchSize)^2. */
  patches: number;
  /** Values per patch, patchSize^2 * 3 (RGB). */
  patchDim: number;
  /** Decoder positions: image prefix + text. */
  maxPositions: number;
  encoderHeadSize: number;
  decoderHeadSize: number;
}

export function modelDims(config: ModelConfig): ModelDims {
  const side = config.imageSize / config.patchSize;
  const patches = side * side;
  return {
    patches,
    patchDim: config.patchSize * config.patchSize * 3,
    maxPositions: patches + config.maxTextLength,
    encoderHeadSize: config.encoderWidth / config.encoderHeads,
    decoderHeadSize: config.decoderWidth / config.decoderHeads,
  };
}
