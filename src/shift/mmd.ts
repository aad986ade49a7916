import { fail, formatValue } from '../errors.js';
import { normalSf } from '../special/index.js';
import { RandomState } from '../tensor/random.js';

import type { Matrix } from '../manifold/matrix.js';

export type { Matrix };

export interface MmdResult {
  /** Unbiased MMD² estimate (can be slightly negative under the null). */
  readonly mmd2: number;
  readonly pvalue: number;
  /** The RBF bandwidth σ: k(x, y) = exp(−‖x − y‖² / (2σ²)). */
  readonly sigma: number;
  readonly method: 'permutation' | 'linear-time';
  readonly nPermutations: number;
  readonly nX: number;
  readonly nY: number;
}

function squaredDistance(a: Matrix, i: number, b: Matrix, j: number): number {
  let s = 0;
  const d = a.cols;
  for (let k = 0; k < d; k++) {
    const t = a.data[i * d + k] - b.data[j * d + k];
    s += t * t;
  }
  return s;
}

/**
 * Median heuristic for the RBF bandwidth, as alibi-detect's `sigma_median`: σ² = median(‖x − y‖²)/2
 * over all cross pairs (x from X, y from Y), so k = exp(−‖x − y‖² / median). A zero median (more
 * than half of the pairs identical) falls back to σ = 1.
 */
export function medianHeuristicSigma(x: Matrix, y: Matrix): number {
  const d2 = new Float64Array(x.rows * y.rows);
  let k = 0;
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < y.rows; j++) d2[k++] = squaredDistance(x, i, y, j);
  d2.sort();
  // alibi-detect takes the lower median element (index (n·m)//2 − 1 when X ≠ Y).
  const median = d2[Math.max(0, Math.floor(d2.length / 2) - 1)];
  return median > 0 ? Math.sqrt(median / 2) : 1;
}

/** Unbiased MMD² from a pooled kernel matrix K and a labelling of its rows as X (< nX) after `perm`. */
function mmd2FromKernel(K: Float64Array, n: number, nX: number, perm: Int32Array): number {
  const nY = n - nX;
  let kxx = 0;
  let kyy = 0;
  let kxy = 0;
  for (let a = 0; a < n; a++) {
    const ia = perm[a];
    const row = ia * n;
    for (let b = a + 1; b < n; b++) {
      const v = K[row + perm[b]];
      if (b < nX) kxx += v;
      else if (a >= nX) kyy += v;
      else kxy += v;
    }
  }
  return (2 * kxx) / (nX * (nX - 1)) + (2 * kyy) / (nY * (nY - 1)) - (2 * kxy) / (nX * nY);
}

function checkMatrices(fn: string, x: Matrix, y: Matrix, minRows: number): void {
  if (x.cols !== y.cols) fail({ fn, argument: 'y', value: `${y.cols} columns`, rule: `it must have as many columns as x (${x.cols})` });
  for (const [name, m] of [
    ['x', x],
    ['y', y],
  ] as const) {
    if (m.rows < minRows) fail({ fn, argument: name, value: `${m.rows} rows`, rule: `the test needs at least ${minRows} rows per sample` });
    if (m.data.length !== m.rows * m.cols) fail({ fn, argument: name, value: `${m.data.length} values`, rule: `rows × cols = ${m.rows * m.cols}` });
    for (let i = 0; i < m.data.length; i++) {
      if (!Number.isFinite(m.data[i]))
        fail({ fn, argument: name, value: `${formatValue(m.data[i])} at row ${Math.floor(i / m.cols)}`, rule: 'every value must be finite' });
    }
  }
}

/**
 * Kernel two-sample test with the quadratic-time unbiased MMD² (Gretton et al. 2012) and an RBF
 * kernel with median-heuristic bandwidth, as alibi-detect's `MMDDrift` (`backend='pytorch'`): the
 * p-value is a permutation test over `nPermutations` relabellings of the pooled rows. losslab uses
 * p = (1 + #{MMD²_perm ≥ MMD²}) / (1 + B), which is exactly valid (never 0), where alibi-detect
 * reports #{MMD²_perm ≥ MMD²}/B. Cost O((n + m)² d): subsample large inputs first.
 */
export function mmdPermutationTest(x: Matrix, y: Matrix, options: { nPermutations?: number; seed?: number; sigma?: number } = {}): MmdResult {
  const fn = 'mmdPermutationTest';
  checkMatrices(fn, x, y, 2);
  const nPermutations = options.nPermutations ?? 200;
  if (!Number.isInteger(nPermutations) || nPermutations < 1)
    fail({ fn, argument: 'nPermutations', value: formatValue(nPermutations), rule: 'it must be a positive integer' });
  const sigma = options.sigma ?? medianHeuristicSigma(x, y);
  const n = x.rows + y.rows;
  const pooled: Matrix = { data: concat(x.data, y.data), rows: n, cols: x.cols };
  const K = new Float64Array(n * n);
  const scale = 1 / (2 * sigma * sigma);
  for (let i = 0; i < n; i++) {
    K[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) K[i * n + j] = K[j * n + i] = Math.exp(-squaredDistance(pooled, i, pooled, j) * scale);
  }
  const identity = new Int32Array(n).map((_, i) => i);
  const observed = mmd2FromKernel(K, n, x.rows, identity);
  const rs = new RandomState(options.seed ?? 0);
  let atLeast = 0;
  for (let b = 0; b < nPermutations; b++) {
    if (mmd2FromKernel(K, n, x.rows, rs.permutation(n)) >= observed) atLeast++;
  }
  return { mmd2: observed, pvalue: (1 + atLeast) / (1 + nPermutations), sigma, method: 'permutation', nPermutations, nX: x.rows, nY: y.rows };
}

/**
 * Linear-time MMD² (Gretton et al. 2012, §6): pairs up consecutive rows, averages
 * h = k(x, x′) + k(y, y′) − k(x, y′) − k(x′, y) over ⌊min(n, m)/2⌋ pairs, and tests mean h = 0 with
 * a one-sided z-test (the statistic is asymptotically normal). O(n d), for very large inputs.
 * Rows should be in random order (the report shuffles them).
 */
export function mmdLinearTimeTest(x: Matrix, y: Matrix, options: { sigma?: number } = {}): MmdResult {
  const fn = 'mmdLinearTimeTest';
  checkMatrices(fn, x, y, 4);
  const sigma = options.sigma ?? medianHeuristicSigma(subsampleRows(x, 300), subsampleRows(y, 300));
  const scale = 1 / (2 * sigma * sigma);
  const k = (a: Matrix, i: number, b: Matrix, j: number): number => Math.exp(-squaredDistance(a, i, b, j) * scale);
  const pairs = Math.floor(Math.min(x.rows, y.rows) / 2);
  let mean = 0;
  let m2 = 0;
  for (let p = 0; p < pairs; p++) {
    const i = 2 * p;
    const h = k(x, i, x, i + 1) + k(y, i, y, i + 1) - k(x, i, y, i + 1) - k(x, i + 1, y, i);
    const delta = h - mean;
    mean += delta / (p + 1);
    m2 += delta * (h - mean);
  }
  const sd = Math.sqrt(m2 / Math.max(1, pairs - 1));
  const pvalue = sd > 0 ? normalSf(mean / (sd / Math.sqrt(pairs))) : mean > 0 ? 0 : 1;
  return { mmd2: mean, pvalue, sigma, method: 'linear-time', nPermutations: 0, nX: x.rows, nY: y.rows };
}

/** The first `maxRows` rows (inputs are shuffled by the caller). */
function subsampleRows(m: Matrix, maxRows: number): Matrix {
  if (m.rows <= maxRows) return m;
  return { data: m.data.subarray(0, maxRows * m.cols), rows: maxRows, cols: m.cols };
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
