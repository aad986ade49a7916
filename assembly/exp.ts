// Vectorised exp for float32 lanes, for arguments x <= 0 (softmax after subtracting the row max).
//
// Range reduction (Cody–Waite): x = n·ln2 + r with n = round(x·log2 e), |r| <= ln2/2, where
// n·ln2 is subtracted in two parts (ln2 = C1 + C2, C1 exact in few bits) so r carries no rounding
// error from the product. Then e^r by Cephes' expf minimax polynomial (degree 7 in r, relative
// error ≈ 1–2 float32 ulp on [-ln2/2, ln2/2]), and 2^n by building the float's exponent bits.
// Inputs below ln(FLT_MIN) ≈ -87.33 give exactly 0 (PyTorch gives a subnormal or 0 there; both are
// below 1.2e-38). NaN stays NaN. Same algorithm as Cephes `expf` and SLEEF's `expf_u10` family.

const LOG2E: f32 = 1.44269504088896341;
const C1: f32 = 0.693359375;
const C2: f32 = -2.12194440e-4;
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;
/** ln(FLT_MIN): below it 2^n would leave the normal range. */
export const EXP_LOWER: f32 = -87.33654;

/** e^x for four lanes; x must be <= 0 or NaN. */
// @ts-ignore: decorator
@inline
export function expNeg4(x: v128): v128 {
  const lower = f32x4.splat(EXP_LOWER);
  const underflow = f32x4.lt(x, lower);
  const v = f32x4.pmax(lower, x); // x < lower ? lower : x (keeps NaN)
  const n = f32x4.nearest(f32x4.mul(v, f32x4.splat(LOG2E)));
  let r = f32x4.sub(v, f32x4.mul(n, f32x4.splat(C1)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(C2)));
  const r2 = f32x4.mul(r, r);
  let p = f32x4.add(f32x4.mul(f32x4.splat(P0), r), f32x4.splat(P1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P5));
  p = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(p, scale), underflow);
}

/** Scalar version of `expNeg4` (same polynomial), for rows narrower than 4. */
export function expNeg1(x: f32): f32 {
  return f32x4.extract_lane(expNeg4(f32x4.splat(x)), 0);
}

/** dst[i] = e^src[i] for n float32 values (n a multiple of 4); exposed for the accuracy tests. */
export function expNegInto(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, expNeg4(v128.load(src + o)));
  }
}
