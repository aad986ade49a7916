/**
 * Reference kernels of the nn layers' elementwise and pooling steps on flat arrays: relu and its
 * gradient, 2×2 / stride 2 max pooling with indices, and the max-pooling backward (scatter to the
 * chosen elements). The WebAssembly kernels (assembly/pool.ts) give the same bits.
 */
import type { FloatBuffer } from './linear.js';

/**
 * y = max(x, 0), NaN stays NaN, −0 becomes +0. float32 on the bit patterns, without branches (the
 * signs of activations are as good as random, so a branch mispredicts half the time — 3× slower):
 * a set sign bit clears the value, except for a NaN.
 */
export function relu(x: FloatBuffer, y: FloatBuffer): void {
  if (x instanceof Float32Array && y instanceof Float32Array) {
    const xb = new Int32Array(x.buffer, x.byteOffset, x.length);
    const yb = new Int32Array(y.buffer, y.byteOffset, y.length);
    for (let i = 0; i < xb.length; i++) {
      const b = xb[i];
      const nan = (0x7f800000 - (b & 0x7fffffff)) >> 31;
      yb[i] = b & ~((b >> 31) & ~nan);
    }
    return;
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    y[i] = v > 0 || v !== v ? v : 0;
  }
}

/**
 * dx = g where the relu output `out` is positive or NaN, 0 where it is +0 — PyTorch's
 * `threshold_backward(g, out, 0)`. float32 branch-free on the bits (relu's output is +0, positive or NaN).
 */
export function reluBackward(g: FloatBuffer, out: FloatBuffer, dx: FloatBuffer): void {
  if (g instanceof Float32Array && out instanceof Float32Array && dx instanceof Float32Array) {
    const gb = new Int32Array(g.buffer, g.byteOffset, g.length);
    const ob = new Int32Array(out.buffer, out.byteOffset, out.length);
    const db = new Int32Array(dx.buffer, dx.byteOffset, dx.length);
    for (let i = 0; i < db.length; i++) {
      const o = ob[i];
      db[i] = gb[i] & ((o | -o) >> 31);
    }
    return;
  }
  for (let i = 0; i < dx.length; i++) dx[i] = out[i] <= 0 ? 0 : g[i];
}

/** The sizes of a pooling call: `planes` = N·C image planes of h × w, pooled to oh × ow. */
export interface PoolShape {
  readonly planes: number;
  readonly h: number;
  readonly w: number;
  readonly oh: number;
  readonly ow: number;
}

/**
 * 2×2 max pooling with stride 2 and no padding (needs 2·oh ≤ h, 2·ow ≤ w): each window's maximum
 * into y and its position h·w-index within the plane into idx — the first maximum, and a NaN always
 * takes over (as PyTorch's kernel).
 */
export function maxPool2x2(sh: PoolShape, x: FloatBuffer, y: FloatBuffer, idx: Int32Array): void {
  const { planes, h, w, oh, ow } = sh;
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * h * w;
    for (let i = 0; i < oh; i++) {
      const r0 = 2 * i * w;
      const r1 = r0 + w;
      for (let j = 0; j < ow; j++, o++) {
        const a = r0 + 2 * j;
        const b = r1 + 2 * j;
        let at = a;
        let best = x[base + a];
        let v = x[base + a + 1];
        if (v > best || v !== v) {
          best = v;
          at = a + 1;
        }
        v = x[base + b];
        if (v > best || v !== v) {
          best = v;
          at = b;
        }
        v = x[base + b + 1];
        if (v > best || v !== v) {
          best = v;
          at = b + 1;
        }
        y[o] = best;
        idx[o] = at;
      }
    }
  }
}

/**
 * The max-pooling backward for any window: dx (`planes` planes of hw elements, overwritten) gets
 * g[o] added at the plane position idx[o] (`per` outputs per plane; idx < 0 marks no element).
 */
export function maxPoolBackward(g: FloatBuffer, idx: Int32Array, dx: FloatBuffer, planes: number, hw: number, per: number): void {
  dx.fill(0, 0, planes * hw);
  for (let pl = 0, o = 0; pl < planes; pl++) {
    const base = pl * hw;
    for (let q = 0; q < per; q++, o++) if (idx[o] >= 0) dx[base + idx[o]] += g[o];
  }
}
