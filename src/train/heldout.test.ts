import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EncodedPrompts, Policy, PolicyPrompt, Rollout } from '../policy/index.js';
import { defaultRegistry } from '../verifiers/index.js';
import { blindBaseline, buildHeldout, evaluatePolicy, sampleEvaluate } from './heldout.js';

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

test('sampled evaluation: pass@1, pass@k, mean and best-of-k from k rollouts per item', async () => {
  const heldout = buildHeldout([source('counting')], 12, 900001, 64);
  const items = heldout.tasks.counting!;
  const right = (i: number) => i % 4; // item i gets i % 4 correct rollouts out of 4
  const rollout = (text: string): Rollout => ({ text, tokens: [1], logprobs: new Float32Array(1), finishReason: 'stop' });
  const policy = {
    encode: async (prompts: readonly PolicyPrompt[]) => prompts as unknown as EncodedPrompts,
    generate: async (encoded: EncodedPrompts, params: { n: number }) => (encoded as unknown as PolicyPrompt[]).map((prompt) => {
      const i = items.findIndex((item) => item.prompt === prompt);
      const count = (items[i]!.answer as { count: number }).count;
      return Array.from({ length: params.n }, (_, j) => rollout(j < right(i) ? String(items[i]!.meta.reference_response) : `<think>guess</think><answer>${count + 7}</answer>`));
    }),
  } as unknown as Policy;
  const out = await sampleEvaluate(policy, defaultRegistry(), heldout, { k: 4, temperature: 1, seed: 0, batchSize: 5, maxTokens: 8 });
  const r = out.counting!;
  const expected1 = items.reduce((a, _, i) => a + right(i) / 4, 0) / items.length;
  const expectedK = items.filter((_, i) => right(i) > 0).length / items.length;
  assert.ok(Math.abs(r.pass_at_1 - expected1) < 1e-12, `pass@1 ${r.pass_at_1} vs ${expected1}`);
  assert.ok(Math.abs(r.pass_at_k - expectedK) < 1e-12);
  assert.ok(Math.abs(r.mean_score - expected1) < 1e-12, 'exact counting: mean score = pass@1');
  assert.ok(Math.abs(r.best_score - expectedK) < 1e-12);
  assert.equal(r.n, 12);
  assert.equal(r.k, 4);
});

test('greedy evaluation with strictFormat: a right count in a loop or cut at the budget scores 0 in the strict reading only', async () => {
  const heldout = buildHeldout([source('counting')], 9, 900001, 64);
  const items = heldout.tasks.counting!;
  // item i % 3: 0 clean and right, 1 right then a loop, 2 right but cut at the budget
  const policy = {
    encode: async (prompts: readonly PolicyPrompt[]) => prompts as unknown as EncodedPrompts,
    generate: async (encoded: EncodedPrompts) => (encoded as unknown as PolicyPrompt[]).map((prompt) => {
      const i = items.findIndex((item) => item.prompt === prompt);
      const count = (items[i]!.answer as { count: number }).count;
      const clean = `<think>\n${count} things\n</think>\n<answer>\n${count}\n</answer>`;
      const text = i % 3 === 1 ? `${clean}\n</think>\n<answer>\n${count}\n</answer>\n</think>` : clean;
      const rollout: Rollout = { text, tokens: [1], logprobs: new Float32Array(1), finishReason: i % 3 === 2 ? 'length' : 'stop' };
      return [rollout];
    }),
  } as unknown as Policy;
  const lenient = await evaluatePolicy(policy, defaultRegistry(), heldout, { batchSize: 4, maxTokens: 8 });
  assert.equal(lenient.tasks.counting!.accuracy, 1);
  assert.equal(lenient.tasks.counting!.strict, undefined);
  assert.equal(lenient.tasks.counting!.items[0]!.format_ok, undefined);
  const strict = await evaluatePolicy(policy, defaultRegistry(), heldout, { batchSize: 4, maxTokens: 8, strictFormat: 'r1-strict' });
  const r = strict.tasks.counting!;
  assert.equal(r.accuracy, 1, 'the headline stays lenient');
  assert.deepEqual(r.items.map((o) => o.format_ok), items.map((_, i) => i % 3 === 0));
  assert.ok(Math.abs(r.strict!.score - 1 / 3) < 1e-12);
  assert.ok(Math.abs(r.strict!.accuracy - 1 / 3) < 1e-12);
  assert.ok(Math.abs(r.strict!.format_rate - 1 / 3) < 1e-12);
  assert.equal(r.strict!.style, 'r1-strict');
});
