import { fail, formatValue } from '../errors.js';

/** A numeric sample: any array-like of numbers (a Float64Array column is the fast path). */
export type NumericSample = ArrayLike<number>;

/**
 * Returns a sorted Float64Array copy of `x`, after checking it is non-empty and finite. Sorting a
 * typed array is numeric (not lexicographic) and fast, so every rank statistic starts here.
 */
export function sortedCopy(x: NumericSample, fn: string, argument: string): Float64Array {
  if (x.length === 0) fail({ fn, argument, value: 'an empty sample', rule: 'it must hold at least one value' });
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) {
      fail({ fn, argument, value: `${formatValue(v)} at [${i}]`, rule: 'every value must be a finite number', fix: 'Drop or impute missing values first.' });
    }
    out[i] = v;
  }
  return out.sort();
}

/** Mean and (population or sample) variance with Welford's update, stable for large n. */
export function meanVariance(x: NumericSample, ddof = 1): { mean: number; variance: number } {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - mean;
    mean += d / (i + 1);
    m2 += d * (x[i] - mean);
  }
  return { mean, variance: x.length - ddof > 0 ? m2 / (x.length - ddof) : NaN };
}
