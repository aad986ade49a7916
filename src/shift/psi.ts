import { fail, formatValue } from '../errors.js';
import { sortedCopy, type NumericSample } from './sample.js';

export interface PsiResult {
  readonly psi: number;
  /** Inner bin edges (bins are (−∞, e₁], (e₁, e₂], …, (e_k, ∞)). */
  readonly edges: number[];
  readonly expected: number[];
  readonly actual: number[];
}

/** Bins with no rows get this proportion instead of 0, so the log stays finite. */
export const PSI_EPSILON = 1e-4;

/**
 * Population stability index of `actual` (validation) against `expected` (training), the
 * credit-scoring drift score Σ (aᵢ − eᵢ) ln(aᵢ/eᵢ) over bins.
 *
 * Binning (documented, and reproduced in scripts/golden_scipy_shift.py): the inner edges are the
 * deciles (10 %, 20 %, …, 90 %) of the training column computed like `numpy.quantile` (linear
 * interpolation), duplicates removed; bins are right-closed, (−∞, e₁], …, (e_k, ∞). A bin's
 * proportion that is 0 is replaced by ε = 1e-4 (no renormalisation). Rule of thumb: < 0.1 stable,
 * 0.1–0.25 moderate shift, > 0.25 major shift.
 */
export function psi(expected: NumericSample, actual: NumericSample, options: { bins?: number } = {}): PsiResult {
  return psiSorted(sortedCopy(expected, 'psi', 'expected'), sortedCopy(actual, 'psi', 'actual'), options.bins ?? 10);
}

/** `psi` on sorted samples. */
export function psiSorted(e: Float64Array, a: Float64Array, bins = 10): PsiResult {
  if (!Number.isInteger(bins) || bins < 2) fail({ fn: 'psi', argument: 'bins', value: formatValue(bins), rule: 'it must be an integer ≥ 2' });
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const q = quantileSorted(e, k / bins);
    if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
  }
  const expected = binProportions(e, edges);
  const actual = binProportions(a, edges);
  let total = 0;
  for (let k = 0; k < expected.length; k++) {
    const pe = Math.max(expected[k], PSI_EPSILON);
    const pa = Math.max(actual[k], PSI_EPSILON);
    total += (pa - pe) * Math.log(pa / pe);
  }
  return { psi: total, edges, expected, actual };
}

/** Proportion of a sorted sample in each right-closed bin defined by inner `edges`. */
function binProportions(sorted: Float64Array, edges: readonly number[]): number[] {
  const out: number[] = [];
  let start = 0;
  for (const edge of edges) {
    const end = upperBound(sorted, edge, start);
    out.push((end - start) / sorted.length);
    start = end;
  }
  out.push((sorted.length - start) / sorted.length);
  return out;
}

/** First index i ≥ from with sorted[i] > value. */
function upperBound(sorted: Float64Array, value: number, from: number): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `numpy.quantile(x, q)` with the default linear interpolation, on a sorted sample. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const frac = pos - lo;
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}
