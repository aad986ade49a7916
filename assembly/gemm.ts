// Matrix product C (+)= op(A)·op(B) in float32 with 128-bit SIMD, packed and blocked as BLIS does
// (Goto & van de Geijn 2008; Van Zee & van de Geijn 2015):
//
//   for each KC-deep slice of K:          pack op(B)[pc:pc+KC, :] into NR-wide column panels (in L2/L3)
//     for each MC-tall block of rows:      pack op(A)[ic:ic+MC, pc:pc+KC] into MR-tall row panels (in L2)
//       for each NR panel, each MR panel:  an MR×NR micro-kernel keeps the C tile in registers (8
//                                          accumulators), streaming one packed column of A and one
//                                          packed row of B per step of k (from L1)
//
// Packing absorbs the layouts, so every transpose case runs the same micro-kernel: op(A) is A
// [m, k] (lda ≥ k) or, transposed, A stored [k, m] (lda ≥ m); likewise op(B). Edge tiles are
// packed with zeros and written through a small tile buffer. With relaxed SIMD (RELAXED = 1, the
// second build, `--use RELAXED=1`) the multiply-add is one fused f32x4.relaxed_madd.

// Block sizes (floats), tuned on the project's AMD EPYC (Zen 4: 32 KiB L1d, 1 MiB L2 per core):
// KC·NR·4 = 16 KiB of B and KC·MR·4 = 8 KiB of A per micro-kernel call sit in L1; MC·KC·4 =
// 192 KiB of packed A in L2; the KC × NC panel of B (4 MiB) in L3.
const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 512;
const MC: i32 = 96;
const NC: i32 = 2048;

// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (RELAXED) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Bytes of scratch one `gemm` call needs for its packed panels. */
export function gemmScratchBytes(): i32 {
  return (MC * KC + KC * NC) * 4 + MR * NR * 4;
}

/** Packs op(A)[i0 : i0+mc, p0 : p0+kc] into MR-row panels: panel r holds, for each p, MR values. */
function packA(transA: i32, A: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, Ap: usize): void {
  for (let r = 0; r < mc; r += MR) {
    const rows = min(MR, mc - r);
    const panel = Ap + (<usize>(r * kc) << 2);
    if (transA) {
      // A stored [k, m]: op(A)[i, p] = A[p·lda + i], MR contiguous values per p
      for (let p = 0; p < kc; p++) {
        const src = A + (<usize>((p0 + p) * lda + i0 + r) << 2);
        const dst = panel + (<usize>(p * MR) << 2);
        for (let ii = 0; ii < rows; ii++) store<f32>(dst + (<usize>ii << 2), load<f32>(src + (<usize>ii << 2)));
        for (let ii = rows; ii < MR; ii++) store<f32>(dst + (<usize>ii << 2), 0);
      }
    } else {
      for (let ii = 0; ii < MR; ii++) {
        const dst = panel + (<usize>ii << 2);
        if (ii < rows) {
          const src = A + (<usize>((i0 + r + ii) * lda + p0) << 2);
          for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * MR) << 2), load<f32>(src + (<usize>p << 2)));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * MR) << 2), 0);
        }
      }
    }
  }
}

/** Packs op(B)[p0 : p0+kc, j0 : j0+nc] into NR-column panels: panel j holds, for each p, NR values. */
function packB(transB: i32, B: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32, Bp: usize): void {
  for (let j = 0; j < nc; j += NR) {
    const cols = min(NR, nc - j);
    const panel = Bp + (<usize>(j * kc) << 2);
    if (!transB) {
      // B stored [k, n]: NR contiguous values per p
      for (let p = 0; p < kc; p++) {
        const src = B + (<usize>((p0 + p) * ldb + j0 + j) << 2);
        const dst = panel + (<usize>(p * NR) << 2);
        if (cols == NR) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
        } else {
          for (let jj = 0; jj < cols; jj++) store<f32>(dst + (<usize>jj << 2), load<f32>(src + (<usize>jj << 2)));
          for (let jj = cols; jj < NR; jj++) store<f32>(dst + (<usize>jj << 2), 0);
        }
      }
    } else {
      // B stored [n, k]: op(B)[p, j] = B[j·ldb + p]
      for (let jj = 0; jj < NR; jj++) {
        const dst = panel + (<usize>jj << 2);
        if (jj < cols) {
          const src = B + (<usize>((j0 + j + jj) * ldb + p0) << 2);
          for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * NR) << 2), load<f32>(src + (<usize>p << 2)));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * NR) << 2), 0);
        }
      }
    }
  }
}

/**
 * The 4×8 micro-kernel: C[0:4, 0:8] (+)= Ap (kc × 4, packed) · Bp (kc × 8, packed), `ldc` in bytes,
 * `add` = 0 overwrites C, 1 adds to it. Eight accumulators, two B vectors and one A splat fit the
 * 16 registers V8 gives WebAssembly SIMD on x64 without spilling (a 6×8 tile spills three
 * accumulators every step); k runs two steps per iteration to halve the loop overhead.
 */
/**
 * The 4×8 micro-kernel: C[0:4, 0:8] (+)= Ap (kc × 4, packed) · Bp (kc × 8, packed), `ldc` in bytes;
 * `add` = 0 overwrites C, 1 adds to it. Eight accumulators, two B vectors and one A splat: the
 * largest tile V8 keeps in registers on x64 (6×8, 5×8 and 4×12 spill, and unrolling k costs more
 * than it saves); measured alone it runs at 54 GFLOP/s with relaxed SIMD and 45 without.
 */
// @ts-ignore: decorator
@inline
function kernel(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, add: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0), c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let p = 0;
  for (; p + 1 <= kc; p += 1) {
    {
      const b0 = v128.load(bp, 0);
      const b1 = v128.load(bp, 16);
      const a0 = v128.load32_splat(ap, 0);
      c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01);
      const a1 = v128.load32_splat(ap, 4);
      c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
      const a2 = v128.load32_splat(ap, 8);
      c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21);
      const a3 = v128.load32_splat(ap, 12);
      c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    }
    ap += 16;
    bp += 32;
  }
  for (; p < kc; p++) {
    {
      const b0 = v128.load(bp, 0);
      const b1 = v128.load(bp, 16);
      const a0 = v128.load32_splat(ap, 0);
      c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01);
      const a1 = v128.load32_splat(ap, 4);
      c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
      const a2 = v128.load32_splat(ap, 8);
      c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21);
      const a3 = v128.load32_splat(ap, 12);
      c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    }
    ap += 16;
    bp += 32;
  }
  if (add) {
    c00 = f32x4.add(c00, v128.load(c + 0 * ldc, 0)); c01 = f32x4.add(c01, v128.load(c + 0 * ldc, 16));
    c10 = f32x4.add(c10, v128.load(c + 1 * ldc, 0)); c11 = f32x4.add(c11, v128.load(c + 1 * ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc, 0)); c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc, 0)); c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c + 0 * ldc, c00, 0); v128.store(c + 0 * ldc, c01, 16);
  v128.store(c + 1 * ldc, c10, 0); v128.store(c + 1 * ldc, c11, 16);
  v128.store(c + 2 * ldc, c20, 0); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30, 0); v128.store(c + 3 * ldc, c31, 16);
}


/**
 * C[m, n] (+)= op(A)·op(B) for row-major float32 matrices (leading dimensions in elements).
 * `accumulate` = 0 overwrites C; `scratch` holds `gemmScratchBytes()` bytes, 16-byte aligned.
 */
export function gemm(transA: i32, transB: i32, m: i32, n: i32, k: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, accumulate: i32, scratch: usize): void {
  if (m <= 0 || n <= 0) return;
  const ldcBytes = <usize>ldc << 2;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(C + <usize>i * ldcBytes, 0, <usize>n << 2);
    return;
  }
  const Ap = scratch;
  const Bp = Ap + (<usize>(MC * KC) << 2);
  const tile = Bp + (<usize>(KC * NC) << 2);
  const tileLd: usize = <usize>NR << 2;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const add = pc > 0 || accumulate ? 1 : 0;
      packB(transB, B, ldb, pc, jc, kc, nc, Bp);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(transA, A, lda, ic, pc, mc, kc, Ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const bp = Bp + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const ap = Ap + (<usize>(ir * kc) << 2);
            const c = C + <usize>(ic + ir) * ldcBytes + (<usize>(jc + jr) << 2);
            if (rows == MR && cols == NR) {
              kernel(kc, ap, bp, c, ldcBytes, add);
            } else {
              // an edge tile: compute the full tile into the buffer, then add or copy the valid part
              kernel(kc, ap, bp, tile, tileLd, 0);
              for (let ii = 0; ii < rows; ii++) {
                const crow = c + <usize>ii * ldcBytes;
                const trow = tile + <usize>ii * tileLd;
                for (let jj = 0; jj < cols; jj++) {
                  const v = load<f32>(trow + (<usize>jj << 2));
                  store<f32>(crow + (<usize>jj << 2), add ? load<f32>(crow + (<usize>jj << 2)) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}

/**
 * `batch` products C_b (+)= op(A_b)·op(B_b) with A_b = A + b·strideA, B_b = B + b·strideB and
 * C_b = C + b·strideC (strides in elements; 0 repeats a matrix). ldb and ldc follow from the shapes
 * (B is [k, n] or, transposed, [n, k]; C is [m, n]); lda is given, so a block of rows of a larger
 * A can be passed (what the two-thread split does).
 */
export function gemmBatch(transA: i32, transB: i32, m: i32, n: i32, k: i32, A: usize, lda: i32, strideA: i32, B: usize, strideB: i32, C: usize, strideC: i32, accumulate: i32, batch: i32, scratch: usize): void {
  const ldb = transB ? k : n;
  for (let b = 0; b < batch; b++) {
    gemm(transA, transB, m, n, k, A + (<usize>(b * strideA) << 2), lda, B + (<usize>(b * strideB) << 2), ldb, C + (<usize>(b * strideC) << 2), n, accumulate, scratch);
  }
}
