import { fail, formatValue } from '../../errors.js';
import { allocate, type FloatArray } from '../dtype.js';
import { axisLayout } from '../shape.js';
import type { DType } from '../dtype.js';
import { record, Tensor } from '../tensor.js';
import type { Floatish } from './util.js';
import { mul, sqrt, sub } from './elementwise.js';
import { gather } from './indexing.js';
import { broadcastTo, sumTo } from './shapeOps.js';
import { floatInput, floats, normalizeDims } from './util.js';

/**
 * Reductions: sum, mean, var, std over any dimensions; max / min (with indices along a dimension),
 * argmax / argmin. sum is `sumTo` the kept shape (its gradient broadcasts back), mean divides it,
 * var and std are composed from them, and max / min along a dimension are `gather` at the
 * indices — so all are differentiable any number of times.
 */

export type Dims = number | readonly number[];

function keptShape(shape: readonly number[], dims: number[]): number[] {
  return shape.map((s, i) => (dims.includes(i) ? 1 : s));
}

function outShape(shape: readonly number[], dims: number[], keepDim: boolean): number[] {
  return keepDim ? keptShape(shape, dims) : shape.filter((_, i) => !dims.includes(i));
}

/** `torch.sum(x, dim, keepdim)`: over every element when `dim` is omitted; accumulated in float64. */
export function sum<D extends DType>(x: Tensor<D>, dim?: Dims, keepDim?: boolean): Tensor<Floatish<D>>;
export function sum(x: Tensor, dim?: Dims, keepDim = false): Tensor {
  floatInput(x, 'sum', 'input');
  const dims = normalizeDims(dim, x.ndim, 'sum');
  const summed = sumTo(x, keptShape(x.shape, dims));
  const shape = outShape(x.shape, dims, keepDim);
  return summed.shape.length === shape.length && summed.shape.every((s, i) => s === shape[i]) ? summed : summed.reshape(...shape);
}

/** The number of elements a reduction over `dims` combines. */
function countOf(x: Tensor, dims: number[]): number {
  return dims.reduce((p, d) => p * x.shape[d], 1);
}

/** `torch.mean(x, dim, keepdim)`; the mean of nothing is NaN (0/0), as in PyTorch. */
export function mean<D extends DType>(x: Tensor<D>, dim?: Dims, keepDim?: boolean): Tensor<Floatish<D>>;
export function mean(x: Tensor, dim?: Dims, keepDim = false): Tensor {
  floatInput(x, 'mean', 'input');
  const dims = normalizeDims(dim, x.ndim, 'mean');
  const n = countOf(x, dims);
  return mul(sum(x, dims, keepDim), n === 0 ? Number.NaN : 1 / n);
}

export interface VarOptions {
  /** Divide by n − correction (default 1: Bessel's correction, `unbiased=True`; 0 gives the population variance). */
  correction?: number;
  keepDim?: boolean;
}

/**
 * `torch.var(x, dim, correction=1, keepdim)`: Σ(x − mean)² / (n − correction), composed of
 * mean, sub, mul and sum. n ≤ correction gives NaN/∞ as PyTorch (with its warning).
 */
export function variance<D extends DType>(x: Tensor<D>, dim?: Dims, options?: VarOptions): Tensor<Floatish<D>>;
export function variance(x: Tensor, dim?: Dims, options: VarOptions = {}): Tensor {
  floatInput(x, 'var', 'input');
  const correction = options.correction ?? 1;
  if (typeof correction !== 'number' || !(correction >= 0))
    fail({ fn: 'var', argument: 'correction', value: formatValue(correction), rule: 'it must be a number ≥ 0' });
  const dims = normalizeDims(dim, x.ndim, 'var');
  const n = countOf(x, dims);
  const centred = sub(x, mean(x, dims, true));
  return mul(sum(mul(centred, centred), dims, options.keepDim ?? false), 1 / Math.max(0, n - correction));
}

/** `torch.std(x, dim, correction=1, keepdim)` = √var. */
export function std<D extends DType>(x: Tensor<D>, dim?: Dims, options?: VarOptions): Tensor<Floatish<D>>;
export function std(x: Tensor, dim?: Dims, options: VarOptions = {}): Tensor {
  return sqrt(variance(x, dim, options));
}

/** Index of the first maximum (or minimum) of every lane along `d`; NaN wins (its first index), as torch.max. */
function argExtreme(x: Tensor, d: number, largest: boolean): Int32Array {
  const { outer, size, inner } = axisLayout(x.shape, d);
  const src = floats(x);
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let best = 0;
      let bestValue = src[base];
      if (bestValue === bestValue) {
        for (let k = 1; k < size; k++) {
          const v = src[base + k * inner];
          if (v !== v) {
            best = k;
            break;
          }
          if (largest ? v > bestValue : v < bestValue) {
            best = k;
            bestValue = v;
          }
        }
      }
      out[o * inner + i] = best;
    }
  }
  return out;
}

function checkReducible(x: Tensor, d: number, fn: string): void {
  if (x.ndim > 0 && x.shape[d] === 0)
    fail({ fn, argument: 'input', value: `a tensor with 0 elements along dim ${d}`, rule: 'the reduction needs at least one element (it has no identity)' });
}

/** `torch.argmax(x, dim, keepdim)` as int32 (over the flattened tensor when `dim` is omitted). */
export function argmax(x: Tensor, dim?: number, keepDim = false): Tensor {
  return argOf(x, dim, keepDim, true, 'argmax');
}

/** `torch.argmin(x, dim, keepdim)` as int32. */
export function argmin(x: Tensor, dim?: number, keepDim = false): Tensor {
  return argOf(x, dim, keepDim, false, 'argmin');
}

function argOf(x: Tensor, dim: number | undefined, keepDim: boolean, largest: boolean, fn: string): Tensor {
  floatInput(x, fn, 'input');
  if (dim === undefined) {
    const flat = x.reshape(x.size);
    checkReducible(flat, 0, fn);
    return new Tensor(argExtreme(flat, 0, largest), keepDim ? x.shape.map(() => 1) : []);
  }
  const [d] = normalizeDims(dim, x.ndim, fn);
  checkReducible(x, d, fn);
  return new Tensor(argExtreme(x, d, largest), outShape(x.shape, x.ndim === 0 ? [] : [d], keepDim));
}

/** Values and int32 indices of a reduction along a dimension (`torch.return_types.max`). */
export interface ValuesIndices {
  readonly values: Tensor;
  readonly indices: Tensor;
}

/**
 * `torch.max(x)`: the largest element (NaN if any is NaN); its gradient is shared evenly by the
 * elements equal to it, as PyTorch's. `torch.max(x, dim, keepdim)`: `{ values, indices }` of the
 * first maximum of every lane; the gradient goes to that index.
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepDim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number, keepDim = false): Tensor | ValuesIndices {
  return dim === undefined ? extremeAll(x, true, 'max') : extremeAlong(x, dim, keepDim, true, 'max');
}

/** `torch.min`, like `max`. */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepDim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number, keepDim = false): Tensor | ValuesIndices {
  return dim === undefined ? extremeAll(x, false, 'min') : extremeAlong(x, dim, keepDim, false, 'min');
}

/** `torch.amax(x, dim, keepdim)`: the values of `max` along `dim`. */
export function amax<D extends DType>(x: Tensor<D>, dim: number, keepDim?: boolean): Tensor<Floatish<D>>;
export function amax(x: Tensor, dim: number, keepDim = false): Tensor {
  return extremeAlong(x, dim, keepDim, true, 'amax').values;
}

/** `torch.amin(x, dim, keepdim)`. */
export function amin<D extends DType>(x: Tensor<D>, dim: number, keepDim?: boolean): Tensor<Floatish<D>>;
export function amin(x: Tensor, dim: number, keepDim = false): Tensor {
  return extremeAlong(x, dim, keepDim, false, 'amin').values;
}

function extremeAlong(x: Tensor, dim: number, keepDim: boolean, largest: boolean, fn: string): ValuesIndices {
  floatInput(x, fn, 'input');
  if (x.ndim === 0) return { values: x.reshape(), indices: new Tensor(new Int32Array(1), []) };
  const [d] = normalizeDims(dim, x.ndim, fn);
  checkReducible(x, d, fn);
  const kept = keptShape(x.shape, [d]);
  const idx = new Tensor(argExtreme(x, d, largest), kept);
  const values = gather(x, d, idx);
  const shape = outShape(x.shape, [d], keepDim);
  return { values: keepDim ? values : values.reshape(...shape), indices: keepDim ? idx : idx.reshape(...shape) };
}

function extremeAll(x: Tensor, largest: boolean, fn: string): Tensor {
  floatInput(x, fn, 'input');
  if (x.size === 0) fail({ fn, argument: 'input', value: 'an empty tensor', rule: 'the reduction needs at least one element (it has no identity)' });
  const src = floats(x);
  const at = argExtreme(x.reshape(x.size), 0, largest)[0];
  const best = src[at];
  const out = allocate(x.dtype, 1) as FloatArray;
  out[0] = best;
  return record(
    new Tensor(out, []),
    fn,
    [x],
    (g) => {
      // evenly among the elements equal to the extreme (PyTorch's evenly_distribute_backward)
      const share = allocate(x.dtype, x.size) as FloatArray;
      let count = 0;
      const nan = best !== best;
      for (let i = 0; i < src.length; i++) if (nan ? src[i] !== src[i] : src[i] === best) count++;
      for (let i = 0; i < src.length; i++) if (nan ? src[i] !== src[i] : src[i] === best) share[i] = 1 / count;
      return [mul(broadcastTo(g, x.shape), new Tensor(share, x.shape))];
    },
    true,
  );
}
