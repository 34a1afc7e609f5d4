/**
 * Tiny models and batches for the model's tests (a few thousand parameters, so each test takes
 * milliseconds); not used outside tests and benches.
 */
import { Rng } from '../../util/rng.js';
import type { ModelBatch } from '../batch.js';
import type { ModelConfig } from '../config.js';
import { parseModelConfig } from '../config.js';

export function tinyConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return parseModelConfig({
    imageSize: 32, patchSize: 16, encoderLayers: 1, encoderWidth: 16, encoderHeads: 2,
    decoderLayers: 2, decoderWidth: 32, decoderHeads: 2, mlpRatio: 2, vocabSize: 640, maxTextLength: 24,
    ...overrides,
  });
}

/** `rows` rows over `images` random images; prompts and responses of varied lengths. */
export function tinyBatch(config: ModelConfig, rows: number, images: number, seed = 1): { batch: ModelBatch; responses: number[][] } {
  const rng = new Rng(`tiny/${seed}`);
  const S = config.imageSize;
  const imgs = Array.from({ length: images }, () => Float32Array.from({ length: S * S * 3 }, () => rng.next()));
  const ids = (n: number) => Array.from({ length: n }, () => rng.int(4, 300));
  const prompts = Array.from({ length: rows }, () => ids(rng.int(2, 6)));
  const responses = Array.from({ length: rows }, () => ids(rng.int(1, 8)));
  const batch: ModelBatch = images > 0
    ? { images: imgs, imageIndex: prompts.map((_, b) => b % images), prompts }
    : { images: [], prompts };
  return { batch, responses };
}
