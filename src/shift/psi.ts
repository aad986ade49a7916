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
  const edges = psiEdges(e.length, (rank) => e[rank], bins);
  return psiFromCounts(
    edges,
    edges.map((edge) => upperBound(e, edge, 0)),
    e.length,
    edges.map((edge) => upperBound(a, edge, 0)),
    a.length,
  );
}

/**
 * The inner PSI edges (training deciles by `numpy.quantile`'s linear rule, duplicates removed),
 * reading the training order statistics through `orderStatistic(rank)` (0-based ranks among the
 * n sorted non-missing values; only the ranks of `psiRanks(n, bins)` are asked for). Shared by the
 * in-memory path and the streaming merge over a database.
 */
export function psiEdges(n: number, orderStatistic: (rank: number) => number, bins = 10): number[] {
  if (!Number.isInteger(bins) || bins < 2) fail({ fn: 'psi', argument: 'bins', value: formatValue(bins), rule: 'it must be an integer ≥ 2' });
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const q = quantileAt(n, k / bins, orderStatistic);
    if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
  }
  return edges;
}

/** The ranks of the training order statistics that `psiEdges` reads. */
export function psiRanks(n: number, bins = 10): number[] {
  const ranks = new Set<number>();
  for (let k = 1; k < bins; k++) {
    const lo = Math.floor((k / bins) * (n - 1));
    ranks.add(lo);
    ranks.add(Math.min(lo + 1, n - 1));
  }
  return [...ranks].sort((x, y) => x - y);
}

/**
 * PSI from the number of values ≤ each inner edge in each sample (`expectedAtMost[k]` of the
 * nE training values, `actualAtMost[k]` of the nA validation values): bin proportions, ε for
 * empty bins, Σ (a − e) ln(a/e).
 */
export function psiFromCounts(edges: readonly number[], expectedAtMost: readonly number[], nE: number, actualAtMost: readonly number[], nA: number): PsiResult {
  const expected = binProportions(expectedAtMost, nE);
  const actual = binProportions(actualAtMost, nA);
  let total = 0;
  for (let k = 0; k < expected.length; k++) {
    const pe = Math.max(expected[k], PSI_EPSILON);
    const pa = Math.max(actual[k], PSI_EPSILON);
    total += (pa - pe) * Math.log(pa / pe);
  }
  return { psi: total, edges: [...edges], expected, actual };
}

/** Proportion of a sample in each right-closed bin, from the counts ≤ each inner edge. */
function binProportions(atMost: readonly number[], n: number): number[] {
  const out: number[] = [];
  let start = 0;
  for (const end of atMost) {
    out.push((end - start) / n);
    start = end;
  }
  out.push((n - start) / n);
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
  return quantileAt(sorted.length, q, (rank) => sorted[rank]);
}

/** The linear-interpolation quantile of n sorted values read through `orderStatistic(rank)`. */
function quantileAt(n: number, q: number, orderStatistic: (rank: number) => number): number {
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const frac = pos - lo;
  const low = orderStatistic(lo);
  return low + (orderStatistic(hi) - low) * frac;
}
