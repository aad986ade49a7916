import { RandomState } from '../tensor/random.js';
import type { Matrix } from './matrix.js';

/**
 * The first `k` principal-component scores of X (centred), [n, k] row-major, as scikit-learn's
 * `PCA(n_components=k).fit_transform(X)`: the columns are U·S of the SVD of the centred X, with
 * scikit-learn's sign rule (`svd_flip`: the entry of largest magnitude of each column of U is
 * positive). Computed by a randomized range finder (Halko et al. 2011, as scikit-learn's
 * `randomized_svd`: k + 10 directions, power iterations with re-orthonormalisation) run to
 * convergence, then an exact eigen-decomposition of the small projected problem: O(n·d·(k + 10))
 * per iteration.
 */
export function pcaScores(X: Matrix, k: number, options: { seed?: number; iterations?: number } = {}): Float64Array {
  const { rows: n, cols: d } = X;
  const l = Math.min(k + 10, d, n);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += X.data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const Xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc[i * d + j] = X.data[i * d + j] - mean[j];
  const rs = new RandomState(options.seed ?? 0);
  // Q: [d, l] random, then alternate Y = Xc·Q (n × l) and Q = Xcᵀ·Y (d × l), orthonormalising.
  let Q = new Float64Array(d * l);
  for (let t = 0; t < Q.length; t++) Q[t] = rs.standardNormal();
  let Y = new Float64Array(n * l);
  const iterations = options.iterations ?? 10;
  for (let it = 0; it <= iterations; it++) {
    Y = multiply(Xc, n, d, Q, l);
    orthonormalizeColumns(Y, n, l);
    if (it === iterations) break;
    Q = multiplyTransposed(Xc, n, d, Y, l);
    orthonormalizeColumns(Q, d, l);
  }
  // B = Yᵀ·Xc (l × d); B·Bᵀ = W Σ² Wᵀ; U = Y·W, scores U·S = Y·W·Σ = Y·(Yᵀ Xc Xcᵀ Y)… computed as Y·W·σ.
  const B = multiplyTransposed(Xc, n, d, Y, l); // d × l = Xcᵀ Y = Bᵀ
  const G = new Float64Array(l * l); // Bᵀ… G = B·Bᵀ = Yᵀ Xc Xcᵀ Y
  for (let a = 0; a < l; a++)
    for (let b = a; b < l; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += B[j * l + a] * B[j * l + b];
      G[a * l + b] = G[b * l + a] = s;
    }
  const { values, vectors } = symmetricEigen(G, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  const scores = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    const e = order[c];
    const sigma = Math.sqrt(Math.max(0, values[e]));
    // u = Y·w (unit vector in R^n)
    let best = 0;
    let bestAbs = -1;
    const u = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < l; a++) s += Y[i * l + a] * vectors[a * l + e];
      u[i] = s;
      if (Math.abs(s) > bestAbs) {
        bestAbs = Math.abs(s);
        best = i;
      }
    }
    const sign = u[best] < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) scores[i * k + c] = sign * u[i] * sigma;
  }
  return scores;
}

/** A [n, d] · Q [d, l] → [n, l]. */
function multiply(A: Float64Array, n: number, d: number, Q: Float64Array, l: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(n * l);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const a = A[i * d + j];
      if (a === 0) continue;
      for (let c = 0; c < l; c++) out[i * l + c] += a * Q[j * l + c];
    }
  return out;
}

/** Aᵀ [d, n] · Y [n, l] → [d, l]. */
function multiplyTransposed(A: Float64Array, n: number, d: number, Y: Float64Array, l: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(d * l);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const a = A[i * d + j];
      if (a === 0) continue;
      for (let c = 0; c < l; c++) out[j * l + c] += a * Y[i * l + c];
    }
  return out;
}

/** Modified Gram–Schmidt on the columns of M [rows, l], twice for stability. */
function orthonormalizeColumns(M: Float64Array, rows: number, l: number): void {
  for (let pass = 0; pass < 2; pass++)
    for (let c = 0; c < l; c++) {
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += M[i * l + c] * M[i * l + p];
        for (let i = 0; i < rows; i++) M[i * l + c] -= dot * M[i * l + p];
      }
      let norm = 0;
      for (let i = 0; i < rows; i++) norm += M[i * l + c] * M[i * l + c];
      norm = Math.sqrt(norm);
      for (let i = 0; i < rows; i++) M[i * l + c] = norm > 0 ? M[i * l + c] / norm : 0;
    }
}

/** Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations; vectors in columns. */
export function symmetricEigen(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = A.slice();
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  return { values: Float64Array.from({ length: n }, (_, i) => a[i * n + i]), vectors: v };
}
