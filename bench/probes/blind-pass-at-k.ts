/**
 * The image-blind pass@k: each held-out item answered with the reference answers of the k items after
 * it (`blindResponses`), scored by the task's verifier. What k guesses from the answer prior reach
 * without the image; compare with `perceptrl eval model --samples k` to see how much of a model's
 * pass@k is perception and how much is guessing.
 *
 *   node --import tsx bench/probes/blind-pass-at-k.ts [k 8] [items 200]
 */
import { taskDefaultSource } from '../../src/train/config.js';
import { blindResponses, buildHeldout, sampleStats } from '../../src/train/heldout.js';
import { scoreResponses } from '../../src/train/scoring.js';
import { defaultRegistry } from '../../src/verifiers/index.js';

const k = Number(process.argv[2] ?? 8);
const n = Number(process.argv[3] ?? 200);
const heldout = buildHeldout(['grounding', 'counting', 'detection'].map(taskDefaultSource), n, 900001, 64);
for (const [task, items] of Object.entries(heldout.tasks)) {
  const scored = scoreResponses(defaultRegistry(), items, blindResponses(items, k)!, { step: 1, totalSteps: 1 });
  let pass1 = 0, passK = 0, best = 0;
  for (const row of scored) {
    const item = sampleStats(row);
    pass1 += item.pass1;
    passK += item.passK;
    best += item.best;
  }
  const pct = (v: number) => (100 * v / items.length).toFixed(1);
  console.log(`${task}: blind pass@1 ${pct(pass1)} %, pass@${k} ${pct(passK)} %, best-of-${k} score ${pct(best)}`);
}
