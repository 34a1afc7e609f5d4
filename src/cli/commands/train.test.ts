import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressHooks, progressMode } from './train.js';

test('progress: a bar on a terminal, lines in a log, nothing with --no-progress', () => {
  assert.equal(progressMode(undefined, true), 'bar');
  assert.equal(progressMode(undefined, false), 'lines');
  assert.equal(progressMode(false, true), 'off');
});

test('progress lines: one per tenth of a phase reached, with reward and accuracy, and none when off', () => {
  const lines: string[] = [];
  const hooks = progressHooks('lines', (l) => lines.push(l));
  hooks.phase!('train', 20);
  for (let done = 1; done <= 20; done++) hooks.progress!(done, { reward: '0.25', acc: '0.30' });
  assert.equal(lines.length, 10);
  assert.match(lines[0]!, /^train 2\/20 \(10 %, \d+ s\) reward 0\.25 acc 0\.30$/);
  assert.match(lines[9]!, /^train 20\/20 \(100 %/);
  hooks.phase!('eval-after', 3); // fewer items than tenths: a line per item that crosses one
  for (let done = 1; done <= 3; done++) hooks.progress!(done, {});
  assert.deepEqual(lines.slice(10).map((l) => l.replace(/, \d+ s\)/, ')')), ['eval-after 1/3 (33 %)', 'eval-after 2/3 (67 %)', 'eval-after 3/3 (100 %)']);

  const quiet: string[] = [];
  const off = progressHooks('off', (l) => quiet.push(l));
  assert.equal(off.progress, undefined);
  off.log!('kept');
  assert.deepEqual(quiet, ['kept']);
});
