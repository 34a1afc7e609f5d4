import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ConfigError } from '../../util/errors.js';
import { groupIdsFromSizes } from '../types.js';
import { ADVANTAGE_NAMES, createAdvantageRegistry } from './index.js';

const registry = createAdvantageRegistry();
const close = (actual: ArrayLike<number>, expected: number[], tol = 1e-9) => {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) <= tol, `[${i}] ${actual[i]} vs ${e}`));
};

describe('advantage estimators (METHODS.md 0.1, 0.4)', () => {
  const groupIds = groupIdsFromSizes([4, 4]);
  const rewards = [1, 0, 0, 1, 1, 1, 1, 0];

  it('registers exactly the DESIGN.md names and rejects unknown ones listing them', () => {
    assert.deepEqual(registry.names(), [...ADVANTAGE_NAMES]);
    assert.throws(() => registry.get('ppo'), (e: unknown) => e instanceof ConfigError && /grpo, grpo-nostd, rloo/.test(e.message));
  });

  it('grpo: (r - mean) / (unbiased std + 1e-6)', () => {
    // group 1: mean 0.5, std = sqrt(4 * 0.25 / 3) = 0.5773503; A = +-0.5 / 0.5773513
    // group 2: mean 0.75, std = sqrt((3 * 0.0625 + 0.5625) / 3) = 0.5; A = 0.25 / 0.500001, -0.75 / 0.500001
    const a = 0.5 / (Math.sqrt(1 / 3) + 1e-6);
    const { value } = registry.get('grpo').fast({ rewards, groupIds });
    close(value, [a, -a, -a, a, 0.25 / 0.500001, 0.25 / 0.500001, 0.25 / 0.500001, -0.75 / 0.500001]);
    assert.ok(Math.abs(value[0]! - 0.8660239) < 1e-6);
  });

  it('grpo-nostd (Dr.GRPO): r - mean', () => {
    close(registry.get('grpo-nostd').fast({ rewards, groupIds }).value, [0.5, -0.5, -0.5, 0.5, 0.25, 0.25, 0.25, -0.75]);
  });

  it('raft: 1 for the group\'s best rollouts (ties too), 0 for the rest and for all-equal groups', () => {
    close(registry.get('raft').fast({ rewards, groupIds }).value, [1, 0, 0, 1, 1, 1, 1, 0]);
    const graded = registry.get('raft').fast({ rewards: [0.2, 0.7, null, 0.7, 0.3, 0.3, 0.3, 0.3], groupIds });
    close(graded.value, [0, 1, 0, 1, 0, 0, 0, 0]);
    assert.equal(graded.metrics['advantage/zeroStdGroupFraction'], 0.5);
    assert.ok([...graded.value].every((a) => a >= 0), 'positive-only: losers are never pushed down');
  });

  it('rloo: r - mean of the others', () => {
    // r=1 in group 1: others (0, 0, 1) mean 1/3 -> 2/3; r=0 in group 2: others all 1 -> -1
    close(registry.get('rloo').fast({ rewards, groupIds }).value, [2 / 3, -2 / 3, -2 / 3, 2 / 3, 1 / 3, 1 / 3, 1 / 3, -1]);
  });

  it('reinforce-pp: group mean subtracted, then whitened over the batch (biased variance)', () => {
    // centred: [.5,-.5,-.5,.5,.25,.25,.25,-.75]; batch mean 0; var = (1 + 0.1875 + 0.5625) / 8 = 0.21875
    const s = 1 / Math.sqrt(0.21875);
    const { value } = registry.get('reinforce-pp').fast({ rewards, groupIds });
    close(value, [0.5, -0.5, -0.5, 0.5, 0.25, 0.25, 0.25, -0.75].map((v) => v * s));
    // token weighting (OpenRLHF normalises over tokens): weights shift the batch mean
    const weighted = registry.get('reinforce-pp').fast({ rewards, groupIds, weights: [1, 1, 1, 1, 1, 1, 1, 3] });
    const mean = (0.25 * 3 - 0.75 * 3) / 10;
    assert.ok(Math.abs(weighted.value[7]! - weighted.value[4]! - -1 / Math.sqrt(weightedVar(mean))) < 1e-9);
    function weightedVar(m: number): number {
      const c = [0.5, -0.5, -0.5, 0.5, 0.25, 0.25, 0.25, -0.75];
      const w = [1, 1, 1, 1, 1, 1, 1, 3];
      return c.reduce((a, v, i) => a + w[i]! * (v - m) ** 2, 0) / 10;
    }
  });

  it('null / NaN rewards are left out of the baseline and get 0; a singleton group gets 0', () => {
    // group 0: [1, null, 0, NaN] -> applicable (1, 0): mean .5, std sqrt(.5); group 1: single reward
    const input = { rewards: [1, null, 0, Number.NaN, 5], groupIds: [0, 0, 0, 0, 1] };
    const grpo = registry.get('grpo').fast(input);
    const a = 0.5 / (Math.sqrt(0.5) + 1e-6);
    close(grpo.value, [a, 0, -a, 0, 0]);
    assert.equal(grpo.metrics['advantage/notApplicable'], 2);
    close(registry.get('rloo').fast(input).value, [1, 0, -1, 0, 0]);
  });

  it('all-equal groups give exactly 0 and are counted', () => {
    const out = registry.get('grpo').fast({ rewards: [1, 1, 0, 1], groupIds: [0, 0, 1, 1] });
    assert.equal(out.value[0], 0);
    assert.equal(out.metrics['advantage/zeroStdGroupFraction'], 0.5);
  });

  it('fast agrees with reference on random groups (1e-9 relative)', () => {
    const reward = fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constant(null), fc.constant(Number.NaN), fc.constantFrom(0, 1));
    fc.assert(
      fc.property(fc.array(fc.tuple(reward, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 9 })), { maxLength: 40 }), fc.boolean(), (rows, sparse) => {
        // sparse: large and negative ids exercise the Map path of the fast grouping
        const groupIds = rows.map((r) => (sparse ? r[1] * 1e6 - 2e6 : r[1]));
        const input = { rewards: rows.map((r) => r[0]), groupIds, weights: rows.map((r) => r[2]) };
        for (const name of registry.names()) {
          const entry = registry.get(name);
          const ref = entry.reference(input).value;
          const fast = entry.fast(input).value;
          for (let i = 0; i < ref.length; i++) {
            assert.ok(Math.abs(ref[i]! - fast[i]!) <= 1e-9 * (1 + Math.abs(ref[i]!)), `${name}[${i}]`);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
