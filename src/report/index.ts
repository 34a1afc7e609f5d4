/**
 * report.html of a run (issue 5): reward curves per data source (and accuracy, response length,
 * entropy), the before/after table per task with McNemar's exact p and per gym difficulty, and
 * sample rollouts from the held-out set drawn with their true (green) and predicted (red, dashed)
 * boxes. One self-contained file: charts are inline SVG (vega-lite + vega, ./charts.ts), images
 * inline PNG data URLs.
 */
import { join } from 'node:path';
import type { Recipe } from '../train/config.js';
import type { EvalResult, HeldoutSet } from '../train/heldout.js';
import type { MetricsLine } from '../train/metrics.js';
import { FILES, readJsonl, writeFileAtomic } from '../train/run-dir.js';
import { drawBoxes, predictedBoxes, truthBoxes } from './boxes.js';
import { lineChartSvg, type CurvePoint } from './charts.js';
import type { Summary } from './summary.js';

export { buildSummary, formatSummary, type Summary, type TaskSummary } from './summary.js';
export { drawBoxes, predictedBoxes, truthBoxes } from './boxes.js';
export { lineChartSvg } from './charts.js';

export interface ReportInput {
  recipe: Recipe;
  heldout: HeldoutSet;
  before: EvalResult;
  after: EvalResult;
  summary: Summary;
  samplesPerTask: number;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pts = (x: number) => (100 * x).toFixed(1);

const CHARTS: { key: string; title: string; y: string; all?: boolean }[] = [
  { key: 'reward/mean', title: 'Reward per data source', y: 'mean reward' },
  { key: 'accuracy', title: 'Accuracy (normalized score >= 0.5)', y: 'accuracy' },
  { key: 'response/lengthMean', title: 'Response length', y: 'tokens' },
  { key: 'actor/entropy', title: 'Entropy estimate mean(-log p)', y: 'nats/token' },
  { key: 'loss/total', title: 'Loss (whole batch)', y: 'loss', all: true },
];

async function chartsHtml(lines: readonly MetricsLine[]): Promise<string> {
  const out: string[] = [];
  for (const chart of CHARTS) {
    const points: CurvePoint[] = lines
      .filter((l) => (chart.all ? l.source === 'all' : l.source !== 'all') && typeof l[chart.key] === 'number')
      .map((l) => ({ step: l.step, source: l.source, value: l[chart.key] as number }));
    if (points.length) out.push(`<figure>${await lineChartSvg(points, chart.title, chart.y)}</figure>`);
  }
  return `<div class="charts">${out.join('\n')}</div>`;
}

function tableHtml(summary: Summary): string {
  const rows = Object.entries(summary.tasks).map(([task, t]) => {
    const gain = t.after - t.before;
    return `<tr><td>${escape(task)}</td><td>${pts(t.before)}</td><td>${pts(t.after)}</td><td class="${gain >= 0 ? 'up' : 'down'}">${gain >= 0 ? '+' : ''}${pts(gain)}</td><td>${t.mcnemar_p.toPrecision(3)}${t.mcnemar_p < 0.05 ? ' *' : ''}</td></tr>`;
  });
  const gain = summary.mean_after - summary.mean_before;
  rows.push(`<tr class="mean"><td>mean</td><td>${pts(summary.mean_before)}</td><td>${pts(summary.mean_after)}</td><td>${gain >= 0 ? '+' : ''}${pts(gain)}</td><td></td></tr>`);
  return `<table><thead><tr><th>task</th><th>before</th><th>after</th><th>gain (points)</th><th>McNemar exact p</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The strict reading (answers that fail the training format gate count 0), for the tasks that have one. */
function strictTableHtml(summary: Summary): string {
  const rows = Object.entries(summary.tasks).flatMap(([task, t]) => {
    if (!t.strict) return [];
    const s = t.strict;
    const gain = s.after - s.before;
    return [`<tr><td>${escape(task)}</td><td>${escape(s.style)}</td><td>${pts(s.before)}</td><td>${pts(s.after)}</td><td class="${gain >= 0 ? 'up' : 'down'}">${gain >= 0 ? '+' : ''}${pts(gain)}</td><td>${s.mcnemar_p.toPrecision(3)}${s.mcnemar_p < 0.05 ? ' *' : ''}</td><td>${pts(s.format_before)} &rarr; ${pts(s.format_after)}</td></tr>`];
  });
  if (rows.length === 0) return '';
  return `<h3>Strict format</h3><p>The same answers with every one that is not exactly in the training format, or was cut at the token budget, counted 0: a gain that rests on the verifiers' lenient parsing shows here.</p>
<table><thead><tr><th>task</th><th>style</th><th>before</th><th>after</th><th>gain (points)</th><th>McNemar exact p</th><th>format followed (%)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Before / after per gym difficulty, for the tasks whose items carry one (empty otherwise). */
function difficultyTableHtml(summary: Summary): string {
  const rows = Object.entries(summary.tasks).flatMap(([task, t]) => Object.entries(t.by_difficulty ?? {}).map(([d, s]) => {
    const gain = s.after - s.before;
    return `<tr><td>${escape(task)}</td><td>${escape(d)}</td><td>${s.n}</td><td>${pts(s.before)}</td><td>${pts(s.after)}</td><td class="${gain >= 0 ? 'up' : 'down'}">${gain >= 0 ? '+' : ''}${pts(gain)}</td></tr>`;
  }));
  if (rows.length === 0) return '';
  return `<h3>By difficulty</h3><table><thead><tr><th>task</th><th>difficulty</th><th>items</th><th>before</th><th>after</th><th>gain (points)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

async function samplesHtml(input: ReportInput): Promise<string> {
  const sections: string[] = [];
  for (const [task, items] of Object.entries(input.heldout.tasks)) {
    const cards: string[] = [];
    for (const [i, item] of items.slice(0, input.samplesPerTask).entries()) {
      const b = input.before.tasks[task]?.items[i];
      const a = input.after.tasks[task]?.items[i];
      const image = item.prompt.images[0];
      if (!a || !image) continue;
      const src = await drawBoxes(image.png, image.width, truthBoxes(item.answer), predictedBoxes(a.response));
      cards.push(`<div class="card"><img src="${src}" alt="${escape(item.id)}"><div class="meta"><b>${escape(item.id)}</b><br>
        <span class="q">${escape(item.prompt.text.replace(/<image>\n?/g, '').slice(0, 160))}</span><br>
        truth: <code>${escape(JSON.stringify(item.answer).slice(0, 160))}</code><br>
        after (score ${a.normalized.toFixed(2)}): <code>${escape(a.response.slice(0, 240))}</code><br>
        before (score ${(b?.normalized ?? 0).toFixed(2)}): <code>${escape((b?.response ?? '').slice(0, 160))}</code></div></div>`);
    }
    sections.push(`<h3>${escape(task)}</h3><div class="cards">${cards.join('\n')}</div>`);
  }
  return sections.join('\n');
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1300px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}
td:first-child,th:first-child{text-align:left}.up{color:#1a7f37}.down{color:#c62828}.mean{font-weight:bold}
figure{display:inline-block;margin:8px;vertical-align:top}.charts{display:flex;flex-wrap:wrap}.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid #ddd;border-radius:6px;padding:8px;width:360px;font-size:12px}.card img{width:192px;image-rendering:pixelated}
code{word-break:break-all;background:#f5f5f5}.legend span{padding:0 8px}`;

/** Writes report.html into the run folder and returns its path. */
export async function writeReport(runDir: string, input: ReportInput): Promise<string> {
  const lines = await readJsonl<MetricsLine>(join(runDir, FILES.metrics));
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>perceptrl run ${escape(input.recipe.name)}</title><style>${STYLE}</style></head><body>
<h1>perceptrl run: ${escape(input.recipe.name)}</h1>
<p>${input.summary.steps} steps in ${input.summary.seconds.toFixed(0)} s; advantage <b>${escape(input.recipe.rl.advantage)}</b>, aggregation <b>${escape(input.recipe.rl.aggregation)}</b>, filter <b>${escape(input.recipe.rl.filter.name)}</b>, KL coef ${input.recipe.rl.kl.coef}; seed ${input.recipe.seed}.</p>
<h2>Held-out before / after</h2>
<p>${input.summary.heldout_items} frozen items per task (gym seed ${input.heldout.seed}, sha256 <code>${input.summary.heldout_hash.slice(0, 16)}</code>); score = mean normalized verifier score in points; McNemar pairs success (score &ge; 0.5) per item.</p>
${tableHtml(input.summary)}
${strictTableHtml(input.summary)}
${difficultyTableHtml(input.summary)}
<h2>Training curves</h2>
${await chartsHtml(lines)}
<h2>Sample rollouts (held-out, after training)</h2>
<p class="legend"><span style="color:#1a9e3f">&#9632; true boxes</span><span style="color:#d62728">&#9633; predicted boxes</span></p>
${await samplesHtml(input)}
</body></html>
`;
  const path = join(runDir, FILES.report);
  await writeFileAtomic(path, html);
  return path;
}
