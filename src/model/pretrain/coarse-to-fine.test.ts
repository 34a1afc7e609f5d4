import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Tokenizer } from '../tokenizer/index.js';
import { defaultPieces } from '../tokenizer/vocab.js';
import { meanNll } from '../tfjs/trainer.js';
import { fineDigitWeight, fineDigitWeights, weightedNll } from './coarse-to-fine.js';
import { loadPretrainConfig, parsePretrainConfig } from './config.js';

test('the fine-digit weight is 0 until zero_until, ramps linearly, and is 1 from full_at (and without a schedule)', () => {
  const s = { zero_until: 100, full_at: 200 };
  assert.deepEqual([0, 99, 100, 150, 199, 200, 5000].map((step) => fineDigitWeight(s, step)), [0, 0, 0, 0.5, 0.99, 1, 1]);
  assert.equal(fineDigitWeight(null, 0), 1);
  assert.equal(fineDigitWeight({ zero_until: 10, full_at: 10 }, 10), 1);
});

test('on a tokenized box answer only the trailing digits of multi-digit numbers get the fine weight', () => {
  // a digit tokenizer (as checkpoints made before the number pieces have, e.g. the first models/base)
  const tokenizer = new Tokenizer(defaultPieces({ numbers: false }));
  const text = '<think>\n2 circles\n</think>\n<answer>\n[{"bbox_2d": [4, 48, 54, 107], "label": "circle"}]\n</answer>';
  const pieces = tokenizer.encode(text).map((t) => tokenizer.decode([t]));
  assert.equal(pieces.join(''), text);
  const w = fineDigitWeights(pieces, 0.25);
  const fine = pieces.filter((_, i) => w[i] === 0.25);
  // "48" -> 8, "54" -> 4, "107" -> 0 and 7; the lone "4", the "2" of the count and of bbox_2d keep weight 1
  assert.deepEqual(fine, ['8', '4', '0', '7']);
  assert.equal([...w].filter((v) => v === 1).length, pieces.length - 4);
  // the default tokenizer has number pieces (every integer up to 128 is one token): nothing is trailing
  const numbers = new Tokenizer();
  const whole = numbers.encode(text).map((t) => numbers.decode([t]));
  assert.deepEqual([...fineDigitWeights(whole, 0)].filter((v) => v === 0), []);
});

test('weightedNll is meanNll with unit weights, and drops zero-weight tokens from loss and gradient', () => {
  const logprobs = [Float32Array.from([-1, -2, -3]), Float32Array.from([-0.5])];
  const ones = logprobs.map((r) => new Float32Array(r.length).fill(1));
  const a = weightedNll(ones)(logprobs);
  const b = meanNll(logprobs);
  assert.ok(Math.abs(a.loss - b.loss) < 1e-12);
  assert.deepEqual(a.grad.map((g) => [...g]), b.grad.map((g) => [...g]));
  const w = [Float32Array.from([1, 0, 1]), Float32Array.from([1])];
  const c = weightedNll(w)(logprobs);
  assert.ok(Math.abs(c.loss - (1 + 3 + 0.5) / 3) < 1e-12);
  assert.equal(Math.abs(c.grad[0]![1]!), 0);
  assert.ok(Math.abs(c.grad[0]![0]! + 1 / 3) < 1e-7);
});

test('a fine-digit ramp that ends before it starts is rejected naming the field', () => {
  const sources = [{ task: 'ocr' }];
  assert.throws(() => parsePretrainConfig({ data: { sources }, train: { fine_digits: { zero_until: 10, full_at: 5 } } }), /pretrain\.train\.fine_digits\.full_at/);
  assert.throws(() => parsePretrainConfig({ data: { sources }, train: { fine_digits: { zero_until: 10 } } }), /fine_digits/);
});

test('configs/pretrain-c2f.yaml (the experiment) parses, ramps the fine digits, and cannot overwrite models/base', async () => {
  const config = await loadPretrainConfig('configs/pretrain-c2f.yaml');
  assert.deepEqual(config.train.fine_digits, { zero_until: 2000, full_at: 3000 });
  assert.equal(config.export, null);
  assert.notEqual(config.out, 'runs/pretrain');
  const base = await loadPretrainConfig('configs/pretrain.yaml');
  assert.equal(base.train.fine_digits, null);
});
