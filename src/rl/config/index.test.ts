import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ConfigError } from '../../util/errors.js';
import { createAdvantageRegistry } from '../advantages/index.js';
import { createAggregationRegistry } from '../aggregation/index.js';
import { createFilterRegistry } from '../filters/index.js';
import { createKlRegistry } from '../kl/index.js';
import { createObjectiveRegistry } from '../objectives/index.js';
import { defaultRlConfig, parseRlConfig, rlConfigSchema, toFilter, toLossSpec, toOverlongParams, toWeighting } from './index.js';

describe('RL recipe schema', () => {
  it('defaults: GRPO, ppo-clip 0.2 / 0.28 / dual 3, token-mean, k3 with coef 0, no filter', () => {
    assert.equal(defaultRlConfig.advantage, 'grpo');
    assert.deepEqual(defaultRlConfig.objective, { name: 'ppo-clip', eps_low: 0.2, eps_high: 0.28, dual_clip: 3 });
    assert.equal(defaultRlConfig.aggregation, 'token-mean');
    assert.deepEqual(defaultRlConfig.kl, { estimator: 'k3', coef: 0 });
    assert.deepEqual(defaultRlConfig.filter, { name: 'none', low: 0.01, high: 0.99, max_rounds: 10, surplus: 'drop', next_round: 'full', margin: 1.25 });
    assert.equal(defaultRlConfig.vppo.enabled, false);
  });

  it('the enums list exactly the registered names', () => {
    const shape = rlConfigSchema.shape;
    const options = (schema: unknown) => (schema as { unwrap(): { options: string[] } }).unwrap().options;
    assert.deepEqual(options(shape.advantage), createAdvantageRegistry().names());
    assert.deepEqual(options(shape.aggregation), createAggregationRegistry().names());
    assert.deepEqual(createKlRegistry().names(), ['none', 'k1', 'k2', 'k3']);
    assert.deepEqual(createFilterRegistry().names(), ['none', 'dapo', 'band']);
    assert.deepEqual(createObjectiveRegistry().names(), ['ppo-clip']);
  });

  it('every field has a description', () => {
    let nested = 0;
    const walk = (schema: z.ZodType, path: string): void => {
      assert.ok(schema.description, `${path} has no .describe()`);
      let inner: unknown = schema;
      while (inner && typeof inner === 'object' && 'unwrap' in inner && typeof inner.unwrap === 'function') inner = inner.unwrap();
      if (inner instanceof z.ZodObject) {
        for (const [key, child] of Object.entries(inner.shape)) walk(child as z.ZodType, `${path}.${key}`);
        nested++;
      }
    };
    let visited = 0;
    const count = (schema: z.ZodType, path: string) => {
      visited++;
      walk(schema, path);
    };
    for (const [key, child] of Object.entries(rlConfigSchema.shape)) count(child as z.ZodType, key);
    assert.equal(visited, 9);
    assert.equal(nested, 6, 'the walk must reach the six nested objects');
  });

  it('rejects unknown keys and bad values naming the field', () => {
    assert.throws(() => parseRlConfig({ objective: { eps: 0.2 } }), (e: unknown) => e instanceof ConfigError && e.field.startsWith('rl.objective'));
    assert.throws(() => parseRlConfig({ lossType: 'dapo' }), ConfigError);
    assert.throws(() => parseRlConfig({ advantage: 'gae' }), (e: unknown) => e instanceof ConfigError && e.field === 'rl.advantage');
    assert.throws(() => parseRlConfig({ filter: { name: 'band', low: 0.6, high: 0.5 } }), (e: unknown) => e instanceof ConfigError && e.field === 'rl.filter.high');
    assert.throws(() => parseRlConfig({ kl: { estimator: 'none', coef: 0.1 } }), /estimator/);
    assert.throws(() => parseRlConfig({ objective: { dual_clip: 0.5 } }), ConfigError);
  });

  it('derives the loss spec, weighting, overlong and filter arguments (Dr.GRPO, DAPO, VPPO + PEARL)', () => {
    const dr = parseRlConfig({ advantage: 'grpo-nostd', aggregation: 'seq-mean-token-sum-norm', objective: { eps_high: 0.2, dual_clip: null } });
    assert.deepEqual(toLossSpec(dr, 64), {
      objective: 'ppo-clip',
      objectiveParams: { epsLow: 0.2, epsHigh: 0.2, dualClip: null },
      aggregation: 'seq-mean-token-sum-norm',
      maxLength: 64,
      kl: 'none',
      klCoef: 0,
      nllCoef: 0,
    });
    const dapo = parseRlConfig({ filter: { name: 'dapo' }, overlong: { enabled: true } });
    assert.deepEqual(toOverlongParams(dapo, 100), { maxLength: 100, cacheLength: 20, factor: 1 });
    assert.equal(toOverlongParams(defaultRlConfig, 100), null);
    assert.equal(toFilter(dapo).name, 'dapo');
    const both = parseRlConfig({ vppo: { enabled: true }, pearl: { enabled: true }, kl: { coef: 0.01 } });
    assert.deepEqual(toWeighting(both).names, ['pearl', 'vppo']);
    assert.equal(toLossSpec(both, 10).nllCoef, 0.06);
    assert.equal(toLossSpec(both, 10).kl, 'k3');
  });
});
