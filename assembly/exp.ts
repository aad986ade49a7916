// Vectorised exp for float32 lanes, for arguments x <= 0 (softmax after subtracting the row max).
//
// Range reduction (Cody–Waite): x = n·ln2 + r with n = round(x·log2 e), |r| <= ln2/2, where
// n·ln2 is subtracted in two parts (ln2 = C1 + C2, C1 exact in few bits) so r carries no rounding
// error from the product. Then e^r by a degree-5 polynomial (relative error ≤ 1.9e-7 on
// [-ln2/2, ln2/2], within 2 float32 ulp), and 2^n by building the float's exponent bits
// (n is rounded with the 1.5·2^23 "magic number" add, which also leaves n + 127 in the low bits).
// Inputs below ln(FLT_MIN) ≈ -87.33 give exactly 0 (PyTorch gives a subnormal or 0 there; both are
// below 1.2e-38). NaN stays NaN. Same algorithm as Cephes `expf` and SLEEF's `expf_u10` family.

const LOG2E: f32 = 1.44269504088896341;
const C1: f32 = 0.693359375;
const C2: f32 = -2.12194440e-4;
// e^r ≈ 1 + r + r²·(Q0 + r·(Q1 + r·(Q2 + r·Q3))): degree 5, fitted by scripts/fit_exp_polynomial.py (relative error)
// on [−ln2/2, ln2/2]; max relative error 1.9e-7 (≈ 1.6 float32 ulp) including float32 rounding.
const Q0: f32 = 0.49999141693115234;
const Q1: f32 = 0.1666688621044159;
const Q2: f32 = 0.04189855605363846;
const Q3: f32 = 0.00833380687981844;
/** ln(FLT_MIN): below it 2^n would leave the normal range. */
export const EXP_LOWER: f32 = -87.33654;
/**
 * 1.5·2^23 + 127. Adding it to x·log2 e rounds to an integer (float32 spacing is 1 there) and leaves
 * n + 127 in the low mantissa bits: subtracting it back gives n as a float, and shifting the bits
 * left by 23 gives the exponent field of 2^n — no float→int conversion needed.
 */
const MAGIC: f32 = 12583039.0;

/**
 * The constants of `expNeg4`, as a table in memory. Kernels splat them into locals once per call
 * (`v128.load32_splat(EXP_TABLE, EXP_…)`) and pass them in: written as constants inside a loop,
 * they reach V8 as v128.const nodes that are rebuilt from immediates on every use (measured 1.5–1.8×
 * slower), and binaryen would turn locals initialised with constants back into constants.
 */
export const EXP_TABLE = memory.data<f32>([EXP_LOWER, LOG2E, MAGIC, C1, C2, Q0, Q1, Q2, Q3, 1.0]);

/** e^x for four lanes, x ≤ 0 or NaN; the other arguments are EXP_TABLE's entries splatted. */
// @ts-ignore: decorator
@inline
export function expNeg4(
  x: v128, lower: v128, log2e: v128, magic: v128, c1: v128, c2: v128,
  q0: v128, q1: v128, q2: v128, q3: v128, one: v128,
): v128 {
  const underflow = f32x4.lt(x, lower);
  const v = f32x4.pmax(x, lower); // pmax(a, b) = a < b ? b : a, so NaN stays NaN
  const t = f32x4.add(f32x4.mul(v, log2e), magic);
  const n = f32x4.sub(t, magic);
  let r = f32x4.sub(v, f32x4.mul(n, c1));
  r = f32x4.sub(r, f32x4.mul(n, c2));
  let p = f32x4.add(f32x4.mul(q3, r), q2);
  p = f32x4.add(f32x4.mul(p, r), q1);
  p = f32x4.add(f32x4.mul(p, r), q0);
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), one);
  return v128.andnot(f32x4.mul(p, i32x4.shl(t, 23)), underflow);
}

/** dst[i] = e^src[i] for n float32 values (n a multiple of 4, src ≤ 0); exposed for the accuracy tests. */
export function expNegInto(src: usize, dst: usize, n: i32): void {
  const lower = v128.load32_splat(EXP_TABLE), log2e = v128.load32_splat(EXP_TABLE, 4), magic = v128.load32_splat(EXP_TABLE, 8);
  const c1 = v128.load32_splat(EXP_TABLE, 12), c2 = v128.load32_splat(EXP_TABLE, 16);
  const q0 = v128.load32_splat(EXP_TABLE, 20), q1 = v128.load32_splat(EXP_TABLE, 24);
  const q2 = v128.load32_splat(EXP_TABLE, 28), q3 = v128.load32_splat(EXP_TABLE, 32);
  const one = v128.load32_splat(EXP_TABLE, 36);
  for (let i = 0; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, expNeg4(v128.load(src + o), lower, log2e, magic, c1, c2, q0, q1, q2, q3, one));
  }
}
