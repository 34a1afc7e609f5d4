/**
 * RL rollouts on the committed base: what one round of `npm start` generates (8 held-out prompts of
 * the gym mix x 8 samples, 96-token limit, temperature 1), with the plain loop (every row prefilled,
 * every row decoded until the batch's longest answer ends) against the default (the G rows of a group
 * share one prefill, finished rows leave the cache). The variants alternate round by round and must
 * give the same tokens; prints medians and minima in ms.
 *
 *   node --import tsx bench/model/rollouts.ts [--rounds 7] [--checkpoint models/base]
 */
import { EmbeddedModel } from '../../src/model/index.js';
import { imageToPixels, promptText } from '../../src/policy/index.js';
import { taskDefaultSource } from '../../src/train/config.js';
import { buildHeldout } from '../../src/train/heldout.js';
import { median } from '../util.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const rounds = Number(flag('--rounds', '7'));
const model = await EmbeddedModel.load(flag('--checkpoint', 'models/base'));
const heldout = buildHeldout(['grounding', 'counting', 'detection'].map(taskDefaultSource), 8, 900001, 64);
const items = [...heldout.tasks.grounding!.slice(0, 3), ...heldout.tasks.counting!.slice(0, 2), ...heldout.tasks.detection!.slice(0, 3)];
const images = await Promise.all(items.map((item) => imageToPixels(item.prompt.images[0]!.png, model.config.imageSize)));
const G = 8;
const rows = items.flatMap((_, i) => Array.from({ length: G }, () => i));
const batch = { images, imageIndex: rows, prompts: rows.map((i) => model.tokenizer.encode(promptText(items[i]!.prompt.text, 'compact'))) };

const variants = [
  ['plain loop (every row prefilled and decoded to the end)', { sharedPrefill: false, compactRows: false }],
  ['shared group prefill', { sharedPrefill: true, compactRows: false }],
  ['shared prefill + finished rows dropped (default)', { sharedPrefill: true, compactRows: true }],
] as const;
const times = variants.map(() => [] as number[]);
let lengths: number[] = [];
for (let r = 0; r <= rounds; r++) {
  const outputs: string[] = [];
  for (const [i, [, options]] of variants.entries()) {
    const start = performance.now();
    const gen = await model.generate(batch, { maxTokens: 96, seed: r, ...options });
    if (r > 0) times[i]!.push(performance.now() - start); // round 0 warms up
    outputs.push(JSON.stringify(gen.tokens));
    lengths = gen.tokens.map((t) => t.length);
  }
  if (new Set(outputs).size !== 1) throw new Error(`round ${r}: the variants generated different tokens`);
}
const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
console.log(`${rows.length} rows (3 grounding, 2 counting, 3 detection prompts x ${G}); last round: answers ${mean.toFixed(1)} tokens on average, longest ${Math.max(...lengths)}`);
console.log('generate one round (ms)                                   median    min  speed-up');
const base = median(times[0]!);
variants.forEach(([name], i) => {
  const m = median(times[i]!);
  console.log(`${name.padEnd(56)} ${m.toFixed(0).padStart(6)} ${Math.min(...times[i]!).toFixed(0).padStart(6)} ${(base / m).toFixed(2).padStart(8)}`);
});
await model.close();
