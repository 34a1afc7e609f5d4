import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EncodedPrompts, ResponseRow, TokenObjective, TrainablePolicy } from '../policy/index.js';
import { parseRlConfig, toLossSpec } from '../rl/index.js';
import { epochOrder, meanTokenNll, referenceTokens, runPpoEpochs, shuffledOrder, type UpdateRow } from './update.js';

/** A policy whose step records the rows it was given and the gradient the objective returned. */
function recordingPolicy(): { policy: TrainablePolicy; calls: { rows: ResponseRow[]; loss: number; grad: Float32Array[] }[] } {
  const calls: { rows: ResponseRow[]; loss: number; grad: Float32Array[] }[] = [];
  const step = async (_prompts: EncodedPrompts, rows: readonly ResponseRow[], objective: TokenObjective) => {
    // every token at log-prob -2 (so the ratio to logpOld = -2 is 1 and the PPO clip is inactive)
    const out = objective(rows.map((r) => new Float32Array(r.tokens.length).fill(-2)));
    calls.push({ rows: [...rows], loss: out.loss, grad: out.grad });
    return { loss: out.loss, gradNorm: 1 };
  };
  return { policy: { step } as unknown as TrainablePolicy, calls };
}

const rlRow = (prompt: number, n: number, advantage: number): UpdateRow =>
  ({ prompt, tokens: Array.from({ length: n }, (_, i) => i + 1), logpOld: new Float32Array(n).fill(-2), advantage });

test('meanTokenNll is the mean of -log p over all tokens, with gradient -1/N per token', () => {
  const out = meanTokenNll([Float32Array.from([-1, -3]), Float32Array.from([-2])]);
  assert.equal(out.loss, 2);
  assert.deepEqual(out.grad.map((g) => [...g]), [[-1 / 3, -1 / 3], [-1 / 3]].map((g) => [...Float32Array.from(g)]));
});

test('referenceTokens appends EOS, cuts at the budget and skips items without a reference', () => {
  const policy = { tokenize: (s: string) => [...s].map((c) => c.charCodeAt(0)), eosId: 0 };
  assert.deepEqual(referenceTokens(policy, { reference_response: 'ab' }, 10), [97, 98, 0]);
  assert.deepEqual(referenceTokens(policy, { reference_response: 'abcd' }, 3), [97, 98, 99]);
  assert.equal(referenceTokens(policy, {}, 10), null);
});

test('the ptx anchor adds coef x mean NLL of its rows to each minibatch, every row once per epoch', async () => {
  const spec = toLossSpec(parseRlConfig({ aggregation: 'token-mean' }, 'rl'), 8);
  const rows = [rlRow(0, 2, 1), rlRow(0, 2, -1), rlRow(1, 3, 0.5), rlRow(1, 3, -0.5)];
  const anchorRows: ResponseRow[] = [{ prompt: 0, tokens: [5, 6, 7, 8] }, { prompt: 1, tokens: [9] }, { prompt: 2, tokens: [4, 4] }];
  const base = { epochs: 2, minibatchSize: 2, spec, optimizer: { lr: 1e-3, weightDecay: 0, clipNorm: 1, beta1: 0.9, beta2: 0.99 }, shuffleKey: 't' };

  const plain = recordingPolicy();
  await runPpoEpochs(plain.policy, {} as EncodedPrompts, rows, base);
  const anchored = recordingPolicy();
  const metrics = await runPpoEpochs(anchored.policy, {} as EncodedPrompts, rows, { ...base, anchor: { rows: anchorRows, coef: 0.5 } });

  assert.equal(anchored.calls.length, 4); // 2 epochs x 2 minibatches
  for (let epoch = 0; epoch < 2; epoch++) {
    const dealt = anchored.calls.slice(2 * epoch, 2 * epoch + 2).flatMap((c) => c.rows.slice(2));
    assert.deepEqual(dealt.map((r) => r.prompt).sort(), [0, 1, 2], 'each anchor row once per epoch');
  }
  anchored.calls.forEach((call, i) => {
    const rl = plain.calls[i]!;
    const extra = call.rows.slice(rl.rows.length);
    assert.deepEqual(call.rows.slice(0, rl.rows.length), rl.rows, 'the RL rows are unchanged');
    const n = extra.reduce((s, r) => s + r.tokens.length, 0);
    // log p = -2 everywhere, so the anchor's NLL is 2: loss = RL loss + 0.5 * 2
    assert.ok(Math.abs(call.loss - (rl.loss + 0.5 * 2)) < 1e-9);
    call.grad.slice(0, rl.rows.length).forEach((g, b) => assert.deepEqual([...g], [...rl.grad[b]!]));
    for (const g of call.grad.slice(rl.rows.length)) for (const v of g) assert.ok(Math.abs(v - -0.5 / n) < 1e-7);
  });
  assert.ok(Math.abs(metrics['loss/ptx']! - 2) < 1e-6);
  assert.equal(plain.calls.every((c) => c.rows.length === 2), true);
});

test('epochOrder keeps each group\'s rows together in a keyed shuffled group order; rows mode shuffles rows', () => {
  const rows = [0, 0, 1, 1, 1, 2, 2, 3].map((prompt) => ({ prompt }));
  const order = epochOrder(rows, 'k/1', 'groups');
  assert.deepEqual([...order].sort((a, b) => a - b), rows.map((_, i) => i), 'a permutation');
  const prompts = order.map((i) => rows[i]!.prompt);
  const runs = prompts.filter((p, i) => i === 0 || p !== prompts[i - 1]);
  assert.deepEqual([...runs].sort(), [0, 1, 2, 3], 'each group appears as one contiguous run');
  assert.deepEqual(epochOrder(rows, 'k/1', 'groups'), order, 'deterministic by key');
  const orders = new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => epochOrder(rows, k, 'groups').map((i) => rows[i]!.prompt).join('')));
  assert.ok(orders.size > 1, 'the group order depends on the key');
  assert.deepEqual(epochOrder(rows, 'k/1', 'rows'), shuffledOrder(rows.length, 'k/1'));
});
