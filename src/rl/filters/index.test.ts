import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nextRoundSize, planDynamicSampling } from './dynamic-sampling.js';
import { createFilterRegistry, defaultFilterParams, FILTER_NAMES } from './index.js';

const registry = createFilterRegistry();

describe('group filters (DAPO dynamic sampling, EasyR1 online filtering)', () => {
  // groups: 0 all correct, 1 mixed (mean 0.5), 2 all wrong, 3 equal within 1e-9, 4 only nulls, 5 one null
  const values = [1, 1, 1, 0, 0, 0, 0.5, 0.5 + 1e-12, null, Number.NaN, 0.3, null];
  const groupIds = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5];

  it('dapo drops groups whose rewards are all equal (within 1e-9) or not applicable', () => {
    const out = registry.get('dapo').fast({ values, groupIds }, defaultFilterParams);
    assert.deepEqual(out.keptGroups, [1]);
    assert.deepEqual(out.droppedGroups, [0, 2, 3, 4, 5]);
    assert.deepEqual([...out.keep], [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(out.metrics['filter/droppedFraction'], 5 / 6);
  });

  it('band keeps groups whose mean is strictly inside (0.01, 0.99)', () => {
    const out = registry.get('band').fast({ values, groupIds }, defaultFilterParams);
    assert.deepEqual(out.keptGroups, [1, 3, 5]);
    // a bound is exclusive: mean exactly 0.5 with high = 0.5 is dropped
    assert.deepEqual(registry.get('band').fast({ values: [0, 1], groupIds: [7, 7] }, { low: 0.01, high: 0.5 }).keptGroups, []);
  });

  it('none keeps everything', () => {
    assert.equal(registry.get('none').fast({ values, groupIds }, defaultFilterParams).keptGroups.length, 6);
  });

  it('fast agrees with reference on random groups', () => {
    const value = fc.oneof(fc.constantFrom(0, 1, null, Number.NaN), fc.double({ min: 0, max: 1, noNaN: true }));
    fc.assert(
      fc.property(fc.array(fc.tuple(value, fc.integer({ min: 0, max: 6 })), { maxLength: 30 }), fc.double({ min: 0, max: 0.5, noNaN: true }), (rows, low) => {
        const input = { values: rows.map((r) => r[0]), groupIds: rows.map((r) => r[1]) };
        const params = { low, high: 1 - low };
        for (const name of FILTER_NAMES) {
          const ref = registry.get(name).reference(input, params);
          const fast = registry.get(name).fast(input, params);
          assert.deepEqual(fast.keptGroups, ref.keptGroups, name);
          assert.deepEqual([...fast.keep], [...ref.keep], name);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('planDynamicSampling (DAPO: keep generating until the batch is full, with a round cap)', () => {
  const c = (id: number, keep: boolean) => ({ id, keep });

  it('samples more while short and under the cap', () => {
    assert.deepEqual(planDynamicSampling({ candidates: [c(1, true), c(2, false)], targetGroups: 2, roundsDone: 1, maxRounds: 3 }), {
      status: 'sample-more',
      train: [],
      kept: 1,
      shortfall: 1,
    });
  });

  it('trains on the first target kept groups, dropping the surplus', () => {
    const plan = planDynamicSampling({ candidates: [c(1, true), c(2, false), c(3, true), c(4, true)], targetGroups: 2, roundsDone: 2, maxRounds: 3 });
    assert.equal(plan.status, 'full');
    assert.deepEqual(plan.train, [1, 3]);
  });

  it('reports short at the round cap with everything kept; maxRounds <= 0 means no cap', () => {
    const plan = planDynamicSampling({ candidates: [c(1, false), c(2, true)], targetGroups: 4, roundsDone: 3, maxRounds: 3 });
    assert.deepEqual(plan, { status: 'short', train: [2], kept: 1, shortfall: 3 });
    assert.equal(planDynamicSampling({ candidates: [], targetGroups: 1, roundsDone: 99, maxRounds: 0 }).status, 'sample-more');
    assert.throws(() => planDynamicSampling({ candidates: [], targetGroups: 0, roundsDone: 0, maxRounds: 1 }), RangeError);
  });
});

describe('dynamic sampling departures from verl: surplus keep, shortfall-sized rounds', () => {
  const c = (id: number, keep: boolean) => ({ id, keep });

  it('surplus keep trains on every kept group once the batch is full', () => {
    const candidates = [c(1, true), c(2, false), c(3, true), c(4, true)];
    assert.deepEqual(planDynamicSampling({ candidates, targetGroups: 2, roundsDone: 2, maxRounds: 3, surplus: 'keep' }).train, [1, 3, 4]);
    assert.equal(planDynamicSampling({ candidates, targetGroups: 4, roundsDone: 2, maxRounds: 3, surplus: 'keep' }).status, 'sample-more');
  });

  it('nextRoundSize = ceil(margin * shortfall / ((kept + 1) / (generated + 2))), within [shortfall, batch]', () => {
    assert.equal(nextRoundSize({ generated: 8, kept: 5, shortfall: 3, batchSize: 8, margin: 1.25 }), 7); // 6.25
    assert.equal(nextRoundSize({ generated: 8, kept: 7, shortfall: 1, batchSize: 8, margin: 1.25 }), 2); // 1.5625
    assert.equal(nextRoundSize({ generated: 8, kept: 8, shortfall: 1, batchSize: 8, margin: 1 }), 2); // rate 0.9: 1.11
    assert.equal(nextRoundSize({ generated: 8, kept: 0, shortfall: 8, batchSize: 8, margin: 1 }), 8); // capped at a batch
    assert.equal(nextRoundSize({ generated: 16, kept: 6, shortfall: 2, batchSize: 8, margin: 1 }), 6); // rate 7/18: 5.14
    assert.throws(() => nextRoundSize({ generated: 8, kept: 5, shortfall: 0, batchSize: 8, margin: 1 }), RangeError);
    assert.throws(() => nextRoundSize({ generated: 8, kept: 5, shortfall: 1, batchSize: 8, margin: 0.5 }), RangeError);
  });

  it('nextRoundSize never asks for less than the shortfall or more than a batch (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 32 }), fc.nat(200), fc.nat(200), fc.double({ min: 1, max: 4, noNaN: true }), (batch, a, b, margin) => {
      const generated = Math.max(a, b);
      const kept = Math.min(a, b);
      const shortfall = 1 + (kept % batch);
      const size = nextRoundSize({ generated, kept, shortfall, batchSize: batch, margin });
      return Number.isInteger(size) && size >= Math.min(shortfall, batch) && size <= batch;
    }));
  });
});
