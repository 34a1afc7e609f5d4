import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTextLayout, decoderMask } from './batch.js';
import { tinyConfig } from './testing/tiny.js';

/** 1 where query q may read key k in row b. */
function visible(mask: ReturnType<typeof decoderMask>, b: number, q: number, k: number): number {
  const T = mask.dims[2];
  const row = mask.dims[0] === 1 ? 0 : b;
  return mask.data[(row * T + q) * T + k] === 0 ? 1 : 0;
}

test('prefix attention: image, BOS and prompt see each other; responses and pads stay causal', () => {
  const prompts = [[5, 6, 7], [5]];
  const responses = [[8, 9], [8, 9, 10, 11]];
  const P = 4;
  const causal = decoderMask(tinyConfig(), buildTextLayout(tinyConfig(), prompts, responses), P);
  const config = tinyConfig({ attention: 'prefix' });
  const prefix = decoderMask(config, buildTextLayout(config, prompts, responses), P);
  const T = P + 6; // BOS + 5 tokens, the longest row
  assert.deepEqual(causal.dims, [1, 1, T, T]);
  assert.deepEqual(prefix.dims, [2, 1, T, T]);
  // Row 0: prefix = 4 image tokens + BOS + 3 prompt tokens = positions 0..7.
  assert.equal(visible(causal, 0, 0, 7), 0);
  assert.equal(visible(prefix, 0, 0, 7), 1, 'the first image token reads the last prompt token');
  assert.equal(visible(prefix, 0, 0, 8), 0, 'but not the first response token');
  assert.equal(visible(prefix, 0, 8, 9), 0, 'responses are causal');
  assert.equal(visible(prefix, 0, 9, 0), 1);
  // Row 1: prefix = positions 0..5 (one prompt token); position 6 is its first response token.
  assert.equal(visible(prefix, 1, 2, 5), 1);
  assert.equal(visible(prefix, 1, 2, 6), 0);
  for (let q = 6; q < T; q++) for (let k = 0; k < T; k++) assert.equal(visible(prefix, 1, q, k), k <= q ? 1 : 0);
});
