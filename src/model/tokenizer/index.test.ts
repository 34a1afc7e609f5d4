import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseModelConfig } from '../config.js';
import { BOS_ID, EOS_ID, Tokenizer } from './index.js';
import { MAX_NUMBER_PIECE } from './vocab.js';

const tokenizer = new Tokenizer();

test('vocabulary fits the default output and covers the response tags as single tokens', () => {
  const { vocabSize } = parseModelConfig({});
  assert.ok(tokenizer.size <= vocabSize, `size ${tokenizer.size} > vocabSize ${vocabSize}`);
  assert.ok(vocabSize - tokenizer.size < 64, `vocabSize ${vocabSize} wastes more than one 64-row pad over ${tokenizer.size} tokens`);
  for (const tag of ['<think>', '</think>', '<answer>', '</answer>', '\\boxed{']) {
    assert.equal(tokenizer.encode(tag).length, 1, tag);
  }
  assert.equal(tokenizer.encode(' circle').length, 1);
});

test('a typical response round-trips and is compact', () => {
  const text = '<think>I see a red circle left of the blue square.</think><answer>[{"bbox_2d": [12, 30, 48, 61], "label": "red circle"}]</answer>';
  const ids = tokenizer.encode(text);
  assert.equal(tokenizer.decode(ids), text);
  assert.ok(ids.length < text.length / 2, `${ids.length} tokens for ${text.length} chars`);
});

test('every integer up to the largest 128-px coordinate is one token, so a box is four coordinate tokens', () => {
  for (let n = 0; n <= MAX_NUMBER_PIECE; n++) {
    const ids = tokenizer.encode(String(n));
    assert.equal(ids.length, 1, `${n} is ${ids.length} tokens`);
    assert.equal(tokenizer.decode(ids), String(n));
  }
  const pieces = tokenizer.encode('[8, 13, 22, 126]').map((id) => tokenizer.tokenText(id));
  assert.deepEqual(pieces, ['[', '8', ', ', '13', ', ', '22', ', ', '126', ']']);
  // larger numbers still round-trip (greedy: the longest leading piece first)
  assert.deepEqual(tokenizer.encode('1000').map((id) => tokenizer.tokenText(id)), ['100', '0']);
  assert.equal(tokenizer.decode(tokenizer.encode('3.14159 12345')), '3.14159 12345');
});

test('greedy longest match is deterministic', () => {
  assert.deepEqual(tokenizer.encode('the there'), tokenizer.encode('the there'));
  assert.equal(tokenizer.decode(tokenizer.encode(' there')), ' there');
  assert.equal(tokenizer.encode(' there').length, 1);
});

test('unknown characters fall back to bytes and round-trip (property)', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
    // Lone surrogates are not valid Unicode text; TextEncoder replaces them, so compare to that.
    const expected = Buffer.from(text, 'utf8').toString('utf8');
    assert.equal(tokenizer.decode(tokenizer.encode(text)), expected);
  }), { numRuns: 300 });
  assert.equal(tokenizer.encode('é').length, 2);
  assert.equal(tokenizer.decode(tokenizer.encode('ü 三角形 🔺')), 'ü 三角形 🔺');
});

test('special tokens are skipped on decode unless asked, never produced by encode', () => {
  assert.equal(tokenizer.decode([BOS_ID, ...tokenizer.encode('hi'), EOS_ID]), 'hi');
  assert.equal(tokenizer.decode([BOS_ID], { keepSpecial: true }), '<bos>');
  assert.ok(!tokenizer.encode('<image><eos>').includes(EOS_ID));
  assert.throws(() => tokenizer.decode([tokenizer.size]), /outside/);
});

test('the tokenizer file round-trips and rejects garbage', () => {
  const copy = Tokenizer.fromJSON(JSON.parse(JSON.stringify(tokenizer.toJSON())));
  assert.equal(copy.size, tokenizer.size);
  assert.deepEqual(copy.encode('how many red stars?'), tokenizer.encode('how many red stars?'));
  assert.throws(() => Tokenizer.fromJSON({ type: 'bpe' }), /not a perceptrl tokenizer/);
  assert.throws(() => new Tokenizer(['ab', 'ab']), /duplicate/);
});
