/**
 * Central finite-difference check of analytic gradients, shared by both training executors' tests:
 * for the largest-gradient entry of every tensor (where float32 differences are most reliable), the
 * loss at params ± eps on that entry must give the analytic value within 2e-2 relative + 2e-4.
 */
import assert from 'node:assert/strict';
import type { ModelParams } from '../params.js';

/** `lossWith(params)`: the executor's loss with these weights (it may be async). */
export async function checkGradients(
  params: ModelParams,
  grads: ModelParams,
  lossWith: (params: ModelParams) => number | Promise<number>,
  eps = 1e-2,
): Promise<number> {
  const lossAt = (name: string, index: number, delta: number) => {
    const data = new Float32Array(params.get(name)!);
    data[index]! += delta;
    return lossWith(new Map(params).set(name, data));
  };
  let checked = 0;
  for (const [name, g] of grads) {
    let index = 0;
    for (let i = 1; i < g.length; i++) if (Math.abs(g[i]!) > Math.abs(g[index]!)) index = i;
    if (Math.abs(g[index]!) < 1e-4) continue;
    const numeric = ((await lossAt(name, index, eps)) - (await lossAt(name, index, -eps))) / (2 * eps);
    assert.ok(Math.abs(numeric - g[index]!) < 2e-2 * Math.abs(g[index]!) + 2e-4, `${name}[${index}]: analytic ${g[index]} numeric ${numeric}`);
    checked++;
  }
  return checked;
}
