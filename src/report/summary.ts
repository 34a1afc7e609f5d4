/**
 * summary.json (issue 5): `{"tasks": {"<task>": {"before": x, "after": y, "mcnemar_p": p}},
 * "mean_before": x, "mean_after": y, "steps": n, "seconds": s}` plus `heldout_hash` (the content
 * hash DESIGN.md section 10 asks to record) and `heldout_items` per task. Scores are the mean
 * normalized held-out score in [0, 1]; McNemar pairs each item's success (score >= 0.5) before and
 * after on the same items (src/eval/stats), exact two-sided p. When the items carry their gym
 * difficulty, `by_difficulty` splits each task's before / after by it: the held-out mix draws
 * difficulty 1-5 per item, and a mean gain can hide a loss on easy scenes paid for by hard ones.
 * When both evaluations carry the strict reading (`strictFormat`, the training format gate), `strict`
 * gives its before / after and McNemar p, so a gain that rests on lenient parsing shows.
 */
import { mcnemar, pairedOutcomes } from '../eval/stats/index.js';
import { strictSuccess, type EvalResult, type ItemOutcome } from '../train/heldout.js';

/** Mean normalized score before and after on the `n` items of one slice of a task's held-out set. */
export interface SliceSummary {
  n: number;
  before: number;
  after: number;
}

export interface TaskSummary {
  before: number;
  after: number;
  mcnemar_p: number;
  /** Keyed by difficulty ("1" ... "5"); absent when an item has no difficulty (real data, old evaluations). */
  by_difficulty?: Record<string, SliceSummary>;
  /** The answers that fail the format gate counted 0; present when both evaluations were strict. */
  strict?: { style: string; before: number; after: number; mcnemar_p: number; format_before: number; format_after: number };
}

export interface Summary {
  tasks: Record<string, TaskSummary>;
  mean_before: number;
  mean_after: number;
  steps: number;
  seconds: number;
  heldout_hash: string;
  heldout_items: number;
}

/** The before/after comparison of two evaluations of the same held-out set. */
export function buildSummary(before: EvalResult, after: EvalResult, steps: number, seconds: number): Summary {
  if (before.heldout_hash !== after.heldout_hash) {
    throw new Error(`before and after were evaluated on different held-out sets (${before.heldout_hash.slice(0, 12)} vs ${after.heldout_hash.slice(0, 12)})`);
  }
  const tasks: Record<string, TaskSummary> = {};
  for (const [task, b] of Object.entries(before.tasks)) {
    const a = after.tasks[task];
    if (!a) continue;
    const paired = pairedOutcomes(b.items.map((i) => i.success), a.items.map((i) => i.success));
    tasks[task] = { before: b.score, after: a.score, mcnemar_p: mcnemar(paired.b, paired.c).exact_p };
    const slices = byDifficulty(b.items, a.items);
    if (slices) tasks[task].by_difficulty = slices;
    if (b.strict && a.strict) {
      const p = pairedOutcomes(b.items.map(strictSuccess), a.items.map(strictSuccess));
      tasks[task].strict = {
        style: a.strict.style, before: b.strict.score, after: a.strict.score, mcnemar_p: mcnemar(p.b, p.c).exact_p,
        format_before: b.strict.format_rate, format_after: a.strict.format_rate,
      };
    }
  }
  const names = Object.keys(tasks);
  const mean = (pick: (t: TaskSummary) => number) => (names.length ? names.reduce((s, n) => s + pick(tasks[n]!), 0) / names.length : 0);
  const items = Object.values(before.tasks)[0]?.n ?? 0;
  return { tasks, mean_before: mean((t) => t.before), mean_after: mean((t) => t.after), steps, seconds, heldout_hash: before.heldout_hash, heldout_items: items };
}

/**
 * Before / after per difficulty, items paired by id; null when any item lacks a difficulty or an id
 * has no partner (a partial split would misstate the slices).
 */
export function byDifficulty(before: readonly ItemOutcome[], after: readonly ItemOutcome[]): Record<string, SliceSummary> | null {
  const afterById = new Map(after.map((o) => [o.id, o]));
  const sums = new Map<number, SliceSummary>();
  for (const b of before) {
    const a = afterById.get(b.id);
    if (b.difficulty === undefined || !a) return null;
    const slice = sums.get(b.difficulty) ?? { n: 0, before: 0, after: 0 };
    slice.n++;
    slice.before += b.normalized;
    slice.after += a.normalized;
    sums.set(b.difficulty, slice);
  }
  if (sums.size === 0) return null;
  const keys = [...sums.keys()].sort((x, y) => x - y);
  return Object.fromEntries(keys.map((d) => {
    const s = sums.get(d)!;
    return [String(d), { n: s.n, before: s.before / s.n, after: s.after / s.n }];
  }));
}

/** A short text table for the terminal. */
export function formatSummary(summary: Summary): string {
  const pts = (x: number) => (100 * x).toFixed(1);
  const lines = ['task                      before  after   gain  mcnemar_p'];
  for (const [task, t] of Object.entries(summary.tasks)) {
    lines.push(`${task.padEnd(24)} ${pts(t.before).padStart(7)} ${pts(t.after).padStart(6)} ${pts(t.after - t.before).padStart(6)}  ${t.mcnemar_p.toPrecision(3)}`);
    if (t.by_difficulty) {
      const slices = Object.entries(t.by_difficulty).map(([d, s]) => `d${d} ${pts(s.before)}->${pts(s.after)} (${s.n})`);
      lines.push(`  by difficulty: ${slices.join(', ')}`);
    }
    if (t.strict) {
      const s = t.strict;
      lines.push(`  strict ${s.style}: ${pts(s.before)}->${pts(s.after)} (p ${s.mcnemar_p.toPrecision(3)}), format followed ${pts(s.format_before)}% -> ${pts(s.format_after)}%`);
    }
  }
  lines.push(`${'mean'.padEnd(24)} ${pts(summary.mean_before).padStart(7)} ${pts(summary.mean_after).padStart(6)} ${pts(summary.mean_after - summary.mean_before).padStart(6)}`);
  lines.push(`${summary.steps} steps, ${summary.seconds.toFixed(0)} s, held-out ${summary.heldout_items} items/task (sha256 ${summary.heldout_hash.slice(0, 12)})`);
  return lines.join('\n');
}
