import { fail, formatValue } from '../errors.js';
import { allocate, type FloatDType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { warnEmptyMean } from '../warnings.js';

/**
 * How a loss turns per-element values into its result, as PyTorch's `reduction` argument:
 * `'none'` keeps every element, `'sum'` adds them, `'mean'` divides the sum by the number of
 * elements (or, for weighted classification losses, by the summed weights — see each loss).
 */
export type Reduction = 'none' | 'mean' | 'sum';

/** KL divergence also has `'batchmean'`: the sum divided by the batch size `input.shape[0]`. */
export type KlReduction = Reduction | 'batchmean';

export const REDUCTIONS: readonly Reduction[] = ['none', 'mean', 'sum'];

/** Whether `value` is one of `'none'`, `'mean'`, `'sum'`. */
export function isReduction(value: unknown): value is Reduction {
  return typeof value === 'string' && (REDUCTIONS as readonly string[]).includes(value);
}

/** Checks a `reduction` option (`undefined` gives `fallback`), naming the function when it is wrong. */
export function checkReduction(value: unknown, fn: string, fallback: Reduction = 'mean'): Reduction {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(REDUCTIONS as readonly string[]).includes(value)) {
    return fail({ fn, argument: 'reduction', value: formatValue(value), rule: `it must be one of ${REDUCTIONS.map((r) => `'${r}'`).join(', ')}` });
  }
  return value as Reduction;
}

/**
 * Reduces per-element values (computed in float64) with `'sum'` or `'mean'` (`sum / divisor`),
 * or keeps them with `'none'`, returning a tensor of `dtype`: a scalar `[]` or `shape`.
 * The sum is accumulated in float64. A mean over a zero divisor is NaN, as in PyTorch, and `fn`
 * sends an `empty-mean` warning (src/warnings.ts) — PyTorch says nothing.
 */
export function reduceValues<D extends FloatDType>(
  values: Float64Array,
  shape: readonly number[],
  dtype: D,
  reduction: Reduction,
  divisor: number = values.length,
  fn = 'reduceValues',
): Tensor<D> {
  if (reduction === 'none') {
    const out = allocate(dtype, values.length);
    out.set(values);
    return new Tensor<D>(out, shape);
  }
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  if (reduction === 'mean' && divisor === 0) warnEmptyMean(fn);
  const out = allocate(dtype, 1);
  out[0] = reduction === 'sum' ? sum : sum / divisor;
  return new Tensor<D>(out, []);
}

/**
 * The factor that the gradient of element `i` gets from the reduction, given the gradient of
 * the loss's output `gradOutput`: `g` for sum, `g / divisor` for mean, `g[i]` for none.
 */
export function reductionGradient(gradOutput: Tensor, reduction: Reduction, divisor: number): (i: number) => number {
  if (reduction === 'none') return (i) => gradOutput.data[i];
  const g = gradOutput.data[0];
  const scale = reduction === 'sum' ? g : g / divisor;
  return () => scale;
}
