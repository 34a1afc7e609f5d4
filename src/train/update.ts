/**
 * The update phase: PPO epochs over shuffled minibatches of rollouts against the old log-probs
 * (computed once, at generation), with the KL term to the frozen reference when its coefficient is
 * above 0. The loss and its per-token gradient come from src/rl `computeLoss`; this module only
 * packs rows into the `[B * T]` arrays it takes and unpacks `tokenGrad` for the policy's backward
 * pass (TrainablePolicy.step), so the math stays in src/rl (STYLE.md section 3 item 1).
 */
import type { EncodedPrompts, OptimizerParams, ResponseRow, TokenObjective, TrainablePolicy } from '../policy/index.js';
import { computeLoss, type LossSpec, type Metrics } from '../rl/index.js';
import { Rng } from '../util/rng.js';

/** One rollout ready for the update. */
export interface UpdateRow extends ResponseRow {
  logpOld: Float32Array;
  /** Reference log-probs (only when the KL term is on). */
  logpRef?: Float32Array | undefined;
  advantage: number;
  /** Per-token loss multiplier (VPPO's top-p perception mask), or undefined for all ones. */
  tokenMask?: Float64Array | undefined;
}

export interface UpdateOptions {
  epochs: number;
  minibatchSize: number;
  spec: LossSpec;
  optimizer: OptimizerParams;
  /** Key of the shuffling stream (seed and step), so a resumed run shuffles the same way. */
  shuffleKey: string;
  /** Shuffle whole groups (rows sharing a prompt stay together; default) or single rows. */
  shuffle?: 'groups' | 'rows' | undefined;
  /**
   * InstructGPT's ptx term: `coef` x the mean token NLL of these supervised rows (the step's samples'
   * reference responses) is added to every minibatch's loss, its rows dealt round-robin over the
   * minibatches of an epoch. Anchors what pre-training taught while RL moves the policy.
   */
  anchor?: { rows: readonly ResponseRow[]; coef: number } | undefined;
}

/** Mean negative log-likelihood over every token of the rows, and its gradient -1/N per token. */
export const meanTokenNll: TokenObjective = (logprobs) => {
  const count = Math.max(1, logprobs.reduce((n, row) => n + row.length, 0));
  let sum = 0;
  for (const row of logprobs) for (const v of row) sum -= v;
  return { loss: sum / count, grad: logprobs.map((row) => new Float32Array(row.length).fill(-1 / count)) };
};

/** A supervised target: the item's reference response + EOS, cut at the budget; null without one. */
export function referenceTokens(policy: Pick<TrainablePolicy, 'tokenize' | 'eosId'>, meta: Record<string, unknown>, maxTokens: number): number[] | null {
  const reference = meta.reference_response;
  if (typeof reference !== 'string') return null;
  return [...policy.tokenize(reference), policy.eosId].slice(0, maxTokens);
}

/** Token arrays of a minibatch, right-padded to its longest response. */
interface Packed {
  B: number;
  T: number;
  mask: Float64Array;
  logpNew: Float64Array;
  logpOld: Float64Array;
  logpRef?: Float64Array;
  tokenMask?: Float64Array;
}

function pack(rows: readonly UpdateRow[], logpNew: readonly Float32Array[]): Packed {
  const B = rows.length;
  const T = Math.max(1, ...rows.map((r) => r.tokens.length));
  const mask = new Float64Array(B * T);
  const nw = new Float64Array(B * T);
  const old = new Float64Array(B * T);
  const hasRef = rows.every((r) => r.logpRef);
  const ref = hasRef ? new Float64Array(B * T) : undefined;
  const tokenMask = rows.some((r) => r.tokenMask) ? new Float64Array(B * T) : undefined;
  rows.forEach((row, b) => {
    for (let t = 0; t < row.tokens.length; t++) {
      mask[b * T + t] = 1;
      nw[b * T + t] = logpNew[b]![t]!;
      old[b * T + t] = row.logpOld[t]!;
      if (ref) ref[b * T + t] = row.logpRef![t]!;
      if (tokenMask) tokenMask[b * T + t] = row.tokenMask ? row.tokenMask[t]! : 1;
    }
  });
  const packed: Packed = { B, T, mask, logpNew: nw, logpOld: old };
  if (ref) packed.logpRef = ref;
  if (tokenMask) packed.tokenMask = tokenMask;
  return packed;
}

/** Fisher-Yates order of `n` rows from a keyed stream. */
export function shuffledOrder(n: number, key: string): number[] {
  const rng = new Rng(key);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * Row order of one epoch: whole groups (rows with the same prompt, in their order) in a shuffled
 * order, or single rows shuffled.
 */
export function epochOrder(rows: readonly Pick<UpdateRow, 'prompt'>[], key: string, unit: 'groups' | 'rows'): number[] {
  if (unit === 'rows') return shuffledOrder(rows.length, key);
  const groups = new Map<number, number[]>();
  rows.forEach((row, i) => {
    const members = groups.get(row.prompt);
    if (members) members.push(i);
    else groups.set(row.prompt, [i]);
  });
  const list = [...groups.values()];
  return shuffledOrder(list.length, key).flatMap((g) => list[g]!);
}

/** Runs the PPO epochs; returns the metrics averaged over minibatches (plus `actor/gradNorm`, `actor/updates`). */
export async function runPpoEpochs(policy: TrainablePolicy, prompts: EncodedPrompts, rows: readonly UpdateRow[], options: UpdateOptions): Promise<Metrics> {
  const sums: Metrics = {};
  let updates = 0;
  const minibatches = Math.ceil(rows.length / options.minibatchSize);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const order = epochOrder(rows, `${options.shuffleKey}/epoch/${epoch}`, options.shuffle ?? 'groups');
    for (let start = 0; start < order.length; start += options.minibatchSize) {
      const mb = order.slice(start, start + options.minibatchSize).map((i) => rows[i]!);
      const m = start / options.minibatchSize;
      const anchorRows = options.anchor ? options.anchor.rows.filter((_, j) => j % minibatches === m) : [];
      let metrics: Metrics = {};
      const result = await policy.step(prompts, [...mb, ...anchorRows], (logpAll) => {
        const logpNew = logpAll.slice(0, mb.length);
        const packed = pack(mb, logpNew);
        const loss = computeLoss({ ...packed, advantages: mb.map((r) => r.advantage) }, options.spec);
        metrics = loss.metrics;
        const grad = mb.map((row, b) => Float32Array.from({ length: row.tokens.length }, (_, t) => loss.tokenGrad[b * packed.T + t]!));
        if (anchorRows.length === 0) return { loss: loss.loss, grad };
        const coef = options.anchor!.coef;
        const ptx = meanTokenNll(logpAll.slice(mb.length));
        metrics['loss/ptx'] = ptx.loss;
        return { loss: loss.loss + coef * ptx.loss, grad: [...grad, ...ptx.grad.map((g) => g.map((v) => coef * v))] };
      }, options.optimizer);
      metrics['actor/gradNorm'] = result.gradNorm;
      for (const [key, value] of Object.entries(metrics)) sums[key] = (sums[key] ?? 0) + value;
      updates++;
    }
  }
  const out: Metrics = {};
  for (const [key, value] of Object.entries(sums)) out[key] = value / Math.max(1, updates);
  out['actor/updates'] = updates;
  return out;
}
