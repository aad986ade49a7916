// Group norm with its affine map (F.group_norm(x, groups, γ, β, eps) on [N, C, S] float32, S the
// positions per channel), forward and backward, for the samples [n0, n1) — so two threads can take
// one half of the batch each and give the same bits as one (the sums of a sample never cross threads).
// Same formulas as the TypeScript reference (src/kernels/groupNorm.ts): per (sample, group) of
// m = C/groups·S elements, μ and 1/σ in float64 (the variance around μ, two passes);
//   y = (x − μ)·a + β,  a = γ/σ per (sample, channel), in float64, rounded once;
// backward, per (sample, channel): Σg and Σg·(x − μ) (float64), then per group
//   dx = a·g + c₂·(x − μ) + c₃,  c₂ = −Σ_group γΣg(x − μ)/(m·σ³),  c₃ = −Σ_group γΣg/(m·σ).
// Only the order of the float64 sums differs from the reference (two-lane partial sums), so results
// agree with it to float64 rounding before the final float32 rounding.

/** Σ x over n float32 values, in float64 (four lanes of partial sums). */
// @ts-ignore: decorator
@inline
function sumF64(p: usize, n: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const v = v128.load(p + (<usize>k << 2));
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
  }
  a0 = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
  for (; k < n; k++) s += <f64>load<f32>(p + (<usize>k << 2));
  return s;
}

/** Σ (x − m)² over n float32 values, in float64. */
// @ts-ignore: decorator
@inline
function sqDevF64(p: usize, n: i32, m: f64): f64 {
  const mm = f64x2.splat(m);
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const v = v128.load(p + (<usize>k << 2));
    const d0 = f64x2.sub(f64x2.promote_low_f32x4(v), mm);
    const d1 = f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)), mm);
    a0 = f64x2.add(a0, f64x2.mul(d0, d0));
    a1 = f64x2.add(a1, f64x2.mul(d1, d1));
  }
  a0 = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
  for (; k < n; k++) {
    const d = <f64>load<f32>(p + (<usize>k << 2)) - m;
    s += d * d;
  }
  return s;
}

/** Four float64 lanes (lo, hi) rounded to float32 and stored at p. */
// @ts-ignore: decorator
@inline
function storeF32x4(p: usize, lo: v128, hi: v128): void {
  v128.store(p, v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
}

/**
 * y = (x − μ)·a + β over the samples [n0, n1); writes μ and 1/σ of each (sample, group) into
 * stats (float64 pairs at stats + 16·(i·groups + g)).
 */
export function groupNormForward(
  x: usize, gamma: usize, beta: usize, y: usize, stats: usize, n0: i32, n1: i32, c: i32, groups: i32, s: i32, eps: f64,
): void {
  const cpg = c / groups;
  const per = cpg * s;
  for (let i = n0; i < n1; i++) {
    for (let gr = 0; gr < groups; gr++) {
      const gI = i * groups + gr;
      const base = x + ((<usize>gI * <usize>per) << 2);
      const m: f64 = per > 0 ? sumF64(base, per) / <f64>per : 0;
      const variance: f64 = per > 0 ? sqDevF64(base, per, m) / <f64>per : 0;
      const r: f64 = 1 / Math.sqrt(variance + eps);
      store<f64>(stats + (<usize>gI << 4), m);
      store<f64>(stats + (<usize>gI << 4), r, 8);
      const mm = f64x2.splat(m);
      for (let ch = gr * cpg; ch < (gr + 1) * cpg; ch++) {
        const a: f64 = r * <f64>load<f32>(gamma + (<usize>ch << 2));
        const b: f64 = <f64>load<f32>(beta + (<usize>ch << 2));
        const aa = f64x2.splat(a), bb = f64x2.splat(b);
        const off = (<usize>(i * c + ch) * <usize>s) << 2;
        const src = x + off, dst = y + off;
        let k = 0;
        for (; k + 4 <= s; k += 4) {
          const v = v128.load(src + (<usize>k << 2));
          const lo = f64x2.add(f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(v), mm), aa), bb);
          const hi = f64x2.add(f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)), mm), aa), bb);
          storeF32x4(dst + (<usize>k << 2), lo, hi);
        }
        for (; k < s; k++) store<f32>(dst + (<usize>k << 2), <f32>((<f64>load<f32>(src + (<usize>k << 2)) - m) * a + b));
      }
    }
  }
}

/**
 * The backward over the samples [n0, n1): writes Σg and Σg·(x − μ) of each (sample, channel) into
 * sums (float64 pairs at sums + 16·(i·c + ch)) and, unless dx is 0, the input gradient.
 */
export function groupNormBackward(
  x: usize, g: usize, gamma: usize, stats: usize, dx: usize, sums: usize, n0: i32, n1: i32, c: i32, groups: i32, s: i32,
): void {
  const cpg = c / groups;
  const per = cpg * s;
  for (let i = n0; i < n1; i++) {
    for (let gr = 0; gr < groups; gr++) {
      const gI = i * groups + gr;
      const m = load<f64>(stats + (<usize>gI << 4));
      const r = load<f64>(stats + (<usize>gI << 4), 8);
      const mm = f64x2.splat(m);
      let wg: f64 = 0;
      let wgx: f64 = 0;
      for (let ch = gr * cpg; ch < (gr + 1) * cpg; ch++) {
        const off = (<usize>(i * c + ch) * <usize>s) << 2;
        const xs = x + off, gs = g + off;
        let s0 = f64x2.splat(0), s1 = f64x2.splat(0), t0 = f64x2.splat(0), t1 = f64x2.splat(0);
        let k = 0;
        for (; k + 4 <= s; k += 4) {
          const gv = v128.load(gs + (<usize>k << 2));
          const xv = v128.load(xs + (<usize>k << 2));
          const g0 = f64x2.promote_low_f32x4(gv);
          const g1 = f64x2.promote_low_f32x4(v128.shuffle<f32>(gv, gv, 2, 3, 0, 1));
          s0 = f64x2.add(s0, g0);
          s1 = f64x2.add(s1, g1);
          t0 = f64x2.add(t0, f64x2.mul(g0, f64x2.sub(f64x2.promote_low_f32x4(xv), mm)));
          t1 = f64x2.add(t1, f64x2.mul(g1, f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(xv, xv, 2, 3, 0, 1)), mm)));
        }
        s0 = f64x2.add(s0, s1);
        t0 = f64x2.add(t0, t1);
        let sg = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
        let sgx = f64x2.extract_lane(t0, 0) + f64x2.extract_lane(t0, 1);
        for (; k < s; k++) {
          const v = <f64>load<f32>(gs + (<usize>k << 2));
          sg += v;
          sgx += v * (<f64>load<f32>(xs + (<usize>k << 2)) - m);
        }
        store<f64>(sums + (<usize>(i * c + ch) << 4), sg);
        store<f64>(sums + (<usize>(i * c + ch) << 4), sgx, 8);
        const w = <f64>load<f32>(gamma + (<usize>ch << 2));
        wg += w * sg;
        wgx += w * sgx;
      }
      if (dx == 0) continue;
      const c2: f64 = (-wgx * r * r * r) / <f64>per;
      const c3: f64 = (-wg * r) / <f64>per;
      const cc2 = f64x2.splat(c2), cc3 = f64x2.splat(c3);
      for (let ch = gr * cpg; ch < (gr + 1) * cpg; ch++) {
        const a: f64 = r * <f64>load<f32>(gamma + (<usize>ch << 2));
        const aa = f64x2.splat(a);
        const off = (<usize>(i * c + ch) * <usize>s) << 2;
        const xs = x + off, gs = g + off, ds = dx + off;
        let k = 0;
        for (; k + 4 <= s; k += 4) {
          const gv = v128.load(gs + (<usize>k << 2));
          const xv = v128.load(xs + (<usize>k << 2));
          const lo = f64x2.add(
            f64x2.add(f64x2.mul(aa, f64x2.promote_low_f32x4(gv)), f64x2.mul(cc2, f64x2.sub(f64x2.promote_low_f32x4(xv), mm))),
            cc3,
          );
          const hi = f64x2.add(
            f64x2.add(
              f64x2.mul(aa, f64x2.promote_low_f32x4(v128.shuffle<f32>(gv, gv, 2, 3, 0, 1))),
              f64x2.mul(cc2, f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(xv, xv, 2, 3, 0, 1)), mm)),
            ),
            cc3,
          );
          storeF32x4(ds + (<usize>k << 2), lo, hi);
        }
        for (; k < s; k++) {
          const gv = <f64>load<f32>(gs + (<usize>k << 2));
          store<f32>(ds + (<usize>k << 2), <f32>(a * gv + c2 * (<f64>load<f32>(xs + (<usize>k << 2)) - m) + c3));
        }
      }
    }
  }
}
