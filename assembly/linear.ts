// Matrix products of the linear layer Y = X·W + b (W stored [in, out], the transpose of PyTorch's
// nn.Linear.weight) and its backward pass, in float32 with 128-bit SIMD.
//
// The shapes that matter are skinny: softmax regression has in = 784, out = 10. A row of W or of
// the output is then only 2½ vectors, so the kernels keep a whole output row in registers: the
// columns are covered by vector blocks at 0, 4, …, and, when out is not a multiple of 4, one more
// block at out − 4 that overlaps the previous one (its shared lanes compute exactly the same sums,
// so writing them twice is harmless). Blocks go three at a time (12 columns: out = 10 is one group)
// and rows four at a time, so each W row loaded serves four rows of X and each X value serves
// three vectors. Pointers are byte offsets into the module's memory.

// @ts-ignore: decorator
@inline
function blockOffset(g: i32, q: i32, out: i32): i32 {
  // column of the q-th vector in group g; groups past the end repeat the last block
  const full = out >> 2;
  const blocks = full + (out & 3 ? 1 : 0);
  let b = g * 3 + q;
  if (b >= blocks) b = blocks - 1;
  return b < full ? b << 2 : out - 4;
}

/**
 * For accumulating kernels: all lanes for a full block; for the tail block at out − 4 only the lanes
 * past the last full block, since the others were (or will be) updated by that full block.
 */
// @ts-ignore: decorator
@inline
function blockMask(g: i32, q: i32, out: i32): v128 {
  const full = out >> 2;
  const rem = out & 3;
  const blocks = full + (rem ? 1 : 0);
  let b = g * 3 + q;
  if (b >= blocks) b = blocks - 1;
  if (b < full) return i32x4.splat(-1);
  return i32x4.ge_s(i32x4(0, 1, 2, 3), i32x4.splat(4 - rem));
}

// @ts-ignore: decorator
@inline
function groupsOf(out: i32): i32 {
  const blocks = (out >> 2) + (out & 3 ? 1 : 0);
  return (blocks + 2) / 3;
}

/** Y[n, out] = X[n, in] · W[in, out] + b[out]. */
export function linearForward(X: usize, W: usize, b: usize, Y: usize, n: i32, inF: i32, out: i32): void {
  if (out < 4) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < out; j++) {
        let s = load<f32>(b + (<usize>j << 2));
        for (let k = 0; k < inF; k++) s += load<f32>(X + ((<usize>i * inF + k) << 2)) * load<f32>(W + ((<usize>k * out + j) << 2));
        store<f32>(Y + ((<usize>i * out + j) << 2), s);
      }
    }
    return;
  }
  const xRow = <usize>inF << 2;
  const wRow = <usize>out << 2;
  const groups = groupsOf(out);
  for (let g = 0; g < groups; g++) {
    const o0 = <usize>blockOffset(g, 0, out) << 2;
    const o1 = <usize>blockOffset(g, 1, out) << 2;
    const o2 = <usize>blockOffset(g, 2, out) << 2;
    const b0 = v128.load(b + o0), b1 = v128.load(b + o1), b2 = v128.load(b + o2);
    for (let i = 0; i < n; i += 4) {
      // rows past the end repeat the last row (same values written twice)
      const x0 = X + <usize>i * xRow;
      const x1 = X + <usize>min(i + 1, n - 1) * xRow;
      const x2 = X + <usize>min(i + 2, n - 1) * xRow;
      const x3 = X + <usize>min(i + 3, n - 1) * xRow;
      let a00 = b0, a01 = b1, a02 = b2;
      let a10 = b0, a11 = b1, a12 = b2;
      let a20 = b0, a21 = b1, a22 = b2;
      let a30 = b0, a31 = b1, a32 = b2;
      let w = W;
      for (let k: usize = 0; k < xRow; k += 4) {
        const w0 = v128.load(w + o0), w1 = v128.load(w + o1), w2 = v128.load(w + o2);
        let s = v128.load32_splat(x0 + k);
        a00 = f32x4.add(a00, f32x4.mul(s, w0)); a01 = f32x4.add(a01, f32x4.mul(s, w1)); a02 = f32x4.add(a02, f32x4.mul(s, w2));
        s = v128.load32_splat(x1 + k);
        a10 = f32x4.add(a10, f32x4.mul(s, w0)); a11 = f32x4.add(a11, f32x4.mul(s, w1)); a12 = f32x4.add(a12, f32x4.mul(s, w2));
        s = v128.load32_splat(x2 + k);
        a20 = f32x4.add(a20, f32x4.mul(s, w0)); a21 = f32x4.add(a21, f32x4.mul(s, w1)); a22 = f32x4.add(a22, f32x4.mul(s, w2));
        s = v128.load32_splat(x3 + k);
        a30 = f32x4.add(a30, f32x4.mul(s, w0)); a31 = f32x4.add(a31, f32x4.mul(s, w1)); a32 = f32x4.add(a32, f32x4.mul(s, w2));
        w += wRow;
      }
      const y0 = Y + <usize>i * wRow;
      const y1 = Y + <usize>min(i + 1, n - 1) * wRow;
      const y2 = Y + <usize>min(i + 2, n - 1) * wRow;
      const y3 = Y + <usize>min(i + 3, n - 1) * wRow;
      v128.store(y0 + o0, a00); v128.store(y0 + o1, a01); v128.store(y0 + o2, a02);
      v128.store(y1 + o0, a10); v128.store(y1 + o1, a11); v128.store(y1 + o2, a12);
      v128.store(y2 + o0, a20); v128.store(y2 + o1, a21); v128.store(y2 + o2, a22);
      v128.store(y3 + o0, a30); v128.store(y3 + o1, a31); v128.store(y3 + o2, a32);
    }
  }
}

/** dW[in, out] = Xᵀ · G and db[out] = Σ_rows G (both overwritten), for G = ∂L/∂Y of shape [n, out]. */
export function linearBackwardParams(X: usize, G: usize, dW: usize, db: usize, n: i32, inF: i32, out: i32): void {
  memory.fill(dW, 0, <usize>inF * out << 2);
  for (let j = 0; j < out; j++) {
    let s: f32 = 0;
    for (let i = 0; i < n; i++) s += load<f32>(G + ((<usize>i * out + j) << 2));
    store<f32>(db + (<usize>j << 2), s);
  }
  if (out < 4) {
    for (let i = 0; i < n; i++)
      for (let k = 0; k < inF; k++) {
        const xv = load<f32>(X + ((<usize>i * inF + k) << 2));
        for (let j = 0; j < out; j++) {
          const p = dW + ((<usize>k * out + j) << 2);
          store<f32>(p, load<f32>(p) + xv * load<f32>(G + ((<usize>i * out + j) << 2)));
        }
      }
    return;
  }
  const xRow = <usize>inF << 2;
  const gRow = <usize>out << 2;
  const groups = groupsOf(out);
  for (let g = 0; g < groups; g++) {
    const o0 = <usize>blockOffset(g, 0, out) << 2;
    const o1 = <usize>blockOffset(g, 1, out) << 2;
    const o2 = <usize>blockOffset(g, 2, out) << 2;
    // masked increments, and the tail block stored first so that the full blocks' stores of the lanes
    // they share come last (both hold the same, correct values for those lanes anyway within a k)
    const m0 = blockMask(g, 0, out), m1 = blockMask(g, 1, out), m2 = blockMask(g, 2, out);
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const x0 = X + <usize>i * xRow, x1 = x0 + xRow;
      const gr0 = G + <usize>i * gRow, gr1 = gr0 + gRow;
      const g00 = v128.and(v128.load(gr0 + o0), m0), g01 = v128.and(v128.load(gr0 + o1), m1), g02 = v128.and(v128.load(gr0 + o2), m2);
      const g10 = v128.and(v128.load(gr1 + o0), m0), g11 = v128.and(v128.load(gr1 + o1), m1), g12 = v128.and(v128.load(gr1 + o2), m2);
      let d = dW;
      for (let k: usize = 0; k < xRow; k += 4) {
        const s0 = v128.load32_splat(x0 + k), s1 = v128.load32_splat(x1 + k);
        const d0 = v128.load(d + o0), d1 = v128.load(d + o1), d2 = v128.load(d + o2);
        v128.store(d + o2, f32x4.add(d2, f32x4.add(f32x4.mul(s0, g02), f32x4.mul(s1, g12))));
        v128.store(d + o1, f32x4.add(d1, f32x4.add(f32x4.mul(s0, g01), f32x4.mul(s1, g11))));
        v128.store(d + o0, f32x4.add(d0, f32x4.add(f32x4.mul(s0, g00), f32x4.mul(s1, g10))));
        d += gRow;
      }
    }
    if (i < n) {
      const x0 = X + <usize>i * xRow;
      const gr0 = G + <usize>i * gRow;
      const g00 = v128.and(v128.load(gr0 + o0), m0), g01 = v128.and(v128.load(gr0 + o1), m1), g02 = v128.and(v128.load(gr0 + o2), m2);
      let d = dW;
      for (let k: usize = 0; k < xRow; k += 4) {
        const s0 = v128.load32_splat(x0 + k);
        const d0 = v128.load(d + o0), d1 = v128.load(d + o1), d2 = v128.load(d + o2);
        v128.store(d + o2, f32x4.add(d2, f32x4.mul(s0, g02)));
        v128.store(d + o1, f32x4.add(d1, f32x4.mul(s0, g01)));
        v128.store(d + o0, f32x4.add(d0, f32x4.mul(s0, g00)));
        d += gRow;
      }
    }
  }
}

/**
 * dX[n, in] = G[n, out] · Wᵀ. `scratch` must hold in·out floats: W is transposed into it first so
 * the inner loop runs along contiguous input features.
 */
export function linearBackwardInput(G: usize, W: usize, dX: usize, n: i32, inF: i32, out: i32, scratch: usize): void {
  for (let k = 0; k < inF; k++)
    for (let j = 0; j < out; j++)
      store<f32>(scratch + ((<usize>j * inF + k) << 2), load<f32>(W + ((<usize>k * out + j) << 2)));
  if (inF < 4) {
    for (let i = 0; i < n; i++)
      for (let k = 0; k < inF; k++) {
        let s: f32 = 0;
        for (let j = 0; j < out; j++) s += load<f32>(G + ((<usize>i * out + j) << 2)) * load<f32>(scratch + ((<usize>j * inF + k) << 2));
        store<f32>(dX + ((<usize>i * inF + k) << 2), s);
      }
    return;
  }
  const tRow = <usize>inF << 2;
  const full = inF & ~3;
  for (let i = 0; i < n; i++) {
    const gr = G + ((<usize>i * out) << 2);
    const dx = dX + <usize>i * tRow;
    let k = 0;
    for (; k + 16 <= full; k += 16) {
      const o = <usize>k << 2;
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
      let t = scratch + o;
      for (let j = 0; j < out; j++) {
        const s = v128.load32_splat(gr + (<usize>j << 2));
        a0 = f32x4.add(a0, f32x4.mul(s, v128.load(t)));
        a1 = f32x4.add(a1, f32x4.mul(s, v128.load(t, 16)));
        a2 = f32x4.add(a2, f32x4.mul(s, v128.load(t, 32)));
        a3 = f32x4.add(a3, f32x4.mul(s, v128.load(t, 48)));
        t += tRow;
      }
      v128.store(dx + o, a0); v128.store(dx + o, a1, 16); v128.store(dx + o, a2, 32); v128.store(dx + o, a3, 48);
    }
    // remaining full blocks, then one block at in − 4 overlapping the last one when in % 4 ≠ 0
    for (; k <= full; k += 4) {
      if (k == full && full == inF) break;
      const o = <usize>(k < full ? k : inF - 4) << 2;
      let a0 = f32x4.splat(0);
      let t = scratch + o;
      for (let j = 0; j < out; j++) {
        a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(gr + (<usize>j << 2)), v128.load(t)));
        t += tRow;
      }
      v128.store(dx + o, a0);
    }
  }
}
