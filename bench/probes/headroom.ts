/**
 * What RL can amplify: per RL task, the greedy held-out score against the mean and the best of k
 * samples at temperature 1 (best-of-k score, pass@k accuracy). GRPO raises the probability of a
 * group's better rollouts, so a task whose best-of-k is far above its sample mean has hits to
 * reinforce; but a best-of-k that guessing alone would reach (counting answers are a few small
 * integers) is not perception. Compare with the image-blind baseline of the model card.
 *
 *   node --import tsx bench/probes/headroom.ts models/base [items per task, 96] [k, 8]
 */
import { EmbeddedPolicy } from '../../src/policy/embedded.js';
import { taskDefaultSource } from '../../src/train/config.js';
import type { TrainItem } from '../../src/train/data.js';
import { blindResponses, buildHeldout } from '../../src/train/heldout.js';
import { scoreResponses } from '../../src/train/scoring.js';
import { defaultRegistry } from '../../src/verifiers/index.js';

const [dir = 'models/base', nArg = '96', kArg = '8'] = process.argv.slice(2);
const n = Number(nArg);
const k = Number(kArg);
const registry = defaultRegistry();
const policy = await EmbeddedPolicy.load(dir, { promptStyle: 'compact', executor: 'onnx' });
const pct = (v: number) => (100 * v).toFixed(1);

/** pass@k of guessing (src/train/heldout.ts blindResponses: the reference answers of k other items). */
function blindPassK(items: readonly TrainItem[]): number {
  const guesses = blindResponses(items, k);
  if (!guesses) return NaN;
  const scored = scoreResponses(registry, items, guesses, { step: 1, totalSteps: 1 });
  return scored.filter((row) => row.some((s) => s.success)).length / items.length;
}
for (const task of ['grounding', 'counting', 'detection']) {
  const items = buildHeldout([taskDefaultSource(task)], n, 900001, 64).tasks[task]!;
  const sum = { greedy: 0, mean: 0, best: 0, accMean: 0, passK: 0 };
  for (let start = 0; start < items.length; start += 16) {
    const batch = items.slice(start, start + 16);
    const encoded = await policy.encode(batch.map((item) => item.prompt));
    const greedy = await policy.generate(encoded, { n: 1, maxTokens: 96, temperature: 0, topP: 1, seed: 0 });
    const sampled = await policy.generate(encoded, { n: k, maxTokens: 96, temperature: 1, topP: 1, seed: 1 });
    const context = { step: 1, totalSteps: 1 };
    for (const row of scoreResponses(registry, batch, greedy, context)) sum.greedy += row[0]!.normalized ?? 0;
    for (const row of scoreResponses(registry, batch, sampled, context)) {
      const scores = row.map((s) => s.normalized ?? 0);
      sum.mean += scores.reduce((a, b) => a + b, 0) / k;
      sum.best += Math.max(...scores);
      sum.accMean += row.filter((s) => s.success).length / k;
      sum.passK += row.some((s) => s.success) ? 1 : 0;
    }
  }
  const N = items.length;
  const blind = blindPassK(items);
  console.log(`${task}: greedy ${pct(sum.greedy / N)} | T=1 mean ${pct(sum.mean / N)}, best of ${k} ${pct(sum.best / N)} | accuracy T=1 ${pct(sum.accMean / N)}, pass@${k} ${pct(sum.passK / N)} | image-blind pass@${k} ${pct(blind)} (${N} items)`);
}
await policy.close();
