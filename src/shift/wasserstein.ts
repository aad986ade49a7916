import { sortedCopy, type NumericSample } from './sample.js';

/**
 * First Wasserstein (earth mover's) distance between two empirical distributions, as
 * `scipy.stats.wasserstein_distance(u, v)` (unweighted): ∫ |F_u(t) − F_v(t)| dt, evaluated exactly
 * between consecutive pooled values. O(n log n) by sorting; inputs must be finite.
 */
export function wassersteinDistance(u: NumericSample, v: NumericSample): number {
  return wassersteinSorted(sortedCopy(u, 'wassersteinDistance', 'u'), sortedCopy(v, 'wassersteinDistance', 'v'));
}

/** `wassersteinDistance` for samples already sorted ascending. */
export function wassersteinSorted(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let total = 0;
  let previous = Math.min(a[0], b[0]);
  while (i < n1 || j < n2) {
    const value = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    // Between `previous` and `value` both cdfs are constant at i/n1 and j/n2.
    total += Math.abs(i / n1 - j / n2) * (value - previous);
    while (i < n1 && a[i] <= value) i++;
    while (j < n2 && b[j] <= value) j++;
    previous = value;
  }
  return total;
}
