/**
 * Reference 2-D convolution kernels (NCHW, PyTorch's cross-correlation) by im2col + GEMM, on flat
 * arrays. For each image and group, the input patches are unrolled into `cols` `[Cg·kh·kw, OH·OW]`
 * and the convolution is one matrix product with the weights `[OCg, Cg·kh·kw]`:
 *
 *   forward          Y_g = W_g · cols                         (+ bias)
 *   backward weight  dW_g += G_g · colsᵀ
 *   backward input   dcols = W_gᵀ · G_g, then col2im adds each column back to its pixels
 *
 * Padding may differ on each side ('same' with an even kernel pads more at the end, as PyTorch).
 * The products go through the backend's `gemm`, so the WebAssembly GEMM speeds these up as well.
 */
import type { GemmKernel } from './gemm.js';
import type { FloatBuffer } from './linear.js';

export interface Conv2dGeometry {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly outC: number;
  readonly kh: number;
  readonly kw: number;
  readonly oh: number;
  readonly ow: number;
  readonly strideH: number;
  readonly strideW: number;
  /** Padding before the first row / column (after the last follows from oh, ow). */
  readonly padTop: number;
  readonly padLeft: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly groups: number;
}

let colsScratch: Float64Array | Float32Array = new Float32Array(0);

function scratch(like: FloatBuffer, length: number): FloatBuffer {
  const want64 = like instanceof Float64Array;
  if (colsScratch.length < length || colsScratch instanceof Float64Array !== want64) {
    colsScratch = want64 ? new Float64Array(length) : new Float32Array(length);
  }
  return colsScratch;
}

/** Unrolls the patches of channels [c0, c0 + cg) of image `img` into cols `[cg·kh·kw, oh·ow]`. */
export function im2col(g: Conv2dGeometry, x: FloatBuffer, img: number, c0: number, cg: number, cols: FloatBuffer): void {
  const { h, w, kh, kw, oh, ow, strideH, strideW, padTop, padLeft, dilationH, dilationW } = g;
  const plane = h * w;
  const area = oh * ow;
  let row = 0;
  for (let ci = 0; ci < cg; ci++) {
    const base = (img * g.c + c0 + ci) * plane;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++, row++) {
        const out = row * area;
        for (let y = 0; y < oh; y++) {
          const sy = y * strideH - padTop + i * dilationH;
          const o = out + y * ow;
          if (sy < 0 || sy >= h) {
            cols.fill(0, o, o + ow);
            continue;
          }
          const src = base + sy * w;
          for (let xo = 0; xo < ow; xo++) {
            const sx = xo * strideW - padLeft + j * dilationW;
            cols[o + xo] = sx >= 0 && sx < w ? x[src + sx] : 0;
          }
        }
      }
    }
  }
}

/** Adds cols `[cg·kh·kw, oh·ow]` back onto the pixels of channels [c0, c0 + cg) of image `img` in `dx`. */
export function col2im(g: Conv2dGeometry, cols: FloatBuffer, img: number, c0: number, cg: number, dx: FloatBuffer): void {
  const { h, w, kh, kw, oh, ow, strideH, strideW, padTop, padLeft, dilationH, dilationW } = g;
  const plane = h * w;
  const area = oh * ow;
  let row = 0;
  for (let ci = 0; ci < cg; ci++) {
    const base = (img * g.c + c0 + ci) * plane;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++, row++) {
        const from = row * area;
        for (let y = 0; y < oh; y++) {
          const sy = y * strideH - padTop + i * dilationH;
          if (sy < 0 || sy >= h) continue;
          const dst = base + sy * w;
          const o = from + y * ow;
          for (let xo = 0; xo < ow; xo++) {
            const sx = xo * strideW - padLeft + j * dilationW;
            if (sx >= 0 && sx < w) dx[dst + sx] += cols[o + xo];
          }
        }
      }
    }
  }
}

function sizes(g: Conv2dGeometry): { cg: number; ocg: number; patch: number; area: number } {
  const cg = g.c / g.groups;
  return { cg, ocg: g.outC / g.groups, patch: cg * g.kh * g.kw, area: g.oh * g.ow };
}

/** y `[n, outC, oh, ow]` = conv(x `[n, c, h, w]`, weight `[outC, c/groups, kh, kw]`) + bias (optional). */
export function conv2dForward(gemm: GemmKernel, g: Conv2dGeometry, x: FloatBuffer, weight: FloatBuffer, bias: FloatBuffer | null, y: FloatBuffer): void {
  const { cg, ocg, patch, area } = sizes(g);
  const cols = scratch(x, patch * area);
  for (let img = 0; img < g.n; img++) {
    for (let grp = 0; grp < g.groups; grp++) {
      im2col(g, x, img, grp * cg, cg, cols);
      const yOff = (img * g.outC + grp * ocg) * area;
      const yView = y.subarray(yOff, yOff + ocg * area);
      if (bias) for (let o = 0; o < ocg; o++) yView.fill(bias[grp * ocg + o], o * area, (o + 1) * area);
      gemm(
        { batch: 1, m: ocg, n: area, k: patch, transA: false, transB: false, strideA: 0, strideB: 0, accumulate: bias !== null },
        weight.subarray(grp * ocg * patch, (grp + 1) * ocg * patch),
        cols,
        yView,
      );
    }
  }
}

/** dx `[n, c, h, w]` (overwritten) from the output gradient gy `[n, outC, oh, ow]`. */
export function conv2dBackwardInput(gemm: GemmKernel, g: Conv2dGeometry, gy: FloatBuffer, weight: FloatBuffer, dx: FloatBuffer): void {
  const { cg, ocg, patch, area } = sizes(g);
  const cols = scratch(gy, patch * area);
  dx.fill(0);
  for (let img = 0; img < g.n; img++) {
    for (let grp = 0; grp < g.groups; grp++) {
      const gOff = (img * g.outC + grp * ocg) * area;
      gemm(
        { batch: 1, m: patch, n: area, k: ocg, transA: true, transB: false, strideA: 0, strideB: 0, accumulate: false },
        weight.subarray(grp * ocg * patch, (grp + 1) * ocg * patch),
        gy.subarray(gOff, gOff + ocg * area),
        cols,
      );
      col2im(g, cols, img, grp * cg, cg, dx);
    }
  }
}

/** dw `[outC, c/groups, kh, kw]` (overwritten) from the input x and the output gradient gy. */
export function conv2dBackwardWeight(gemm: GemmKernel, g: Conv2dGeometry, x: FloatBuffer, gy: FloatBuffer, dw: FloatBuffer): void {
  const { cg, ocg, patch, area } = sizes(g);
  const cols = scratch(x, patch * area);
  dw.fill(0);
  for (let img = 0; img < g.n; img++) {
    for (let grp = 0; grp < g.groups; grp++) {
      im2col(g, x, img, grp * cg, cg, cols);
      const gOff = (img * g.outC + grp * ocg) * area;
      gemm(
        { batch: 1, m: ocg, n: patch, k: area, transA: false, transB: true, strideA: 0, strideB: 0, accumulate: true },
        gy.subarray(gOff, gOff + ocg * area),
        cols,
        dw.subarray(grp * ocg * patch, (grp + 1) * ocg * patch),
      );
    }
  }
}
