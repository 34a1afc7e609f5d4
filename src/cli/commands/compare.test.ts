import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareRecipes } from './compare.js';

test('compare runs each recipe and the SFT control for the same seconds and tabulates them', async () => {
  const out = join(await mkdtemp(join(tmpdir(), 'compare-')), 'cmp');
  const rows = await compareRecipes({ configs: 'configs/quick.yaml', sft: 'configs/quick.yaml', seconds: '0.5', set: ['model.vocab_subset=null'], out, progress: false });
  assert.deepEqual(rows.map((r) => [r.name, r.algorithm]), [['quick', 'rl'], ['sft-control', 'sft']]);
  for (const r of rows) {
    assert.ok(r.summary.steps >= 1, 'at least one step each');
    assert.ok(r.summary.seconds < 30, 'max_seconds bounds the run');
    assert.ok(existsSync(join(r.runDir, 'summary.json')));
  }
  assert.ok(rows[0]!.rewards.length === rows[0]!.summary.steps, 'one reward point per RL step');
  const md = await readFile(join(out, 'compare.md'), 'utf8');
  assert.match(md, /\| quick \| rl \| \d+ \|/);
  assert.match(md, /\| sft-control \| sft \| \d+ \|/);
  assert.match(await readFile(join(out, 'reward.svg'), 'utf8'), /^<svg/);
});

test('compare rejects a bad --seconds and an unknown recipe key before running anything', async () => {
  await assert.rejects(compareRecipes({ configs: 'configs/quick.yaml', seconds: 'soon', set: [], progress: false }), /--seconds/);
  const out = join(await mkdtemp(join(tmpdir(), 'compare-bad-')), 'cmp');
  await assert.rejects(compareRecipes({ configs: 'configs/quick.yaml', seconds: '1', set: ['train.nope=1'], out, progress: false }), /nope/);
  assert.ok(!existsSync(join(out, 'quick')), 'no run started');
});
