/**
 * Sanity of the whole loop's signs (issue 5 "Must show": a test that fails if the sign of the
 * advantage or the clipping is wrong): on a trivially learnable toy task (a tiny random model, a
 * blank image, sampling restricted to the ten digits, reward 1 for answering "3"), a few dozen GRPO
 * steps raise the reward from chance (~1/11) well above it. A flipped advantage sign drives the
 * reward to 0 instead, and a clip that blocked every update leaves it at chance.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { blankPng } from '../policy/index.js';
import { parseRecipe } from './config.js';
import type { DataSource } from './data.js';
import { readJsonl } from './run-dir.js';
import { startRun } from './run.js';

test('GRPO on a toy task raises the reward over a few dozen steps', async () => {
  const png = await blankPng(32);
  const toy: DataSource = {
    name: 'toy/three', task: 'counting', weight: 1,
    item: (index) => ({
      id: `toy/${index}`, source: 'toy/three', task: 'counting', meta: {},
      prompt: { text: '<image>\nSay 3.', images: [{ png, width: 32, height: 32 }] },
      answer: { count: 3 }, verifier: { name: 'counting', params: {} },
    }),
  };
  const recipe = parseRecipe({
    name: 'toy', seed: 3,
    model: { init: 'random', init_seed: 2, vocab_subset: '0123456789', config: { imageSize: 32, patchSize: 16, encoderLayers: 1, encoderWidth: 16, encoderHeads: 2, decoderLayers: 1, decoderWidth: 32, decoderHeads: 2, mlpRatio: 2, vocabSize: 640, maxTextLength: 16 } },
    train: { steps: 30, batch_size: 2, group_size: 8, max_new_tokens: 1, minibatch_size: 16, lr: 0.01 },
    rl: { advantage: 'grpo' },
    eval: { heldout_per_task: 0 },
    log: { checkpoint_every: 100, sample_rollouts: 0 },
  });
  const out = join(await mkdtemp(join(tmpdir(), 'toy-')), 'run');
  await startRun(recipe, { out, sources: [toy] });
  const rewards = (await readJsonl<Record<string, number | string>>(join(out, 'metrics.jsonl')))
    .filter((l) => l.source === 'all').map((l) => Number(l['reward/mean']));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = mean(rewards.slice(0, 5));
  const last = mean(rewards.slice(-5));
  assert.ok(first < 0.35, `starts near chance, got ${first}`);
  assert.ok(last > 0.6 && last > first + 0.3, `reward should rise: first 5 steps ${first.toFixed(3)}, last 5 ${last.toFixed(3)}`);
});
