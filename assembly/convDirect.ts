// Direct 2-D convolution for stride 1, dilation 1, one group (LeNet's 1→6 and 6→16 channel 5×5
// layers, MNIST_CNN's 2→64 first layer): no im2col, no GEMM packing. Each image's channels are
// copied once, zero-padded, into planes of row stride Wp = OW + kW − 1, so the output read as one
// flat row of OH·Wp values is a 1-D correlation of the flat padded planes:
//
//   out[o][p] = bias[o] + Σ_{c,i,j} w[o][c][i][j] · P[c][p + i·Wp + j]       p = y·Wp + x
//
// (the columns x ≥ OW of each output row are computed and dropped). The micro-kernel keeps 2
// output channels × 16 consecutive positions in 8 vector registers. The input gradient (stride 1)
// is the same correlation of the output gradient, padded by kH − 1 − padTop above (kW − 1 − padLeft
// left), with the flipped kernel w[o][c][kH−1−i][kW−1−j] read as [c][o]; the weight gradient is
// dW[o][c][i][j] = Σ_p G[o][p] · P[c][p + i·Wp + j] with G the output gradient in rows of stride Wp
// (zeros past OW). Each call handles images [img0, img1) (two threads take one half each). Geometry
// block and scratch as ./conv.

/** The sum of the 4 lanes. */
// @ts-ignore: decorator
@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// @ts-ignore: decorator
@inline
function g(geom: usize, i: i32): i32 {
  return load<i32>(geom + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (RELAXED) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// @ts-ignore: decorator
@inline
function roundUp(v: i32, m: i32): i32 {
  return ((v + m - 1) / m) * m;
}

/** Floats of one padded plane: the flat output (rounded to 16) plus the kernel's reach, rounded to 4. */
// @ts-ignore: decorator
@inline
function planeFloats(oh: i32, wp: i32, kh: i32, kw: i32): i32 {
  return roundUp(roundUp(oh * wp, 16) + (kh - 1) * wp + kw, 4);
}

/** Scratch bytes of the direct kernels for this geometry (forward and both gradients). */
export function convDirectScratchBytes(geom: usize): i32 {
  const n = g(geom, 0), c = g(geom, 1), h = g(geom, 2), w = g(geom, 3), outC = g(geom, 4), kh = g(geom, 5), kw = g(geom, 6), oh = g(geom, 7), ow = g(geom, 8);
  void n;
  // forward and weight gradient: c input planes of (oh, ow + kw − 1), 2 output rows, outC gradient rows
  const fwd = c * planeFloats(oh, ow + kw - 1, kh, kw) + outC * roundUp(oh * (ow + kw - 1), 16) + 2 * roundUp(oh * (ow + kw - 1), 16);
  // input gradient: outC planes of (h, w + kw − 1), 2 output rows, the flipped kernel
  const bwd = outC * planeFloats(h, w + kw - 1, kh, kw) + 2 * roundUp(h * (w + kw - 1), 16) + outC * c * kh * kw;
  return (max(fwd, bwd) << 2) + 64;
}

/**
 * Copies `cin` planes [sh, sw] (plane stride sh·sw) from `src` into zeroed planes of row stride
 * `wp` and `ps` floats each at `P`, shifted down by `offY` rows and right by `offX` columns.
 */
function pad(src: usize, cin: i32, sh: i32, sw: i32, offY: i32, offX: i32, wp: i32, ps: i32, P: usize): void {
  memory.fill(P, 0, <usize>(cin * ps) << 2);
  for (let ci = 0; ci < cin; ci++) {
    const s = src + (<usize>(ci * sh * sw) << 2);
    const d = P + (<usize>(ci * ps + offY * wp + offX) << 2);
    for (let y = 0; y < sh; y++) memory.copy(d + (<usize>(y * wp) << 2), s + (<usize>(y * sw) << 2), <usize>sw << 2);
  }
}

/**
 * out[o][y][x] = bias[o] + Σ w[o][ci][i][j] · P[ci][(y + i)·wp + x + j] for o < cout, y < oh, x < ow
 * (wp = ow + kw − 1), written to `dst` (plane stride oh·ow); `T` holds 2 flat output rows.
 */
function correlate(P: usize, cin: i32, ps: i32, wp: i32, kh: i32, kw: i32, oh: i32, ow: i32, wts: usize, cout: i32, bias: usize, T: usize, dst: usize): void {
  const len = oh * wp;
  const lr = roundUp(len, 16);
  const T1 = T + (<usize>lr << 2);
  const taps = cin * kh * kw;
  for (let o = 0; o < cout; o += 2) {
    const o1 = o + 1 < cout ? o + 1 : o;
    const w0 = wts + (<usize>(o * taps) << 2);
    const w1 = wts + (<usize>(o1 * taps) << 2);
    const b0 = bias ? f32x4.splat(load<f32>(bias + (<usize>o << 2))) : f32x4.splat(0);
    const b1 = bias ? f32x4.splat(load<f32>(bias + (<usize>o1 << 2))) : f32x4.splat(0);
    for (let p = 0; p < len; p += 16) {
      let a0 = b0, a1 = b0, a2 = b0, a3 = b0;
      let c0 = b1, c1 = b1, c2 = b1, c3 = b1;
      let t = 0;
      for (let ci = 0; ci < cin; ci++) {
        const plane = P + (<usize>(ci * ps + p) << 2);
        for (let i = 0; i < kh; i++) {
          let src = plane + (<usize>(i * wp) << 2);
          for (let j = 0; j < kw; j++) {
            const k0 = v128.load32_splat(w0 + (<usize>t << 2));
            const k1 = v128.load32_splat(w1 + (<usize>t << 2));
            const x0 = v128.load(src, 0);
            a0 = madd(k0, x0, a0); c0 = madd(k1, x0, c0);
            const x1 = v128.load(src, 16);
            a1 = madd(k0, x1, a1); c1 = madd(k1, x1, c1);
            const x2 = v128.load(src, 32);
            a2 = madd(k0, x2, a2); c2 = madd(k1, x2, c2);
            const x3 = v128.load(src, 48);
            a3 = madd(k0, x3, a3); c3 = madd(k1, x3, c3);
            src += 4;
            t++;
          }
        }
      }
      const q = T + (<usize>p << 2);
      v128.store(q, a0, 0); v128.store(q, a1, 16); v128.store(q, a2, 32); v128.store(q, a3, 48);
      const r = T1 + (<usize>p << 2);
      v128.store(r, c0, 0); v128.store(r, c1, 16); v128.store(r, c2, 32); v128.store(r, c3, 48);
    }
    // drop the wp − ow padding columns of each row
    const d0 = dst + (<usize>(o * oh * ow) << 2);
    const d1 = dst + (<usize>(o1 * oh * ow) << 2);
    for (let y = 0; y < oh; y++) {
      memory.copy(d0 + (<usize>(y * ow) << 2), T + (<usize>(y * wp) << 2), <usize>ow << 2);
      if (o1 != o) memory.copy(d1 + (<usize>(y * ow) << 2), T1 + (<usize>(y * wp) << 2), <usize>ow << 2);
    }
  }
}

/** y[img0:img1] = conv(x, weight) + bias (bias may be 0), stride 1, dilation 1, one group. */
export function conv2dDirectForward(geom: usize, x: usize, weight: usize, bias: usize, y: usize, img0: i32, img1: i32, scratch: usize): void {
  const c = g(geom, 1), h = g(geom, 2), w = g(geom, 3), outC = g(geom, 4), kh = g(geom, 5), kw = g(geom, 6), oh = g(geom, 7), ow = g(geom, 8);
  const pt = g(geom, 11), pl = g(geom, 12);
  const wp = ow + kw - 1;
  const ps = planeFloats(oh, wp, kh, kw);
  const P = (scratch + 15) & ~(<usize>15);
  const T = P + (<usize>(c * ps) << 2);
  for (let img = img0; img < img1; img++) {
    pad(x + (<usize>(img * c * h * w) << 2), c, h, w, pt, pl, wp, ps, P);
    correlate(P, c, ps, wp, kh, kw, oh, ow, weight, outC, bias, T, y + (<usize>(img * outC * oh * ow) << 2));
  }
}

/** dx[img0:img1] (overwritten) from the output gradient gy, stride 1, dilation 1, one group. */
export function conv2dDirectBackwardInput(geom: usize, gy: usize, weight: usize, dx: usize, img0: i32, img1: i32, scratch: usize): void {
  const c = g(geom, 1), h = g(geom, 2), w = g(geom, 3), outC = g(geom, 4), kh = g(geom, 5), kw = g(geom, 6), oh = g(geom, 7), ow = g(geom, 8);
  const pt = g(geom, 11), pl = g(geom, 12);
  const wp = w + kw - 1;
  const ps = planeFloats(h, wp, kh, kw);
  const P = (scratch + 15) & ~(<usize>15);
  const T = P + (<usize>(outC * ps) << 2);
  const WT = T + (<usize>(2 * roundUp(h * wp, 16)) << 2);
  // flipped kernel as [c][outC][kh][kw]
  const kk = kh * kw;
  for (let o = 0; o < outC; o++) {
    for (let ci = 0; ci < c; ci++) {
      const s = weight + (<usize>((o * c + ci) * kk) << 2);
      const d = WT + (<usize>((ci * outC + o) * kk) << 2);
      for (let t = 0; t < kk; t++) store<f32>(d + (<usize>t << 2), load<f32>(s + (<usize>(kk - 1 - t) << 2)));
    }
  }
  for (let img = img0; img < img1; img++) {
    pad(gy + (<usize>(img * outC * oh * ow) << 2), outC, oh, ow, kh - 1 - pt, kw - 1 - pl, wp, ps, P);
    correlate(P, outC, ps, wp, kh, kw, h, w, WT, c, 0, T, dx + (<usize>(img * c * h * w) << 2));
  }
}

/** dw (+)= the weight gradient of images [img0, img1); `accumulate` = 0 overwrites dw first. */
export function conv2dDirectBackwardWeight(geom: usize, x: usize, gy: usize, dw: usize, img0: i32, img1: i32, accumulate: i32, scratch: usize): void {
  const c = g(geom, 1), h = g(geom, 2), w = g(geom, 3), outC = g(geom, 4), kh = g(geom, 5), kw = g(geom, 6), oh = g(geom, 7), ow = g(geom, 8);
  const pt = g(geom, 11), pl = g(geom, 12);
  const wp = ow + kw - 1;
  const ps = planeFloats(oh, wp, kh, kw);
  const len = oh * wp;
  const lr = roundUp(len, 16);
  const P = (scratch + 15) & ~(<usize>15);
  const G = P + (<usize>(c * ps) << 2);
  const kk = kh * kw;
  if (!accumulate) memory.fill(dw, 0, <usize>(outC * c * kk) << 2);
  for (let img = img0; img < img1; img++) {
    pad(x + (<usize>(img * c * h * w) << 2), c, h, w, pt, pl, wp, ps, P);
    // the output gradient in rows of stride wp, zeros past ow and up to lr
    memory.fill(G, 0, <usize>(outC * lr) << 2);
    const gi = gy + (<usize>(img * outC * oh * ow) << 2);
    for (let o = 0; o < outC; o++) {
      for (let yy = 0; yy < oh; yy++) {
        memory.copy(G + (<usize>(o * lr + yy * wp) << 2), gi + (<usize>((o * oh + yy) * ow) << 2), <usize>ow << 2);
      }
    }
    for (let o = 0; o < outC; o += 2) {
      const o1 = o + 1 < outC ? o + 1 : o;
      const g0 = G + (<usize>(o * lr) << 2);
      const g1 = G + (<usize>(o1 * lr) << 2);
      for (let ci = 0; ci < c; ci++) {
        for (let i = 0; i < kh; i++) {
          const row = P + (<usize>(ci * ps + i * wp) << 2);
          let j = 0;
          // four taps at a time: 2 channels × 4 taps = 8 accumulators over p
          for (; j + 4 <= kw; j += 4) {
            let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
            let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
            for (let p = 0; p < lr; p += 4) {
              const q = <usize>p << 2;
              const ga = v128.load(g0 + q);
              const gb = v128.load(g1 + q);
              const s = row + q + (<usize>j << 2);
              const x0 = v128.load(s, 0), x1 = v128.load(s, 4), x2 = v128.load(s, 8), x3 = v128.load(s, 12);
              a0 = madd(ga, x0, a0); a1 = madd(ga, x1, a1); a2 = madd(ga, x2, a2); a3 = madd(ga, x3, a3);
              c0 = madd(gb, x0, c0); c1 = madd(gb, x1, c1); c2 = madd(gb, x2, c2); c3 = madd(gb, x3, c3);
            }
            const d0 = dw + (<usize>(((o * c + ci) * kh + i) * kw + j) << 2);
            store<f32>(d0, load<f32>(d0) + hsum(a0));
            store<f32>(d0 + 4, load<f32>(d0 + 4) + hsum(a1));
            store<f32>(d0 + 8, load<f32>(d0 + 8) + hsum(a2));
            store<f32>(d0 + 12, load<f32>(d0 + 12) + hsum(a3));
            if (o1 != o) {
              const d1 = dw + (<usize>(((o1 * c + ci) * kh + i) * kw + j) << 2);
              store<f32>(d1, load<f32>(d1) + hsum(c0));
              store<f32>(d1 + 4, load<f32>(d1 + 4) + hsum(c1));
              store<f32>(d1 + 8, load<f32>(d1 + 8) + hsum(c2));
              store<f32>(d1 + 12, load<f32>(d1 + 12) + hsum(c3));
            }
          }
          for (; j < kw; j++) {
            let a0 = f32x4.splat(0), c0 = f32x4.splat(0);
            for (let p = 0; p < lr; p += 4) {
              const q = <usize>p << 2;
              const xv = v128.load(row + q + (<usize>j << 2));
              a0 = madd(v128.load(g0 + q), xv, a0);
              c0 = madd(v128.load(g1 + q), xv, c0);
            }
            const d0 = dw + (<usize>(((o * c + ci) * kh + i) * kw + j) << 2);
            store<f32>(d0, load<f32>(d0) + hsum(a0));
            if (o1 != o) {
              const d1 = dw + (<usize>(((o1 * c + ci) * kh + i) * kw + j) << 2);
              store<f32>(d1, load<f32>(d1) + hsum(c0));
            }
          }
        }
      }
    }
  }
}
