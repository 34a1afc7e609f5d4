/**
 * Does what RL learns on the prompts it trains on carry to new prompts? Trains configs/default.yaml's
 * update (any `--set` applies) from a checkpoint on a FIXED pool of `pool` prompts of one task, cycled,
 * and scores greedy answers on the pool itself and on the task's held-out items, before and after, with
 * McNemar's exact p on each. `npm start` sees every training prompt once; this asks how much of the
 * reward it gains per prompt is learned about that prompt only.
 *
 *   node --import tsx bench/probes/rl-transfer.ts [--task grounding] [--pool 16] [--steps 60] [--n 200]
 *     [--checkpoint models/base] [--set key=value ...]
 */
import { EmbeddedPolicy } from '../../src/policy/index.js';
import { buildSummary } from '../../src/report/summary.js';
import { createRlRegistries } from '../../src/rl/index.js';
import { loadRecipe, taskDefaultSource } from '../../src/train/config.js';
import { gymSources, type DataSource } from '../../src/train/data.js';
import { buildHeldout, evaluatePolicy, type HeldoutSet } from '../../src/train/heldout.js';
import { policyOptionsOf } from '../../src/train/run.js';
import { rlGymSeed } from '../../src/train/seeds.js';
import { trainStep, type StepContext } from '../../src/train/step.js';
import { defaultRegistry } from '../../src/verifiers/index.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const task = flag('--task', 'grounding');
const pool = Number(flag('--pool', '16'));
const steps = Number(flag('--steps', '60'));
const n = Number(flag('--n', '200'));
const sets = args.flatMap((a, i) => (a === '--set' ? [args[i + 1]!] : []));
for (const [name, value] of [['--pool', pool], ['--steps', steps], ['--n', n]] as const) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${name} must be a positive integer, got ${flag(name, '')}`);
    process.exit(2);
  }
}

const recipe = await loadRecipe('configs/default.yaml', [`model.init=${flag('--checkpoint', 'models/base')}`, ...sets]);
const config = taskDefaultSource(task);
const fresh = gymSources([config], rlGymSeed(recipe.seed), 64)[0]!;
const source: DataSource = { ...fresh, item: (i: number) => fresh.item(i % pool) };
const poolSet: HeldoutSet = { seed: rlGymSeed(recipe.seed), hash: 'pool', tasks: { [task]: Array.from({ length: pool }, (_, i) => fresh.item(i)) } };
const heldout = buildHeldout([config], n, 900001, 64);
const policy = await EmbeddedPolicy.load(recipe.model.init, policyOptionsOf(recipe));
const registry = defaultRegistry();
const greedy = (set: HeldoutSet) => evaluatePolicy(policy, registry, set, { batchSize: 50, maxTokens: recipe.train.max_new_tokens });

const before = [await greedy(poolSet), await greedy(heldout)];
const ctx: StepContext = { recipe, policy, reference: null, verifiers: registry, sources: [source], registries: createRlRegistries() };
let cursor: Record<string, number> = {};
const rewards: number[] = [];
const t0 = performance.now();
for (let s = 1; s <= steps; s++) {
  const result = await trainStep(ctx, s, cursor);
  cursor = result.cursor;
  rewards.push(result.lines[0]!['reward/mean'] as number);
}
const seconds = (performance.now() - t0) / 1000;
const after = [await greedy(poolSet), await greedy(heldout)];
await policy.close();

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const fifth = Math.max(1, Math.floor(steps / 5));
console.log(`${task}: ${steps} RL steps (${seconds.toFixed(0)} s) on a pool of ${pool} prompts; training reward by fifth: ` +
  Array.from({ length: 5 }, (_, i) => mean(rewards.slice(i * fifth, (i + 1) * fifth)).toFixed(3)).join(' / '));
console.log('greedy on          items  score before  after  accuracy before  after  McNemar p');
['the training pool', 'held-out items'].forEach((label, i) => {
  const b = before[i]!.tasks[task]!;
  const a = after[i]!.tasks[task]!;
  const p = buildSummary(before[i]!, after[i]!, steps, seconds).tasks[task]!.mcnemar_p;
  const pct = (x: number) => (100 * x).toFixed(1).padStart(6);
  console.log(`${label.padEnd(18)} ${String(b.n).padStart(5)}  ${pct(b.score)}       ${pct(a.score)}  ${pct(b.accuracy)}           ${pct(a.accuracy)}  ${p.toFixed(3).padStart(9)}`);
});
