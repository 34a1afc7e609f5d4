import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { tinyConfig } from '../../model/testing/tiny.js';
import { EmbeddedPolicy } from '../../policy/index.js';
import { InputError } from '../../util/errors.js';
import { evalModel } from './eval-model.js';

test('eval model scores a checkpoint per task on the frozen held-out set, and compares two with McNemar', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'evalmodel-')), 'ckpt');
  const policy = await EmbeddedPolicy.create(tinyConfig({ maxTextLength: 40 }), 3);
  await policy.save(dir, {});
  await policy.close();
  const flags = { checkpoint: dir, tasks: 'digits-counting,digits-grounding', n: '3', seed: '900001', maxTokens: '4', batchSize: '2', promptStyle: 'compact' };
  const out = await evalModel(flags);
  const tasks = out.tasks as Record<string, { score: number; n: number }>;
  assert.deepEqual(Object.keys(tasks), ['digits-counting', 'digits-grounding']);
  assert.equal(tasks['digits-counting']!.n, 3);
  assert.match(String(out.heldout_hash), /^[0-9a-f]{64}$/);
  const again = await evalModel({ ...flags, before: dir });
  assert.equal(again.heldout_hash, out.heldout_hash, 'the held-out set is frozen');
  const comparison = again.comparison as { tasks: Record<string, { before: number; after: number; mcnemar_p: number }> };
  assert.equal(comparison.tasks['digits-counting']!.mcnemar_p, 1);
  await assert.rejects(evalModel({ ...flags, seed: '5' }), (e: unknown) => e instanceof InputError && e.field === 'eval.heldout_seed');
  // --samples: pass@k per task from k sampled responses, bounded as pass@1 <= pass@k and mean <= best
  const sampled = (await evalModel({ ...flags, samples: '3', temperature: '1' })).sampled as Record<string, { k: number; pass_at_1: number; pass_at_k: number; mean_score: number; best_score: number; n: number }>;
  assert.deepEqual(Object.keys(sampled), ['digits-counting', 'digits-grounding']);
  for (const r of Object.values(sampled)) {
    assert.equal(r.k, 3);
    assert.equal(r.n, 3);
    assert.ok(r.pass_at_1 <= r.pass_at_k && r.mean_score <= r.best_score + 1e-12);
  }
  await assert.rejects(evalModel({ ...flags, samples: '3', temperature: '0' }), (e: unknown) => e instanceof InputError && e.field === '--temperature');
  // --strict-format: the strict reading beside the lenient one, never above it; an unknown style is named
  const strict = (await evalModel({ ...flags, strictFormat: 'r1-strict' })).tasks as Record<string, { score: number; strict: { style: string; score: number; format_rate: number } }>;
  for (const [task, r] of Object.entries(strict)) {
    assert.equal(r.score, tasks[task]!.score, 'the headline is unchanged');
    assert.equal(r.strict.style, 'r1-strict');
    assert.ok(r.strict.score <= r.score && r.strict.format_rate >= 0 && r.strict.format_rate <= 1);
  }
  await assert.rejects(evalModel({ ...flags, strictFormat: 'r2' }), (e: unknown) => e instanceof InputError && e.field === '--strict-format');
});
