// Fused softmax + cross-entropy over the rows of a [n, c] float32 matrix with integer labels:
// forward loss and backward gradient in one pass per row (the hand-fused form of PyTorch's
// F.cross_entropy(reduction='sum') + backward, i.e. log_softmax + nll_loss).
//
// Per row: m = max_k x_k;  e_k = exp(x_k − m) (written into grad);  s = Σ e_k (float64);
// loss_row = log s − (x_y − m);  grad_k = e_k · (gradScale / s) − gradScale·[k = y].
// The row (≤ 128 KiB for c = 32000) stays in L1/L2 between the three sweeps, so memory traffic is one
// read of the logits and one write of the gradient.
import { EXP_TABLE, expNeg4 } from './exp';

/** Lane mask selecting lanes [4 − rem, 4) of a vector loaded at c − 4 (the lanes past the last full block). */
// @ts-ignore: decorator
@inline
function tailMask(rem: i32): v128 {
  const lane = i32x4(0, 1, 2, 3);
  return i32x4.ge_s(lane, i32x4.splat(4 - rem));
}

// @ts-ignore: decorator
@inline
function rowMax(x: usize, c: i32): v128 {
  const c4 = c & ~3;
  let m0 = f32x4.splat(-Infinity);
  let m1 = m0;
  let k = 0;
  for (; k + 8 <= c4; k += 8) {
    m0 = f32x4.pmax(m0, v128.load(x + (<usize>k << 2)));
    m1 = f32x4.pmax(m1, v128.load(x + (<usize>k << 2), 16));
  }
  for (; k < c4; k += 4) m0 = f32x4.pmax(m0, v128.load(x + (<usize>k << 2)));
  if (c4 < c) m1 = f32x4.pmax(m1, v128.load(x + (<usize>(c - 4) << 2)));
  m0 = f32x4.pmax(m0, m1);
  // horizontal max, leaving it in every lane
  m0 = f32x4.pmax(m0, v128.shuffle<f32>(m0, m0, 2, 3, 0, 1));
  return f32x4.pmax(m0, v128.shuffle<f32>(m0, m0, 1, 0, 3, 2));
}

// @ts-ignore: decorator
@inline
function sum4(acc: v128, e: v128): v128 {
  // float64 accumulation of the float32 lanes (two f64x2 halves folded into one accumulator pair)
  return f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(e), f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1))));
}

/**
 * Sum over rows [r0, r1) of the cross-entropy loss; writes (softmax − onehot)·gradScale into grad
 * unless grad is 0. Pointers are byte offsets; labels must lie in [0, c) (checked by the caller).
 */
export function softmaxCrossEntropyRows(
  logits: usize, labels: usize, r0: i32, r1: i32, c: i32, grad: usize, gradScale: f32,
): f64 {
  // Σ_rows log s_r is taken as log Π s_r, one log per batch of rows: each s_r lies in [1, c], so the
  // product is flushed into the sum before it can overflow (relative error ~ rows·2^-53).
  let loss: f64 = 0;
  let prod: f64 = 1;
  const c4 = c & ~3;
  const rem = c - c4;
  const rowBytes = <usize>c << 2;
  const lower = v128.load32_splat(EXP_TABLE), log2e = v128.load32_splat(EXP_TABLE, 4), magic = v128.load32_splat(EXP_TABLE, 8);
  const c1 = v128.load32_splat(EXP_TABLE, 12), c2 = v128.load32_splat(EXP_TABLE, 16);
  const q0 = v128.load32_splat(EXP_TABLE, 20), q1 = v128.load32_splat(EXP_TABLE, 24);
  const q2 = v128.load32_splat(EXP_TABLE, 28), q3 = v128.load32_splat(EXP_TABLE, 32);
  const one = v128.load32_splat(EXP_TABLE, 36);
  for (let r = r0; r < r1; r++) {
    const x = logits + <usize>r * rowBytes;
    const y = load<i32>(labels + (<usize>r << 2));
    if (c < 4) {
      let m: f32 = -Infinity;
      for (let k = 0; k < c; k++) m = max(m, load<f32>(x + (<usize>k << 2)));
      let s: f64 = 0;
      for (let k = 0; k < c; k++) {
        const e = Mathf.exp(load<f32>(x + (<usize>k << 2)) - m);
        s += <f64>e;
        if (grad) store<f32>(grad + <usize>r * rowBytes + (<usize>k << 2), e);
      }
      loss += Math.log(s) - (<f64>load<f32>(x + (<usize>y << 2)) - <f64>m);
      if (grad) {
        const g = grad + <usize>r * rowBytes;
        const scale = <f32>(<f64>gradScale / s);
        for (let k = 0; k < c; k++) store<f32>(g + (<usize>k << 2), load<f32>(g + (<usize>k << 2)) * scale);
        store<f32>(g + (<usize>y << 2), load<f32>(g + (<usize>y << 2)) - gradScale);
      }
      continue;
    }
    const mv = rowMax(x, c);
    const m = f32x4.extract_lane(mv, 0);
    let s0 = f64x2.splat(0);
    let s1 = s0;
    let k = 0;
    if (grad) {
      const g = grad + <usize>r * rowBytes;
      for (; k + 16 <= c4; k += 16) {
        const o = <usize>k << 2;
        const e0 = expNeg4(f32x4.sub(v128.load(x + o), mv), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one);
        const e1 = expNeg4(f32x4.sub(v128.load(x + o, 16), mv), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one);
        const e2 = expNeg4(f32x4.sub(v128.load(x + o, 32), mv), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one);
        const e3 = expNeg4(f32x4.sub(v128.load(x + o, 48), mv), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one);
        v128.store(g + o, e0);
        v128.store(g + o, e1, 16);
        v128.store(g + o, e2, 32);
        v128.store(g + o, e3, 48);
        // 16 values summed in float32 (error ≤ ~4 ulp), then added to the float64 sum
        s0 = sum4(s0, f32x4.add(f32x4.add(e0, e1), f32x4.add(e2, e3)));
      }
      for (; k < c4; k += 4) {
        const o = <usize>k << 2;
        const e0 = expNeg4(f32x4.sub(v128.load(x + o), mv), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one);
        v128.store(g + o, e0);
        s0 = sum4(s0, e0);
      }
      if (rem) {
        const o = <usize>(c - 4) << 2;
        const e = expNeg4(f32x4.sub(v128.load(x + o), mv), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one);
        // lanes before c4 get the same values again; only the new lanes enter the sum
        v128.store(g + o, e);
        s1 = sum4(s1, v128.and(e, tailMask(rem)));
      }
    } else {
      for (; k + 16 <= c4; k += 16) {
        const o = <usize>k << 2;
        const e0 = expNeg4(f32x4.sub(v128.load(x + o), mv), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one);
        const e1 = expNeg4(f32x4.sub(v128.load(x + o, 16), mv), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one);
        const e2 = expNeg4(f32x4.sub(v128.load(x + o, 32), mv), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one);
        const e3 = expNeg4(f32x4.sub(v128.load(x + o, 48), mv), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one);
        s0 = sum4(s0, f32x4.add(f32x4.add(e0, e1), f32x4.add(e2, e3)));
      }
      for (; k < c4; k += 4) s0 = sum4(s0, expNeg4(f32x4.sub(v128.load(x + (<usize>k << 2)), mv), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one));
      if (rem) s1 = sum4(s1, v128.and(expNeg4(f32x4.sub(v128.load(x + (<usize>(c - 4) << 2)), mv), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one), tailMask(rem)));
    }
    const sv = f64x2.add(s0, s1);
    const s = f64x2.extract_lane(sv, 0) + f64x2.extract_lane(sv, 1);
    prod *= s;
    if (prod > 1e280) {
      loss += Math.log(prod);
      prod = 1;
    }
    loss -= <f64>load<f32>(x + (<usize>y << 2)) - <f64>m;
    if (grad) {
      const g = grad + <usize>r * rowBytes;
      const scale = f32x4.splat(<f32>(<f64>gradScale / s));
      if (rem) {
        // scale the tail lanes first (before the full blocks overwrite the lanes they share)
        const o = <usize>(c - 4) << 2;
        const v = v128.load(g + o);
        v128.store(g + o, v128.bitselect(f32x4.mul(v, scale), v, tailMask(rem)));
      }
      let j = 0;
      for (; j + 8 <= c4; j += 8) {
        const o = <usize>j << 2;
        v128.store(g + o, f32x4.mul(v128.load(g + o), scale));
        v128.store(g + o, f32x4.mul(v128.load(g + o, 16), scale), 16);
      }
      for (; j < c4; j += 4) {
        const o = <usize>j << 2;
        v128.store(g + o, f32x4.mul(v128.load(g + o), scale));
      }
      const gy = g + (<usize>y << 2);
      store<f32>(gy, load<f32>(gy) - gradScale);
    }
  }
  return loss + Math.log(prod);
}
