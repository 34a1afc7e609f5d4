/**
 * Scoring rollouts for training, and the format gate (`rl.format_gate`): the verifiers read the first
 * answer of a messy response, so without the gate a right count followed by a loop scores 1 (the loop
 * session 19 saw RL reinforce until 61 % of counting rollouts hit the token budget).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultRegistry } from '../verifiers/index.js';
import type { TrainItem } from './data.js';
import { formatGate, scoreResponses, type ScorableResponse } from './scoring.js';

const item: TrainItem = {
  id: 'counting/1/0', source: 'gym/counting', task: 'counting', prompt: { text: '<image>\nHow many circles?', images: [] },
  answer: { count: 3 }, verifier: { name: 'counting', params: {} }, meta: {},
};
const response = (text: string, finishReason: 'stop' | 'length' = 'stop'): ScorableResponse => ({ text, tokens: [1, 2, 3], finishReason });
const clean = response('<think>\n3 circles\n</think>\n<answer>\n3\n</answer>');
const looping = response('<think>\n3 circles\n</think>\n<answer>\n3 circles\n</think>\n<answer>\n3 circles"}, ll circle', 'length');
const trailing = response('<think>\n3 circles\n</think>\n<answer>\n3\n</answer>\n3 circles');
const cut = response('<think>\n3 circles\n</think>\n<answer>\n3\n</answer>', 'length');
const wrong = response('<think>\n2 circles\n</think>\n<answer>\n2\n</answer>');

test('format gate: passes a well-formed response that stopped, names what fails otherwise', () => {
  const gate = formatGate(defaultRegistry(), 'r1-strict');
  assert.equal(gate(clean), null);
  assert.equal(gate(wrong), null);
  assert.match(gate(trailing)!, /^format r1-strict/);
  assert.match(gate(looping)!, /token budget/);
  assert.match(gate(cut)!, /token budget/);
});

test('scoreResponses: ungated, a right count followed by a loop earns full reward; gated, it earns the minimum', () => {
  const registry = defaultRegistry();
  const responses = [[clean, looping, trailing, wrong]];
  const plain = scoreResponses(registry, [item], responses, { step: 1, totalSteps: 1 })[0]!;
  assert.deepEqual(plain.map((s) => s.score), [1, 1, 1, 0]);
  const gated = scoreResponses(registry, [item], responses, { step: 1, totalSteps: 1 }, formatGate(registry, 'r1-strict'))[0]!;
  assert.deepEqual(gated.map((s) => s.score), [1, 0, 0, 0]);
  assert.deepEqual(gated.map((s) => s.components.format_gate), [1, 0, 0, 1]);
  assert.deepEqual(gated.map((s) => s.success), [true, false, false, false]);
  assert.match(gated[1]!.reason!, /^gated: cut at the token budget/);
  assert.equal(gated[3]!.reason, plain[3]!.reason, 'a passing response keeps its own verdict');
});
