import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import sharp from 'sharp';
import { strictScores, taskScores, type EvalResult, type ItemOutcome } from '../train/heldout.js';
import { drawBoxes, predictedBoxes, truthBoxes } from './boxes.js';
import { lineChartSvg } from './charts.js';
import { buildSummary, byDifficulty, formatSummary } from './summary.js';

function evalOf(hash: string, tasks: Record<string, boolean[]>): EvalResult {
  return {
    heldout_hash: hash, heldout_seed: 900001,
    tasks: Object.fromEntries(Object.entries(tasks).map(([t, ok]) => {
      const items: ItemOutcome[] = ok.map((s, i) => ({ id: `${t}/${i}`, score: s ? 1 : 0, normalized: s ? 1 : 0, success: s, response: '' }));
      return [t, { score: ok.filter(Boolean).length / ok.length, accuracy: ok.filter(Boolean).length / ok.length, n: ok.length, items }];
    })),
  };
}

test('summary: before/after means per task and McNemar exact p on paired items', () => {
  // counting: 10 items, 0 right before, 8 right after (b = 0, c = 8): exact p = 2 * 0.5^8 = 0.0078125
  const before = evalOf('h', { counting: Array(10).fill(false), grounding: [true, false, true, false] });
  const after = evalOf('h', { counting: [...Array(8).fill(true), false, false], grounding: [false, true, true, false] });
  const s = buildSummary(before, after, 12, 34.5);
  const counting = s.tasks.counting!;
  assert.equal(counting.before, 0);
  assert.equal(counting.after, 0.8);
  assert.ok(Math.abs(counting.mcnemar_p - 0.0078125) < 1e-12, String(counting.mcnemar_p));
  assert.equal(s.tasks.grounding!.mcnemar_p, 1); // b = 1, c = 1
  assert.equal(s.mean_before, 0.25);
  assert.equal(s.mean_after, 0.65);
  assert.equal(s.steps, 12);
  assert.equal(s.seconds, 34.5);
  assert.match(formatSummary(s), /counting\s+0\.0\s+80\.0\s+80\.0/);
  assert.throws(() => buildSummary(before, evalOf('other', {}), 1, 1), /different held-out sets/);
});

test('summary: before/after split by gym difficulty, items paired by id', () => {
  const item = (id: string, normalized: number, difficulty?: number): ItemOutcome => ({ id, score: normalized, normalized, success: normalized >= 0.5, response: '', ...(difficulty === undefined ? {} : { difficulty }) });
  const before = [item('a', 1, 1), item('b', 0, 1), item('c', 0.5, 3), item('d', 0, 2)];
  // after in another order: pairing is by id, not position
  const after = [item('d', 1, 2), item('c', 0, 3), item('b', 1, 1), item('a', 1, 1)];
  const slices = byDifficulty(before, after);
  assert.deepEqual(slices, { 1: { n: 2, before: 0.5, after: 1 }, 2: { n: 1, before: 0, after: 1 }, 3: { n: 1, before: 0.5, after: 0 } });
  assert.deepEqual(Object.keys(slices!), ['1', '2', '3']);
  // an item without difficulty, or without a partner, gives no split rather than a partial one
  assert.equal(byDifficulty([...before, item('e', 1)], [...after, item('e', 1)]), null);
  assert.equal(byDifficulty(before, after.slice(1)), null);
  const withSplit: EvalResult = { heldout_hash: 'h', heldout_seed: 900001, tasks: { counting: { score: 0.375, accuracy: 0.5, n: 4, items: before } } };
  const afterSplit: EvalResult = { heldout_hash: 'h', heldout_seed: 900001, tasks: { counting: { score: 0.75, accuracy: 0.75, n: 4, items: after } } };
  const s = buildSummary(withSplit, afterSplit, 1, 1);
  assert.deepEqual(s.tasks.counting!.by_difficulty, slices);
  assert.match(formatSummary(s), /by difficulty: d1 50\.0->100\.0 \(2\), d2 0\.0->100\.0 \(1\), d3 50\.0->0\.0 \(1\)/);
  // evaluations without difficulties (real data, older files) keep the three keys
  assert.equal(buildSummary(evalOf('h', { counting: [true] }), evalOf('h', { counting: [false] }), 1, 1).tasks.counting!.by_difficulty, undefined);
});

test('charts render to SVG without a browser', async () => {
  const svg = await lineChartSvg([{ step: 1, source: 'gym/a', value: 0.1 }, { step: 2, source: 'gym/a', value: 0.3 }, { step: 1, source: 'gym/b', value: 0.2 }], 'Reward', 'reward');
  assert.match(svg, /^<svg/);
  assert.match(svg, /gym\/b/);
});

test('boxes: truth from grounding and detection answers, predictions parsed, drawn in colour', async () => {
  assert.deepEqual(truthBoxes({ box: [1, 2, 3, 4], space: 'pixel' }), [[1, 2, 3, 4]]);
  assert.deepEqual(truthBoxes({ boxes: [{ bbox: [0, 0, 5, 5], label: 'a' }] }), [[0, 0, 5, 5]]);
  assert.deepEqual(truthBoxes({ count: 3 }), []);
  assert.deepEqual(predictedBoxes('<answer>[{"bbox_2d": [2, 2, 10, 12], "label": "7"}]</answer>'), [[2, 2, 10, 12]]);
  assert.deepEqual(predictedBoxes('no boxes'), []);
  const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toBuffer();
  const url = await drawBoxes(png, 32, [[4, 4, 20, 20]], [[10, 10, 30, 30]], 2);
  assert.match(url, /^data:image\/png;base64,/);
  const image = await loadImage(Buffer.from(url.split(',')[1]!, 'base64'));
  assert.equal(image.width, 64);
  const ctx = createCanvas(64, 64).getContext('2d');
  ctx.drawImage(image, 0, 0);
  const [r, g] = ctx.getImageData(8, 20, 1, 1).data; // left edge of the truth box at x = 4 * 2
  assert.ok(g! > 100 && r! < 100, `truth edge should be green, got ${r},${g}`);
});

test('summary: the strict reading counts an answer that fails the format gate as 0, with its own McNemar p', () => {
  const item = (id: string, success: boolean, format_ok: boolean): ItemOutcome => ({ id, score: success ? 1 : 0, normalized: success ? 1 : 0, success, response: '', format_ok });
  // after: 8 new successes, 6 of them in loops (format_ok false): lenient b = 0, c = 8; strict b = 0, c = 2
  const before = [...Array.from({ length: 8 }, (_, i) => item(`x${i}`, false, true)), item('y', true, true), item('z', false, true)];
  const after = [...Array.from({ length: 8 }, (_, i) => item(`x${i}`, true, i < 2)), item('y', true, true), item('z', false, false)];
  const strict = (items: ItemOutcome[]) => ({ style: 'r1-strict', ...strictScores(items) });
  const e = (items: ItemOutcome[], withStrict: boolean): EvalResult => ({
    heldout_hash: 'h', heldout_seed: 900001,
    tasks: { counting: { ...taskScores(items), n: items.length, items, ...(withStrict ? { strict: strict(items) } : {}) } },
  });
  const s = buildSummary(e(before, true), e(after, true), 1, 1).tasks.counting!;
  assert.equal(s.after, 0.9);
  assert.ok(Math.abs(s.mcnemar_p - 0.0078125) < 1e-12);
  assert.equal(s.strict!.before, 0.1);
  assert.equal(s.strict!.after, 0.3);
  assert.equal(s.strict!.mcnemar_p, 0.5); // b = 0, c = 2: 2 * 0.5^2
  assert.equal(s.strict!.format_before, 1);
  assert.equal(s.strict!.format_after, 0.3);
  assert.match(formatSummary(buildSummary(e(before, true), e(after, true), 1, 1)), /strict r1-strict: 10\.0->30\.0 \(p 0\.500\), format followed 100\.0% -> 30\.0%/);
  // only when both sides were read strictly
  assert.equal(buildSummary(e(before, false), e(after, true), 1, 1).tasks.counting!.strict, undefined);
});
