import { fail, formatValue } from '../errors.js';
import { erfc } from './erf.js';

/*
 * The standard normal distribution: `scipy.special.ndtr` (cdf), `scipy.stats.norm.sf` and
 * `scipy.special.ndtri` (ppf), through losslab's one erfc (./erf.ts), which keeps full relative
 * accuracy deep in the tails.
 */

/** Standard normal cumulative distribution function Φ(x), as `scipy.special.ndtr`. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal survival function 1 − Φ(x), accurate in the upper tail (`scipy.stats.norm.sf`). */
export function normalSf(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

// Acklam's rational approximation (relative error 1.15e-9), refined by one Halley step.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Inverse of the standard normal cdf Φ⁻¹(p), as `scipy.special.ndtri` (`scipy.stats.norm.ppf`). */
export function normalPpf(p: number): number {
  if (!(p >= 0 && p <= 1)) fail({ fn: 'normalPpf', argument: 'p', value: formatValue(p), rule: 'a probability must lie in [0, 1]' });
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  // Halley refinement; the error is measured on the smaller tail to keep relative accuracy.
  for (let i = 0; i < 2; i++) {
    const e = x < 0 ? normalCdf(x) - p : 1 - p - normalSf(x);
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
    x = x - u / (1 + (x * u) / 2);
  }
  return x;
}
