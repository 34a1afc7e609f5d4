import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatInfo, progressHooks, progressMode } from './progress.js';

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

test('progress lines: any named values in order, and a resumed phase starts at the tenth it resumes in', () => {
  assert.equal(formatInfo({ loss: '0.312', lr: '1.70e-3', 'tok/s': '5210' }), 'loss 0.312 lr 1.70e-3 tok/s 5210');
  assert.equal(formatInfo({}), '');
  const lines: string[] = [];
  const hooks = progressHooks('lines', (l) => lines.push(l));
  hooks.phase!('pretrain', 1000);
  for (let step = 501; step <= 700; step++) hooks.progress!(step, { loss: '0.300' });
  assert.deepEqual(lines.map((l) => l.replace(/, \d+ s\)/, ')')), ['pretrain 501/1000 (50 %) loss 0.300', 'pretrain 600/1000 (60 %) loss 0.300', 'pretrain 700/1000 (70 %) loss 0.300']);
  hooks.log('step 700: grounding 23.7');
  assert.equal(lines.at(-1), 'step 700: grounding 23.7');
});
