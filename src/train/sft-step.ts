/**
 * One supervised step: the compute-matched control of Visual-RFT's RL-versus-SFT comparison (issue 5
 * "Must show"): the same base, the same data stream and the same wall-clock, trained on each sample's
 * `meta.reference_response` (the gym's true answer in the response format) with the mean token NLL
 * instead of rewards. Items without a reference response are skipped (counted in `sft/skipped`).
 */
import type { Metrics } from '../rl/index.js';
import { drawBatch, type DataCursor } from './data.js';
import type { MetricsLine } from './metrics.js';
import type { StepContext, StepResult } from './step.js';
import { meanTokenNll, referenceTokens } from './update.js';

export async function sftStep(ctx: StepContext, step: number, cursor: DataCursor): Promise<StepResult> {
  const { recipe, policy } = ctx;
  const t0 = process.hrtime.bigint();
  // 1. draw the same stream as RL would (batch_size samples; the group size plays no role)
  const drawn = drawBatch(ctx.sources, cursor, recipe.train.batch_size, `${recipe.seed}/data/${step}/0`);
  // 2. targets: reference response tokens + EOS, cut at the generation budget
  const usable = drawn.items.flatMap((item) => {
    const tokens = referenceTokens(policy, item.meta, recipe.train.max_new_tokens);
    return tokens ? [{ item, tokens }] : [];
  });
  const metrics: Metrics = { 'sft/skipped': drawn.items.length - usable.length, 'sft/samples': usable.length };
  if (usable.length > 0) {
    const encoded = await policy.encode(usable.map((u) => u.item.prompt));
    const rows = usable.map((u, i) => ({ prompt: i, tokens: u.tokens }));
    // 3. one optimizer step on the mean NLL, then sync the inference weights
    const result = await policy.step(encoded, rows, meanTokenNll, {
      lr: recipe.train.lr, weightDecay: recipe.train.weight_decay, clipNorm: recipe.train.clip_norm, beta1: recipe.train.beta1, beta2: recipe.train.beta2,
    });
    await policy.sync();
    Object.assign(metrics, { 'loss/total': result.loss, 'loss/nll': result.loss, 'actor/gradNorm': result.gradNorm, 'actor/tokens': rows.reduce((n, r) => n + r.tokens.length, 0) });
  }
  const memory = process.memoryUsage();
  const line: MetricsLine = {
    step, source: 'all', ...metrics,
    'time/update': Number(process.hrtime.bigint() - t0) / 1e9, 'time/step': Number(process.hrtime.bigint() - t0) / 1e9,
    'perf/rssMB': memory.rss / 2 ** 20, 'perf/heapMB': memory.heapUsed / 2 ** 20,
  };
  return { cursor: drawn.cursor, lines: [line], samples: [] };
}
