/**
 * The table of `perceptrl compare` (issue 5): recipes run from the same base for the same wall-clock,
 * one row each (steps done, held-out score after per task with its gain and McNemar p, mean), and the
 * training-reward curve of each against seconds. Pure rendering of the runs' summaries and metrics.
 */
import { lineChartSvg, type CurvePoint } from './charts.js';
import type { Summary } from './summary.js';

export interface CompareRow {
  name: string;
  /** rl or sft (the compute-matched control). */
  algorithm: string;
  runDir: string;
  summary: Summary;
  /** (seconds since start, mean training reward) per step; empty for sft. */
  rewards: { seconds: number; reward: number }[];
}

const pts = (x: number): string => (100 * x).toFixed(1);
const signed = (x: number): string => `${x >= 0 ? '+' : ''}${pts(x)}`;
const pValue = (p: number): string => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));

/** Markdown: one row per recipe, after (gain, McNemar p) per task and the mean. */
export function compareTable(rows: readonly CompareRow[]): string {
  const tasks = [...new Set(rows.flatMap((r) => Object.keys(r.summary.tasks)))];
  const header = `| recipe | algorithm | steps | seconds | ${tasks.map((t) => `${t} after (gain, p)`).join(' | ')} | mean before | mean after | gain |`;
  const rule = `|---|---|---:|---:|${tasks.map(() => '---:').join('|')}|---:|---:|---:|`;
  const body = rows.map((r) => {
    const s = r.summary;
    const cells = tasks.map((t) => {
      const x = s.tasks[t];
      return x ? `${pts(x.after)} (${signed(x.after - x.before)}, ${pValue(x.mcnemar_p)})` : 'n/a';
    });
    return `| ${r.name} | ${r.algorithm} | ${s.steps} | ${s.seconds.toFixed(0)} | ${cells.join(' | ')} | ${pts(s.mean_before)} | ${pts(s.mean_after)} | ${signed(s.mean_after - s.mean_before)} |`;
  });
  return [header, rule, ...body].join('\n');
}

/** Mean training reward against training seconds, one line per RL recipe. */
export function rewardCurveSvg(rows: readonly CompareRow[]): Promise<string> {
  const points: CurvePoint[] = rows.flatMap((r) => r.rewards.map((p) => ({ step: Math.round(p.seconds), source: r.name, value: p.reward })));
  return lineChartSvg(points, 'training reward at equal wall-clock', 'mean reward', 'training seconds');
}
