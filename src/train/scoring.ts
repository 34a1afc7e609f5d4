/**
 * Scoring rollouts through the verifier registry (the one registry, DESIGN.md section 1). Each item's
 * verifier is prepared once (answer and params validated once) and evaluated on each of its
 * rollouts with the training context (step, totalSteps for V-Triune's dynamic IoU; response_tokens
 * for length rewards). Verifier exceptions become score 0 with a reason (catchErrors), never a crash.
 *
 * `normalized` maps the score onto [0, 1] with the verifier's range, so tasks with [0, 2] ranges
 * (giou1, visual-rft, quality) compare with the others; success is normalized >= 0.5 (DESIGN.md
 * section 10: IoU >= 0.5 for boxes).
 *
 * An optional gate (`rl.format_gate`, training only) scores a response that fails it at the verifier's
 * low end: the verifiers read the first answer of a messy response, which is right for evaluation, but
 * in training it rewards a right answer followed by rambling or a loop, and RL then reinforces the loop.
 */
import type { VerifierRegistry } from '../verifiers/index.js';
import type { TrainItem } from './data.js';

export interface ScoredResponse {
  /** The training scalar, null when the verifier does not apply. */
  score: number | null;
  normalized: number | null;
  success: boolean;
  components: Record<string, number>;
  reason?: string;
}

export interface ScoreContext {
  step: number;
  totalSteps: number;
}

export const SUCCESS_THRESHOLD = 0.5;

/** A response as scored: its text, token ids and, for rollouts, why generation ended. */
export interface ScorableResponse {
  text: string;
  tokens: readonly number[];
  finishReason?: 'stop' | 'length';
}

/** A gate on training rewards: the reason a response fails it, or null when it passes. */
export type ResponseGate = (response: ScorableResponse) => string | null;

/**
 * The format gate of `rl.format_gate`: a response passes when the `format` verifier gives it full marks
 * in `style` and generation stopped by itself (a response cut at the budget never passes).
 */
export function formatGate(registry: VerifierRegistry, style: string): ResponseGate {
  const check = registry.prepare('format', null, { style });
  return (response) => {
    if (response.finishReason === 'length') return 'cut at the token budget';
    const result = check.evaluate(response.text, {}, { catchErrors: true });
    return result.score !== null && result.score >= 1 ? null : `format ${style}: ${result.reason ?? 'not followed'}`;
  };
}

/** Scores `responses[i][k]` (response k of item i) with the item's verifier. */
export function scoreResponses(
  registry: VerifierRegistry,
  items: readonly TrainItem[],
  responses: readonly (readonly ScorableResponse[])[],
  context: ScoreContext,
  gate?: ResponseGate,
): ScoredResponse[][] {
  return items.map((item, i) => {
    const prepared = registry.prepare(item.verifier.name, item.answer, item.verifier.params);
    const [low, high] = prepared.range;
    return responses[i]!.map((r) => {
      const result = prepared.evaluate(r.text, { step: context.step, totalSteps: context.totalSteps, response_tokens: r.tokens.length }, { catchErrors: true });
      const normalized = result.score === null ? null : high > low ? Math.min(1, Math.max(0, (result.score - low) / (high - low))) : result.score;
      const out: ScoredResponse = { score: result.score, normalized, success: normalized !== null && normalized >= SUCCESS_THRESHOLD, components: result.components };
      if (result.reason !== undefined) out.reason = result.reason;
      return gate && out.score !== null ? gated(out, gate(r), low) : out;
    });
  });
}

/** A gated result: unchanged (with component format_gate 1) when it passes, the range's low end when it fails. */
function gated(scored: ScoredResponse, failure: string | null, low: number): ScoredResponse {
  if (failure === null) return { ...scored, components: { ...scored.components, format_gate: 1 } };
  return { score: low, normalized: 0, success: false, components: { ...scored.components, format_gate: 0 }, reason: `gated: ${failure}` };
}
