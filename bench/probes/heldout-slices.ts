/**
 * Where a checkpoint's held-out answers fail: accuracy on the default held-out set (seed 900001, 64 px)
 * split by a scene property (noise, object count, target size, expression, difficulty). Reads the
 * per-item outcomes of a saved evaluation (a run's eval-before.json or eval-after.json) and regenerates
 * the same gym items for their scenes.
 *
 *   node --import tsx bench/probes/heldout-slices.ts <run>/eval-before.json
 */
import { readFileSync } from 'node:fs';
import { taskDefaultSource } from '../../src/train/config.js';
import { buildHeldout } from '../../src/train/heldout.js';

interface SceneObject { id: number; size: string }
interface Meta { difficulty: number; target?: number; expression?: Record<string, unknown>; scene: { noise: number; objects: SceneObject[] } }
type Outcome = { id: string; success: boolean };

const saved = (JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { tasks: Record<string, { items: Outcome[] }> }).tasks;
const tasks = Object.keys(saved);
const heldout = buildHeldout(tasks.map(taskDefaultSource), saved[tasks[0]!]!.items.length, 900001, 64);
const slices: Record<string, (m: Meta) => string | null> = {
  difficulty: (m) => String(m.difficulty),
  noise: (m) => (m.scene.noise > 0 ? 'noisy' : 'clean'),
  objects: (m) => String(Math.min(m.scene.objects.length, 9)).replace(/^9$/, '9+'),
  'target size': (m) => m.scene.objects.find((o) => o.id === m.target)?.size ?? null,
  expression: (m) => (m.expression ? Object.keys(m.expression).sort().join('+') : null),
};
for (const task of tasks) {
  const metaById = new Map(heldout.tasks[task]!.map((item) => [item.id, item.meta as unknown as Meta]));
  for (const [name, key] of Object.entries(slices)) {
    const counts = new Map<string, [number, number]>();
    for (const outcome of saved[task]!.items) {
      const meta = metaById.get(outcome.id);
      const k = meta ? key(meta) : null;
      if (k === null) continue;
      const c = counts.get(k) ?? [0, 0];
      counts.set(k, [c[0] + (outcome.success ? 1 : 0), c[1] + 1]);
    }
    if (counts.size < 2) continue;
    const cells = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([k, [hit, n]]) => `${k} ${hit}/${n} (${((100 * hit) / n).toFixed(0)} %)`);
    console.log(`${task} by ${name}: ${cells.join(', ')}`);
  }
}
