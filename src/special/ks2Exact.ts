import { logBinomial } from './gamma.js';

/*
 * Exact null distribution of the two-sample Kolmogorov–Smirnov statistic by counting lattice
 * paths, after Hodges (1958), as SciPy's `ks_2samp(method='exact')`:
 *   ks2ExactTwoSided  ↔ `_compute_prob_outside_square` (m = n) and
 *                       `_compute_outer_prob_inside_method` (Viehmann 2021 recursion for 1 − p)
 *   ks2ExactOneSided  ↔ the product formula (m = n) and `_count_paths_outside_method`
 * The statistic enters as the integer h = round(d · lcm(m, n)). A result that is not a finite
 * probability (overflow for very large samples) is returned as NaN so the caller can switch to the
 * asymptotic distribution, as SciPy does.
 */

/** Greatest common divisor of two positive integers. */
export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** P(D ≥ h/n) for two samples of equal size n (two-sided), as `_compute_prob_outside_square`. */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/** Proportion of lattice paths (0,0)→(m,n) that leave the band |x/m − y/n| < h/lcm (two-sided). */
function outerProbInside(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  for (let j = minj; j < maxj; j++) A[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, Math.min(lenA, maxj - minj + (lastlen - curlen)));
  }
  return A[maxj - minj - 1];
}

/** Binomial coefficient by the product formula (exact while it fits in 53 bits). */
function smallBinomial(n: number, k: number): number {
  const kk = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= kk; i++) r = (r * (n - kk + i)) / i;
  return r;
}

/** Binomial coefficient as a double (Infinity when it overflows), like `scipy.special.binom`. */
function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  if (k === 0 || k === n) return 1;
  return Math.min(k, n - k) < 30 ? smallBinomial(n, k) : Math.exp(logBinomial(n, k));
}

/** Number of lattice paths (0,0)→(m,n) that go below the line m·y = n·x − h·g (one-sided). */
function countPathsOutside(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const logFactorial = new Float64Array(m + n + 2);
  for (let i = 2; i < logFactorial.length; i++) logFactorial[i] = logFactorial[i - 1] + Math.log(i);
  const binomial = (a: number, k: number): number => {
    if (k < 0 || k > a) return 0;
    if (k === 0 || k === a) return 1;
    return Math.min(k, a - k) < 30 ? smallBinomial(a, k) : Math.exp(logFactorial[a] - logFactorial[k] - logFactorial[a - k]);
  };
  const mg = m / g;
  const ng = n / g;
  const lxj = n + Math.floor((mg - h) / mg);
  if (lxj <= 0) return binomial(m + n, n);
  const xj = Array.from({ length: lxj }, (_, j) => Math.floor((h + mg * j + ng - 1) / ng));
  const B = new Float64Array(lxj);
  B[0] = 1;
  for (let j = 1; j < lxj; j++) {
    let bj = binomial(xj[j] + j, j);
    for (let i = 0; i < j; i++) bj -= binomial(xj[j] - xj[i] + j - i, j - i) * B[i];
    B[j] = bj;
  }
  let paths = 0;
  for (let j = 0; j < lxj; j++) paths += B[j] * binomial(m - xj[j] + (n - j), n - j);
  return paths;
}

/** Exact two-sided p-value P(D ≥ h/lcm) of the two-sample KS test; NaN when it cannot be computed. */
export function ks2ExactTwoSided(n1: number, n2: number, h: number): number {
  if (h === 0) return 1;
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, gcd(n1, n2), h);
  return Number.isFinite(p) && p >= 0 && p <= 1 ? p : NaN;
}

/** Exact one-sided p-value P(D⁺ ≥ h/lcm) of the two-sample KS test; NaN when it cannot be computed. */
export function ks2ExactOneSided(n1: number, n2: number, h: number): number {
  if (h === 0) return 1;
  if (n1 === n2) {
    let p = 1;
    for (let j = 0; j < h; j++) p *= (n1 - j) / (n1 + j + 1);
    return p;
  }
  const paths = countPathsOutside(n1, n2, gcd(n1, n2), h);
  const total = binomial(n1 + n2, n1);
  if (!Number.isFinite(total) || !Number.isFinite(paths) || paths > total) return NaN;
  const p = paths / total;
  return p >= 0 && p <= 1 ? p : NaN;
}
