import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { initParams } from '../params.js';
import { tinyBatch, tinyConfig } from '../testing/tiny.js';
import { initTfjs, type TfjsRuntime } from '../tfjs/runtime.js';
import { meanNll, TfjsTrainer } from '../tfjs/trainer.js';
import { Tokenizer } from '../tokenizer/index.js';
import { checkpointWeights, loadCheckpoint, saveCheckpoint } from './index.js';
import { decodeSafetensors, encodeSafetensors, fromHalf, toHalf } from './safetensors.js';

let runtime: TfjsRuntime;
let root: string;
before(async () => {
  runtime = await initTfjs({ threads: 2 });
  root = await mkdtemp(join(tmpdir(), 'perceptrl-ckpt-test-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const config = tinyConfig();
const tokenizer = new Tokenizer();

test('save, load and continue give identical log-probs', async () => {
  const { batch, responses } = tinyBatch(config, 3, 2, 4);
  const a = new TfjsTrainer(runtime, config, initParams(config, 2));
  const opt = { lr: 5e-3 };
  for (let i = 0; i < 2; i++) a.step(batch, responses, meanNll, opt);
  const dir = join(root, 'fp32');
  await saveCheckpoint(dir, { config, params: a.params(), tokenizer, optimizer: a.optimizerState(), meta: { step: 2 } });
  assert.deepEqual((await readdir(dir)).sort(), ['config.json', 'model.safetensors', 'optimizer.safetensors', 'tokenizer.json']);
  const loaded = await loadCheckpoint(dir);
  assert.deepEqual(loaded.config, config);
  assert.deepEqual(loaded.meta, { step: 2 });
  const b = new TfjsTrainer(runtime, loaded.config, loaded.params);
  b.loadOptimizerState(loaded.optimizer!);
  assert.equal(b.steps, 2);
  a.step(batch, responses, meanNll, opt);
  b.step(batch, responses, meanNll, opt);
  assert.deepEqual(b.logprobs(batch, responses), a.logprobs(batch, responses));
  a.dispose();
  b.dispose();
});

test('fp16 weights: half the bytes, values within half precision', async () => {
  const params = initParams(config, 6);
  await saveCheckpoint(join(root, 'a32'), { config, params, tokenizer });
  await saveCheckpoint(join(root, 'a16'), { config, params, tokenizer }, { dtype: 'F16' });
  const s32 = (await stat(join(root, 'a32', 'model.safetensors'))).size;
  const s16 = (await stat(join(root, 'a16', 'model.safetensors'))).size;
  assert.ok(s16 < s32 * 0.55, `${s16} vs ${s32}`);
  const loaded = await loadCheckpoint(join(root, 'a16'));
  for (const [name, data] of params) {
    const back = loaded.params.get(name)!;
    data.forEach((v, i) => assert.ok(Math.abs(back[i]! - v) <= Math.abs(v) * 2 ** -11 + 1e-7, `${name}[${i}]`));
  }
});

test('a corrupt, truncated or mismatched checkpoint is rejected naming the problem', async () => {
  const dir = join(root, 'bad');
  await saveCheckpoint(dir, { config, params: initParams(config, 1), tokenizer });
  const model = join(dir, 'model.safetensors');
  const good = await readFile(model);
  const flipped = Buffer.from(good);
  flipped[flipped.length - 5]! ^= 0xff;
  await writeFile(model, flipped);
  await assert.rejects(loadCheckpoint(dir), /model\.safetensors.*sha256 does not match/);
  await writeFile(model, good.subarray(0, good.length - 100));
  await assert.rejects(loadCheckpoint(dir), /model\.safetensors.*bytes, config\.json says/);
  await writeFile(model, good);
  const cfgPath = join(dir, 'config.json');
  const cfg = JSON.parse(await readFile(cfgPath, 'utf8'));
  cfg.model.decoderWidth = 64;
  await writeFile(cfgPath, JSON.stringify(cfg));
  await assert.rejects(loadCheckpoint(dir), /enc\.to_dec\.w.*shape \[16,32\] but the config needs \[16,64\]/);
  await assert.rejects(loadCheckpoint(join(root, 'missing')), /config\.json.*cannot read/);
});

test('safetensors structure errors: truncated, bad header JSON, bad offsets', () => {
  const buf = encodeSafetensors([{ name: 'w', shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) }], 'F32');
  assert.deepEqual([...decodeSafetensors(buf, 'x').tensors.get('w')!.data], [1, 2, 3, 4, 5, 6]);
  assert.equal(buf.readBigUInt64LE(0) % 8n, 0n);
  assert.throws(() => decodeSafetensors(buf.subarray(0, 5), 'x'), /shorter than the 8-byte header length/);
  assert.throws(() => decodeSafetensors(buf.subarray(0, buf.length - 4), 'x'), /w: .*truncated/);
  const badJson = Buffer.from(buf);
  badJson[9] = 0x7d; // '}' in the middle of the header
  assert.throws(() => decodeSafetensors(badJson, 'x'), /not valid JSON/);
  assert.throws(() => decodeSafetensors(Buffer.concat([buf, Buffer.alloc(4)]), 'x'), /trailing bytes/);
});

test('half-precision conversion: known values and round-trip error bound (property)', () => {
  assert.equal(toHalf(1), 0x3c00);
  assert.equal(toHalf(-2), 0xc000);
  assert.equal(toHalf(65504), 0x7bff);
  assert.equal(toHalf(1e6), 0x7c00);
  assert.equal(toHalf(0.1), 0x2e66);
  assert.equal(toHalf(2 ** -24), 0x0001);
  assert.equal(fromHalf(0x3555), 0.333251953125);
  fc.assert(fc.property(fc.float({ min: -60000, max: 60000, noNaN: true }), (v) => {
    const back = fromHalf(toHalf(v));
    return Math.abs(back - v) <= Math.max(Math.abs(v) * 2 ** -11, 2 ** -25);
  }), { numRuns: 2000 });
});

test('checkpointWeights reads the dtype and weight size from config.json alone', async () => {
  for (const dtype of ['F32', 'F16'] as const) {
    const dir = join(root, `weights-${dtype}`);
    await saveCheckpoint(dir, { config, params: initParams(config, 1), tokenizer }, { dtype });
    assert.deepEqual(await checkpointWeights(dir), { dtype, bytes: (await stat(join(dir, 'model.safetensors'))).size });
  }
  await assert.rejects(checkpointWeights(join(root, 'nowhere')), /config\.json: cannot read/);
});
