import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../util/errors.js';
import { loadRecipe } from './config.js';
import { readJsonl } from './run-dir.js';
import { startRun } from './run.js';

test('quick.yaml runs end to end on a tiny random model and writes every artefact', async () => {
  const out = join(await mkdtemp(join(tmpdir(), 'run-')), 'quick');
  const recipe = await loadRecipe('configs/quick.yaml');
  const outcome = await startRun(recipe, { out });
  assert.equal(outcome.state.step, recipe.train.steps);
  const files = await readdir(out);
  for (const f of ['recipe.yaml', 'run.json', 'metrics.jsonl', 'samples.jsonl', 'eval-before.json', 'eval-after.json', 'heldout.json', 'summary.json', 'report.html', 'checkpoints']) {
    assert.ok(files.includes(f), `missing ${f}`);
  }
  // resolved recipe, seed and git sha
  assert.deepEqual(parseYaml(await readFile(join(out, 'recipe.yaml'), 'utf8')).train, recipe.train);
  const run = JSON.parse(await readFile(join(out, 'run.json'), 'utf8'));
  assert.equal(run.seed, 7);
  assert.ok('git_sha' in run);
  // metrics: one "all" line and one line per data source present, every step
  const lines = await readJsonl<Record<string, number | string>>(join(out, 'metrics.jsonl'));
  assert.deepEqual([...new Set(lines.map((l) => l.step))], [1, 2, 3, 4]);
  const all = lines.filter((l) => l.source === 'all');
  assert.equal(all.length, 4);
  for (const key of ['reward/mean', 'accuracy', 'response/lengthMean', 'actor/clipFractionHigh', 'actor/approxKlK3', 'actor/entropy', 'filter/groupsFiltered', 'time/generate', 'time/score', 'time/update', 'perf/tokensPerSecond', 'perf/rssMB']) {
    assert.equal(typeof all[0]![key], 'number', key);
  }
  assert.ok(lines.some((l) => String(l.source).startsWith('gym/digits-')));
  assert.ok((await readJsonl(join(out, 'samples.jsonl'))).length > 0);
  // summary.json has exactly the shape (plus the held-out hash and size)
  const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
  assert.deepEqual(Object.keys(summary).sort(), ['heldout_hash', 'heldout_items', 'mean_after', 'mean_before', 'seconds', 'steps', 'tasks']);
  assert.deepEqual(Object.keys(summary.tasks).sort(), ['digits-counting', 'digits-grounding']);
  for (const t of Object.values(summary.tasks) as { before: number; after: number; by_difficulty: Record<string, { n: number; before: number; after: number }> }[]) {
    assert.deepEqual(Object.keys(t).sort(), ['after', 'before', 'by_difficulty', 'mcnemar_p']);
    // the gym items' difficulty split covers every held-out item and its weighted means are the task's
    const slices = Object.values(t.by_difficulty);
    assert.equal(slices.reduce((n, s) => n + s.n, 0), summary.heldout_items);
    for (const side of ['before', 'after'] as const) {
      const mean = slices.reduce((sum, s) => sum + s.n * s[side], 0) / summary.heldout_items;
      assert.ok(Math.abs(mean - t[side]) < 1e-9, `${side}: ${mean} vs ${t[side]}`);
    }
  }
  assert.equal(summary.steps, 4);
  assert.match(summary.heldout_hash, /^[0-9a-f]{64}$/);
  const html = await readFile(join(out, 'report.html'), 'utf8');
  assert.match(html, /<svg/);
  assert.match(html, /data:image\/png;base64,/);
  assert.match(html, /McNemar/);
  assert.match(html, /By difficulty/);
  const latest = JSON.parse(await readFile(join(out, 'checkpoints', 'latest.json'), 'utf8'));
  assert.equal(latest.step, 4);
  // a second start into the same folder is refused (resume is explicit)
  await assert.rejects(startRun(recipe, { out }), (e: unknown) => e instanceof ConfigError && e.field === '--out');
});

test('a recipe whose initial checkpoint is missing fails with a clear message before writing anything', async () => {
  const out = join(await mkdtemp(join(tmpdir(), 'run-')), 'none');
  const recipe = await loadRecipe('configs/quick.yaml', ['model.init=models/does-not-exist']);
  await assert.rejects(startRun(recipe, { out }), (e: unknown) => e instanceof ConfigError && e.field === 'model.init' && /pre-training/.test(e.message));
  await assert.rejects(readdir(out));
});

test('the rl sections of grpo, dr-grpo and dapo run on the quick model (KL reference, dynamic sampling, overlong)', async () => {
  for (const name of ['grpo', 'dr-grpo', 'dapo']) {
    const full = await loadRecipe(join('configs', `${name}.yaml`));
    const quick = await loadRecipe('configs/quick.yaml', ['train.steps=2', 'eval.heldout_per_task=0']);
    const out = join(await mkdtemp(join(tmpdir(), `run-${name}-`)), name);
    await startRun({ ...quick, name, rl: full.rl }, { out });
    const all = (await readJsonl<Record<string, number | string>>(join(out, 'metrics.jsonl'))).filter((l) => l.source === 'all');
    assert.equal(all.length, 2, name);
    if (name === 'grpo') assert.ok(all.every((l) => typeof l['loss/kl'] === 'number' && Number(l['kl/mean'] ?? l['loss/kl']) >= 0));
    if (name === 'dapo') assert.ok(all.every((l) => Number(l['filter/rounds']) >= 1 && Number(l['filter/rounds']) <= 3));
  }
});

test('the SFT control trains on reference responses, and max_seconds ends a run early with its summary', async () => {
  const out = join(await mkdtemp(join(tmpdir(), 'run-sft-')), 'sft');
  const recipe = await loadRecipe('configs/quick.yaml', ['train.algorithm=sft', 'train.steps=3', 'model.vocab_subset=null']);
  await startRun(recipe, { out });
  const all = (await readJsonl<Record<string, number | string>>(join(out, 'metrics.jsonl'))).filter((l) => l.source === 'all');
  assert.equal(all.length, 3);
  assert.ok(all.every((l) => Number(l['sft/samples']) > 0 && Number(l['loss/nll']) > 0));
  assert.ok(Number(all[2]!['loss/nll']) < Number(all[0]!['loss/nll']), 'NLL falls on the reference responses');

  const timed = join(await mkdtemp(join(tmpdir(), 'run-timed-')), 'timed');
  const outcome = await startRun(await loadRecipe('configs/quick.yaml', ['train.steps=50', 'train.max_seconds=0.001']), { out: timed });
  assert.equal(outcome.state.step, 1);
  assert.equal(outcome.summary?.steps, 1);
});

test('VPPO weighting runs with the corrupted-image probe and masks tokens', async () => {
  const out = join(await mkdtemp(join(tmpdir(), 'run-vppo-')), 'vppo');
  await startRun(await loadRecipe('configs/quick.yaml', ['train.steps=2', 'eval.heldout_per_task=0', 'rl.vppo.enabled=true', 'rl.vppo.top_p=0.5']), { out });
  const all = (await readJsonl<Record<string, number | string>>(join(out, 'metrics.jsonl'))).filter((l) => l.source === 'all');
  assert.ok(all.every((l) => typeof l['vppo/keptTokenFraction'] === 'number' && Number(l['vppo/keptTokenFraction']) < 1));
  assert.ok(all.some((l) => Number(l['vppo/tokenPerceptionMean']) > 0), 'the probe must differ from the real image');
});

test('train.ptx_coef adds the supervised anchor to RL updates, and its NLL falls', async () => {
  const out = join(await mkdtemp(join(tmpdir(), 'run-ptx-')), 'ptx');
  await startRun(await loadRecipe('configs/quick.yaml', ['train.steps=4', 'eval.heldout_per_task=0', 'model.vocab_subset=null', 'train.ptx_coef=1', 'train.lr=0.01']), { out });
  const all = (await readJsonl<Record<string, number | string>>(join(out, 'metrics.jsonl'))).filter((l) => l.source === 'all');
  assert.ok(all.every((l) => Number(l['loss/ptx']) > 0));
  assert.ok(Number(all[3]!['loss/ptx']) < Number(all[0]!['loss/ptx']), 'NLL of the reference responses falls');
});

test('with rl.format_gate the before/after evaluations are also read strictly: summary.json and report.html show it', async () => {
  const out = join(await mkdtemp(join(tmpdir(), 'run-')), 'strict');
  const recipe = await loadRecipe('configs/quick.yaml', ['train.steps=1', 'rl.format_gate=r1-strict']);
  await startRun(recipe, { out });
  const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
  for (const t of Object.values(summary.tasks) as { before: number; after: number; strict: { style: string; before: number; after: number; format_before: number; format_after: number; mcnemar_p: number } }[]) {
    assert.equal(t.strict.style, 'r1-strict');
    // the quick model's vocabulary ("0123 ") cannot write the tags: nothing follows the format
    assert.equal(t.strict.format_before, 0);
    assert.equal(t.strict.format_after, 0);
    assert.equal(t.strict.before, 0);
    assert.equal(t.strict.after, 0);
    assert.equal(t.strict.mcnemar_p, 1);
  }
  const before = JSON.parse(await readFile(join(out, 'eval-before.json'), 'utf8'));
  assert.ok(Object.values(before.tasks).every((t) => (t as { items: { format_ok: boolean }[] }).items.every((i) => i.format_ok === false)));
  assert.match(await readFile(join(out, 'report.html'), 'utf8'), /Strict format/);
});
