import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modelDims, parseModelConfig } from './config.js';
import { countParams, initParams, paramSpecs } from './params.js';

test('defaults give a model in the 1M-10M range with 64 image tokens', () => {
  const config = parseModelConfig({});
  const dims = modelDims(config);
  assert.equal(dims.patches, 64);
  const total = countParams(config);
  assert.ok(total > 1e6 && total < 1e7, `${total}`);
  assert.equal(countParams(config, 'enc') + countParams(config, 'dec'), total);
});

test("FEASIBILITY.md's reference decoder has 936,704 parameters", () => {
  // 4 layers, d=128, 4 heads, MLP 512, vocab 512, T=96, learned positions, untied head.
  const config = parseModelConfig({ decoderLayers: 4, decoderWidth: 128, decoderHeads: 4, vocabSize: 512, maxTextLength: 96 });
  const positionsOfImages = modelDims(config).patches * 128; // our wpe also covers the image prefix
  assert.equal(countParams(config, 'dec') - positionsOfImages, 936_704);
});

test('config errors name the field', () => {
  assert.throws(() => parseModelConfig({ imageSize: 60, patchSize: 8 }), /model\.patchSize: patchSize 8 must divide imageSize 60/);
  assert.throws(() => parseModelConfig({ decoderWidth: 100, decoderHeads: 6 }), /model\.decoderHeads/);
  assert.throws(() => parseModelConfig({ imageSize: 256 }), /model\.imageSize/);
  assert.throws(() => parseModelConfig({ unknownKey: 1 }), /model/);
});

test('init is deterministic per seed and per tensor', () => {
  const config = parseModelConfig({ decoderLayers: 1, encoderLayers: 1, decoderWidth: 32, decoderHeads: 2, encoderWidth: 16, encoderHeads: 2 });
  const a = initParams(config, 1);
  const b = initParams(config, 1);
  const c = initParams(config, 2);
  for (const spec of paramSpecs(config)) {
    assert.deepEqual(a.get(spec.name), b.get(spec.name));
    if (spec.init === 'normal') assert.notDeepEqual(a.get(spec.name), c.get(spec.name));
  }
  assert.ok(a.get('dec.h.0.ln1.g')!.every((v) => v === 1));
  const w = a.get('dec.h.0.mlp.fc.w')!;
  const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
  assert.ok(Math.abs(std - 0.02) < 0.002, `std ${std}`);
});

test('patch positions start as 2-D sines and cosines: unit amplitude, one distinct row per patch, column and row separable', () => {
  const config = parseModelConfig({ encoderWidth: 16, encoderHeads: 2 });
  const pos = initParams(config, 1).get('enc.pos')!;
  const W = 16;
  const side = 8;
  assert.equal(pos.length, side * side * W);
  assert.ok(pos.every((v) => v >= -1 && v <= 1));
  const row = (p: number) => Array.from(pos.subarray(p * W, (p + 1) * W));
  // patch (r, c) = r * 8 + c: the first half of the channels depends on the column only, the second on the row only
  assert.deepEqual(row(0 * side + 3).slice(0, 8), row(5 * side + 3).slice(0, 8));
  assert.deepEqual(row(2 * side + 0).slice(8), row(2 * side + 7).slice(8));
  const keys = new Set(Array.from({ length: side * side }, (_, p) => row(p).map((v) => v.toFixed(4)).join(',')));
  assert.equal(keys.size, side * side, 'every patch has its own position code');
  assert.ok(Math.abs(pos[0 * W + 4]! - 1) < 1e-6, 'cos(0) = 1 at the first patch');
  // the seed does not move them; "normal" restores the GPT-2 init
  assert.deepEqual(initParams(config, 2).get('enc.pos'), pos);
  const normal = initParams(parseModelConfig({ encoderWidth: 16, encoderHeads: 2, positionInit: 'normal' }), 1).get('enc.pos')!;
  assert.ok(Math.sqrt(normal.reduce((s, v) => s + v * v, 0) / normal.length) < 0.03);
});
