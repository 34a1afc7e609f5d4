/**
 * Sanity of the whole loop's signs (issue 5 "Must show": a test that fails if the sign of the
 * advantage or the clipping is wrong): on a trivially learnable toy task (a tiny random model, a
 * blank image, sampling restricted to the ten digits, reward 1 for answering "3"), a few dozen GRPO
 * steps raise the reward from chance (~1/11) well above it. A flipped advantage sign drives the
 * reward to 0 instead, and a clip that blocked every update leaves it at chance. The same toy, with
 * answers drawn from 0-3, drives DAPO's dynamic sampling through rounds whose size and kept groups the
 * metrics show (verl's full rounds and dropped surplus against shortfall-sized rounds and kept surplus), and
 * `rl.format_gate` takes the reward of its bare one-token answers to the minimum.
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

/** The toy task: a blank image, "Say 3.", reward 1 for the answer 3 (counting verifier). */
async function toySource(): Promise<DataSource> {
  const png = await blankPng(32);
  return {
    name: 'toy/three', task: 'counting', weight: 1,
    item: (index) => ({
      id: `toy/${index}`, source: 'toy/three', task: 'counting', meta: {},
      prompt: { text: '<image>\nSay 3.', images: [{ png, width: 32, height: 32 }] },
      answer: { count: 3 }, verifier: { name: 'counting', params: {} },
    }),
  };
}

const toyModel = (digits: string) => ({
  init: 'random', init_seed: 2, vocab_subset: digits,
  config: { imageSize: 32, patchSize: 16, encoderLayers: 1, encoderWidth: 16, encoderHeads: 2, decoderLayers: 1, decoderWidth: 32, decoderHeads: 2, mlpRatio: 2, vocabSize: 640, maxTextLength: 16 },
});

async function runToy(fields: Record<string, unknown>): Promise<Array<Record<string, number | string>>> {
  const recipe = parseRecipe({ name: 'toy', seed: 3, eval: { heldout_per_task: 0 }, log: { checkpoint_every: 100, sample_rollouts: 0 }, ...fields });
  const out = join(await mkdtemp(join(tmpdir(), 'toy-')), 'run');
  await startRun(recipe, { out, sources: [await toySource()] });
  return (await readJsonl<Record<string, number | string>>(join(out, 'metrics.jsonl'))).filter((l) => l.source === 'all');
}

test('GRPO on a toy task raises the reward over a few dozen steps', async () => {
  const lines = await runToy({
    model: toyModel('0123456789'),
    train: { steps: 30, batch_size: 2, group_size: 8, max_new_tokens: 1, minibatch_size: 16, lr: 0.01 },
    rl: { advantage: 'grpo' },
  });
  const rewards = lines.map((l) => Number(l['reward/mean']));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = mean(rewards.slice(0, 5));
  const last = mean(rewards.slice(-5));
  assert.ok(first < 0.35, `starts near chance, got ${first}`);
  assert.ok(last > 0.6 && last > first + 0.3, `reward should rise: first 5 steps ${first.toFixed(3)}, last 5 ${last.toFixed(3)}`);
});

test('dynamic sampling: a shortfall-sized later round draws only what is missing, and surplus keep trains on every kept group', async () => {
  // answers drawn from 0-3: a group of 8 misses every 3 about 10 % of the time, so most steps need a small second round
  const run = (filter: Record<string, unknown>) => runToy({
    model: toyModel('0123'),
    train: { steps: 8, batch_size: 8, group_size: 8, max_new_tokens: 1, minibatch_size: 16, lr: 0.001 },
    rl: { advantage: 'grpo', filter: { name: 'dapo', max_rounds: 3, ...filter } },
  });
  const n = (l: Record<string, number | string>, key: string) => Number(l[`filter/${key}`]);
  const verl = await run({});
  assert.ok(verl.every((l) => n(l, 'groupsGenerated') === 8 * n(l, 'rounds') && n(l, 'groupsKept') <= 8));
  assert.ok(verl.some((l) => n(l, 'rounds') > 1 && n(l, 'groupsGenerated') - n(l, 'groupsFiltered') > 8), 'verl drops surplus kept groups');

  const sized = await run({ next_round: 'shortfall', surplus: 'keep' });
  assert.ok(sized.every((l) => n(l, 'groupsKept') === n(l, 'groupsGenerated') - n(l, 'groupsFiltered')), 'every kept group is trained on');
  assert.ok(sized.some((l) => n(l, 'groupsKept') > 8));
  const later = sized.filter((l) => n(l, 'rounds') > 1);
  assert.ok(later.length > 0 && later.every((l) => n(l, 'groupsGenerated') < 8 * n(l, 'rounds')), 'later rounds are smaller than a batch');
  const generated = (lines: typeof verl) => lines.reduce((s, l) => s + n(l, 'groupsGenerated'), 0);
  assert.ok(generated(sized) < generated(verl), `${generated(sized)} vs ${generated(verl)} groups generated`);
});

test('format gate in the trainer: bare answers that would score are gated to the minimum, and the metrics say why', async () => {
  const run = (rl: Record<string, unknown>) => runToy({
    model: toyModel('0123456789'),
    train: { steps: 3, batch_size: 2, group_size: 8, max_new_tokens: 1, minibatch_size: 16, lr: 0.001 },
    rl: { advantage: 'grpo', ...rl },
  });
  const total = (lines: Array<Record<string, number | string>>, key: string) => lines.reduce((s, l) => s + Number(l[key] ?? 0), 0);
  const plain = await run({});
  assert.ok(total(plain, 'reward/mean') > 0, 'some bare "3" answers score without the gate');
  const gated = await run({ format_gate: 'r1-strict' });
  assert.equal(total(gated, 'reward/mean'), 0);
  assert.ok(gated.every((l) => Number(l['reward/format_gate']) === 0), 'no one-token answer follows <think>…</answer>');
});
