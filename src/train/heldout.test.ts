import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultRegistry } from '../verifiers/index.js';
import { blindBaseline, buildHeldout } from './heldout.js';

const source = (task: string) => ({ task, weight: 1, difficulty: null, image_size: null, verifier: null });

test('blind baseline: each counting item answered with the next item\'s reference scores exactly when the counts agree', () => {
  const items = buildHeldout([source('counting')], 40, 900001, 64).tasks.counting!;
  const counts = items.map((item) => (item.answer as { count: number }).count);
  const expected = counts.filter((c, i) => c === counts[(i + 1) % counts.length]).length / counts.length;
  const blind = blindBaseline(defaultRegistry(), items);
  assert.equal(blind, expected);
  assert.ok(blind! < 0.5, `counts vary across items, so the blind baseline stays low (${blind})`);
});

test('blind baseline: grounding with the wrong image\'s box is far below the model-free ceiling of 1', () => {
  const items = buildHeldout([source('grounding')], 40, 900001, 64).tasks.grounding!;
  const blind = blindBaseline(defaultRegistry(), items)!;
  assert.ok(blind >= 0 && blind < 0.15, `blind grounding ${blind}`);
  // the same references on their own items score 1: the baseline differs only by the shuffle
  const own = blindBaseline(defaultRegistry(), [items[0]!, { ...items[0]!, id: 'copy' }]);
  assert.equal(own, 1);
});

test('blind baseline: null when items carry no reference responses or there are fewer than two', () => {
  const items = buildHeldout([source('counting')], 3, 900001, 64).tasks.counting!;
  assert.equal(blindBaseline(defaultRegistry(), items.slice(0, 1)), null);
  assert.equal(blindBaseline(defaultRegistry(), items.map((item) => ({ ...item, meta: {} }))), null);
});
