import assert from 'node:assert/strict';
import { test } from 'node:test';
import { passAtK, passAtKReference } from './pass-at-k.js';

test('pass@k matches worked values: 1 - C(n-c,k)/C(n,k)', () => {
  assert.ok(Math.abs(passAtK(5, 2, 2) - 0.7) < 1e-12); // 1 - 3/10
  assert.ok(Math.abs(passAtK(10, 1, 1) - 0.1) < 1e-12); // pass@1 is c/n
  assert.ok(Math.abs(passAtK(8, 3, 8) - 1) < 1e-12);
  assert.equal(passAtK(8, 0, 8), 0);
  assert.equal(passAtK(6, 4, 3), 1); // only 2 failures: any 3 hold a success
});

test('the product form equals the binomial reference on every (n, c, k) up to n = 40', () => {
  for (let n = 1; n <= 40; n++) for (let c = 0; c <= n; c++) for (let k = 1; k <= n; k++) {
    assert.ok(Math.abs(passAtK(n, c, k) - passAtKReference(n, c, k)) < 1e-9, `n=${n} c=${c} k=${k}`);
  }
});

test('pass@k rejects impossible counts', () => {
  assert.throws(() => passAtK(4, 5, 1), RangeError);
  assert.throws(() => passAtK(4, 1, 0), RangeError);
  assert.throws(() => passAtK(4, 1, 5), RangeError);
});
