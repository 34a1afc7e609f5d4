import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initParams } from '../params.js';
import { checkGradients } from '../testing/gradcheck.js';
import { tinyBatch, tinyConfig } from '../testing/tiny.js';
import { initTfjs, type TfjsRuntime } from './runtime.js';
import { meanNll, TfjsTrainer } from './trainer.js';

let runtime: TfjsRuntime;
before(async () => {
  runtime = await initTfjs({ threads: 2 });
});

test('runs on wasm with 2 threads', () => {
  assert.equal(runtime.backend, 'wasm');
  assert.equal(runtime.threads, 2);
});

test('gradients match central finite differences on a tiny model', async () => {
  const config = tinyConfig();
  const params = initParams(config, 3);
  const { batch, responses } = tinyBatch(config, 3, 2);
  const trainer = new TfjsTrainer(runtime, config, params);
  const { grads } = trainer.gradients(batch, responses, meanNll);
  const checked = await checkGradients(params, grads, (perturbed) => {
    trainer.setParams(perturbed);
    return meanNll(trainer.logprobs(batch, responses)).loss;
  });
  assert.ok(checked >= 30, `checked ${checked} tensors`);
  trainer.dispose();
});

test('the loss falls on a fixed batch', () => {
  const config = tinyConfig();
  const { batch, responses } = tinyBatch(config, 4, 2, 7);
  const trainer = new TfjsTrainer(runtime, config, initParams(config, 1));
  const losses: number[] = [];
  for (let i = 0; i < 30; i++) losses.push(trainer.step(batch, responses, meanNll, { lr: 1e-2 }).loss);
  assert.ok(losses[0]! > 6, `initial loss ${losses[0]} should be near ln 512`);
  assert.ok(losses.at(-1)! < losses[0]! * 0.5, `loss ${losses[0]} -> ${losses.at(-1)}`);
  trainer.dispose();
});

test('rows sharing an image get the same log-probs as rows with their own copy', () => {
  const config = tinyConfig();
  const { batch, responses } = tinyBatch(config, 4, 2, 9);
  const trainer = new TfjsTrainer(runtime, config, initParams(config, 5));
  const shared = trainer.logprobs(batch, responses);
  const copied = trainer.logprobs({ images: batch.imageIndex!.map((i) => batch.images[i]!), prompts: batch.prompts }, responses);
  shared.forEach((row, b) => row.forEach((v, j) => assert.ok(Math.abs(v - copied[b]![j]!) < 1e-5)));
  const corrupted = trainer.logprobs(batch, responses, { image: 'corrupted', corruptProb: 1 });
  assert.notDeepEqual(corrupted, shared);
  trainer.dispose();
});

test('batches over the memory budget are split into row chunks with the same gradients', () => {
  const config = tinyConfig();
  const params = initParams(config, 8);
  const { batch, responses } = tinyBatch(config, 5, 3, 12);
  const whole = new TfjsTrainer(runtime, config, params);
  const chunked = new TfjsTrainer(runtime, config, params, { memoryBudget: 1 }); // one row per chunk
  const a = whole.gradients(batch, responses, meanNll);
  const b = chunked.gradients(batch, responses, meanNll);
  assert.ok(Math.abs(a.loss - b.loss) < 1e-6);
  for (const [name, g] of a.grads) {
    const h = b.grads.get(name)!;
    g.forEach((v, i) => assert.ok(Math.abs(v - h[i]!) < 1e-5 + 1e-4 * Math.abs(v), `${name}[${i}]: ${v} vs ${h[i]}`));
  }
  assert.deepEqual(chunked.logprobs(batch, responses).map((r) => r.length), responses.map((r) => r.length));
  whole.dispose();
  chunked.dispose();
});
