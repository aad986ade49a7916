// Fused softmax + cross-entropy over the rows of a [n, c] float32 matrix with integer labels:
// forward loss and backward gradient in one pass per row (the hand-fused form of PyTorch's
// F.cross_entropy(reduction='sum') + backward, i.e. log_softmax + nll_loss).
//
// Per row: m = max_k x_k;  e_k = exp(x_k − m) (written into grad);  s = Σ e_k (float64);
// loss_row = log s − (x_y − m);  grad_k = e_k · (gradScale / s) − gradScale·[k = y].
// The row (≤ 128 KiB for c = 32000) stays in L1/L2 between the three sweeps, so memory traffic is one
// read of the logits and one write of the gradient.
import { expNeg4, expNeg1 } from './exp';

/** Lane mask selecting lanes [4 − rem, 4) of a vector loaded at c − 4 (the lanes past the last full block). */
// @ts-ignore: decorator
@inline
function tailMask(rem: i32): v128 {
  const lane = i32x4(0, 1, 2, 3);
  return i32x4.ge_s(lane, i32x4.splat(4 - rem));
}

// @ts-ignore: decorator
@inline
function rowMax(x: usize, c: i32): f32 {
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
  let m = max(max(f32x4.extract_lane(m0, 0), f32x4.extract_lane(m0, 1)), max(f32x4.extract_lane(m0, 2), f32x4.extract_lane(m0, 3)));
  return m;
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
  let loss: f64 = 0;
  const c4 = c & ~3;
  const rem = c - c4;
  const rowBytes = <usize>c << 2;
  for (let r = r0; r < r1; r++) {
    const x = logits + <usize>r * rowBytes;
    const y = load<i32>(labels + (<usize>r << 2));
    if (c < 4) {
      let m: f32 = -Infinity;
      for (let k = 0; k < c; k++) m = max(m, load<f32>(x + (<usize>k << 2)));
      let s: f64 = 0;
      for (let k = 0; k < c; k++) {
        const e = expNeg1(load<f32>(x + (<usize>k << 2)) - m);
        s += <f64>e;
        if (grad) store<f32>(grad + <usize>r * rowBytes + (<usize>k << 2), e);
      }
      loss += Math.log(s) - <f64>(load<f32>(x + (<usize>y << 2)) - m);
      if (grad) {
        const g = grad + <usize>r * rowBytes;
        const scale = <f32>(<f64>gradScale / s);
        for (let k = 0; k < c; k++) store<f32>(g + (<usize>k << 2), load<f32>(g + (<usize>k << 2)) * scale);
        store<f32>(g + (<usize>y << 2), load<f32>(g + (<usize>y << 2)) - gradScale);
      }
      continue;
    }
    const m = rowMax(x, c);
    const mv = f32x4.splat(m);
    let s0 = f64x2.splat(0);
    let s1 = s0;
    let k = 0;
    if (grad) {
      const g = grad + <usize>r * rowBytes;
      for (; k + 8 <= c4; k += 8) {
        const o = <usize>k << 2;
        const e0 = expNeg4(f32x4.sub(v128.load(x + o), mv));
        const e1 = expNeg4(f32x4.sub(v128.load(x + o, 16), mv));
        v128.store(g + o, e0);
        v128.store(g + o, e1, 16);
        s0 = sum4(s0, e0);
        s1 = sum4(s1, e1);
      }
      for (; k < c4; k += 4) {
        const o = <usize>k << 2;
        const e0 = expNeg4(f32x4.sub(v128.load(x + o), mv));
        v128.store(g + o, e0);
        s0 = sum4(s0, e0);
      }
      if (rem) {
        const o = <usize>(c - 4) << 2;
        const e = expNeg4(f32x4.sub(v128.load(x + o), mv));
        // lanes before c4 get the same values again; only the new lanes enter the sum
        v128.store(g + o, e);
        s1 = sum4(s1, v128.and(e, tailMask(rem)));
      }
    } else {
      for (; k < c4; k += 4) s0 = sum4(s0, expNeg4(f32x4.sub(v128.load(x + (<usize>k << 2)), mv)));
      if (rem) s1 = sum4(s1, v128.and(expNeg4(f32x4.sub(v128.load(x + (<usize>(c - 4) << 2)), mv)), tailMask(rem)));
    }
    const sv = f64x2.add(s0, s1);
    const s = f64x2.extract_lane(sv, 0) + f64x2.extract_lane(sv, 1);
    loss += Math.log(s) - <f64>(load<f32>(x + (<usize>y << 2)) - m);
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
  return loss;
}
