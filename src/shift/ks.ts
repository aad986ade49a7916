import { fail, formatValue } from '../errors.js';
import { gcd, ks2ExactOneSided, ks2ExactTwoSided, kstwoSf } from '../special/index.js';
import { sortedCopy, type NumericSample } from './sample.js';

export type KsAlternative = 'two-sided' | 'less' | 'greater';
export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface KsResult {
  /** D: the largest gap between the two empirical cdfs (signed direction in `sign`). */
  readonly statistic: number;
  readonly pvalue: number;
  /** The method actually used: 'auto' resolves to 'exact' or 'asymp' as in SciPy. */
  readonly method: 'exact' | 'asymp';
  /** Where the gap is largest, and +1 when cdf(x) − cdf(y) is largest there, −1 otherwise (SciPy's statistic_location/sign). */
  readonly location: number;
  readonly sign: 1 | -1;
}

/** `auto` is exact while both samples have at most this many values (SciPy's MAX_AUTO_N). */
export const KS_MAX_AUTO_N = 10000;

/**
 * Two-sample Kolmogorov–Smirnov test, as `scipy.stats.ks_2samp(x, y, alternative, method)`:
 * the same statistic (cdfs compared at every pooled value, ties handled as `searchsorted(…,
 * 'right')`), the same choice of method ('auto' → exact when max(n1, n2) ≤ 10000, exact falls back
 * to asymp when lcm overflows int32 or the path count overflows) and the same p-values: exact
 * lattice-path counts, or for 'asymp' `kstwo.sf(d, round(mn/(m+n)))` (two-sided) and Hodges'
 * approximation (one-sided). Inputs may be `Float64Array` columns of any length; cost O(n log n).
 */
export function ks2samp(x: NumericSample, y: NumericSample, options: { alternative?: KsAlternative; method?: KsMethod } = {}): KsResult {
  const fn = 'ks2samp';
  const alternative = options.alternative ?? 'two-sided';
  const method = options.method ?? 'auto';
  if (!['two-sided', 'less', 'greater'].includes(alternative)) {
    fail({ fn, argument: 'alternative', value: formatValue(alternative), rule: "it must be 'two-sided', 'less' or 'greater'" });
  }
  if (!['auto', 'exact', 'asymp'].includes(method)) fail({ fn, argument: 'method', value: formatValue(method), rule: "it must be 'auto', 'exact' or 'asymp'" });
  const a = sortedCopy(x, fn, 'x');
  const b = sortedCopy(y, fn, 'y');
  return ks2sampSorted(a, b, alternative, method);
}

/** `ks2samp` on samples already sorted ascending (no copy); used by the report on large columns. */
export function ks2sampSorted(a: Float64Array, b: Float64Array, alternative: KsAlternative = 'two-sided', method: KsMethod = 'auto'): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  // Walk the pooled values in order; after all copies of value v are consumed from both samples,
  // cdf1 − cdf2 is the difference SciPy evaluates at v.
  let i = 0;
  let j = 0;
  let maxDiff = -Infinity;
  let minDiff = Infinity;
  let maxAt = NaN;
  let minAt = NaN;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    while (i < n1 && a[i] <= v) i++;
    while (j < n2 && b[j] <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) {
      maxDiff = diff;
      maxAt = v;
    }
    if (diff < minDiff) {
      minDiff = diff;
      minAt = v;
    }
  }
  return ksFromDifferences(n1, n2, { maxDiff, minDiff, maxAt, minAt }, alternative, method);
}

/** The extreme differences of the two empirical cdfs, i/n1 − j/n2, over the pooled values (and where they occur). */
export interface CdfDifferences {
  readonly maxDiff: number;
  readonly minDiff: number;
  readonly maxAt: number;
  readonly minAt: number;
}

/**
 * The KS statistic and p-value from the extreme cdf differences of a sorted merge of two samples
 * of sizes n1 and n2: the second half of `ks2sampSorted`, shared with the streaming merge
 * (`SortedMerge`) that reads the sorted values from a database, so both give identical numbers.
 */
export function ksFromDifferences(
  n1: number,
  n2: number,
  diffs: CdfDifferences,
  alternative: KsAlternative = 'two-sided',
  method: KsMethod = 'auto',
): KsResult {
  const { maxDiff, minDiff, maxAt, minAt } = diffs;
  const minS = Math.min(1, Math.max(0, -minDiff));
  const maxS = maxDiff;
  let d: number;
  let location: number;
  let sign: 1 | -1;
  if (alternative === 'less' || (alternative === 'two-sided' && minS > maxS)) {
    d = minS;
    location = minAt;
    sign = -1;
  } else {
    d = maxS;
    location = maxAt;
    sign = 1;
  }
  const g = gcd(n1, n2);
  let mode: 'exact' | 'asymp' = method === 'auto' ? (Math.max(n1, n2) <= KS_MAX_AUTO_N ? 'exact' : 'asymp') : method;
  if (mode === 'exact' && n1 / g >= 2147483647 / (n2 / g)) mode = 'asymp';
  let pvalue = NaN;
  if (mode === 'exact') {
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    d = h / lcm;
    pvalue = alternative === 'two-sided' ? ks2ExactTwoSided(n1, n2, h) : ks2ExactOneSided(n1, n2, h);
    if (Number.isNaN(pvalue)) mode = 'asymp';
  }
  if (mode === 'asymp') {
    const m = Math.max(n1, n2);
    const n = Math.min(n1, n2);
    const en = (m * n) / (m + n);
    if (alternative === 'two-sided') {
      const nEffective = roundHalfEven(en);
      if (nEffective < 1) {
        // SciPy returns NaN here (kstwo with n = 0); losslab says why instead.
        fail({
          fn: 'ks2samp',
          argument: 'method',
          value: "'asymp'",
          rule: `the asymptotic distribution needs mn/(m+n) ≥ 0.5, and the samples have ${n1} and ${n2} values`,
          fix: "Use method 'exact'.",
        });
      }
      pvalue = kstwoSf(nEffective, d);
    } else {
      const z = Math.sqrt(en) * d;
      pvalue = Math.exp(-2 * z * z - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3);
    }
  }
  return { statistic: d, pvalue: Math.min(1, Math.max(0, pvalue)), method: mode, location, sign };
}

/** NumPy's `round`: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
