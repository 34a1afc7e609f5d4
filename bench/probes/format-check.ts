/**
 * How many saved held-out answers fail a format style (the check of `rl.format_gate`), per task, with
 * the first failing answer. Held-out scoring reads the first answer of a messy response, so a looping
 * answer still scores; this shows whether a run's reported gain rests on such answers.
 *
 *   node --import tsx bench/probes/format-check.ts [--style r1-strict] <run>/eval-after.json ...
 */
import { readFileSync } from 'node:fs';
import { formatGate } from '../../src/train/scoring.js';
import { defaultRegistry } from '../../src/verifiers/index.js';

const args = process.argv.slice(2);
const at = args.indexOf('--style');
const style = at >= 0 ? args.splice(at, 2)[1]! : 'r1-strict';
const gate = formatGate(defaultRegistry(), style);
for (const file of args) {
  const tasks = (JSON.parse(readFileSync(file, 'utf8')) as { tasks: Record<string, { items: { response: string }[] }> }).tasks;
  for (const [task, { items }] of Object.entries(tasks)) {
    const failing = items.filter((item) => gate({ text: item.response, tokens: [] }) !== null);
    console.log(`${file} ${task}: ${failing.length}/${items.length} fail ${style}${failing[0] ? `, e.g. ${JSON.stringify(failing[0].response).slice(0, 160)}` : ''}`);
  }
}
