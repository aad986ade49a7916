/**
 * Reference kernels of the linear (fully connected) layer, `Y = X·W + b`, on flat row-major arrays.
 *
 * Layout: `X` is `[n, inFeatures]`, `W` is `[inFeatures, outFeatures]` (the transpose of PyTorch's
 * `nn.Linear.weight`, which is `[out, in]`; the `[in, out]` layout makes both products below stream
 * through `W` row by row), `b` is `[outFeatures]`, `Y` and its gradient `G` are `[n, outFeatures]`.
 *
 * Written for speed: zero inputs (40% of a Fashion-MNIST image is background) are skipped through a
 * per-row list of nonzero columns, outputs are accumulated four columns at a time in registers, and
 * nothing is allocated per call (one scratch index list grows once). Callers pass explicit sizes, so the arrays may be larger preallocated buffers.
 * The WebAssembly SIMD kernels of the speed work keep these signatures; these stay the reference.
 */
export type FloatBuffer = Float32Array | Float64Array;

/** Scratch list of the nonzero columns of one row (grows once, reused by every call). */
let nonzero = new Int32Array(1024);

/** Writes the indices of the nonzero entries of `X[row]` into `nonzero`, branch-free; returns how many. */
function nonzeroColumns(X: FloatBuffer, xRow: number, inFeatures: number): number {
  if (nonzero.length < inFeatures) nonzero = new Int32Array(inFeatures);
  const idx = nonzero;
  let count = 0;
  for (let k = 0; k < inFeatures; k++) {
    idx[count] = k;
    count += X[xRow + k] !== 0 ? 1 : 0;
  }
  return count;
}

/**
 * Forward `Y[n, out] = X[n, in] · W[in, out] + b[out]` (PyTorch `F.linear(x, W.T, b)`). Per row: the
 * nonzero inputs are listed once, then four output columns at a time are accumulated in local
 * (float64) variables over those inputs and stored once.
 */
export function linearForward(X: FloatBuffer, W: FloatBuffer, b: FloatBuffer, Y: FloatBuffer, n: number, inFeatures: number, outFeatures: number): void {
  for (let i = 0; i < n; i++) {
    const xRow = i * inFeatures;
    const yRow = i * outFeatures;
    const count = nonzeroColumns(X, xRow, inFeatures);
    const idx = nonzero;
    let j = 0;
    for (; j + 4 <= outFeatures; j += 4) {
      let a0 = b[j];
      let a1 = b[j + 1];
      let a2 = b[j + 2];
      let a3 = b[j + 3];
      for (let t = 0; t < count; t++) {
        const k = idx[t];
        const xv = X[xRow + k];
        const w = k * outFeatures + j;
        a0 += xv * W[w];
        a1 += xv * W[w + 1];
        a2 += xv * W[w + 2];
        a3 += xv * W[w + 3];
      }
      Y[yRow + j] = a0;
      Y[yRow + j + 1] = a1;
      Y[yRow + j + 2] = a2;
      Y[yRow + j + 3] = a3;
    }
    for (; j < outFeatures; j++) {
      let a = b[j];
      for (let t = 0; t < count; t++) {
        const k = idx[t];
        a += X[xRow + k] * W[k * outFeatures + j];
      }
      Y[yRow + j] = a;
    }
  }
}

/**
 * Weight and bias gradients: `dW[in, out] = Xᵀ · G` and `db[out] = Σ_rows G` (overwritten, not
 * accumulated), as autograd computes for `nn.Linear`. Per row, only the nonzero inputs touch `dW`,
 * four columns at a time with the row's gradients held in locals.
 */
export function linearBackwardParams(
  X: FloatBuffer,
  G: FloatBuffer,
  dW: FloatBuffer,
  db: FloatBuffer,
  n: number,
  inFeatures: number,
  outFeatures: number,
): void {
  dW.fill(0, 0, inFeatures * outFeatures);
  db.fill(0, 0, outFeatures);
  for (let i = 0; i < n; i++) {
    const gRow = i * outFeatures;
    const xRow = i * inFeatures;
    for (let j = 0; j < outFeatures; j++) db[j] += G[gRow + j];
    const count = nonzeroColumns(X, xRow, inFeatures);
    const idx = nonzero;
    let j = 0;
    for (; j + 4 <= outFeatures; j += 4) {
      const g0 = G[gRow + j];
      const g1 = G[gRow + j + 1];
      const g2 = G[gRow + j + 2];
      const g3 = G[gRow + j + 3];
      for (let t = 0; t < count; t++) {
        const k = idx[t];
        const xv = X[xRow + k];
        const w = k * outFeatures + j;
        dW[w] += xv * g0;
        dW[w + 1] += xv * g1;
        dW[w + 2] += xv * g2;
        dW[w + 3] += xv * g3;
      }
    }
    for (; j < outFeatures; j++) {
      const g = G[gRow + j];
      for (let t = 0; t < count; t++) {
        const k = idx[t];
        dW[k * outFeatures + j] += X[xRow + k] * g;
      }
    }
  }
}

/** Input gradient `dX[n, in] = G[n, out] · Wᵀ` (needed below the first layer of an MLP). */
export function linearBackwardInput(G: FloatBuffer, W: FloatBuffer, dX: FloatBuffer, n: number, inFeatures: number, outFeatures: number): void {
  for (let i = 0; i < n; i++) {
    const gRow = i * outFeatures;
    const xRow = i * inFeatures;
    for (let k = 0; k < inFeatures; k++) {
      const wRow = k * outFeatures;
      let s = 0;
      for (let j = 0; j < outFeatures; j++) s += G[gRow + j] * W[wRow + j];
      dX[xRow + k] = s;
    }
  }
}
