import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { initParams } from '../params.js';
import { tinyBatch, tinyConfig } from '../testing/tiny.js';
import { EOS_ID } from '../tokenizer/index.js';
import { OnnxExecutor } from './executor.js';
import { generate } from './generate.js';
import type { ModelBatch } from '../batch.js';

const config = tinyConfig();
let executor: OnnxExecutor;
let prefixLm: OnnxExecutor;
before(async () => {
  executor = await OnnxExecutor.create(config, initParams(config, 21));
  prefixLm = await OnnxExecutor.create(tinyConfig({ attention: 'prefix' }), initParams(config, 21));
});
after(async () => {
  await executor.dispose();
  await prefixLm.dispose();
});

const layouts = [['fixed', 'causal'], ['concat', 'causal'], ['fixed', 'prefix']] as const;
for (const [kvCache, attention] of layouts) test(`sampled log-probs equal the log-probs recomputed in the training layout (${kvCache} KV cache + left padding, ${attention} attention)`, async () => {
  const { batch } = tinyBatch(config, 5, 2, 8); // prompts of different lengths, rows sharing images
  const model = attention === 'prefix' ? prefixLm : executor;
  const gen = await generate(model, batch, { maxTokens: 10, seed: 3, vocabLimit: 500, kvCache });
  assert.equal(gen.tokens.length, 5);
  const recomputed = await model.logprobs(batch, gen.tokens);
  gen.logprobs.forEach((row, b) => {
    assert.equal(row.length, gen.tokens[b]!.length);
    row.forEach((v, j) => assert.ok(Math.abs(v - recomputed[b]![j]!) < 1e-4, `row ${b} token ${j}: ${v} vs ${recomputed[b]![j]}`));
  });
});

test('same seed, same rollouts; different seed, different rollouts; greedy = top-p tiny', async () => {
  const { batch } = tinyBatch(config, 4, 1, 2);
  const a = await generate(executor, batch, { maxTokens: 8, seed: 5 });
  const b = await generate(executor, batch, { maxTokens: 8, seed: 5 });
  const c = await generate(executor, batch, { maxTokens: 8, seed: 6 });
  assert.deepEqual(a.tokens, b.tokens);
  assert.notDeepEqual(a.tokens, c.tokens);
  const greedy = await generate(executor, batch, { maxTokens: 6, temperature: 0 });
  const nucleus = await generate(executor, batch, { maxTokens: 6, topP: 1e-6, seed: 9 });
  assert.deepEqual(greedy.tokens, nucleus.tokens);
});

test('token limit, suppressed ids and stop tokens', async () => {
  const { batch } = tinyBatch(config, 3, 0, 4);
  const gen = await generate(executor, batch, { maxTokens: 5, seed: 1, vocabLimit: 300 });
  for (const [b, row] of gen.tokens.entries()) {
    assert.ok(row.length <= 5);
    assert.ok(row.every((id) => id < 300 && id !== 0 && id !== 1 && id !== 3));
    if (gen.finishReason[b] === 'length') assert.equal(row.length, 5);
  }
  // Make the first sampled token a stop token: every row stops after one token.
  const first = gen.tokens.map((row) => row[0]!);
  const stopped = await generate(executor, batch, { maxTokens: 5, seed: 1, vocabLimit: 300, stopTokens: [...first, EOS_ID] });
  assert.deepEqual(stopped.finishReason, ['stop', 'stop', 'stop']);
  assert.deepEqual(stopped.tokens.map((r) => r.length), [1, 1, 1]);
});

/** 3 prompts x 4 rollouts (rows of a group share image and prompt), prompts of different lengths. */
function groupedBatch(): ModelBatch {
  const { batch } = tinyBatch(config, 3, 3, 11);
  const rows = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
  return { images: batch.images, imageIndex: rows, prompts: rows.map((i) => [...batch.prompts[i]!]) };
}

const stopRange = Array.from({ length: 60 }, (_, i) => 4 + i); // ~10 % of the ids: rows stop at varied steps
for (const [label, model, temperature] of [['sampled', 'causal', 1], ['greedy', 'causal', 0], ['sampled', 'prefix', 1]] as const) {
  test(`shared prefill and dropping finished rows change no token (${label}, ${model} attention)`, async () => {
    const m = model === 'prefix' ? prefixLm : executor;
    for (const seed of [1, 2, 3]) {
      const options = { maxTokens: 12, seed, vocabLimit: 500, temperature, stopTokens: stopRange };
      const plain = await generate(m, groupedBatch(), { ...options, sharedPrefill: false, compactRows: false });
      const fast = await generate(m, groupedBatch(), options);
      const concat = await generate(m, groupedBatch(), { ...options, kvCache: 'concat' });
      assert.deepEqual(fast.tokens, plain.tokens);
      assert.deepEqual(fast.finishReason, plain.finishReason);
      assert.deepEqual(concat.tokens, plain.tokens);
      fast.logprobs.forEach((row, b) => row.forEach((v, j) => assert.ok(Math.abs(v - plain.logprobs[b]![j]!) < 1e-5, `row ${b} token ${j}`)));
    }
  });
}

test('the equality test above drops rows: rows finish at different steps and some before the last', async () => {
  const lengths = new Set<number>();
  for (const seed of [1, 2, 3]) {
    const gen = await generate(executor, groupedBatch(), { maxTokens: 12, seed, vocabLimit: 500, stopTokens: stopRange });
    const rowLengths = gen.tokens.map((t) => t.length);
    const longest = Math.max(...rowLengths);
    // at least a quarter of the rows end two or more steps before the longest, so the cache compacts
    assert.ok(rowLengths.filter((n) => n <= longest - 2).length * 4 >= rowLengths.length, `lengths ${rowLengths.join(',')}`);
    rowLengths.forEach((n) => lengths.add(n));
  }
  assert.ok(lengths.size >= 3);
});
