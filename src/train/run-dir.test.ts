import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readJsonl } from './run-dir.js';

test('readJsonl: records of the non-blank lines, [] for a missing file, a bad line named by path and number', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'jsonl-'));
  const good = join(dir, 'good.jsonl');
  await writeFile(good, '{"a":1}\n\n{"a":2}\n');
  assert.deepEqual(await readJsonl(good), [{ a: 1 }, { a: 2 }]);
  assert.deepEqual(await readJsonl(join(dir, 'missing.jsonl')), []);
  const bad = join(dir, 'bad.jsonl');
  await writeFile(bad, '{"a":1}\n{"a":\n');
  await assert.rejects(readJsonl(bad), (error: Error) => error.message.includes(`${bad}:2`) && /not a JSON line/.test(error.message));
});
