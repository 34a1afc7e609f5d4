/**
 * Can a checkpoint name what it sees? Greedy answers on 100 held-out classification items (one
 * object; "pattern colour shape", seed 900001) of one difficulty, scored per attribute, so a model
 * that gets the colour right but not the shape shows it (the verifier only scores the whole label).
 * Chance: pattern 25 %, colour 12.5 %, shape 14.3 %.
 *
 *   node --import tsx bench/probes/attributes.ts CHECKPOINT [difficulty 1]
 */
import { EmbeddedPolicy } from '../../src/policy/embedded.js';
import { buildHeldout } from '../../src/train/heldout.js';

const [dir, difficultyArg = '1'] = process.argv.slice(2);
if (!dir) throw new Error('usage: attributes.ts CHECKPOINT [difficulty]');
const items = buildHeldout([{ task: 'classification', weight: 1, difficulty: Number(difficultyArg) as 1, image_size: null, verifier: null }], 100, 900001, 64).tasks.classification!;
const policy = await EmbeddedPolicy.load(dir, { promptStyle: 'compact', executor: 'onnx' });
const generated = await policy.generate(await policy.encode(items.map((item) => item.prompt)), { n: 1, maxTokens: 40, temperature: 0, topP: 1, seed: 1 });

/** The answer's words: pattern, colour, shape. */
const words = (text: string): string[] => (/<answer>\s*([^<]*)/.exec(text)?.[1] ?? '').trim().split(/\s+/);
const right = [0, 0, 0];
items.forEach((item, i) => {
  const truth = words(String(item.meta.reference_response));
  const answer = words(generated[i]![0]!.text);
  for (let k = 0; k < 3; k++) if (truth[k] === answer[k]) right[k]!++;
});
const pct = (k: number) => ((100 * right[k]!) / items.length).toFixed(0);
console.log(`difficulty ${difficultyArg}: pattern ${pct(0)} %, colour ${pct(1)} %, shape ${pct(2)} % (chance 25 / 12.5 / 14.3)`);
await policy.close();
