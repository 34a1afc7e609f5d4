import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../util/errors.js';
import { createRlRegistries } from './index.js';
import { createRegistry } from './registry.js';

describe('createRegistry', () => {
  it('registers, lists in order, rejects duplicates and names valid entries on unknown lookups', () => {
    const registry = createRegistry<(x: number) => number>('double');
    registry.register({ name: 'twice', description: 'x * 2', reference: (x) => x + x, fast: (x) => x * 2 });
    registry.register({ name: 'same', description: 'x', reference: (x) => x, fast: (x) => x });
    assert.equal(registry.get('twice').fast(3), 6);
    assert.deepEqual(registry.names(), ['twice', 'same']);
    assert.ok(registry.has('same') && !registry.has('thrice'));
    assert.throws(() => registry.register({ name: 'same', description: '', reference: (x) => x, fast: (x) => x }), /already registered/);
    assert.throws(
      () => registry.get('thrice'),
      (e: unknown) => e instanceof ConfigError && e.field === 'double' && e.message.includes('valid: twice, same'),
    );
  });

  it('instances are independent', () => {
    const a = createRlRegistries();
    const b = createRlRegistries();
    a.advantages.register({ ...a.advantages.get('grpo'), name: 'custom' });
    assert.ok(a.advantages.has('custom') && !b.advantages.has('custom'));
  });

  it('the standard registries hold the DESIGN.md section 10 names (plus raft)', () => {
    const r = createRlRegistries();
    assert.deepEqual(r.advantages.names(), ['grpo', 'grpo-nostd', 'rloo', 'reinforce-pp', 'raft']);
    assert.deepEqual(r.objectives.names(), ['ppo-clip']);
    assert.deepEqual(r.aggregations.names(), ['token-mean', 'seq-mean-token-mean', 'seq-mean-token-sum-norm']);
    assert.deepEqual(r.kl.names(), ['none', 'k1', 'k2', 'k3']);
    assert.deepEqual(r.filters.names(), ['none', 'dapo', 'band']);
    assert.deepEqual(r.weightings.names(), ['none', 'vppo', 'pearl']);
  });
});
