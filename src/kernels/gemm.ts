/**
 * The reference matrix product (GEMM) on flat row-major arrays, for every transpose case, batched:
 *
 *   C_b[m, n] (+)= op(A_b) · op(B_b),   b = 0 … batch − 1
 *
 * op(A) is `[m, k]`: A is stored `[m, k]`, or `[k, m]` when `transA`; op(B) is `[k, n]`: B is
 * stored `[k, n]`, or `[n, k]` when `transB`. Batch b of A starts at `b · strideA` (0 repeats one
 * matrix for every batch), of B at `b · strideB`, of C at `b · m · n`. With `accumulate` the
 * product is added to C, otherwise C is overwritten. Sums run in double precision and are rounded
 * once when stored. The WebAssembly SIMD kernel (src/kernels/wasm/gemm.ts) has this signature
 * and is tested against it.
 */
import type { FloatBuffer } from './linear.js';

export interface GemmShape {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly strideA: number;
  readonly strideB: number;
  readonly accumulate: boolean;
}

export type GemmKernel = (s: GemmShape, A: FloatBuffer, B: FloatBuffer, C: FloatBuffer) => void;

/** Scratch rows (grow once). */
let rowScratch = new Float64Array(256);
let transposed = new Float64Array(256);

export const gemm: GemmKernel = (s, A, B, C) => {
  const { batch, m, n, k, transA, transB, strideA, strideB, accumulate } = s;
  for (let b = 0; b < batch; b++) {
    const a0 = b * strideA;
    const b0 = b * strideB;
    const c0 = b * m * n;
    if (!transB) {
      // rows of C are sums of rows of B: C[i, :] = Σ_p op(A)[i, p] · B[p, :]
      if (rowScratch.length < n) rowScratch = new Float64Array(n);
      const acc = rowScratch;
      for (let i = 0; i < m; i++) {
        acc.fill(0, 0, n);
        for (let p = 0; p < k; p++) {
          const a = transA ? A[a0 + p * m + i] : A[a0 + i * k + p];
          const br = b0 + p * n;
          for (let j = 0; j < n; j++) acc[j] += a * B[br + j];
        }
        const cr = c0 + i * n;
        if (accumulate) for (let j = 0; j < n; j++) C[cr + j] += acc[j];
        else for (let j = 0; j < n; j++) C[cr + j] = acc[j];
      }
      continue;
    }
    // B stored [n, k]: C[i, j] = Σ_p op(A)[i, p] · B[j, p], a dot product of contiguous rows
    if (transposed.length < k) transposed = new Float64Array(k);
    const arow = transposed;
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) arow[p] = transA ? A[a0 + p * m + i] : A[a0 + i * k + p];
      const cr = c0 + i * n;
      for (let j = 0; j < n; j++) {
        const br = b0 + j * k;
        let sum = 0;
        for (let p = 0; p < k; p++) sum += arow[p] * B[br + p];
        if (accumulate) C[cr + j] += sum;
        else C[cr + j] = sum;
      }
    }
  }
};
