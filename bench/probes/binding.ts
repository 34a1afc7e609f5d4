/**
 * Does a checkpoint bind a description to the object it names? On grounding items of one difficulty
 * (held-out seed 900001), the log-prob of the box's first coordinate is read for the target's x1 and
 * for each distractor's x1 after the same prefix (the reference response up to `"bbox_2d": [`).
 * A model that localises objects but does not bind gives the target and the distractors the same
 * NLL and ranks the target first at chance (1 / objects); binding opens a gap. Distractors whose x1
 * is within 2 px of the target's are left out (the coordinate cannot tell them apart).
 *
 *   node --import tsx bench/probes/binding.ts CHECKPOINT [difficulty 1] [items 200]
 */
import { EmbeddedPolicy } from '../../src/policy/embedded.js';
import { buildHeldout } from '../../src/train/heldout.js';
import type { TrainItem } from '../../src/train/data.js';
import { firstCoordinateIndex } from './shared.js';

interface Candidate { item: number; target: boolean; position: number }
interface SceneMeta { objects: { id: number; box: number[] }[] }

const [dir, difficultyArg = '1', countArg = '200'] = process.argv.slice(2);
if (!dir) throw new Error('usage: binding.ts CHECKPOINT [difficulty] [items]');
const difficulty = Number(difficultyArg);
const items = buildHeldout([{ task: 'grounding', weight: 1, difficulty: difficulty as 1, image_size: null, verifier: null }], Number(countArg), 900001, 64).tasks.grounding!;
const policy = await EmbeddedPolicy.load(dir, { promptStyle: 'compact', executor: 'onnx' });

/** The reference response with its first coordinate replaced by `x1`, and the token index of it. */
function withFirstCoordinate(item: TrainItem, x1: number): { tokens: number[]; position: number } {
  const reference = String(item.meta.reference_response);
  const at = reference.indexOf('[', reference.indexOf('bbox_2d')) + 1;
  const text = reference.slice(0, at) + String(x1) + reference.slice(reference.indexOf(',', at));
  const tokens = policy.tokenize(text);
  return { tokens, position: firstCoordinateIndex(policy, text, tokens) };
}

const rows: { prompt: number; tokens: number[] }[] = [];
const candidates: Candidate[] = [];
items.forEach((item, i) => {
  const objects = (item.meta.scene as SceneMeta).objects;
  const targetX = objects.find((o) => o.id === item.meta.target)!.box[0]!;
  for (const object of objects) {
    const target = object.id === item.meta.target;
    if (!target && Math.abs(object.box[0]! - targetX) <= 2) continue;
    const { tokens, position } = withFirstCoordinate(item, object.box[0]!);
    rows.push({ prompt: i, tokens });
    candidates.push({ item: i, target, position });
  }
});
const logprobs = await policy.logprobs(await policy.encode(items.map((item) => item.prompt)), rows);

const nll = { target: [] as number[], distractor: [] as number[] };
const best = new Map<number, { logprob: number; target: boolean }>();
candidates.forEach((c, r) => {
  const logprob = logprobs[r]![c.position]!;
  nll[c.target ? 'target' : 'distractor'].push(-logprob);
  const current = best.get(c.item);
  if (!current || logprob > current.logprob) best.set(c.item, { logprob, target: c.target });
});
const contested = [...new Set(candidates.filter((c) => !c.target).map((c) => c.item))];
const kindOf = (i: number): string => {
  const expression = items[i]!.meta.expression as { target: Record<string, unknown>; relation?: unknown };
  return expression.relation ? 'relation' : Object.keys(expression.target).sort().join('+');
};
const byKind = new Map<string, [number, number]>();
for (const i of contested) {
  const tally = byKind.get(kindOf(i)) ?? [0, 0];
  byKind.set(kindOf(i), [tally[0] + (best.get(i)!.target ? 1 : 0), tally[1] + 1]);
}
const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const first = contested.filter((i) => best.get(i)!.target).length;
console.log(`difficulty ${difficulty}: target NLL ${mean(nll.target).toFixed(2)}, distractor NLL ${mean(nll.distractor).toFixed(2)}, ` +
  `target ranked first on ${((100 * first) / contested.length).toFixed(1)} % of ${contested.length} items (chance ${((100 * contested.length) / candidates.length).toFixed(1)} %)`);
console.log(`by what the expression names: ${[...byKind].map(([kind, [hits, n]]) => `${kind} ${hits}/${n}`).join(', ')}`);
await policy.close();
