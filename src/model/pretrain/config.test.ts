import assert from 'node:assert/strict';
import { test } from 'node:test';
import { learningRate, loadPretrainConfig, parsePretrainConfig, sourceActive } from './config.js';

test('configs/pretrain.yaml parses; its seeds sit in the pre-training and held-out ranges', async () => {
  const config = await loadPretrainConfig('configs/pretrain.yaml');
  assert.equal(config.data.seed, 1);
  assert.equal(config.eval.heldout_seed, 900001);
  assert.equal(config.model.prompt_style, 'compact');
  assert.ok(config.data.sources.length >= 10);
});

test('bad recipes are rejected naming the field', () => {
  const sources = [{ task: 'ocr' }];
  assert.throws(() => parsePretrainConfig({ data: { sources, seed: 100_000 } }), /pretrain\.data\.seed/);
  assert.throws(() => parsePretrainConfig({ data: { sources }, train: { stepz: 3 } }), /pretrain\.train/);
  assert.throws(() => parsePretrainConfig({ data: { sources }, model: { config: { imageSize: 60 } } }), /pretrain\.model\.config\.patchSize/);
});

test('learning rate: linear warm-up to the peak, cosine down to the floor', () => {
  const train = parsePretrainConfig({ data: { sources: [{ task: 'ocr' }] }, train: { steps: 1000, lr: 1e-3, warmup_steps: 100, min_lr_ratio: 0.1 } }).train;
  assert.ok(Math.abs(learningRate(train, 0) - 1e-5) < 1e-12);
  assert.ok(Math.abs(learningRate(train, 99) - 1e-3) < 1e-12);
  assert.ok(Math.abs(learningRate(train, 100) - 1e-3) < 1e-12);
  assert.ok(Math.abs(learningRate(train, 550) - 5.5e-4) < 1e-9); // halfway: floor + (peak - floor) / 2
  assert.ok(Math.abs(learningRate(train, 1000) - 1e-4) < 1e-12);
});

test('warm restarts: a continued schedule replays the original up to its end, then warms up and decays again', () => {
  const base = { lr: 1e-3, warmup_steps: 100, min_lr_ratio: 0.1 };
  const original = parsePretrainConfig({ data: { sources: [{ task: 'ocr' }] }, train: { ...base, steps: 1000 } }).train;
  const continued = parsePretrainConfig({ data: { sources: [{ task: 'ocr' }] }, train: { ...base, steps: 1600, restarts: [1000] } }).train;
  for (const step of [0, 50, 100, 550, 999]) assert.equal(learningRate(continued, step), learningRate(original, step));
  assert.ok(Math.abs(learningRate(continued, 1000) - 1e-5) < 1e-12); // warm-up again
  assert.ok(Math.abs(learningRate(continued, 1099) - 1e-3) < 1e-12);
  assert.ok(Math.abs(learningRate(continued, 1350) - 5.5e-4) < 1e-9); // halfway through the second cosine
  assert.ok(Math.abs(learningRate(continued, 1600) - 1e-4) < 1e-12);
  assert.throws(() => parsePretrainConfig({ data: { sources: [{ task: 'ocr' }] }, train: { steps: 100, restarts: [100] } }), /pretrain\.train\.restarts\[0\]/);
  assert.throws(() => parsePretrainConfig({ data: { sources: [{ task: 'ocr' }] }, train: { steps: 100, restarts: [50, 40] } }), /pretrain\.train\.restarts\[1\]/);
});

test('curriculum windows: a source is in the mix from from_step up to (not at) until_step; gaps are rejected', () => {
  const config = parsePretrainConfig({
    data: { sources: [{ task: 'localization', until_step: 100 }, { task: 'grounding', from_step: 50 }] },
    train: { steps: 200 },
  });
  const [first, second] = config.data.sources;
  assert.deepEqual([0, 49, 50, 99, 100, 199].map((step) => [sourceActive(first!, step), sourceActive(second!, step)]), [
    [true, false], [true, false], [true, true], [true, true], [false, true], [false, true],
  ]);
  assert.throws(() => parsePretrainConfig({ data: { sources: [{ task: 'ocr', until_step: 10 }, { task: 'chart', from_step: 20 }] }, train: { steps: 30 } }), /no source is in the mix at step 10/);
  assert.throws(() => parsePretrainConfig({ data: { sources: [{ task: 'ocr', from_step: 5 }] }, train: { steps: 30 } }), /at step 0/);
  assert.throws(() => parsePretrainConfig({ data: { sources: [{ task: 'ocr', from_step: 5, until_step: 5 }] } }), /sources\[0\]\.until_step/);
  // a window that ends after the run is fine
  assert.doesNotThrow(() => parsePretrainConfig({ data: { sources: [{ task: 'ocr', until_step: 10 }] }, train: { steps: 10 } }));
});
