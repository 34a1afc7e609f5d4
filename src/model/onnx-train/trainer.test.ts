import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ModelBatch } from '../batch.js';
import { parseModelConfig } from '../config.js';
import { initParams, cloneParams, paramSpecs, type ModelParams } from '../params.js';
import { checkGradients } from '../testing/gradcheck.js';
import { tinyBatch, tinyConfig } from '../testing/tiny.js';
import { Rng } from '../../util/rng.js';
import { initTfjs, type TfjsRuntime } from '../tfjs/runtime.js';
import { meanNll, type Objective, TfjsTrainer } from '../tfjs/trainer.js';
import { adamwStep, newAdamWState } from './adamw.js';
import { OnnxTrainer } from './trainer.js';

// Text-only batches (no image prefix): the ORT training graph covers the decoder only so far.
const config = tinyConfig();
let runtime: TfjsRuntime;
before(async () => {
  runtime = await initTfjs({ threads: 2 });
});
after(() => setImmediate(() => process.exit(0))); // tfjs-wasm pthreads keep the loop alive

/** A log-prob-dependent objective (PPO-like ratio), so the two-run path is really exercised. */
const ratioObjective: Objective = (logprobs) => {
  const count = logprobs.reduce((n, r) => n + r.length, 0);
  let loss = 0;
  const grad = logprobs.map((row, b) => row.map((lp, j) => {
    const w = (b % 2 ? 1 : -0.5) * (1 + j / 4);
    loss -= (w * Math.exp(lp + 6)) / count;
    return (-w * Math.exp(lp + 6)) / count;
  }));
  return { loss, grad: grad.map((r) => Float32Array.from(r)) };
};

function assertClose(a: ModelParams, b: ModelParams, rel: number): void {
  for (const [name, g] of a) {
    const h = b.get(name);
    assert.ok(h && h.length === g.length, `${name}: missing or wrong size`);
    let scale = 0;
    for (const v of g) scale = Math.max(scale, Math.abs(v));
    g.forEach((v, i) => assert.ok(Math.abs(v - h[i]!) <= rel * scale + 1e-7, `${name}[${i}]: ${v} vs ${h[i]} (scale ${scale})`));
  }
}

for (const [label, objective] of [['mean NLL', meanNll], ['a log-prob-dependent objective', ratioObjective]] as const) {
  test(`gradients equal TfjsTrainer.gradients to 1e-4 relative (${label})`, async () => {
    const params = initParams(config, 3);
    const { batch, responses } = tinyBatch(config, 4, 0, 5);
    const tfjs = new TfjsTrainer(runtime, config, params);
    const ort = await OnnxTrainer.create(config, params);
    const a = tfjs.gradients(batch, responses, objective);
    const b = await ort.gradients(batch, responses, objective);
    assert.ok(Math.abs(a.loss - b.loss) <= 1e-5 * Math.abs(a.loss), `loss ${a.loss} vs ${b.loss}`);
    assert.equal(b.grads.size, paramSpecs(config).length);
    assertClose(a.grads, b.grads, 1e-4);
    const nonzero = [...b.grads].filter(([n, g]) => n.startsWith('dec.') && g.some((v) => v !== 0)).length;
    assert.equal(nonzero, [...b.grads.keys()].filter((n) => n.startsWith('dec.')).length);
    tfjs.dispose();
    await ort.dispose();
  });
}

test('log-probs equal the tfjs trainer\'s', async () => {
  const params = initParams(config, 4);
  const { batch, responses } = tinyBatch(config, 3, 0, 6);
  const tfjs = new TfjsTrainer(runtime, config, params);
  const ort = await OnnxTrainer.create(config, params);
  const a = tfjs.logprobs(batch, responses);
  const b = await ort.logprobs(batch, responses);
  a.forEach((row, r) => row.forEach((v, j) => assert.ok(Math.abs(v - b[r]![j]!) < 1e-5, `${r}/${j}: ${v} vs ${b[r]![j]}`)));
  tfjs.dispose();
  await ort.dispose();
});

test('gradients match central finite differences (largest entry of every tensor, image batch)', async () => {
  const params = initParams(config, 3);
  const { batch, responses } = tinyBatch(config, 3, 2, 2);
  const ort = await OnnxTrainer.create(config, params);
  const { grads } = await ort.gradients(batch, responses, meanNll);
  const checked = await checkGradients(params, grads, async (perturbed) => {
    ort.setParams(perturbed);
    return meanNll(await ort.logprobs(batch, responses)).loss;
  });
  assert.ok(checked >= 40, `checked ${checked} of ${grads.size} tensors`);
  await ort.dispose();
});

test('one JS AdamW step equals TfjsTrainer.step; the loss falls on a fixed batch', async () => {
  const params = cloneParams(initParams(config, 1));
  const { batch, responses } = tinyBatch(config, 4, 0, 7);
  const tfjs = new TfjsTrainer(runtime, config, params);
  const ort = await OnnxTrainer.create(config, params);
  const ndims = new Map(paramSpecs(config).map((s) => [s.name, s.shape.length]));
  const decOnly = (g: ModelParams) => new Map([...g].filter(([n]) => n.startsWith('dec.')));
  const opt = { lr: 1e-2 };
  // The optimizer is compared on tfjs's own gradients: Adam's first step is g / (|g| + eps), which
  // amplifies the 1e-7 relative gradient differences of near-zero entries.
  const tfGrads = tfjs.gradients(batch, responses, meanNll).grads;
  tfjs.step(batch, responses, meanNll, opt);
  const mirror = cloneParams(params);
  adamwStep(mirror, decOnly(tfGrads), ndims, newAdamWState(), opt);
  const expected = tfjs.params();
  for (const [name, p] of mirror) p.forEach((v, i) => assert.ok(Math.abs(v - expected.get(name)![i]!) < 1e-6, `${name}[${i}]: ${v} vs ${expected.get(name)![i]}`));
  const losses: number[] = [];
  for (let i = 0; i < 26; i++) losses.push((await ort.step(batch, responses, meanNll, opt)).loss);
  assert.equal(ort.steps, 26);
  assert.equal(ort.optimizerState().m.size, [...ndims.keys()].filter((n) => n.startsWith('dec.')).length);
  assert.ok(losses.at(-1)! < losses[0]! * 0.5, `loss ${losses[0]} -> ${losses.at(-1)}`);
  tfjs.dispose();
  await ort.dispose();
});

for (const [images, attention] of [[1, 'causal'], [2, 'causal'], [2, 'prefix']] as const) {
  test(`with the image prefix (${images} image(s) shared by 4 rows, ${attention} attention): gradients of every weight equal tfjs's to 1e-4`, async () => {
    const config = tinyConfig({ attention });
    const params = initParams(config, 6);
    const { batch, responses } = tinyBatch(config, 4, images, 11);
    const tfjs = new TfjsTrainer(runtime, config, params);
    const ort = await OnnxTrainer.create(config, params);
    const a = tfjs.gradients(batch, responses, ratioObjective);
    const b = await ort.gradients(batch, responses, ratioObjective);
    assert.ok(Math.abs(a.loss - b.loss) <= 1e-5 * Math.abs(a.loss), `loss ${a.loss} vs ${b.loss}`);
    assertClose(a.grads, b.grads, 1e-4);
    assert.ok([...b.grads].every(([, g]) => g.some((v) => v !== 0)), 'every weight has a gradient');
    const corrupted = { image: 'corrupted', corruptProb: 0.5, corruptSeed: 3 } as const;
    const c = tfjs.logprobs(batch, responses, corrupted);
    const d = await ort.logprobs(batch, responses, corrupted);
    c.forEach((row, r) => row.forEach((v, j) => assert.ok(Math.abs(v - d[r]![j]!) < 1e-5)));
    tfjs.dispose();
    await ort.dispose();
  });
}

test('the measured alternatives (tanh GELU, one-hot sparse gradients, recomputed forward) give the same gradients', async () => {
  const params = initParams(config, 9);
  const { batch, responses } = tinyBatch(config, 3, 2, 4);
  const fast = await OnnxTrainer.create(config, params);
  const alt = await OnnxTrainer.create(config, params, { graph: { gelu: 'tanh', sparse: 'onehot' }, threads: 1, mode: 'recompute' });
  const a = await fast.gradients(batch, responses, ratioObjective);
  const b = await alt.gradients(batch, responses, ratioObjective);
  assert.ok(Math.abs(a.loss - b.loss) <= 1e-6 * Math.abs(a.loss));
  assertClose(a.grads, b.grads, 2e-5);
  // The single run with the same upstream gives the same gradients as the split forward/backward.
  const prepared = fast.prepare(batch, responses);
  const { layout } = prepared;
  const nll = meanNll(await fast.logprobs(batch, responses));
  const upstream = new Float32Array(layout.rows * layout.length);
  nll.grad.forEach((row, r) => upstream.set(row, r * layout.length + layout.responseStart[r]!));
  const single = await fast.stepWithUpstream(prepared, upstream);
  const split = await fast.gradients(batch, responses, meanNll);
  assertClose(single.grads, new Map([...split.grads].filter(([n]) => single.grads.has(n))), 1e-6);
  await fast.dispose();
  await alt.dispose();
});

/** GRPO-shaped batch: `groups` prompts, each with its own image, `G` rows each, responses of varied lengths (one empty). */
function groupedBatch(config: ReturnType<typeof tinyConfig>, groups: number, G: number, seed: number): { batch: ModelBatch; responses: number[][] } {
  const { batch: base, responses: pool } = tinyBatch(config, groups * G, groups, seed);
  const prompts = base.prompts.slice(0, groups);
  const rows = Array.from({ length: groups * G }, (_, r) => Math.floor(r / G));
  const responses = rows.map((_, r) => (r === 1 ? [] : pool[r]!));
  return { batch: { images: base.images, imageIndex: rows, prompts: rows.map((g) => [...prompts[g]!]) }, responses };
}

test('shared-prefix packing: log-probs and gradients of a grouped batch equal the plain layout\'s and tfjs\'s', async () => {
  const config = tinyConfig({ maxTextLength: 40 });
  const params = initParams(config, 12);
  const { batch, responses } = groupedBatch(config, 3, 4, 13);
  const packed = await OnnxTrainer.create(config, params, { pack: 'always' });
  const plain = await OnnxTrainer.create(config, params, { pack: 'off' });
  const layout = packed.prepare(batch, responses).layout;
  assert.equal(layout.rows, 3, 'one packed row per group');
  const unpacked = plain.prepare(batch, responses).layout;
  assert.ok(layout.rows * layout.length < unpacked.rows * unpacked.length);
  const tfjs = new TfjsTrainer(runtime, config, params);
  const ref = tfjs.gradients(batch, responses, ratioObjective);
  for (const trainer of [packed, plain]) {
    const out = await trainer.gradients(batch, responses, ratioObjective);
    assert.ok(Math.abs(ref.loss - out.loss) <= 1e-5 * Math.abs(ref.loss), `loss ${ref.loss} vs ${out.loss}`);
    assertClose(ref.grads, out.grads, 1e-4);
  }
  const a = tfjs.logprobs(batch, responses);
  const b = await packed.logprobs(batch, responses);
  assert.deepEqual(b.map((r) => r.length), responses.map((r) => r.length));
  a.forEach((row, r) => row.forEach((v, j) => assert.ok(Math.abs(v - b[r]![j]!) < 1e-5, `${r}/${j}: ${v} vs ${b[r]![j]}`)));
  tfjs.dispose();
  await packed.dispose();
  await plain.dispose();
});

test('gradients are deterministic at 2 threads on an RL-sized batch (no lost scatter-add updates)', async () => {
  // 16 rows, two images, detection-length answers: the shape at which a ScatterND-add position
  // gradient lost updates (two identical runs differed by 27 %); the one-hot product does not.
  const config = parseModelConfig({});
  const params = initParams(config, 5);
  const rng = new Rng('determinism');
  const S = config.imageSize;
  const images = [0, 1].map(() => Float32Array.from({ length: S * S * 3 }, () => rng.next()));
  const prompts = [0, 1].map(() => Array.from({ length: 10 }, () => rng.int(4, 300)));
  const rows = Array.from({ length: 16 }, (_, r) => r % 2);
  const responses = rows.map(() => Array.from({ length: rng.int(30, 90) }, () => rng.int(4, 300)));
  const batch: ModelBatch = { images, imageIndex: rows, prompts: rows.map((g) => [...prompts[g]!]) };
  for (const pack of ['off', 'auto'] as const) {
    const trainer = await OnnxTrainer.create(config, params, { threads: 2, pack });
    const a = await trainer.gradients(batch, responses, ratioObjective);
    const b = await trainer.gradients(batch, responses, ratioObjective);
    for (const [name, g] of a.grads) {
      const h = b.grads.get(name)!;
      const differing = g.reduce((n, v, i) => n + (v === h[i] ? 0 : 1), 0);
      assert.equal(differing, 0, `${pack}: ${name} differs in ${differing} of ${g.length} entries between two identical runs`);
    }
    await trainer.dispose();
  }
});
