/**
 * Binary logistic regression over a subset of the rows of a float32 matrix (the domain classifier
 * of the shift report): the TypeScript reference of the WebAssembly kernels in assembly/logistic.ts.
 *
 * `X` is [*, d] row-major float32; `rows` lists the rows to use; `y` holds 0/1 per row of X
 * (float32); `w` holds d float32 weights and `b` the intercept.
 */

/**
 * Returns Σₖ log(1 + exp(−ỹ zₖ)) over the listed rows, zₖ = X[rows[k]]·w + b, ỹ = 2y − 1, and adds
 * Σ (σ(z) − y)·x into grad[0..d) and Σ (σ(z) − y) into grad[d] (the caller zeroes grad). One pass
 * per row: O(n·d).
 */
export function logisticLossGrad(X: Float32Array, d: number, rows: Int32Array, y: Float32Array, w: Float32Array, b: number, grad: Float32Array): number {
  let loss = 0;
  let gb = 0;
  for (let k = 0; k < rows.length; k++) {
    const off = rows[k] * d;
    let z = b;
    for (let j = 0; j < d; j++) z += X[off + j] * w[j];
    const label = y[rows[k]];
    const m = label > 0.5 ? -z : z;
    loss += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
    const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    const r = p - label;
    gb += r;
    if (r !== 0) for (let j = 0; j < d; j++) grad[j] += r * X[off + j];
  }
  grad[d] += gb;
  return loss;
}

/** out[k] = X[rows[k]]·w + b: the decision function (log-odds) of the listed rows. */
export function linearScores(X: Float32Array, d: number, rows: Int32Array, w: Float32Array, b: number, out: Float64Array): void {
  for (let k = 0; k < rows.length; k++) {
    const off = rows[k] * d;
    let z = b;
    for (let j = 0; j < d; j++) z += X[off + j] * w[j];
    out[k] = z;
  }
}
