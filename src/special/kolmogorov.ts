import { fail, formatValue } from '../errors.js';
import { logGamma } from './gamma.js';

/*
 * Kolmogorov–Smirnov distributions, as SciPy:
 *   kolmogorov(x)   = limiting P(√n·Dₙ > x)           (`scipy.special.kolmogorov`)
 *   smirnov(n, e)   = exact one-sided P(Dₙ⁺ ≥ e)        (`scipy.special.smirnov`, Birnbaum–Tingey)
 *   kstwoSf(n, x)   = exact two-sided P(Dₙ > x)         (`scipy.stats.kstwo.sf`)
 * kstwoSf follows Simard & L'Ecuyer (2011), the same choice of algorithm per region as SciPy's
 * `scipy/stats/_ksstats.py`: Ruben–Gambino closed forms at the ends, the Durbin matrix
 * (Marsaglia–Tsang–Wang) and Pomeranz recursions for small n, 2·smirnov in the upper tail, and the
 * Pelz–Good asymptotic series for large n.
 */

const RTOL = 2.220446049250313e-16;
const SCALE_EXP = 128;
const BIG = 2 ** SCALE_EXP;
const SMALL = 2 ** -SCALE_EXP;

/** Limiting Kolmogorov survival function P(K > x) = 2 Σ (−1)^(k−1) exp(−2k²x²) (`scipy.special.kolmogorov`). */
export function kolmogorov(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  if (x >= 1) {
    // Alternating series, fast for large x.
    const alpha = -2 * x * x;
    let p = 0;
    let sign = 1;
    for (let k = 1; ; k++) {
      const t = Math.exp(alpha * k * k);
      p += sign * t;
      if (t === 0 || t / p <= RTOL) break;
      sign = -sign;
    }
    return Math.min(1, Math.max(0, 2 * p));
  }
  // Jacobi theta transform for the cdf, fast for small x: √(2π)/x Σ exp(−(2k−1)²π²/(8x²)).
  const alpha = (-Math.PI * Math.PI) / (8 * x * x);
  let cdf = 0;
  for (let r = 1; ; r += 2) {
    const t = Math.exp(alpha * r * r);
    cdf += t;
    if (t === 0 || t / cdf < RTOL) break;
  }
  cdf *= Math.sqrt(2 * Math.PI) / x;
  return Math.min(1, Math.max(0, 1 - cdf));
}

function checkN(fn: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) fail({ fn, argument: 'n', value: formatValue(n), rule: 'the sample size must be a positive integer' });
}

/**
 * Exact one-sided Smirnov survival function P(Dₙ⁺ ≥ e) by the Birnbaum–Tingey sum
 * e Σ_{v=0}^{⌊n(1−e)⌋} C(n,v) (e + v/n)^(v−1) (1 − e − v/n)^(n−v), as `scipy.special.smirnov`.
 * Terms are summed in log space, so large n neither overflows nor underflows.
 */
export function smirnov(n: number, e: number): number {
  checkN('smirnov', n);
  if (Number.isNaN(e)) return NaN;
  if (e <= 0) return 1;
  if (e >= 1) return 0;
  const last = Math.floor(n * (1 - e) + 1e-12 * n);
  const logNFact = logGamma(n + 1);
  let sum = 0;
  for (let v = 0; v <= last; v++) {
    const evn = e + v / n;
    const rest = 1 - evn;
    if (rest <= 0 && v < n) continue;
    const logTerm = logNFact - logGamma(v + 1) - logGamma(n - v + 1) + (v - 1) * Math.log(evn) + (n - v === 0 ? 0 : (n - v) * Math.log(rest));
    if (logTerm > -745) sum += Math.exp(logTerm);
  }
  return Math.min(1, Math.max(0, sum * e));
}

/** Durbin's matrix method (Marsaglia, Tsang & Wang 2003) for the cdf P(Dₙ ≤ d). */
function durbinMatrixCdf(n: number, d: number): number {
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  v[m - 1] = (1 + Math.max(2 * h - 1, 0) ** m - 2 * h ** m) * fac;
  let H: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1];
  for (let r = 0; r < m; r++) H[r * m] = v[r];
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c];

  let power: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let exponent = 0;
  let hExponent = 0;
  for (let nn = n; nn > 0; nn = Math.floor(nn / 2)) {
    if (nn % 2 === 1) {
      power = matmul(power, H, m);
      exponent += hExponent;
    }
    H = matmul(H, H, m);
    hExponent *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]) > BIG) {
      for (let i = 0; i < H.length; i++) H[i] /= BIG;
      hExponent += SCALE_EXP;
    }
  }
  let p = power[(k - 1) * m + (k - 1)];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SMALL) {
      p *= BIG;
      exponent -= SCALE_EXP;
    }
  }
  return p * 2 ** exponent;
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l];
      if (ail === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += ail * b[l * m + j];
    }
  }
  return out;
}

/** Column window [j1, j2] of row i of the Pomeranz recursion. */
function pomeranzWindow(i: number, n: number, ll: number, ceilF: number, roundF: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilF - 1;
        j2 = n + ll + ceilF - 1;
      } else {
        j1 = half - 1 - ll - roundF - 1;
        j2 = half + ll - 1 + ceilF - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** Pomeranz's (1974) recursion for the cdf P(Dₙ ≤ x). */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);
  const gPow = new Float64Array(size);
  const twoGPow = new Float64Array(size);
  const oneMinus2GPow = new Float64Array(size);
  gPow[0] = twoGPow[0] = oneMinus2GPow[0] = 1;
  for (let m = 1; m < size; m++) {
    gPow[m] = (gPow[m - 1] * (g / n)) / m;
    twoGPow[m] = (twoGPow[m - 1] * ((2 * g) / n)) / m;
    oneMinus2GPow[m] = (oneMinus2GPow[m - 1] * ((1 - 2 * g) / n)) / m;
  }
  let v0 = new Float64Array(size);
  let v1 = new Float64Array(size);
  v1[0] = 1;
  let v0Start = 0;
  let v1Start = 0;
  let exponent = 0;
  let [j1, j2] = pomeranzWindow(0, n, ll, ceilF, roundF);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0Start, v1Start] = [v1Start, v0Start];
    v1.fill(0);
    [j1, j2] = pomeranzWindow(i, n, ll, ceilF, roundF);
    const powers = i === 1 || i === 2 * n + 1 ? gPow : i % 2 === 1 ? twoGPow : oneMinus2GPow;
    const len = j2 - k1 + 1;
    if (len > 0) {
      // Entries j1..j2 of the convolution of V0[k1..k1+len) with powers[0..len).
      const offset = k1 - v0Start;
      let max = 0;
      for (let out = 0; out <= j2 - j1; out++) {
        const c = out + (j1 - k1);
        let s = 0;
        const lastA = Math.min(c, size - 1 - offset);
        for (let a = 0; a <= lastA; a++) s += v0[offset + a] * powers[c - a];
        v1[out] = s;
        if (s > max) max = s;
      }
      if (max > 0 && max < SMALL) {
        for (let q = 0; q < size; q++) v1[q] *= BIG;
        exponent -= SCALE_EXP;
      }
      v1Start = v0Start + j1 - k1;
    }
  }
  let answer = v1[n - v1Start];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > BIG) {
      answer *= SMALL;
      exponent += SCALE_EXP;
    }
    answer *= m;
  }
  return answer * 2 ** exponent;
}

/** Pelz–Good (1976) asymptotic series for the cdf P(Dₙ ≤ x), large n. */
function pelzGoodCdf(n: number, x: number): number {
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const pi2 = Math.PI * Math.PI;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const qLog = -pi2 / 8 / z2;
  if (qLog < -708) return 0;
  let q = Math.exp(qLog);
  const k1a = -z2;
  const k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * pi2) / 4;
  const k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64;
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  const K = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qPower + coeffs[i];
  }
  const sqrt2pi = Math.sqrt(2 * Math.PI);
  const denominators = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * sqrt2pi) / denominators[i];
  q = Math.exp(-pi2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxK; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    k2extra += k2 * qp;
    k3extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * k2 * qp;
  }
  K[2] += (k2extra * pi2 * sqrt2pi) / (-36 * z2 * z);
  K[3] += (k3extra * pi2 * sqrt2pi) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i] / n ** (i / 2);
  return sum;
}

function logNFactorialOverNPowerN(n: number): number {
  const coeffs = [
    -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
    -2.7777777777777777778e-3, 8.3333333333333333333e-2,
  ];
  const rn = 1 / n;
  let poly = 0;
  for (const c of coeffs) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * poly;
}

const clip = (p: number): number => Math.min(1, Math.max(0, p));

/**
 * Survival function of the exact two-sided one-sample KS statistic, P(Dₙ > x), as
 * `scipy.stats.kstwo.sf(x, n)` (used by `ks_2samp` with method 'asymp' at n = round(mn/(m+n))).
 */
export function kstwoSf(n: number, x: number): number {
  checkN('kstwoSf', n);
  if (Number.isNaN(x)) return NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= (i / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logNFactorialOverNPowerN(n) + n * Math.log(2 * t - 1));
    }
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnov(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip(1 - durbinMatrixCdf(n, x));
    if (nx2 <= 4) return clip(1 - pomeranzCdf(n, x));
    return clip(2 * smirnov(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnov(n, x));
  const cdf = n <= 100000 && n * x ** 1.5 <= 1.4 ? durbinMatrixCdf(n, x) : pelzGoodCdf(n, x);
  return clip(1 - cdf);
}
