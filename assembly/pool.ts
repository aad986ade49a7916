// Elementwise and pooling kernels of the nn layers, each over a range of elements or image planes so
// two threads can take half each (no sums cross the halves, so the bits do not depend on the split).

/** y = relu(x) on the bits of [e0, e1): a set sign bit clears the value unless it is a NaN (as the reference's reluBits). */
export function reluF32(x: usize, y: usize, e0: i32, e1: i32): void {
  let k = e0;
  for (; k + 4 <= e1; k += 4) {
    const v = v128.load(x + (<usize>k << 2));
    const clear = v128.andnot(i32x4.lt_s(v, i32x4.splat(0)), f32x4.ne(v, v));
    v128.store(y + (<usize>k << 2), v128.andnot(v, clear));
  }
  for (; k < e1; k++) {
    const b = load<i32>(x + (<usize>k << 2));
    const nan = (0x7f800000 - (b & 0x7fffffff)) >> 31;
    store<i32>(y + (<usize>k << 2), b & ~((b >> 31) & ~nan));
  }
}

/** dx = g where the relu output is not +0 (positive or NaN), 0 elsewhere, on [e0, e1) (PyTorch's threshold_backward). */
export function reluBackwardF32(g: usize, out: usize, dx: usize, e0: i32, e1: i32): void {
  let k = e0;
  for (; k + 4 <= e1; k += 4) {
    const o = v128.load(out + (<usize>k << 2));
    v128.store(dx + (<usize>k << 2), v128.and(v128.load(g + (<usize>k << 2)), i32x4.ne(o, i32x4.splat(0))));
  }
  for (; k < e1; k++) {
    const o = load<i32>(out + (<usize>k << 2));
    store<i32>(dx + (<usize>k << 2), load<i32>(g + (<usize>k << 2)) & ((o | -o) >> 31));
  }
}

/** One step of the window scan: v replaces best where it is larger or a NaN (the first maximum wins, a NaN always takes over). */
// @ts-ignore: decorator
@inline
function takeMask(v: v128, best: v128): v128 {
  return v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
}

/**
 * 2×2 max pooling with stride 2 over the planes [p0, p1) of [planes, h, w] (needs 2·oh ≤ h and
 * 2·ow ≤ w): y gets each window's maximum and idx its flat position h·w-index in the plane.
 */
export function maxPool2x2F32(x: usize, y: usize, idx: usize, p0: i32, p1: i32, h: i32, w: i32, oh: i32, ow: i32): void {
  const step = i32x4(0, 2, 4, 6);
  for (let pl = p0; pl < p1; pl++) {
    const src = x + ((<usize>pl * <usize>(h * w)) << 2);
    let o = <usize>pl * <usize>(oh * ow);
    for (let i = 0; i < oh; i++) {
      const r0 = 2 * i * w;
      const r1 = r0 + w;
      let j = 0;
      for (; j + 4 <= ow; j += 4, o += 4) {
        const a0 = v128.load(src + (<usize>(r0 + 2 * j) << 2));
        const a1 = v128.load(src + (<usize>(r0 + 2 * j) << 2), 16);
        const b0 = v128.load(src + (<usize>(r1 + 2 * j) << 2));
        const b1 = v128.load(src + (<usize>(r1 + 2 * j) << 2), 16);
        const at = i32x4.add(i32x4.splat(r0 + 2 * j), step);
        let best = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
        let bi = at;
        let v = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
        let m = takeMask(v, best);
        best = v128.bitselect(v, best, m);
        bi = v128.bitselect(i32x4.add(at, i32x4.splat(1)), bi, m);
        v = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
        m = takeMask(v, best);
        best = v128.bitselect(v, best, m);
        bi = v128.bitselect(i32x4.add(at, i32x4.splat(w)), bi, m);
        v = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        m = takeMask(v, best);
        best = v128.bitselect(v, best, m);
        bi = v128.bitselect(i32x4.add(at, i32x4.splat(w + 1)), bi, m);
        v128.store(y + (o << 2), best);
        v128.store(idx + (o << 2), bi);
      }
      for (; j < ow; j++, o++) {
        const a = r0 + 2 * j;
        const b = r1 + 2 * j;
        let at = a;
        let best = load<f32>(src + (<usize>a << 2));
        let v = load<f32>(src + (<usize>(a + 1) << 2));
        if (v > best || v != v) {
          best = v;
          at = a + 1;
        }
        v = load<f32>(src + (<usize>b << 2));
        if (v > best || v != v) {
          best = v;
          at = b;
        }
        v = load<f32>(src + (<usize>(b + 1) << 2));
        if (v > best || v != v) {
          best = v;
          at = b + 1;
        }
        store<f32>(y + (o << 2), best);
        store<i32>(idx + (o << 2), at);
      }
    }
  }
}

/**
 * The max-pooling backward over the planes [p0, p1): each plane of dx ([planes, h, w]) is zeroed,
 * then g[o] is added at the plane position idx[o] (idx < 0: no element; `per` outputs per plane).
 */
export function maxPoolBackwardF32(g: usize, idx: usize, dx: usize, p0: i32, p1: i32, hw: i32, per: i32): void {
  for (let pl = p0; pl < p1; pl++) {
    const plane = dx + ((<usize>pl * <usize>hw) << 2);
    memory.fill(plane, 0, <usize>hw << 2);
    const o0 = <usize>pl * <usize>per;
    for (let q = 0; q < per; q++) {
      const at = load<i32>(idx + ((o0 + q) << 2));
      if (at >= 0) {
        const p = plane + (<usize>at << 2);
        store<f32>(p, load<f32>(p) + load<f32>(g + ((o0 + q) << 2)));
      }
    }
  }
}
