// 2-D convolution (NCHW, PyTorch's cross-correlation) by im2col + the packed GEMM of ./gemm, one
// image at a time so the unrolled patches (cols, [C/groups·kH·kW, OH·OW]) stay in L2:
//
//   forward          Y_g = W_g · cols (+ bias)            written straight into y (ldc = OH·OW)
//   backward input   dcols = W_gᵀ · G_g, then col2im adds every column back onto its pixels
//   backward weight  dW_g += G_g · colsᵀ
//
// Each call handles images [img0, img1), so two threads can take one half each (the weight
// gradient of the second half goes to its own buffer, summed by the caller). The geometry is a
// block of 16 i32 in memory: n, c, h, w, outC, kh, kw, oh, ow, strideH, strideW, padTop, padLeft,
// dilationH, dilationW, groups. `scratch` holds gemmScratchBytes() for the GEMM, then the cols.
import { gemm, gemmScratchBytes } from './gemm';

// @ts-ignore: decorator
@inline
function g(geom: usize, i: i32): i32 {
  return load<i32>(geom + (<usize>i << 2));
}

/** Bytes of scratch a conv call needs: the GEMM's panels and one image's cols. */
export function convScratchBytes(geom: usize): i32 {
  const cg = g(geom, 1) / g(geom, 15);
  return gemmScratchBytes() + cg * g(geom, 5) * g(geom, 6) * g(geom, 7) * g(geom, 8) * 4 + 64;
}

function colsOf(scratch: usize): usize {
  return (scratch + <usize>gemmScratchBytes() + 15) & ~(<usize>15);
}

/** cols [cg·kh·kw, oh·ow] from channels [c0, c0 + cg) of image img. */
function im2col(geom: usize, x: usize, img: i32, c0: i32, cg: i32, cols: usize): void {
  const c = g(geom, 1), h = g(geom, 2), w = g(geom, 3), kh = g(geom, 5), kw = g(geom, 6), oh = g(geom, 7), ow = g(geom, 8);
  const sh = g(geom, 9), sw = g(geom, 10), pt = g(geom, 11), pl = g(geom, 12), dh = g(geom, 13), dw = g(geom, 14);
  const area = oh * ow;
  let row = 0;
  for (let ci = 0; ci < cg; ci++) {
    const base = x + (<usize>((img * c + c0 + ci) * h * w) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const out = cols + (<usize>(row * area) << 2);
        // output columns whose source column lies inside the image: xo in [lo, hi)
        const off = j * dw - pl;
        let lo = off >= 0 ? 0 : (-off + sw - 1) / sw;
        let hi = (w - 1 - off) >= 0 ? (w - 1 - off) / sw + 1 : 0;
        if (hi > ow) hi = ow;
        if (lo > hi) lo = hi;
        for (let y = 0; y < oh; y++) {
          const sy = y * sh - pt + i * dh;
          const o = out + (<usize>(y * ow) << 2);
          if (sy < 0 || sy >= h) {
            memory.fill(o, 0, <usize>ow << 2);
            continue;
          }
          const src = base + (<usize>(sy * w) << 2);
          if (lo > 0) memory.fill(o, 0, <usize>lo << 2);
          if (sw == 1) {
            if (hi > lo) memory.copy(o + (<usize>lo << 2), src + (<usize>(lo + off) << 2), <usize>(hi - lo) << 2);
          } else {
            for (let xo = lo; xo < hi; xo++) store<f32>(o + (<usize>xo << 2), load<f32>(src + (<usize>(xo * sw + off) << 2)));
          }
          if (hi < ow) memory.fill(o + (<usize>hi << 2), 0, <usize>(ow - hi) << 2);
        }
        row++;
      }
    }
  }
}

/** Adds cols [cg·kh·kw, oh·ow] back onto channels [c0, c0 + cg) of image img of dx. */
function col2im(geom: usize, cols: usize, img: i32, c0: i32, cg: i32, dx: usize): void {
  const c = g(geom, 1), h = g(geom, 2), w = g(geom, 3), kh = g(geom, 5), kw = g(geom, 6), oh = g(geom, 7), ow = g(geom, 8);
  const sh = g(geom, 9), sw = g(geom, 10), pt = g(geom, 11), pl = g(geom, 12), dh = g(geom, 13), dw = g(geom, 14);
  const area = oh * ow;
  let row = 0;
  for (let ci = 0; ci < cg; ci++) {
    const base = dx + (<usize>((img * c + c0 + ci) * h * w) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const from = cols + (<usize>(row * area) << 2);
        const off = j * dw - pl;
        let lo = off >= 0 ? 0 : (-off + sw - 1) / sw;
        let hi = (w - 1 - off) >= 0 ? (w - 1 - off) / sw + 1 : 0;
        if (hi > ow) hi = ow;
        for (let y = 0; y < oh; y++) {
          const sy = y * sh - pt + i * dh;
          if (sy < 0 || sy >= h) continue;
          const dst = base + (<usize>(sy * w) << 2);
          const o = from + (<usize>(y * ow) << 2);
          let xo = lo;
          if (sw == 1) {
            for (; xo + 4 <= hi; xo += 4) {
              const d = dst + (<usize>(xo + off) << 2);
              v128.store(d, f32x4.add(v128.load(d), v128.load(o + (<usize>xo << 2))));
            }
          }
          for (; xo < hi; xo++) {
            const d = dst + (<usize>(xo * sw + off) << 2);
            store<f32>(d, load<f32>(d) + load<f32>(o + (<usize>xo << 2)));
          }
        }
        row++;
      }
    }
  }
}

/** y[img0:img1] = conv(x, weight) + bias (bias may be 0 = none). */
export function conv2dForward(geom: usize, x: usize, weight: usize, bias: usize, y: usize, img0: i32, img1: i32, scratch: usize): void {
  const c = g(geom, 1), outC = g(geom, 4), groups = g(geom, 15);
  const cg = c / groups, ocg = outC / groups;
  const patch = cg * g(geom, 5) * g(geom, 6);
  const area = g(geom, 7) * g(geom, 8);
  const cols = colsOf(scratch);
  for (let img = img0; img < img1; img++) {
    for (let grp = 0; grp < groups; grp++) {
      im2col(geom, x, img, grp * cg, cg, cols);
      const yg = y + (<usize>((img * outC + grp * ocg) * area) << 2);
      if (bias) {
        for (let o = 0; o < ocg; o++) {
          const v = f32x4.splat(load<f32>(bias + (<usize>(grp * ocg + o) << 2)));
          const row = yg + (<usize>(o * area) << 2);
          let k = 0;
          for (; k + 4 <= area; k += 4) v128.store(row + (<usize>k << 2), v);
          for (; k < area; k++) store<f32>(row + (<usize>k << 2), f32x4.extract_lane(v, 0));
        }
      }
      gemm(0, 0, ocg, area, patch, weight + (<usize>(grp * ocg * patch) << 2), patch, cols, area, yg, area, bias ? 1 : 0, scratch);
    }
  }
}

/** dx[img0:img1] (overwritten) from the output gradient gy. */
export function conv2dBackwardInput(geom: usize, gy: usize, weight: usize, dx: usize, img0: i32, img1: i32, scratch: usize): void {
  const c = g(geom, 1), h = g(geom, 2), w = g(geom, 3), outC = g(geom, 4), groups = g(geom, 15);
  const cg = c / groups, ocg = outC / groups;
  const patch = cg * g(geom, 5) * g(geom, 6);
  const area = g(geom, 7) * g(geom, 8);
  const cols = colsOf(scratch);
  memory.fill(dx + (<usize>(img0 * c * h * w) << 2), 0, <usize>((img1 - img0) * c * h * w) << 2);
  for (let img = img0; img < img1; img++) {
    for (let grp = 0; grp < groups; grp++) {
      const gg = gy + (<usize>((img * outC + grp * ocg) * area) << 2);
      gemm(1, 0, patch, area, ocg, weight + (<usize>(grp * ocg * patch) << 2), patch, gg, area, cols, area, 0, scratch);
      col2im(geom, cols, img, grp * cg, cg, dx);
    }
  }
}

/** dw (+)= the weight gradient of images [img0, img1); `accumulate` = 0 overwrites dw first. */
export function conv2dBackwardWeight(geom: usize, x: usize, gy: usize, dw: usize, img0: i32, img1: i32, accumulate: i32, scratch: usize): void {
  const c = g(geom, 1), outC = g(geom, 4), groups = g(geom, 15);
  const cg = c / groups, ocg = outC / groups;
  const patch = cg * g(geom, 5) * g(geom, 6);
  const area = g(geom, 7) * g(geom, 8);
  const cols = colsOf(scratch);
  if (!accumulate) memory.fill(dw, 0, <usize>(outC * patch) << 2);
  for (let img = img0; img < img1; img++) {
    for (let grp = 0; grp < groups; grp++) {
      im2col(geom, x, img, grp * cg, cg, cols);
      const gg = gy + (<usize>((img * outC + grp * ocg) * area) << 2);
      gemm(0, 1, ocg, patch, area, gg, area, cols, area, dw + (<usize>(grp * ocg * patch) << 2), patch, 1, scratch);
    }
  }
}
