import { fail } from '../errors.js';
import type { Matrix } from './matrix.js';

const BLOCK = 64;

/** Squared row norms ‖xᵢ‖². */
function rowNorms(X: Matrix): Float64Array {
  const { data, rows, cols } = X;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let k = 0; k < cols; k++) s += data[i * cols + k] * data[i * cols + k];
    out[i] = s;
  }
  return out;
}

/**
 * Squared Euclidean distances between rows r0..r1 of X and every row of X, written into
 * out[(i − r0)·n + j]: ‖xᵢ‖² + ‖xⱼ‖² − 2 xᵢ·xⱼ clipped at 0, with exact zeros on the diagonal, as
 * scikit-learn's `euclidean_distances(X, squared=True)` computes them (the dot-product form, which
 * turns the work into blocked inner products).
 */
function squaredDistanceRows(X: Matrix, norms: Float64Array, r0: number, r1: number, out: Float64Array): void {
  const { data, rows: n, cols: d } = X;
  for (let j0 = 0; j0 < n; j0 += BLOCK) {
    const j1 = Math.min(n, j0 + BLOCK);
    for (let i = r0; i < r1; i++) {
      const xi = i * d;
      const o = (i - r0) * n;
      for (let j = j0; j < j1; j++) {
        const xj = j * d;
        let dot = 0;
        for (let k = 0; k < d; k++) dot += data[xi + k] * data[xj + k];
        const v = norms[i] + norms[j] - 2 * dot;
        out[o + j] = i === j ? 0 : Math.max(v, 0);
      }
    }
  }
}

/** The full [n, n] matrix of squared Euclidean distances between the rows of X. */
export function squaredEuclideanDistances(X: Matrix): Float64Array {
  const out = new Float64Array(X.rows * X.rows);
  squaredDistanceRows(X, rowNorms(X), 0, X.rows, out);
  return out;
}

/**
 * The full [n, n] matrix of cosine distances 1 − xᵢ·xⱼ/(‖xᵢ‖‖xⱼ‖), as scikit-learn's
 * `cosine_distances` (clipped to [0, 2], zero diagonal; a zero row counts as distance 1).
 */
export function cosineDistances(X: Matrix): Float64Array {
  const { data, rows: n, cols: d } = X;
  const norms = rowNorms(X).map(Math.sqrt);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += data[i * d + k] * data[j * d + k];
      const denom = norms[i] * norms[j];
      const v = Math.min(2, Math.max(0, 1 - (denom > 0 ? dot / denom : 0)));
      out[i * n + j] = out[j * n + i] = v;
    }
  return out;
}

/** k nearest neighbours of every row (itself excluded): indices and squared distances, [n, k] row-major, nearest first. */
export interface Neighbors {
  readonly k: number;
  readonly indices: Int32Array;
  readonly sqdistances: Float64Array;
}

/**
 * Exact k nearest neighbours by brute force (scikit-learn's `NearestNeighbors(algorithm='brute')`
 * on Euclidean distance): squared distances in blocks of 64 rows, then a partial selection per row.
 * O(n²·d) time, O(64·n) memory. Ties go to the lower index.
 */
export function nearestNeighbors(X: Matrix, k: number, onRows?: (done: number) => void): Neighbors {
  const n = X.rows;
  if (!(Number.isInteger(k) && k >= 1 && k < n))
    fail({ fn: 'nearestNeighbors', argument: 'k', value: String(k), rule: `it must be an integer in [1, ${n - 1}]` });
  const norms = rowNorms(X);
  const indices = new Int32Array(n * k);
  const sqdistances = new Float64Array(n * k);
  const block = new Float64Array(BLOCK * n);
  const heapD = new Float64Array(k);
  const heapI = new Int32Array(k);
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const r1 = Math.min(n, r0 + BLOCK);
    squaredDistanceRows(X, norms, r0, r1, block);
    for (let i = r0; i < r1; i++) {
      selectNearest(block, (i - r0) * n, n, i, k, heapD, heapI);
      for (let t = 0; t < k; t++) {
        indices[i * k + t] = heapI[t];
        sqdistances[i * k + t] = heapD[t];
      }
    }
    onRows?.(r1);
  }
  return { k, indices, sqdistances };
}

/** Neighbours of each row from a full distance matrix (already squared, or any dissimilarity). */
export function nearestFromMatrix(D: ArrayLike<number>, n: number, k: number): Neighbors {
  const indices = new Int32Array(n * k);
  const sqdistances = new Float64Array(n * k);
  const heapD = new Float64Array(k);
  const heapI = new Int32Array(k);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) row[j] = D[i * n + j];
    selectNearest(row, 0, n, i, k, heapD, heapI);
    indices.set(heapI, i * k);
    sqdistances.set(heapD, i * k);
  }
  return { k, indices, sqdistances };
}

/**
 * The k smallest of values[offset .. offset + n) except position `self`, sorted ascending (ties by
 * index), via a bounded max-heap: O(n log k).
 */
function selectNearest(values: Float64Array, offset: number, n: number, self: number, k: number, heapD: Float64Array, heapI: Int32Array): void {
  let size = 0;
  const worse = (a: number, b: number): boolean => heapD[a] > heapD[b] || (heapD[a] === heapD[b] && heapI[a] > heapI[b]);
  const siftDown = (start: number): void => {
    let p = start;
    for (;;) {
      const l = 2 * p + 1;
      const r = l + 1;
      let m = p;
      if (l < size && worse(l, m)) m = l;
      if (r < size && worse(r, m)) m = r;
      if (m === p) return;
      const td = heapD[p];
      heapD[p] = heapD[m];
      heapD[m] = td;
      const ti = heapI[p];
      heapI[p] = heapI[m];
      heapI[m] = ti;
      p = m;
    }
  };
  for (let j = 0; j < n; j++) {
    if (j === self) continue;
    const v = values[offset + j];
    if (size < k) {
      heapD[size] = v;
      heapI[size] = j;
      size++;
      // sift up
      let c = size - 1;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(c, p)) break;
        const td = heapD[p];
        heapD[p] = heapD[c];
        heapD[c] = td;
        const ti = heapI[p];
        heapI[p] = heapI[c];
        heapI[c] = ti;
        c = p;
      }
    } else if (v < heapD[0] || (v === heapD[0] && j < heapI[0])) {
      heapD[0] = v;
      heapI[0] = j;
      siftDown(0);
    }
  }
  // heap sort ascending in place
  for (let end = size - 1; end > 0; end--) {
    const td = heapD[0];
    heapD[0] = heapD[end];
    heapD[end] = td;
    const ti = heapI[0];
    heapI[0] = heapI[end];
    heapI[end] = ti;
    size = end;
    siftDown(0);
  }
}
