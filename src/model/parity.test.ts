/** The two executors agree: tfjs (training) and onnxruntime (inference) on the same weights. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OnnxExecutor } from './onnx/executor.js';
import { initParams } from './params.js';
import { tinyBatch, tinyConfig } from './testing/tiny.js';
import { initTfjs, type TfjsRuntime } from './tfjs/runtime.js';
import { meanNll, TfjsTrainer } from './tfjs/trainer.js';

let runtime: TfjsRuntime;
const executors: OnnxExecutor[] = [];
before(async () => {
  runtime = await initTfjs({ threads: 2 });
});
after(async () => {
  for (const e of executors) await e.dispose();
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

const cases = [
  { images: 2, weights: 'inputs', gelu: 'tanh', attention: 'causal' },
  { images: 0, weights: 'inputs', gelu: 'tanh', attention: 'causal' },
  { images: 2, weights: 'baked', gelu: 'sigmoid', attention: 'causal' },
  { images: 2, weights: 'inputs', gelu: 'tanh', attention: 'prefix' },
] as const;
for (const { images, weights, gelu, attention } of cases) {
  test(`logits agree to 1e-4 (${images ? 'with images, shared by rows' : 'text only'}; weights ${weights}, ${gelu} GELU, ${attention} attention)`, async () => {
    const config = tinyConfig({ attention });
    const params = initParams(config, 11);
    const { batch, responses } = tinyBatch(config, 4, images, 3);
    const trainer = new TfjsTrainer(runtime, config, params);
    const onnx = await OnnxExecutor.create(config, params, { weights, gelu });
    executors.push(onnx);
    const a = trainer.textLogits(batch, responses);
    const b = await onnx.textLogits(batch, responses);
    assert.equal(a.length, b.length);
    const diff = maxAbsDiff(a.logits, b.logits);
    assert.ok(diff < 1e-4, `max |diff| ${diff}`);
    const lpA = trainer.logprobs(batch, responses, { image: 'corrupted', corruptSeed: 4 }).flatMap((r) => [...r]);
    const lpB = (await onnx.logprobs(batch, responses, { image: 'corrupted', corruptSeed: 4 })).flatMap((r) => [...r]);
    assert.ok(maxAbsDiff(lpA, lpB) < 1e-4);
    trainer.dispose();
  });
}

for (const weights of ['inputs', 'baked'] as const) test(`after training steps, new weights given to the ONNX executor (${weights}) still agree`, async () => {
  const config = tinyConfig();
  const params = initParams(config, 12);
  const { batch, responses } = tinyBatch(config, 3, 1, 5);
  const trainer = new TfjsTrainer(runtime, config, params);
  const onnx = await OnnxExecutor.create(config, params, { weights });
  executors.push(onnx);
  const before = await onnx.logprobs(batch, responses);
  for (let i = 0; i < 3; i++) trainer.step(batch, responses, meanNll, { lr: 1e-2 });
  await onnx.setParams(trainer.params());
  const lpA = trainer.logprobs(batch, responses).flatMap((r) => [...r]);
  const lpB = (await onnx.logprobs(batch, responses)).flatMap((r) => [...r]);
  assert.ok(maxAbsDiff(lpA, lpB) < 1e-4);
  assert.ok(maxAbsDiff(lpB, before.flatMap((r) => [...r])) > 1e-3, 'the weights did change');
  trainer.dispose();
});
