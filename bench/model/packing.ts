/**
 * The RL update with and without shared-prefix packing (src/model/packing.ts), on what `npm start`
 * trains on: one round of rollouts from the committed base (8 held-out prompts of the gym mix x 8
 * samples, 96-token limit, temperature 1), cut into minibatches of 16 rows as configs/default.yaml's
 * update does (train.shuffle groups: two whole groups each). Each minibatch's gradients (forward +
 * backward, the PPO-like objective of the tests) are timed with `pack: 'off'` (every row recomputes
 * its image tokens and prompt) and `pack: 'auto'` (the default), alternating round by round; the two
 * must give the same loss and gradients (1e-4 relative). Prints medians and minima of a whole round
 * (all minibatches) in ms, and the layouts' positions.
 *
 *   node --import tsx bench/model/packing.ts [--rounds 7] [--checkpoint models/base] [--threads 2]
 */
import { EmbeddedModel } from '../../src/model/index.js';
import { OnnxTrainer } from '../../src/model/onnx-train/trainer.js';
import type { Objective } from '../../src/model/tfjs/trainer.js';
import { imageToPixels, promptText } from '../../src/policy/index.js';
import { taskDefaultSource } from '../../src/train/config.js';
import { buildHeldout } from '../../src/train/heldout.js';
import { median } from '../util.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const rounds = Number(flag('--rounds', '7'));
const threads = Number(flag('--threads', '2'));
const model = await EmbeddedModel.load(flag('--checkpoint', 'models/base'), { executor: 'onnx' });
const heldout = buildHeldout(['grounding', 'counting', 'detection'].map(taskDefaultSource), 8, 900001, 64);
const items = [...heldout.tasks.grounding!.slice(0, 3), ...heldout.tasks.counting!.slice(0, 2), ...heldout.tasks.detection!.slice(0, 3)];
const images = await Promise.all(items.map((item) => imageToPixels(item.prompt.images[0]!.png, model.config.imageSize)));
const G = 8;
const prompts = items.map((item) => model.tokenizer.encode(promptText(item.prompt.text, 'compact')));
const rows = items.flatMap((_, i) => Array.from({ length: G }, () => i));
const gen = await model.generate({ images, imageIndex: rows, prompts: rows.map((i) => prompts[i]!) }, { maxTokens: 96, seed: 0 });

/** Minibatches of two whole groups, as the update cuts them. */
const minibatches = Array.from({ length: items.length / 2 }, (_, m) => {
  const groups = [2 * m, 2 * m + 1];
  const members = rows.flatMap((g, r) => (groups.includes(g) ? [r] : []));
  return {
    batch: { images: groups.map((g) => images[g]!), imageIndex: members.map((r) => groups.indexOf(rows[r]!)), prompts: members.map((r) => [...prompts[rows[r]!]!]) },
    responses: members.map((r) => gen.tokens[r]!),
  };
});

/** A PPO-like objective whose gradient depends on the log-probs (as the update's clipped ratio does). */
const objective: Objective = (logprobs) => {
  const count = Math.max(1, logprobs.reduce((n, r) => n + r.length, 0));
  let loss = 0;
  const grad = logprobs.map((row, b) => Float32Array.from(row, (lp) => {
    const w = b % 3 === 0 ? -1 : 0.5;
    loss -= (w * Math.exp(lp)) / count;
    return (-w * Math.exp(lp)) / count;
  }));
  return { loss, grad };
};

const params = model.trainer.params();
const variants = [['plain layout (pack: off)', 'off'], ['shared-prefix packing (pack: auto, default)', 'auto']] as const;
const trainers = await Promise.all(variants.map(([, pack]) => OnnxTrainer.create(model.config, params, { pack, threads })));
const times = variants.map(() => [] as number[]);
let worst = 0;
for (let r = 0; r <= rounds; r++) {
  const results: Awaited<ReturnType<OnnxTrainer['gradients']>>[][] = [];
  for (const [i, trainer] of trainers.entries()) {
    const start = performance.now();
    const out = [];
    for (const mb of minibatches) out.push(await trainer.gradients(mb.batch, mb.responses, objective));
    if (r > 0) times[i]!.push(performance.now() - start); // round 0 warms up
    results.push(out);
  }
  results[0]!.forEach((a, m) => {
    const b = results[1]![m]!;
    for (const [name, g] of a.grads) {
      const h = b.grads.get(name)!;
      const scale = Math.max(1e-12, ...g.map(Math.abs));
      g.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - h[k]!) / scale)));
    }
  });
}
if (worst > 1e-4) throw new Error(`packed gradients differ from the plain layout's: ${worst} relative`);
const positions = (pack: 'off' | 'auto') => minibatches.reduce((n, mb) => {
  const layout = trainers[pack === 'off' ? 0 : 1]!.prepare(mb.batch, mb.responses).layout;
  return n + layout.rows * (layout.length + 64);
}, 0);
const lengths = gen.tokens.map((t) => t.length);
console.log(`${rows.length} rollouts (3 grounding, 2 counting, 3 detection prompts x ${G}), answers ${(lengths.reduce((a, b) => a + b, 0) / lengths.length).toFixed(1)} tokens on average, longest ${Math.max(...lengths)}; ${minibatches.length} minibatches of 16; ${threads} threads`);
console.log(`decoder positions per round: plain ${positions('off')}, packed ${positions('auto')}; largest gradient difference ${worst.toExponential(1)} of each tensor's scale`);
console.log('gradients of one round (ms)                      median    min  speed-up');
const base = median(times[0]!);
variants.forEach(([name], i) => {
  const m = median(times[i]!);
  console.log(`${name.padEnd(46)} ${m.toFixed(0).padStart(6)} ${Math.min(...times[i]!).toFixed(0).padStart(6)} ${(base / m).toFixed(2).padStart(8)}`);
});
await Promise.all(trainers.map((t) => t.dispose()));
await model.close();
