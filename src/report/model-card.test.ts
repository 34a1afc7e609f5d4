import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lastPerStep, renderModelCard, sampleShares, type ModelCardInput } from './model-card.js';

const input: ModelCardInput = {
  command: 'perceptrl pretrain --config configs/pretrain.yaml',
  recipePath: 'configs/pretrain.yaml',
  model: { params: 1_400_000, config: { imageSize: 64 }, bytes: 2_900_000, dtype: 'F16' },
  data: { seed: 1, batchSize: 32, steps: 6000, sources: [{ task: 'grounding', weight: 3 }, { task: 'counting', weight: 1 }] },
  heldout: { seed: 900001, hash: 'abcdef0123456789abcdef', perTask: 200 },
  stepSeconds: 3900,
  finalLoss: 0.25,
  rows: [
    { task: 'grounding', score: 0.4123, accuracy: 0.35, n: 200, blind: 0.012 },
    { task: 'counting', score: 0.6, accuracy: 0.6, n: 200, blind: null },
  ],
  curve: [
    { step: 1000, scores: { grounding: 0.1, counting: 0.3 }, accuracy: { grounding: 0.05, counting: 0.3 } },
    { step: 2000, scores: { grounding: 0.2, counting: 0.5 }, accuracy: { grounding: 0.1, counting: 0.5 } },
  ],
  curvePerTask: 50,
  machine: '2 cores',
};

test('model card: command, mix shares, time, final table with blind baseline, curve table and chart', async () => {
  const { markdown, curveSvg } = await renderModelCard(input);
  assert.ok(markdown.includes('perceptrl pretrain --config configs/pretrain.yaml'));
  assert.ok(markdown.includes('6000 steps × batch 32 = 192000 samples'));
  assert.ok(markdown.includes('grounding: weight 3 (75.0 % of samples)'));
  assert.ok(markdown.includes('65 minutes of optimizer steps'));
  assert.ok(markdown.includes('| grounding | 75.0 | 41.2 | 35.0 | 1.2 | 200 |'), markdown);
  assert.ok(markdown.includes('| counting | 25.0 | 60.0 | 60.0 | n/a | 200 |'));
  assert.ok(markdown.includes('| grounding | 10.0 | 20.0 |'));
  assert.ok(markdown.includes('F16, 2.9 MB'));
  assert.match(curveSvg, /^<svg/);
  assert.ok(curveSvg.includes('counting'), 'the chart has a line per task');
  assert.ok(markdown.includes('(AdamW, cosine schedule, 6000 steps'));
  const restarted = await renderModelCard({ ...input, data: { ...input.data, restarts: [5000] } });
  assert.ok(restarted.markdown.includes('(AdamW, cosine schedule with a warm restart at step 5000, 6000 steps'));
  const twice = await renderModelCard({ ...input, data: { ...input.data, restarts: [2000, 4000] } });
  assert.ok(twice.markdown.includes('(AdamW, cosine schedule with warm restarts at steps 2000 and 4000, 6000 steps'));
  // a task fed by two sources (here half the run each) shows its summed share of samples in the table
  const split = await renderModelCard({ ...input, data: { ...input.data, sources: [...input.data.sources, { task: 'grounding', weight: 2, difficulty: 1, from_step: 3000 }] } });
  assert.ok(split.markdown.includes('| grounding | 79.2 |'), 'grounding: 3/4 of steps 0-2999, 5/6 of steps 3000-5999');
});

test('sample shares follow the curriculum windows: a source that leaves early has its weight only while in the mix', () => {
  const sources = [{ task: 'localization', weight: 1, until_step: 50 }, { task: 'grounding', weight: 1 }, { task: 'counting', weight: 2, from_step: 50 }];
  const shares = sampleShares(sources, 100);
  // steps 0-49: localization 1/2, grounding 1/2; steps 50-99: grounding 1/3, counting 2/3
  assert.deepEqual(shares.map((x) => Math.round(x * 1e6) / 1e6), [0.25, 0.416667, 0.333333]);
  assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  assert.deepEqual(sampleShares([{ task: 'a', weight: 3 }, { task: 'b', weight: 1 }], 10).map((x) => Math.round(x * 1e9) / 1e9), [0.75, 0.25]);
});

test('lastPerStep keeps the last line of each step, so a resumed run\'s re-logged steps count once', () => {
  const lines = [{ step: 1, seconds: 1 }, { step: 2, seconds: 1 }, { step: 3, seconds: 9 }, { step: 3, seconds: 2 }, { step: 4, seconds: 1 }];
  const kept = lastPerStep(lines);
  assert.deepEqual(kept.map((l) => l.step), [1, 2, 3, 4]);
  assert.equal(kept.reduce((s, l) => s + l.seconds, 0), 5);
});
