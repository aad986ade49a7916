/**
 * The per-feature histogram of the shift report: both sets counted in the same equal-width bins.
 *
 * Rule (`numpy.histogram(x, bins=20, range=(lo, hi))`, shared by every path so they give the same
 * counts): lo and hi are the smallest and largest finite value of both sets together; the edges are
 * NumPy's `linspace(lo, hi, 21)` (lo + k·(hi − lo)/20, the last one hi); bins are [eₖ, eₖ₊₁), the
 * last one closed. A value's bin is the number of inner edges ≤ it — comparisons only, no
 * arithmetic on the value, so −∞ falls in the first bin, +∞ in the last, and the counts come out
 * the same from sorted columns (binary search), from value counts, and from a database's
 * `GROUP BY` (`histogramBinSql` in src/node/duckdb/numericColumns.ts). One bin [lo, lo] when
 * lo = hi (NumPy widens that range by ±0.5 instead), lo = hi = 0 when no value is finite.
 */

/** Bins of the report's histograms. */
export const HISTOGRAM_BINS = 20;

/** Counts of each set per bin; `edges` has one more entry than the counts. */
export interface Histogram {
  readonly edges: number[];
  readonly train: number[];
  readonly valid: number[];
}

/** NumPy's linspace(lo, hi, bins + 1) for a finite range [lo, hi] (`undefined`: no finite value). */
export function histogramEdges(range: readonly [number, number] | undefined, bins = HISTOGRAM_BINS): number[] {
  const [lo, hi] = range ?? [0, 0];
  if (!(hi > lo)) return [lo, lo];
  const step = (hi - lo) / bins;
  // hi − lo overflows only for ranges wider than the largest double (where NumPy's edges are NaN):
  // then a weighted mean of the ends, each term finite.
  const edge = Number.isFinite(step) ? (k: number) => k * step + lo : (k: number) => (lo / bins) * (bins - k) + (hi / bins) * k;
  return Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : edge(k)));
}

/** The bin of a (non-NaN) value: the number of inner edges ≤ it. */
export function binOf(x: number, edges: readonly number[]): number {
  let lo = 1;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Smallest and largest finite value of an ascending array (infinities sit at its ends), or undefined. */
export function finiteRangeSorted(sorted: Float64Array): [number, number] | undefined {
  let i = 0;
  let j = sorted.length - 1;
  while (i <= j && !Number.isFinite(sorted[i])) i++;
  while (j >= i && !Number.isFinite(sorted[j])) j--;
  return i <= j ? [sorted[i], sorted[j]] : undefined;
}

/** The union of two ranges (either may be missing). */
export function unionRange(a: readonly [number, number] | undefined, b: readonly [number, number] | undefined): [number, number] | undefined {
  if (!a) return b ? [b[0], b[1]] : undefined;
  if (!b) return [a[0], a[1]];
  return [Math.min(a[0], b[0]), Math.max(a[1], b[1])];
}

/** First index of an ascending array whose value is ≥ `edge`. */
function lowerBound(sorted: Float64Array, edge: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < edge) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts per bin of an ascending array. */
export function countBinsSorted(sorted: Float64Array, edges: readonly number[]): number[] {
  const starts = [0, ...edges.slice(1, -1).map((e) => lowerBound(sorted, e)), sorted.length];
  return starts.slice(1).map((end, k) => end - starts[k]);
}

/** Counts per bin of distinct values with counts. */
export function countBinsValues(values: readonly number[], counts: readonly number[], edges: readonly number[]): number[] {
  const out = new Array<number>(edges.length - 1).fill(0);
  values.forEach((v, k) => {
    out[binOf(v, edges)] += counts[k];
  });
  return out;
}

/** The histogram of two sorted samples of non-missing values (the in-memory path and the DuckDB path that sorts here). */
export function histogramSorted(a: Float64Array, b: Float64Array, bins = HISTOGRAM_BINS): Histogram {
  const edges = histogramEdges(unionRange(finiteRangeSorted(a), finiteRangeSorted(b)), bins);
  return { edges, train: countBinsSorted(a, edges), valid: countBinsSorted(b, edges) };
}
