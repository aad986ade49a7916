/**
 * Reference kernels of the linear (fully connected) layer, `Y = X·W + b`, on flat row-major arrays.
 *
 * Layout: `X` is `[n, inFeatures]`, `W` is `[inFeatures, outFeatures]` (the transpose of PyTorch's
 * `nn.Linear.weight`, which is `[out, in]`; the `[in, out]` layout makes both products below stream
 * through `W` row by row), `b` is `[outFeatures]`, `Y` and its gradient `G` are `[n, outFeatures]`.
 *
 * Written for speed: the loops run in i–k–j order so the innermost loop walks contiguous rows of
 * `W`/`dW`, zero inputs (half of a Fashion-MNIST image is background) are skipped, and nothing is
 * allocated per call. Callers pass explicit sizes, so the arrays may be larger preallocated buffers.
 * The WebAssembly SIMD kernels of the speed work keep these signatures; these stay the reference.
 */
export type FloatBuffer = Float32Array | Float64Array;

/** Forward `Y[n, out] = X[n, in] · W[in, out] + b[out]` (PyTorch `F.linear(x, W.T, b)`). */
export function linearForward(
  X: FloatBuffer,
  W: FloatBuffer,
  b: FloatBuffer,
  Y: FloatBuffer,
  n: number,
  inFeatures: number,
  outFeatures: number,
): void {
  for (let i = 0; i < n; i++) {
    const yRow = i * outFeatures;
    for (let j = 0; j < outFeatures; j++) Y[yRow + j] = b[j];
    const xRow = i * inFeatures;
    for (let k = 0; k < inFeatures; k++) {
      const xv = X[xRow + k];
      if (xv === 0) continue;
      const wRow = k * outFeatures;
      for (let j = 0; j < outFeatures; j++) Y[yRow + j] += xv * W[wRow + j];
    }
  }
}

/**
 * Weight and bias gradients: `dW[in, out] = Xᵀ · G` and `db[out] = Σ_rows G` (overwritten, not
 * accumulated), as autograd computes for `nn.Linear`.
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
    for (let j = 0; j < outFeatures; j++) db[j] += G[gRow + j];
    const xRow = i * inFeatures;
    for (let k = 0; k < inFeatures; k++) {
      const xv = X[xRow + k];
      if (xv === 0) continue;
      const wRow = k * outFeatures;
      for (let j = 0; j < outFeatures; j++) dW[wRow + j] += xv * G[gRow + j];
    }
  }
}

/** Input gradient `dX[n, in] = G[n, out] · Wᵀ` (needed below the first layer of an MLP). */
export function linearBackwardInput(
  G: FloatBuffer,
  W: FloatBuffer,
  dX: FloatBuffer,
  n: number,
  inFeatures: number,
  outFeatures: number,
): void {
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
