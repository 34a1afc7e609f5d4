import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../util/errors.js';
import { applyOverride, heldoutSources, loadRecipe, parseRecipe } from './config.js';

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.field;
  }
  assert.fail('expected a ConfigError');
}

test('an empty recipe takes every default', () => {
  const recipe = parseRecipe({});
  assert.equal(recipe.train.group_size, 8);
  assert.equal(recipe.rl.advantage, 'grpo');
  assert.equal(recipe.model.init, 'random');
  assert.equal(recipe.data.sources[0]!.task, 'digits-counting');
});

test('the held-out set scores each task as the task does unless eval.spec asks for the training settings', () => {
  const sources = [
    { task: 'grounding', difficulty: 1, verifier: { name: 'grounding', params: { thresholded: true } } },
    { task: 'counting', image_size: 48 },
  ];
  const byTask = parseRecipe({ data: { sources } });
  assert.equal(byTask.eval.spec, 'task');
  assert.deepEqual(heldoutSources(byTask).map((s) => [s.task, s.difficulty, s.verifier, s.image_size]), [['grounding', null, null, null], ['counting', null, null, 48]]);
  const byTraining = parseRecipe({ data: { sources }, eval: { spec: 'training' } });
  assert.deepEqual(heldoutSources(byTraining).map((s) => [s.difficulty, s.verifier?.name ?? null]), [[1, 'grounding'], [null, null]]);
  assert.equal(fieldOf(() => parseRecipe({ eval: { spec: 'train' } })), 'eval.spec');
});

test('unknown keys are rejected naming the key itself, at every level', () => {
  assert.equal(fieldOf(() => parseRecipe({ train: { lrr: 1 } })), 'train.lrr');
  assert.equal(fieldOf(() => parseRecipe({ trian: {} })), 'trian');
  assert.equal(fieldOf(() => parseRecipe({ data: { sources: [{ task: 'x', wieght: 2 }] } })), 'data.sources[0].wieght');
  assert.equal(fieldOf(() => parseRecipe({ rl: { objective: { eps_hi: 0.3 } } })), 'rl.objective');
  assert.equal(fieldOf(() => parseRecipe({ model: { config: { decoderLayerz: 2 } } })), 'model.config');
});

test('bad values name their field', () => {
  assert.equal(fieldOf(() => parseRecipe({ train: { lr: -1 } })), 'train.lr');
  assert.equal(fieldOf(() => parseRecipe({ train: { group_size: 1 } })), 'train.group_size');
  assert.equal(fieldOf(() => parseRecipe({ rl: { advantage: 'ppo' } })), 'rl.advantage');
  assert.equal(fieldOf(() => parseRecipe({ rl: { filter: { low: 0.5, high: 0.4 } } })), 'rl.filter.high');
  assert.equal(fieldOf(() => parseRecipe({ eval: { heldout_seed: 5 } })), 'eval.heldout_seed');
  assert.equal(fieldOf(() => parseRecipe({ model: { config: { imageSize: 64, patchSize: 7 } } })), 'model.config.patchSize');
  assert.equal(fieldOf(() => parseRecipe({ train: { batch_size: 1, group_size: 2, minibatch_size: 4 } })), 'train.minibatch_size');
  assert.equal(fieldOf(() => parseRecipe({ rl: { pearl: { enabled: true } } })), 'rl.pearl.enabled');
  assert.equal(fieldOf(() => parseRecipe({ train: { algorithm: 'ppo' } })), 'train.algorithm');
});

test('--set parses YAML values into dotted paths and goes through the same validation', async () => {
  const tree: Record<string, unknown> = { train: { steps: 3 } };
  applyOverride(tree, 'train.steps=10');
  applyOverride(tree, 'rl.kl.coef=0.01');
  applyOverride(tree, 'rl.kl.estimator=k3');
  applyOverride(tree, 'data.sources=[{task: digits-grounding, weight: 2}]');
  const recipe = parseRecipe(tree);
  assert.equal(recipe.train.steps, 10);
  assert.equal(recipe.rl.kl.coef, 0.01);
  assert.deepEqual(recipe.data.sources.map((s) => [s.task, s.weight]), [['digits-grounding', 2]]);
  assert.equal(fieldOf(() => applyOverride({}, 'novalue')), '--set');
  assert.equal(fieldOf(() => applyOverride({ train: 3 }, 'train.steps=1')), 'train');

  const dir = await mkdtemp(join(tmpdir(), 'recipe-'));
  const file = join(dir, 'r.yaml');
  await writeFile(file, 'train:\n  steps: 2\n');
  assert.equal((await loadRecipe(file, ['train.steps=5'])).train.steps, 5);
  await assert.rejects(loadRecipe(file, ['train.stepz=5']), (e: unknown) => e instanceof ConfigError && e.field === 'train.stepz');
  await assert.rejects(loadRecipe(join(dir, 'missing.yaml')), (e: unknown) => e instanceof ConfigError && e.field === '--config');
});

test('the committed recipes validate', async () => {
  for (const name of ['quick', 'grpo', 'dr-grpo', 'dapo', 'default']) {
    const recipe = await loadRecipe(join('configs', `${name}.yaml`));
    assert.equal(recipe.name, name);
  }
});
