import { fail, formatValue } from '../errors.js';
import { logGamma } from '../special/gamma.js';

const logChoose = (n: number, k: number): number => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

/**
 * P(X ≥ k) for X ~ Hypergeometric(population N, K successes, n draws): the one-sided p-value of
 * Fisher's exact test that a slice of n rows holds at least k of the K errors among N rows —
 * `scipy.stats.hypergeom.sf(k − 1, N, K, n)`, i.e. `scipy.stats.fisher_exact(table,
 * alternative='greater')`. Summed from the first term upwards with the ratio recurrence
 * pmf(x + 1)/pmf(x) = (K − x)(n − x) / ((x + 1)(N − K − n + x + 1)), stopping once the terms no
 * longer change the sum.
 */
export function hypergeometricSf(k: number, N: number, K: number, n: number): number {
  const fn = 'hypergeometricSf';
  for (const [name, v] of [
    ['N', N],
    ['K', K],
    ['n', n],
    ['k', k],
  ] as const)
    if (!Number.isInteger(v) || v < 0) fail({ fn, argument: name, value: formatValue(v), rule: 'it must be a non-negative integer' });
  if (K > N || n > N) fail({ fn, argument: K > N ? 'K' : 'n', value: formatValue(K > N ? K : n), rule: `it must not exceed N = ${N}` });
  const lo = Math.max(0, n + K - N);
  const hi = Math.min(n, K);
  if (k <= lo) return 1;
  if (k > hi) return 0;
  let term = Math.exp(logChoose(K, k) + logChoose(N - K, n - k) - logChoose(N, n));
  let sum = 0;
  for (let x = k; x <= hi; x++) {
    sum += term;
    if (term < sum * 1e-17) break;
    term *= ((K - x) * (n - x)) / ((x + 1) * (N - K - n + x + 1));
  }
  return Math.min(1, sum);
}
