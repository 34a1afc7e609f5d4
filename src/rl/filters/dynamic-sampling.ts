/**
 * DAPO dynamic sampling as a pure planning function: given the groups generated so far (each already
 * judged by a group filter), the target batch size in groups and the rounds done, say which groups
 * to train on and whether to generate another round. The trainer owns generation; this owns the rule.
 *
 * Rule (verl DAPO recipe, METHODS.md 0.3: gen batch = 3 x train batch, up to 10 rounds; EasyR1
 * `max_try_make_batch` 20): keep accumulating kept groups across rounds; when at least `targetGroups`
 * are kept, train on the first `targetGroups` of them (verl truncates the surplus). When the round
 * cap is reached first, verl raises an error; we return `status: 'short'` with everything kept so the
 * trainer can decide (train on a smaller batch, or stop) and log the shortfall.
 *
 * Two departures, both off by default: `surplus: 'keep'` trains on every kept group instead of
 * truncating (the generation was paid for; the batch then varies in size), and `nextRoundSize` sizes a
 * later round to the expected need (shortfall over the keep rate so far, with a margin) instead of a
 * full batch, so a step that lacks two groups does not generate eight.
 */
export interface SamplingCandidate {
  /** Any stable id of the group (e.g. the prompt uid). */
  id: string | number;
  /** The group filter's verdict. */
  keep: boolean;
}

export interface DynamicSamplingInput {
  /** Every group generated so far, in generation order, across all rounds. */
  candidates: readonly SamplingCandidate[];
  /** Train batch size in groups (prompts). */
  targetGroups: number;
  /** Generation rounds already done (>= 1 once anything was generated). */
  roundsDone: number;
  /** Cap on generation rounds (verl `max_num_gen_batches`; <= 0 means no cap). */
  maxRounds: number;
  /** When full: `drop` (default, verl) trains on the first `targetGroups` kept groups, `keep` on all of them. */
  surplus?: 'drop' | 'keep';
}

export interface DynamicSamplingPlan {
  /** `full`: train now on `train`; `sample-more`: generate another round; `short`: cap hit. */
  status: 'full' | 'sample-more' | 'short';
  /** Ids to train on now (empty when sampling more). */
  train: Array<string | number>;
  /** Kept groups so far, and how many the batch still lacks. */
  kept: number;
  shortfall: number;
}

/**
 * Plan the next step of dynamic sampling.
 * @example
 * planDynamicSampling({ candidates: [{ id: 'a', keep: true }, { id: 'b', keep: false }], targetGroups: 2, roundsDone: 1, maxRounds: 10 });
 * // { status: 'sample-more', train: [], kept: 1, shortfall: 1 }
 */
export function planDynamicSampling(input: DynamicSamplingInput): DynamicSamplingPlan {
  if (!Number.isInteger(input.targetGroups) || input.targetGroups < 1) {
    throw new RangeError(`targetGroups: expected a positive integer, got ${input.targetGroups}`);
  }
  const keptIds = input.candidates.filter((c) => c.keep).map((c) => c.id);
  const kept = keptIds.length;
  if (kept >= input.targetGroups) {
    return { status: 'full', train: input.surplus === 'keep' ? keptIds : keptIds.slice(0, input.targetGroups), kept, shortfall: 0 };
  }
  const shortfall = input.targetGroups - kept;
  if (input.maxRounds > 0 && input.roundsDone >= input.maxRounds) return { status: 'short', train: keptIds, kept, shortfall };
  return { status: 'sample-more', train: [], kept, shortfall };
}

export interface NextRoundInput {
  /** Groups generated and kept so far this step. */
  generated: number;
  kept: number;
  /** Kept groups the batch still lacks (> 0). */
  shortfall: number;
  /** A full round's size in prompts (the train batch size). */
  batchSize: number;
  /** Multiplies the expected need, to make another short round unlikely (>= 1). */
  margin: number;
}

/**
 * Prompts to draw for the next round: ceil(margin * shortfall / rate), at least `shortfall`, at most a
 * full batch. The keep rate is estimated with add-one smoothing, (kept + 1) / (generated + 2), so a
 * first round that kept nothing still asks for a bounded round and one that kept everything asks for
 * a little more than the shortfall.
 * @example
 * nextRoundSize({ generated: 8, kept: 5, shortfall: 3, batchSize: 8, margin: 1.25 }); // 7: rate 0.6, 1.25 * 3 / 0.6 = 6.25
 */
export function nextRoundSize(input: NextRoundInput): number {
  const { generated, kept, shortfall, batchSize, margin } = input;
  if (!(margin >= 1)) throw new RangeError(`margin: expected >= 1, got ${margin}`);
  if (!Number.isInteger(shortfall) || shortfall < 1) throw new RangeError(`shortfall: expected a positive integer, got ${shortfall}`);
  const rate = (kept + 1) / (generated + 2);
  return Math.min(batchSize, Math.max(shortfall, Math.ceil(margin * shortfall / rate - 1e-9)));
}
