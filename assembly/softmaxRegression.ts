// Fused training step of softmax regression — one linear layer Y = X·W + b followed by softmax
// cross-entropy — for up to 12 classes: per row, the logits are computed, turned into the loss and
// the gradient (softmax − onehot)·gradScale, and that row's contribution to dW = Xᵀ·G and db = Σ G
// is added at once, while the row's inputs are still in L1. Rows are read in place through the
// epoch's order (no gathered copy of the minibatch), so each epoch reads every input row once from
// memory — the minimum — and the two products run over the same data.
//
// Two input layouts:
// - sparse (CSR): rowPtr[i]..rowPtr[i+1] index the nonzero entries of row i, with the byte offset
//   of their padded weight row (u16: column · 48, so at most 1365 inputs) and their values (f32).
//   Zeros cost nothing: half of a Fashion-MNIST image is background. `compressRows` builds it.
// - dense: X[n, in] float32; rows in blocks of four so each weight row loaded serves four rows.
//
// Weights and gradients use a padded layout of 12 floats per input feature (three 128-bit vectors;
// `padLinear` / `unpadGradients` convert from and to the [in, c] layout of src/models/network.ts).
// Padding lanes hold weight 0 and are masked to −∞ before the softmax, so they add nothing.
import { EXP_TABLE, expNeg4 } from './exp';

/** Bytes per padded weight row: 12 float32. */
const PAD_ROW: usize = 48;

// per-instance accumulators of the current call (each thread has its own instance)
let lossSum: f64 = 0;
let prodS: f64 = 1;
let correct: i32 = 0;
/** Receives the touch-ahead loads so they are not optimised away. */
let sink: u32 = 0;
/** How many rows ahead the sparse kernel touches. */
const AHEAD = 2;

/**
 * CSR of X[n, in] for `softmaxRegressionSparse`: the nonzero entries of each row in column order.
 * X is float32 (`bytes` = 0) or bytes mapped through the 256-entry float32 table at `table`
 * (`bytes` = 1). Writes rowPtr[n + 1], offs (column · 48, u16) and vals (f32) and returns the count;
 * with `offs` = 0 it only counts. Branch-free: every entry is written, the cursor moves on nonzeros.
 */
export function compressRows(X: usize, bytes: i32, table: usize, n: i32, inF: i32, rowPtr: usize, offs: usize, vals: usize): i32 {
  let p: usize = 0;
  for (let i = 0; i < n; i++) {
    if (offs) store<i32>(rowPtr + (<usize>i << 2), <i32>p);
    const row = bytes ? X + <usize>i * inF : X + ((<usize>i * inF) << 2);
    for (let k = 0; k < inF; k++) {
      const v: f32 = bytes ? load<f32>(table + (<usize>load<u8>(row + k) << 2)) : load<f32>(row + (<usize>k << 2));
      if (offs) {
        store<u16>(offs + (p << 1), <u16>(<u32>k * <u32>PAD_ROW));
        store<f32>(vals + (p << 2), v);
      }
      p += v != 0 ? 1 : 0;
    }
  }
  if (offs) store<i32>(rowPtr + (<usize>n << 2), <i32>p);
  return <i32>p;
}

/** Wp[in, 12] ← W[in, c] and bp[12] ← b[c], zero padded (c ≤ 12). */
export function padLinear(W: usize, b: usize, Wp: usize, bp: usize, inF: i32, c: i32): void {
  const zero = f32x4.splat(0);
  for (let k = 0; k < inF; k++) {
    const dst = Wp + <usize>k * PAD_ROW;
    const src = W + ((<usize>k * c) << 2);
    v128.store(dst, zero); v128.store(dst, zero, 16); v128.store(dst, zero, 32);
    for (let j = 0; j < c; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
  }
  v128.store(bp, zero); v128.store(bp, zero, 16); v128.store(bp, zero, 32);
  for (let j = 0; j < c; j++) store<f32>(bp + (<usize>j << 2), load<f32>(b + (<usize>j << 2)));
}

/** dW[in, c] ← dWp (+ dWp2 when nonzero), db[c] ← dbp (+ dbp2): the padded gradients of one or two threads. */
export function unpadGradients(dWp: usize, dbp: usize, dWp2: usize, dbp2: usize, dW: usize, db: usize, inF: i32, c: i32): void {
  for (let k = 0; k < inF; k++) {
    const src = dWp + <usize>k * PAD_ROW;
    const dst = dW + ((<usize>k * c) << 2);
    if (dWp2) {
      const src2 = dWp2 + <usize>k * PAD_ROW;
      for (let j = 0; j < c; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)) + load<f32>(src2 + (<usize>j << 2)));
    } else {
      for (let j = 0; j < c; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
    }
  }
  for (let j = 0; j < c; j++) {
    let v = load<f32>(dbp + (<usize>j << 2));
    if (dbp2) v += load<f32>(dbp2 + (<usize>j << 2));
    store<f32>(db + (<usize>j << 2), v);
  }
}

/**
 * Softmax cross-entropy of the 12 padded logits at `z` (valid lanes: mask m0..m2) with label y:
 * adds the loss to `lossSum`/`prodS`, counts the row in `correct` when its first maximum is at y,
 * and overwrites z with the gradient (softmax − onehot)·gradScale (zero in the padding lanes).
 */
// @ts-ignore: decorator
@inline
function softmaxRow(z: usize, y: i32, c: i32, gradScale: f32, m0: v128, m1: v128, m2: v128, negInf: v128): void {
  // the exp constants, splatted once per row (ten loads beside the row's hundreds of products)
  const lower = v128.load32_splat(EXP_TABLE), log2e = v128.load32_splat(EXP_TABLE, 4), magic = v128.load32_splat(EXP_TABLE, 8);
  const c1 = v128.load32_splat(EXP_TABLE, 12), c2 = v128.load32_splat(EXP_TABLE, 16);
  const q0 = v128.load32_splat(EXP_TABLE, 20), q1 = v128.load32_splat(EXP_TABLE, 24);
  const q2 = v128.load32_splat(EXP_TABLE, 28), q3 = v128.load32_splat(EXP_TABLE, 32);
  const one = v128.load32_splat(EXP_TABLE, 36);
  const a0 = v128.bitselect(v128.load(z), negInf, m0);
  const a1 = v128.bitselect(v128.load(z, 16), negInf, m1);
  const a2 = v128.bitselect(v128.load(z, 32), negInf, m2);
  // first maximum (argmax as torch/NumPy: the lowest index among equal maxima)
  let best = load<f32>(z);
  let arg = 0;
  for (let j = 1; j < c; j++) {
    const v = load<f32>(z + (<usize>j << 2));
    if (v > best) { best = v; arg = j; }
  }
  if (arg == y) correct++;
  let mv = f32x4.pmax(f32x4.pmax(a0, a1), a2);
  mv = f32x4.pmax(mv, v128.shuffle<f32>(mv, mv, 2, 3, 0, 1));
  mv = f32x4.pmax(mv, v128.shuffle<f32>(mv, mv, 1, 0, 3, 2));
  const e0 = expNeg4(f32x4.sub(a0, mv), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one);
  const e1 = expNeg4(f32x4.sub(a1, mv), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one);
  const e2 = expNeg4(f32x4.sub(a2, mv), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one);
  // the row sum in float64 (12 lanes, exact enough to match the reference's float64 accumulation)
  const t = f32x4.add(f32x4.add(e0, e1), e2);
  const h = f64x2.add(f64x2.promote_low_f32x4(t), f64x2.promote_low_f32x4(v128.shuffle<f32>(t, t, 2, 3, 0, 1)));
  const s = f64x2.extract_lane(h, 0) + f64x2.extract_lane(h, 1);
  prodS *= s;
  if (prodS > 1e280) {
    lossSum += Math.log(prodS);
    prodS = 1;
  }
  lossSum -= <f64>load<f32>(z + (<usize>y << 2)) - <f64>f32x4.extract_lane(mv, 0);
  const scale = f32x4.splat(<f32>(<f64>gradScale / s));
  v128.store(z, f32x4.mul(e0, scale));
  v128.store(z, f32x4.mul(e1, scale), 16);
  v128.store(z, f32x4.mul(e2, scale), 32);
  const zy = z + (<usize>y << 2);
  store<f32>(zy, load<f32>(zy) - gradScale);
}

// @ts-ignore: decorator
@inline
function laneMask(q: i32, c: i32): v128 {
  return i32x4.lt_s(i32x4.add(i32x4(0, 1, 2, 3), i32x4.splat(q * 4)), i32x4.splat(c));
}

/**
 * Rows r0..r1 of a minibatch, sparse inputs. Row r of the batch is dataset row order[r]; its label
 * is labels[order[r]]. Overwrites dWp[in, 12] and dbp[12] with this range's gradient sums
 * (gradScale included) and returns the summed loss; `stats` (16 bytes) receives the loss (f64) and
 * the number of rows whose argmax equals the label (f64); `z` is 48 bytes of scratch.
 */
export function softmaxRegressionSparse(
  rowPtr: usize, cols: usize, vals: usize, order: usize, labels: usize, r0: i32, r1: i32,
  Wp: usize, bp: usize, dWp: usize, dbp: usize, inF: i32, c: i32, gradScale: f32, z: usize, stats: usize,
): f64 {
  lossSum = 0; prodS = 1; correct = 0;
  memory.fill(dWp, 0, <usize>inF * PAD_ROW);
  const negInf = f32x4.splat(-Infinity);
  const m0 = laneMask(0, c), m1 = laneMask(1, c), m2 = laneMask(2, c);
  const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32);
  let d0 = f32x4.splat(0), d1 = d0, d2 = d0;
  for (let r = r0; r < r1; r++) {
    const i = <usize>load<i32>(order + (<usize>r << 2));
    const y = load<i32>(labels + (i << 2));
    const p0 = <usize>load<i32>(rowPtr + (i << 2));
    const p1 = <usize>load<i32>(rowPtr + (i << 2), 4);
    // touch the next row's entries (one load per 64-byte line) so its cache misses overlap this
    // row's work: rows come in random order, and the hardware prefetcher only starts within a row
    if (r + AHEAD < r1) {
      const ni = <usize>load<i32>(order + (<usize>(r + AHEAD) << 2));
      const n0 = <usize>load<i32>(rowPtr + (ni << 2));
      const n1 = <usize>load<i32>(rowPtr + (ni << 2), 4);
      let t: u32 = 0;
      for (let q = cols + (n0 << 1); q < cols + (n1 << 1); q += 64) t ^= load<u32>(q);
      for (let q = vals + (n0 << 2); q < vals + (n1 << 2); q += 64) t ^= load<u32>(q);
      sink ^= t;
    }
    // forward: two independent accumulator sets (even and odd entries) to hide the add latency
    let a0 = b0, a1 = b1, a2 = b2;
    let e0 = f32x4.splat(0), e1 = e0, e2 = e0;
    let p = p0;
    for (; p + 2 <= p1; p += 2) {
      const w = Wp + <usize>load<u16>(cols + (p << 1));
      const v = Wp + <usize>load<u16>(cols + (p << 1), 2);
      const x = v128.load32_splat(vals + (p << 2));
      const u = v128.load32_splat(vals + (p << 2), 4);
      a0 = f32x4.add(a0, f32x4.mul(x, v128.load(w)));
      a1 = f32x4.add(a1, f32x4.mul(x, v128.load(w, 16)));
      a2 = f32x4.add(a2, f32x4.mul(x, v128.load(w, 32)));
      e0 = f32x4.add(e0, f32x4.mul(u, v128.load(v)));
      e1 = f32x4.add(e1, f32x4.mul(u, v128.load(v, 16)));
      e2 = f32x4.add(e2, f32x4.mul(u, v128.load(v, 32)));
    }
    if (p < p1) {
      const w = Wp + <usize>load<u16>(cols + (p << 1));
      const x = v128.load32_splat(vals + (p << 2));
      a0 = f32x4.add(a0, f32x4.mul(x, v128.load(w)));
      a1 = f32x4.add(a1, f32x4.mul(x, v128.load(w, 16)));
      a2 = f32x4.add(a2, f32x4.mul(x, v128.load(w, 32)));
    }
    v128.store(z, f32x4.add(a0, e0));
    v128.store(z, f32x4.add(a1, e1), 16);
    v128.store(z, f32x4.add(a2, e2), 32);
    softmaxRow(z, y, c, gradScale, m0, m1, m2, negInf);
    const g0 = v128.load(z), g1 = v128.load(z, 16), g2 = v128.load(z, 32);
    d0 = f32x4.add(d0, g0); d1 = f32x4.add(d1, g1); d2 = f32x4.add(d2, g2);
    // backward: dW[k] += x_k · g for the row's nonzero k (distinct within a row, so no hazards)
    p = p0;
    for (; p + 2 <= p1; p += 2) {
      const w = dWp + <usize>load<u16>(cols + (p << 1));
      const v = dWp + <usize>load<u16>(cols + (p << 1), 2);
      const x = v128.load32_splat(vals + (p << 2));
      const u = v128.load32_splat(vals + (p << 2), 4);
      v128.store(w, f32x4.add(v128.load(w), f32x4.mul(x, g0)));
      v128.store(w, f32x4.add(v128.load(w, 16), f32x4.mul(x, g1)), 16);
      v128.store(w, f32x4.add(v128.load(w, 32), f32x4.mul(x, g2)), 32);
      v128.store(v, f32x4.add(v128.load(v), f32x4.mul(u, g0)));
      v128.store(v, f32x4.add(v128.load(v, 16), f32x4.mul(u, g1)), 16);
      v128.store(v, f32x4.add(v128.load(v, 32), f32x4.mul(u, g2)), 32);
    }
    if (p < p1) {
      const w = dWp + <usize>load<u16>(cols + (p << 1));
      const x = v128.load32_splat(vals + (p << 2));
      v128.store(w, f32x4.add(v128.load(w), f32x4.mul(x, g0)));
      v128.store(w, f32x4.add(v128.load(w, 16), f32x4.mul(x, g1)), 16);
      v128.store(w, f32x4.add(v128.load(w, 32), f32x4.mul(x, g2)), 32);
    }
  }
  v128.store(dbp, d0); v128.store(dbp, d1, 16); v128.store(dbp, d2, 32);
  const loss = lossSum + Math.log(prodS);
  store<f64>(stats, loss);
  store<f64>(stats, <f64>correct, 8);
  return loss;
}

/**
 * The same for dense inputs X[n, in] float32 (row r of the batch is X[order[r]]): forward four rows
 * at a time against each padded weight row, backward two rows at a time into each dW row.
 */
export function softmaxRegressionDense(
  X: usize, order: usize, labels: usize, r0: i32, r1: i32,
  Wp: usize, bp: usize, dWp: usize, dbp: usize, inF: i32, c: i32, gradScale: f32, z: usize, stats: usize,
): f64 {
  lossSum = 0; prodS = 1; correct = 0;
  memory.fill(dWp, 0, <usize>inF * PAD_ROW);
  const negInf = f32x4.splat(-Infinity);
  const m0 = laneMask(0, c), m1 = laneMask(1, c), m2 = laneMask(2, c);
  const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32);
  const rowBytes = <usize>inF << 2;
  let d0 = f32x4.splat(0), d1 = d0, d2 = d0;
  for (let r = r0; r < r1; r += 4) {
    // rows past the end repeat the last row: computed, but their loss and gradient are not used
    const rows = min(4, r1 - r);
    const i0 = <usize>load<i32>(order + (<usize>r << 2));
    const i1 = <usize>load<i32>(order + (<usize>(r + min(1, rows - 1)) << 2));
    const i2 = <usize>load<i32>(order + (<usize>(r + min(2, rows - 1)) << 2));
    const i3 = <usize>load<i32>(order + (<usize>(r + min(3, rows - 1)) << 2));
    const x0 = X + i0 * rowBytes, x1 = X + i1 * rowBytes, x2 = X + i2 * rowBytes, x3 = X + i3 * rowBytes;
    let a00 = b0, a01 = b1, a02 = b2;
    let a10 = b0, a11 = b1, a12 = b2;
    let a20 = b0, a21 = b1, a22 = b2;
    let a30 = b0, a31 = b1, a32 = b2;
    let w = Wp;
    for (let k: usize = 0; k < rowBytes; k += 4) {
      const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32);
      let s = v128.load32_splat(x0 + k);
      a00 = f32x4.add(a00, f32x4.mul(s, w0)); a01 = f32x4.add(a01, f32x4.mul(s, w1)); a02 = f32x4.add(a02, f32x4.mul(s, w2));
      s = v128.load32_splat(x1 + k);
      a10 = f32x4.add(a10, f32x4.mul(s, w0)); a11 = f32x4.add(a11, f32x4.mul(s, w1)); a12 = f32x4.add(a12, f32x4.mul(s, w2));
      s = v128.load32_splat(x2 + k);
      a20 = f32x4.add(a20, f32x4.mul(s, w0)); a21 = f32x4.add(a21, f32x4.mul(s, w1)); a22 = f32x4.add(a22, f32x4.mul(s, w2));
      s = v128.load32_splat(x3 + k);
      a30 = f32x4.add(a30, f32x4.mul(s, w0)); a31 = f32x4.add(a31, f32x4.mul(s, w1)); a32 = f32x4.add(a32, f32x4.mul(s, w2));
      w += PAD_ROW;
    }
    const z1 = z + PAD_ROW, z2 = z + 2 * PAD_ROW, z3 = z + 3 * PAD_ROW;
    v128.store(z, a00); v128.store(z, a01, 16); v128.store(z, a02, 32);
    v128.store(z1, a10); v128.store(z1, a11, 16); v128.store(z1, a12, 32);
    v128.store(z2, a20); v128.store(z2, a21, 16); v128.store(z2, a22, 32);
    v128.store(z3, a30); v128.store(z3, a31, 16); v128.store(z3, a32, 32);
    for (let q = 0; q < rows; q++) {
      const zq = z + <usize>q * PAD_ROW;
      const iq = q == 0 ? i0 : q == 1 ? i1 : q == 2 ? i2 : i3;
      softmaxRow(zq, load<i32>(labels + (iq << 2)), c, gradScale, m0, m1, m2, negInf);
      d0 = f32x4.add(d0, v128.load(zq)); d1 = f32x4.add(d1, v128.load(zq, 16)); d2 = f32x4.add(d2, v128.load(zq, 32));
    }
    // backward, two rows at a time (a missing fourth/third row has zero gradient)
    for (let q = 0; q < rows; q += 2) {
      const zq = z + <usize>q * PAD_ROW;
      const xa = q == 0 ? x0 : x2;
      const xb = q == 0 ? x1 : x3;
      const ga0 = v128.load(zq), ga1 = v128.load(zq, 16), ga2 = v128.load(zq, 32);
      let gb0 = f32x4.splat(0), gb1 = gb0, gb2 = gb0;
      if (q + 1 < rows) { gb0 = v128.load(zq, 48); gb1 = v128.load(zq, 64); gb2 = v128.load(zq, 80); }
      let d = dWp;
      for (let k: usize = 0; k < rowBytes; k += 4) {
        const sa = v128.load32_splat(xa + k), sb = v128.load32_splat(xb + k);
        v128.store(d, f32x4.add(v128.load(d), f32x4.add(f32x4.mul(sa, ga0), f32x4.mul(sb, gb0))));
        v128.store(d, f32x4.add(v128.load(d, 16), f32x4.add(f32x4.mul(sa, ga1), f32x4.mul(sb, gb1))), 16);
        v128.store(d, f32x4.add(v128.load(d, 32), f32x4.add(f32x4.mul(sa, ga2), f32x4.mul(sb, gb2))), 32);
        d += PAD_ROW;
      }
    }
  }
  v128.store(dbp, d0); v128.store(dbp, d1, 16); v128.store(dbp, d2, 32);
  const loss = lossSum + Math.log(prodS);
  store<f64>(stats, loss);
  store<f64>(stats, <f64>correct, 8);
  return loss;
}

/**
 * 64-bit fingerprint of `len` bytes at `p`, continuing from `h` (so chunks can be chained): the
 * cache of laid-out rows uses it to notice data changed in place. Multiply–xorshift per 8 bytes
 * (the finaliser of SplitMix64), then the tail byte by byte.
 */
export function fingerprint(p: usize, len: i32, h: i64): i64 {
  let o: usize = 0;
  const end = <usize>len;
  for (; o + 8 <= end; o += 8) {
    let v = load<i64>(p + o) ^ h;
    v = (v ^ (v >>> 30)) * -4658895280553007687; // 0xbf58476d1ce4e5b9
    v = (v ^ (v >>> 27)) * -7723592293110705685; // 0x94d049bb133111eb
    h = v ^ (v >>> 31);
  }
  for (; o < end; o++) h = (h ^ <i64>load<u8>(p + o)) * 1099511628211;
  return h;
}
