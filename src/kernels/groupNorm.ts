/**
 * Reference group-norm kernels (F.group_norm with weight and bias) on flat `[N, C, S]` arrays, S the
 * positions per channel, as PyTorch's CPU kernel: per (sample, group) of m = C/groups·S elements the
 * mean μ and 1/σ in float64 (the variance around μ, two passes), then y = (x − μ)·a + β with
 * a = γ/σ per (sample, channel), in float64, rounded once — one pass to read, one to write (PyTorch's
 * x·a + (β − μ·a) loses digits when |μ| ≫ σ). The backward takes one pass for the per-(sample,
 * channel) sums Σg and Σg·(x − μ) and one for
 *   dx = a·g + c₂·(x − μ) + c₃,  c₂ = −Σ_group γΣg(x − μ)/(m·σ³),  c₃ = −Σ_group γΣg/(m·σ);
 * the caller forms dγ = Σ_n Σg(x − μ)/σ and dβ = Σ_n Σg from the sums. The WebAssembly kernels
 * (assembly/groupNorm.ts) follow the same formulas, with the float64 sums in another order.
 */
import type { FloatBuffer } from './linear.js';

/** The sizes of a group-norm call: n samples, c channels in `groups` groups, s positions per channel. */
export interface GroupNormShape {
  readonly n: number;
  readonly c: number;
  readonly groups: number;
  readonly s: number;
}

/** y = (x − μ)·γ/σ + β; writes μ and 1/σ of each (sample, group) into mean and rstd ([n·groups]). */
export function groupNormForward(
  sh: GroupNormShape,
  x: FloatBuffer,
  gamma: FloatBuffer,
  beta: FloatBuffer,
  eps: number,
  y: FloatBuffer,
  mean: Float64Array,
  rstd: Float64Array,
): void {
  const { n, c, groups, s } = sh;
  const cpg = c / groups;
  const per = cpg * s;
  for (let gI = 0; gI < n * groups; gI++) {
    const base = gI * per;
    let acc = 0;
    for (let k = 0; k < per; k++) acc += x[base + k];
    const m = per > 0 ? acc / per : 0;
    let sq = 0;
    for (let k = 0; k < per; k++) {
      const d = x[base + k] - m;
      sq += d * d;
    }
    mean[gI] = m;
    rstd[gI] = 1 / Math.sqrt((per > 0 ? sq / per : 0) + eps);
  }
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const gI = i * groups + Math.floor(ch / cpg);
      const a = rstd[gI] * gamma[ch];
      const m = mean[gI];
      const b = beta[ch];
      const base = (i * c + ch) * s;
      for (let k = 0; k < s; k++) y[base + k] = (x[base + k] - m) * a + b;
    }
  }
}

/**
 * The backward: Σg and Σg·(x − μ) of each (sample, channel) into sumG and sumGX ([n·c]), and the
 * input gradient into dx unless it is null.
 */
export function groupNormBackward(
  sh: GroupNormShape,
  x: FloatBuffer,
  g: FloatBuffer,
  gamma: FloatBuffer,
  mean: Float64Array,
  rstd: Float64Array,
  dx: FloatBuffer | null,
  sumG: Float64Array,
  sumGX: Float64Array,
): void {
  const { n, c, groups, s } = sh;
  const cpg = c / groups;
  const per = cpg * s;
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const m = mean[i * groups + Math.floor(ch / cpg)];
      const base = (i * c + ch) * s;
      let g1 = 0;
      let g2 = 0;
      for (let k = 0; k < s; k++) {
        const v = g[base + k];
        g1 += v;
        g2 += v * (x[base + k] - m);
      }
      sumG[i * c + ch] = g1;
      sumGX[i * c + ch] = g2;
    }
  }
  if (!dx) return;
  for (let i = 0; i < n; i++) {
    for (let gr = 0; gr < groups; gr++) {
      const gI = i * groups + gr;
      const m = mean[gI];
      const r = rstd[gI];
      let wg = 0;
      let wgx = 0;
      for (let ch = gr * cpg; ch < (gr + 1) * cpg; ch++) {
        wg += gamma[ch] * sumG[i * c + ch];
        wgx += gamma[ch] * sumGX[i * c + ch];
      }
      const c2 = (-wgx * r * r * r) / per;
      const c3 = (-wg * r) / per;
      for (let ch = gr * cpg; ch < (gr + 1) * cpg; ch++) {
        const a = r * gamma[ch];
        const base = (i * c + ch) * s;
        for (let k = 0; k < s; k++) dx[base + k] = a * g[base + k] + c2 * (x[base + k] - m) + c3;
      }
    }
  }
}
