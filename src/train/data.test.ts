import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRecipe } from './config.js';
import { drawBatch, gymSources } from './data.js';

const sourcesOf = (list: unknown[]) => parseRecipe({ data: { sources: list } }).data.sources;

test('a task listed again gets its own name, and adding a source never renames the ones before it', () => {
  const before = gymSources(sourcesOf([{ task: 'grounding' }, { task: 'counting' }]), 1, 64).map((s) => s.name);
  const after = gymSources(sourcesOf([{ task: 'grounding' }, { task: 'counting' }, { task: 'grounding', difficulty: 1 }]), 1, 64).map((s) => s.name);
  assert.deepEqual(before, ['gym/grounding', 'gym/counting']);
  assert.deepEqual(after, ['gym/grounding', 'gym/counting', 'gym/grounding/2']);
});

test('drawBatch follows the weights, advances each source\'s own cursor, and is keyed by its key', () => {
  const sources = gymSources(sourcesOf([{ task: 'counting', weight: 3 }, { task: 'ocr', weight: 1 }]), 1, 32);
  const a = drawBatch(sources, {}, 64, 'k');
  const b = drawBatch(sources, {}, 64, 'k');
  assert.deepEqual(a.items.map((i) => i.id), b.items.map((i) => i.id));
  const counting = a.items.filter((i) => i.task === 'counting').length;
  assert.equal(a.cursor['gym/counting'], counting);
  assert.equal(a.cursor['gym/ocr'], 64 - counting);
  assert.ok(counting > 32 && counting < 64, `weight 3:1 drew ${counting} of 64 from counting`);
  const next = drawBatch(sources, a.cursor, 8, 'k2');
  assert.ok(next.items.every((item) => !a.items.some((seen) => seen.id === item.id)), 'a later batch continues each stream');
});
