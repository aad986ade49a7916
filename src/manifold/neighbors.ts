import { fail } from '../errors.js';
import { kernelBackend, releaseWasmArray, type ThreadSplitter, wasmFloat32Array } from '../kernels/backend.js';
import { type WasmHeap, wasmHeap } from '../kernels/wasm/heap.js';
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

/** Extra candidates per row ranked exactly after the float32 screening. */
const MARGIN = 8;

/**
 * Exact k nearest neighbours by brute force (scikit-learn's `NearestNeighbors(algorithm='brute')`
 * on Euclidean distance), nearest first, ties to the lower index. The O(n²·d) screening runs as
 * float32 matrix products; the k + 8 best candidates of each row are then ranked by their float64
 * distances (‖xᵢ‖² + ‖xⱼ‖² − 2 xᵢ·xⱼ, as scikit-learn), so the result is the float64 answer unless
 * float32 rounding moves a true neighbour below 8 others. On the WebAssembly backend the whole
 * search (products on the blocked GEMM of assembly/gemm.ts, 128 rows against every row at a time,
 * screening, ranking) runs in assembly/tsne.ts, split by rows between two threads when the backend
 * has two; each row's answer is computed alone, so one thread or two give the same result. Memory
 * O(n·d) (float32 and float64 copies of X) + O(128·n) per thread.
 */
export function nearestNeighbors(X: Matrix, k: number, onRows?: (done: number) => void): Neighbors {
  const { rows: n } = X;
  if (!(Number.isInteger(k) && k >= 1 && k < n))
    fail({ fn: 'nearestNeighbors', argument: 'k', value: String(k), rule: `it must be an integer in [1, ${n - 1}]` });
  const backend = kernelBackend();
  const heap = backend.name.startsWith('wasm') ? wasmHeap() : null;
  return heap ? wasmNearestNeighbors(heap, X, k, backend.threads ?? null, onRows) : blockedNearestNeighbors(X, k, onRows);
}

/** Rows each thread searches between two progress reports (a multiple of the GEMM's 4-row tiles). */
const ROUND_ROWS = 512;

function wasmNearestNeighbors(heap: WasmHeap, X: Matrix, k: number, threads: ThreadSplitter | null, onRows?: (done: number) => void): Neighbors {
  const { rows: n, cols: d, data } = X;
  const m = Math.min(n - 1, k + MARGIN);
  const ex = heap.kernels.exports;
  const twoThreads = threads !== null && n >= 2 * ROUND_ROWS;
  const p = {
    X32: heap.alloc(n * d * 4),
    X64: heap.alloc(n * d * 8),
    norms: heap.alloc(n * 8),
    outIdx: heap.alloc(n * k * 4),
    outD: heap.alloc(n * k * 8),
    work0: heap.alloc(ex.tsneNeighborsWorkBytes(n, m)),
    scratch0: heap.alloc(ex.gemmScratchBytes()),
    work1: twoThreads ? heap.alloc(ex.tsneNeighborsWorkBytes(n, m)) : 0,
    scratch1: twoThreads ? heap.alloc(ex.gemmScratchBytes()) : 0,
  };
  try {
    new Float32Array(heap.buffer, p.X32, n * d).set(data.subarray(0, n * d));
    new Float64Array(heap.buffer, p.X64, n * d).set(data.subarray(0, n * d));
    new Float64Array(heap.buffer, p.norms, n).set(rowNorms(X));
    const step = twoThreads ? 2 * ROUND_ROWS : ROUND_ROWS;
    for (let r0 = 0; r0 < n; r0 += step) {
      const r1 = Math.min(n, r0 + ROUND_ROWS);
      const r2 = Math.min(n, r0 + step);
      const split = twoThreads && r2 > r1;
      if (split) threads?.start('tsneNeighbors', [p.X32, p.X64, p.norms, n, d, r1, r2, k, m, p.outIdx, p.outD, p.work1, p.scratch1]);
      ex.tsneNeighbors(p.X32, p.X64, p.norms, n, d, r0, r1, k, m, p.outIdx, p.outD, p.work0, p.scratch0);
      if (split) threads?.finish();
      onRows?.(r2);
    }
    return {
      k,
      indices: new Int32Array(heap.buffer, p.outIdx, n * k).slice(),
      sqdistances: new Float64Array(heap.buffer, p.outD, n * k).slice(),
    };
  } finally {
    for (const ptr of Object.values(p)) if (ptr) heap.release(ptr);
  }
}

/** The same search on the kernel backend's matrix products, ranked in TypeScript (the reference, and the path without WebAssembly). */
function blockedNearestNeighbors(X: Matrix, k: number, onRows?: (done: number) => void): Neighbors {
  const { rows: n, cols: d, data } = X;
  const norms = rowNorms(X);
  const m = Math.min(n - 1, k + MARGIN);
  const indices = new Int32Array(n * k);
  const sqdistances = new Float64Array(n * k);
  const backend = kernelBackend();
  // Xᵀ as the "weights" [d, n] of one linear layer: a block of rows times Xᵀ is their dot products with every row.
  const XT = wasmFloat32Array(d * n);
  const block = wasmFloat32Array(BLOCK * d);
  const dots = wasmFloat32Array(BLOCK * n);
  const zeros = new Float32Array(n);
  try {
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) XT[a * n + i] = data[i * d + a];
    const approx = new Float64Array(n);
    const candD = new Float64Array(m);
    const candI = new Int32Array(m);
    const exactD = new Float64Array(m);
    for (let r0 = 0; r0 < n; r0 += BLOCK) {
      const r1 = Math.min(n, r0 + BLOCK);
      const rows = r1 - r0;
      for (let t = 0; t < rows * d; t++) block[t] = data[r0 * d + t];
      backend.linearForward(block, XT, zeros, dots, rows, d, n);
      for (let i = r0; i < r1; i++) {
        const o = (i - r0) * n;
        for (let j = 0; j < n; j++) approx[j] = norms[i] + norms[j] - 2 * dots[o + j];
        selectNearest(approx, 0, n, i, m, candD, candI);
        // exact float64 distances of the candidates, then the k best
        for (let t = 0; t < m; t++) {
          const j = candI[t];
          let dot = 0;
          for (let a = 0; a < d; a++) dot += data[i * d + a] * data[j * d + a];
          exactD[t] = Math.max(norms[i] + norms[j] - 2 * dot, 0);
        }
        const order = Array.from({ length: m }, (_, t) => t).sort((a, b) => exactD[a] - exactD[b] || candI[a] - candI[b]);
        for (let t = 0; t < k; t++) {
          indices[i * k + t] = candI[order[t]];
          sqdistances[i * k + t] = exactD[order[t]];
        }
      }
      onRows?.(r1);
    }
  } finally {
    releaseWasmArray(XT);
    releaseWasmArray(block);
    releaseWasmArray(dots);
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
 * index), via a bounded max-heap: O(n log k), and O(n) comparisons once the heap is full.
 */
function selectNearest(values: Float64Array, offset: number, n: number, self: number, k: number, heapD: Float64Array, heapI: Int32Array): void {
  let size = 0;
  for (let j = 0; j < n; j++) {
    if (j === self) continue;
    const v = values[offset + j];
    if (size < k) {
      // sift up
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (heapD[p] > v || (heapD[p] === v && heapI[p] > j)) break;
        heapD[c] = heapD[p];
        heapI[c] = heapI[p];
        c = p;
      }
      heapD[c] = v;
      heapI[c] = j;
    } else if (v < heapD[0] || (v === heapD[0] && j < heapI[0])) {
      siftDown(heapD, heapI, size, v, j);
    }
  }
  // heap sort ascending in place
  for (let end = size - 1; end > 0; end--) {
    const v = heapD[end];
    const j = heapI[end];
    heapD[end] = heapD[0];
    heapI[end] = heapI[0];
    siftDown(heapD, heapI, end, v, j);
  }
}

/** Places (v, j) at the root of the max-heap of `size` entries and sifts it down (larger = worse: farther, then higher index). */
function siftDown(heapD: Float64Array, heapI: Int32Array, size: number, v: number, j: number): void {
  let p = 0;
  for (;;) {
    const l = 2 * p + 1;
    if (l >= size) break;
    const r = l + 1;
    let m = l;
    if (r < size && (heapD[r] > heapD[l] || (heapD[r] === heapD[l] && heapI[r] > heapI[l]))) m = r;
    if (heapD[m] < v || (heapD[m] === v && heapI[m] < j)) break;
    heapD[p] = heapD[m];
    heapI[p] = heapI[m];
    p = m;
  }
  heapD[p] = v;
  heapI[p] = j;
}
