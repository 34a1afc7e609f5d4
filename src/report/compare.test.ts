import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareTable, type CompareRow } from './compare.js';

const row = (name: string, algorithm: string, before: number, after: number, p: number): CompareRow => ({
  name, algorithm, runDir: `/runs/${name}`, rewards: [],
  summary: { tasks: { counting: { before, after, mcnemar_p: p } }, mean_before: before, mean_after: after, steps: 12, seconds: 300.4, heldout_hash: 'h', heldout_items: 200 },
});

test('compare table: after, signed gain and McNemar p per task, means and gain per recipe', () => {
  const md = compareTable([row('grpo', 'rl', 0.4, 0.55, 0.0004), row('sft-control', 'sft', 0.4, 0.38, 0.5)]);
  const lines = md.split('\n');
  assert.equal(lines.length, 4);
  assert.equal(lines[2], '| grpo | rl | 12 | 300 | 55.0 (+15.0, 4.0e-4) | 40.0 | 55.0 | +15.0 |');
  assert.equal(lines[3], '| sft-control | sft | 12 | 300 | 38.0 (-2.0, 0.500) | 40.0 | 38.0 | -2.0 |');
});
