/**
 * How a checkpoint's held-out counting and detection answers miss: counting's answer minus the true
 * count (and the mean answer per true count), detection's number of boxes against the true number (and
 * the mean score per true number). Reads the per-item outcomes of a saved evaluation (a run's
 * eval-before.json or eval-after.json) and regenerates the same gym items (seed 900001, 64 px) for their
 * answers. A systematic bias (always one too many, always one box short) is what a few hundred RL steps
 * can shift; errors spread both ways on scenes of every size are perception.
 *
 *   node --import tsx bench/probes/answer-errors.ts <run>/eval-before.json
 */
import { readFileSync } from 'node:fs';
import { taskDefaultSource } from '../../src/train/config.js';
import { buildHeldout } from '../../src/train/heldout.js';

type Outcome = { id: string; response: string; normalized: number };

const saved = (JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { tasks: Record<string, { items: Outcome[] }> }).tasks;
const tasks = ['counting', 'detection'].filter((t) => saved[t]);
const n = saved[tasks[0]!]!.items.length;
const heldout = buildHeldout(tasks.map(taskDefaultSource), n, 900001, 64);

const answerOf = (response: string): string => /<answer>([\s\S]*?)(<\/answer>|$)/.exec(response)?.[1] ?? '';

/** Rows "key: n items, mean x, score y" of values grouped by an integer key. */
function byKey(rows: { key: number; value: number; score: number }[], label: string): string[] {
  const groups = new Map<number, { n: number; value: number; score: number }>();
  for (const r of rows) {
    const g = groups.get(r.key) ?? { n: 0, value: 0, score: 0 };
    g.n++;
    g.value += r.value;
    g.score += r.score;
    groups.set(r.key, g);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b)
    .map(([k, g]) => `  ${label} ${k}: ${g.n} items, mean answer ${(g.value / g.n).toFixed(2)}, score ${((100 * g.score) / g.n).toFixed(1)}`);
}

function histogram(values: number[]): string {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a - b).map(([k, c]) => `${k > 0 ? '+' : ''}${k}: ${c}`).join(', ');
}

for (const task of tasks) {
  const answers = new Map(heldout.tasks[task]!.map((item) => [item.id, item.answer]));
  const rows = saved[task]!.items.map((o) => {
    const truth = answers.get(o.id) as { count?: number; boxes?: unknown[] };
    const answer = answerOf(o.response);
    const predicted = task === 'counting' ? Number(/\d+/.exec(answer)?.[0] ?? Number.NaN) : (answer.match(/bbox_2d/g) ?? []).length;
    return { key: task === 'counting' ? truth.count! : truth.boxes!.length, value: predicted, score: o.normalized };
  }).filter((r) => Number.isFinite(r.value));
  console.log(`${task}: answer minus truth (${task === 'counting' ? 'count' : 'boxes'}): ${histogram(rows.map((r) => r.value - r.key))}`);
  for (const line of byKey(rows, task === 'counting' ? 'true count' : 'true boxes')) console.log(line);
}
