// The loss and gradient of binary logistic regression over a subset of the rows of a float32
// matrix, for the L-BFGS domain classifier of the shift report (src/shift/logisticRegression.ts).
// One pass per row: the score z = w·x + b (four 128-bit accumulators), the loss log(1 + exp(−ỹz))
// in float64, then grad += (σ(z) − y)·x while the row is still in L1, so X is read once per
// evaluation: O(n·d). Pointers are byte offsets into the module's memory.

// @ts-ignore: decorator
@inline
function softplus(m: f64): f64 {
  // log(1 + exp(m)), stable for large |m|
  return m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
}

/**
 * Σ over rows[0..n) of log(1 + exp(−ỹ z)), z = X[row]·w + b, ỹ = ±1 from y[row] ∈ {0, 1} (float32).
 * Adds Σ (σ(z) − y)·X[row] into grad[0..d) and Σ (σ(z) − y) into grad[d] (float32; the caller zeroes
 * grad). X is [*, d] row-major float32; rows holds int32 row indices; w holds d float32 weights.
 */
export function logisticLossGrad(X: usize, d: i32, rows: usize, n: i32, y: usize, w: usize, b: f64, grad: usize): f64 {
  const rowBytes = <usize>d << 2;
  const vecBytes = <usize>(d & ~15) << 2; // 16 floats per unrolled step
  const vec4Bytes = <usize>(d & ~3) << 2;
  let loss: f64 = 0;
  let gb: f64 = 0;
  for (let k = 0; k < n; k++) {
    const row = <usize>load<i32>(rows + (<usize>k << 2));
    const x = X + row * rowBytes;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let o: usize = 0;
    for (; o < vecBytes; o += 64) {
      a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(w + o)));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(x + o, 16), v128.load(w + o, 16)));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(x + o, 32), v128.load(w + o, 32)));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(x + o, 48), v128.load(w + o, 48)));
    }
    for (; o < vec4Bytes; o += 16) a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(w + o)));
    const s = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
    let z: f64 = b + <f64>f32x4.extract_lane(s, 0) + <f64>f32x4.extract_lane(s, 1) + <f64>f32x4.extract_lane(s, 2) + <f64>f32x4.extract_lane(s, 3);
    for (; o < rowBytes; o += 4) z += <f64>(load<f32>(x + o) * load<f32>(w + o));
    const label = <f64>load<f32>(y + (row << 2));
    loss += softplus(label > 0.5 ? -z : z);
    const p: f64 = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    const r64 = p - label;
    gb += r64;
    if (r64 == 0) continue;
    const r = <f32>r64;
    const rv = f32x4.splat(r);
    o = 0;
    for (; o < vecBytes; o += 64) {
      v128.store(grad + o, f32x4.add(v128.load(grad + o), f32x4.mul(rv, v128.load(x + o))));
      v128.store(grad + o, f32x4.add(v128.load(grad + o, 16), f32x4.mul(rv, v128.load(x + o, 16))), 16);
      v128.store(grad + o, f32x4.add(v128.load(grad + o, 32), f32x4.mul(rv, v128.load(x + o, 32))), 32);
      v128.store(grad + o, f32x4.add(v128.load(grad + o, 48), f32x4.mul(rv, v128.load(x + o, 48))), 48);
    }
    for (; o < vec4Bytes; o += 16) v128.store(grad + o, f32x4.add(v128.load(grad + o), f32x4.mul(rv, v128.load(x + o))));
    for (; o < rowBytes; o += 4) store<f32>(grad + o, load<f32>(grad + o) + r * load<f32>(x + o));
  }
  store<f32>(grad + rowBytes, load<f32>(grad + rowBytes) + <f32>gb);
  return loss;
}

/** out[k] = X[rows[k]]·w + b for k < n (float64 scores, float32 products summed as above). */
export function linearScores(X: usize, d: i32, rows: usize, n: i32, w: usize, b: f64, out: usize): void {
  const rowBytes = <usize>d << 2;
  const vec4Bytes = <usize>(d & ~3) << 2;
  for (let k = 0; k < n; k++) {
    const x = X + <usize>load<i32>(rows + (<usize>k << 2)) * rowBytes;
    let a0 = f32x4.splat(0);
    let o: usize = 0;
    for (; o < vec4Bytes; o += 16) a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(w + o)));
    let z: f64 = b + <f64>f32x4.extract_lane(a0, 0) + <f64>f32x4.extract_lane(a0, 1) + <f64>f32x4.extract_lane(a0, 2) + <f64>f32x4.extract_lane(a0, 3);
    for (; o < rowBytes; o += 4) z += <f64>(load<f32>(x + o) * load<f32>(w + o));
    store<f64>(out + (<usize>k << 3), z);
  }
}
