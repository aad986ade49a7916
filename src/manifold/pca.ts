import { kernelBackend, releaseWasmArray, wasmFloat32Array } from '../kernels/backend.js';
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
  // The centred data in float32 in the kernels' memory: the power iterations are float32 matrix
  // products on the kernel backend (WebAssembly SIMD by default); orthonormalisation is float64.
  const Xc = wasmFloat32Array(n * d);
  const Q = wasmFloat32Array(d * l);
  const Y = wasmFloat32Array(n * l);
  const backend = kernelBackend();
  try {
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc[i * d + j] = X.data[i * d + j] - mean[j];
    const rs = new RandomState(options.seed ?? 0);
    const q64 = new Float64Array(d * l);
    for (let t = 0; t < q64.length; t++) q64[t] = rs.standardNormal();
    const y64 = new Float64Array(n * l);
    const zerosL = new Float32Array(l);
    const dbScratch = new Float32Array(l);
    // scikit-learn's randomized_svd: 7 power iterations when k < 0.1·min(n, d), else 4
    const iterations = options.iterations ?? (k < 0.1 * Math.min(n, d) ? 7 : 4);
    for (let it = 0; it <= iterations; it++) {
      Q.set(q64);
      backend.linearForward(Xc, Q, zerosL, Y, n, d, l); // Y = Xc·Q
      y64.set(Y);
      orthonormalizeColumns(y64, n, l);
      if (it === iterations) break;
      Y.set(y64);
      backend.linearBackwardParams(Xc, Y, Q, dbScratch, n, d, l); // Q = Xcᵀ·Y
      q64.set(Q);
      orthonormalizeColumns(q64, d, l);
    }
    // B = Xcᵀ·Y (d × l); G = Bᵀ·B = Yᵀ Xc Xcᵀ Y (l × l) = W Σ² Wᵀ; the scores U·Σ = Y·W·Σ.
    Y.set(y64);
    backend.linearBackwardParams(Xc, Y, Q, dbScratch, n, d, l);
    const B = Float64Array.from(Q);
    const G = new Float64Array(l * l);
    for (let a = 0; a < l; a++)
      for (let b = a; b < l; b++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += B[j * l + a] * B[j * l + b];
        G[a * l + b] = G[b * l + a] = s;
      }
    const { values, vectors } = symmetricEigen(G, l);
    const order = Array.from({ length: l }, (_, i) => i).sort((a, b) => values[b] - values[a]);
    const scores = new Float64Array(n * k);
    const u = new Float64Array(n);
    for (let c = 0; c < k; c++) {
      const e = order[c];
      const sigma = Math.sqrt(Math.max(0, values[e]));
      let best = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let a = 0; a < l; a++) s += y64[i * l + a] * vectors[a * l + e];
        u[i] = s;
        if (Math.abs(s) > Math.abs(u[best])) best = i;
      }
      // scikit-learn's svd_flip: the largest entry of each column of U is positive
      const sign = u[best] < 0 ? -1 : 1;
      for (let i = 0; i < n; i++) scores[i * k + c] = sign * u[i] * sigma;
    }
    return scores;
  } finally {
    releaseWasmArray(Xc);
    releaseWasmArray(Q);
    releaseWasmArray(Y);
  }
}

/**
 * Orthonormalises the columns of M [rows, l] in place by Cholesky QR, twice (CholeskyQR2, Fukaya
 * et al. 2014): G = MᵀM = RᵀR, M ← M·R⁻¹. Row-wise passes (cache-friendly for tall M). A column
 * that is numerically dependent on the previous ones becomes zero.
 */
function orthonormalizeColumns(M: Float64Array, rows: number, l: number): void {
  const G = new Float64Array(l * l);
  const R = new Float64Array(l * l);
  const row = new Float64Array(l);
  for (let pass = 0; pass < 2; pass++) {
    G.fill(0);
    for (let i = 0; i < rows; i++) {
      const o = i * l;
      for (let a = 0; a < l; a++) {
        const v = M[o + a];
        if (v === 0) continue;
        for (let b = a; b < l; b++) G[a * l + b] += v * M[o + b];
      }
    }
    // Cholesky G = RᵀR (R upper triangular); a non-positive pivot zeroes that direction
    R.fill(0);
    for (let a = 0; a < l; a++) {
      let d = G[a * l + a];
      for (let c = 0; c < a; c++) d -= R[c * l + a] * R[c * l + a];
      const pivot = d > 1e-300 ? Math.sqrt(d) : 0;
      R[a * l + a] = pivot;
      for (let b = a + 1; b < l; b++) {
        let v = G[a * l + b];
        for (let c = 0; c < a; c++) v -= R[c * l + a] * R[c * l + b];
        R[a * l + b] = pivot > 0 ? v / pivot : 0;
      }
    }
    // each row m ← m·R⁻¹ (forward substitution: x·R = m)
    for (let i = 0; i < rows; i++) {
      const o = i * l;
      for (let b = 0; b < l; b++) {
        let v = M[o + b];
        for (let a = 0; a < b; a++) v -= row[a] * R[a * l + b];
        row[b] = R[b * l + b] > 0 ? v / R[b * l + b] : 0;
      }
      for (let b = 0; b < l; b++) M[o + b] = row[b];
    }
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
