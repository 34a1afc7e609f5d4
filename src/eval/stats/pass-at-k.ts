/**
 * pass@k, the unbiased estimator of Chen et al. 2021 (arXiv 2107.03374, section 2.1): with n samples
 * of which c succeed, the chance that k drawn without replacement hold at least one success,
 * 1 - C(n-c, k) / C(n, k). RL with verifiable rewards mostly moves pass@1 toward pass@k of the base
 * (Yue et al. 2025, arXiv 2504.13837), so pass@k on held-out items bounds what sharpening can give.
 * `passAtK` is the numerically stable product form; `passAtKReference` the binomial ratio as written.
 */

function check(n: number, c: number, k: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || c < 0 || c > n || k < 1 || k > n) {
    throw new RangeError(`pass@k needs integers 0 <= c <= n and 1 <= k <= n (got n=${n}, c=${c}, k=${k})`);
  }
}

/** 1 - prod_{i = n-c+1}^{n} (1 - k / i); 1 when fewer than k samples failed. */
export function passAtK(n: number, c: number, k: number): number {
  check(n, c, k);
  if (n - c < k) return 1;
  let miss = 1;
  for (let i = n - c + 1; i <= n; i++) miss *= 1 - k / i;
  return 1 - miss;
}

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let out = 1;
  for (let i = 1; i <= k; i++) out = (out * (n - k + i)) / i;
  return out;
}

/** 1 - C(n-c, k) / C(n, k), as the paper writes it (loses precision for large n). */
export function passAtKReference(n: number, c: number, k: number): number {
  check(n, c, k);
  return 1 - binomial(n - c, k) / binomial(n, k);
}
