import { fail, formatShape, formatValue } from '../../errors.js';
import { allocate } from '../dtype.js';
import { axisLayout, shapesEqual, sizeOf } from '../shape.js';
import type { DType } from '../dtype.js';
import { record, Tensor } from '../tensor.js';
import { describe, indexInput, normalizeDims } from './util.js';

/**
 * Indexing: slicing (`narrow`, `slice`, `select`), `indexSelect`, `gather` and its adjoint
 * `scatterAdd`, `cat`, `stack`, `split`. Each gradient is the adjoint operation (slice ↔ pad with
 * zeros, indexSelect ↔ indexAdd, gather ↔ scatterAdd, cat ↔ slices), itself recorded, so every one
 * is differentiable any number of times. Indices are int32 tensors; negative indices are refused
 * (PyTorch accepts them in some ops and not others).
 */

function dimOf(x: Tensor, dim: number, fn: string): number {
  if (x.ndim === 0) fail({ fn, argument: 'input', value: 'a scalar', rule: 'it must have at least one dimension' });
  return normalizeDims(dim, x.ndim, fn)[0];
}

/** Elements `start, start + step, …` below `end` along `dim`, as Python's `x[..., start:end:step]` (bounds clamped; negative ones count from the end). */
export function slice<D extends DType>(x: Tensor<D>, dim: number, start?: number, end?: number, step?: number): Tensor<D>;
export function slice(x: Tensor, dim: number, start?: number, end?: number, step = 1): Tensor {
  const fn = 'slice';
  const d = dimOf(x, dim, fn);
  const size = x.shape[d];
  if (!Number.isInteger(step) || step < 1) fail({ fn, argument: 'step', value: formatValue(step), rule: 'it must be a positive integer (as in PyTorch)' });
  const resolve = (v: number | undefined, fallback: number, name: string): number => {
    if (v === undefined) return fallback;
    if (!Number.isInteger(v)) fail({ fn, argument: name, value: formatValue(v), rule: 'it must be an integer' });
    const r = v < 0 ? v + size : v;
    return Math.min(Math.max(r, 0), size);
  };
  const s = resolve(start, 0, 'start');
  const e = Math.max(resolve(end, size, 'end'), s);
  const count = Math.ceil((e - s) / step);
  return takeAlong(x, d, count, (k) => s + k * step, 'slice');
}

/** `torch.narrow(x, dim, start, length)`: `length` elements from `start` along `dim` (must fit). */
export function narrow<D extends DType>(x: Tensor<D>, dim: number, start: number, length: number): Tensor<D>;
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const fn = 'narrow';
  const d = dimOf(x, dim, fn);
  const size = x.shape[d];
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(s) || s < 0 || s > size) fail({ fn, argument: 'start', value: formatValue(start), rule: `it must lie in [${-size}, ${size}]` });
  if (!Number.isInteger(length) || length < 0 || s + length > size) {
    fail({ fn, argument: 'length', value: formatValue(length), rule: `start + length must not exceed the dimension's size ${size}` });
  }
  return takeAlong(x, d, length, (k) => s + k, 'narrow');
}

/** `x.select(dim, index)` (`x[..., index]`): removes `dim`. */
export function select<D extends DType>(x: Tensor<D>, dim: number, index: number): Tensor<D>;
export function select(x: Tensor, dim: number, index: number): Tensor {
  const fn = 'select';
  const d = dimOf(x, dim, fn);
  const size = x.shape[d];
  const i = index < 0 ? index + size : index;
  if (!Number.isInteger(i) || i < 0 || i >= size) fail({ fn, argument: 'index', value: formatValue(index), rule: `it must lie in [${-size}, ${size - 1}]` });
  const taken = takeAlong(x, d, 1, () => i, 'select');
  return taken.reshape(...x.shape.filter((_, k) => k !== d));
}

/** Copies `count` slices along `d`, slice k from position `at(k)`; the gradient adds them back at those positions. */
function takeAlong(x: Tensor, d: number, count: number, at: (k: number) => number, name: string): Tensor {
  const positions = new Int32Array(count);
  for (let k = 0; k < count; k++) positions[k] = at(k);
  return indexAlong(x, d, positions, name);
}

function indexAlong(x: Tensor, d: number, positions: Int32Array, name: string): Tensor {
  const { outer, size, inner } = axisLayout(x.shape, d);
  const count = positions.length;
  const shape = x.shape.map((s, k) => (k === d ? count : s));
  const out = allocate(x.dtype, sizeOf(shape));
  const src = x.data;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < count; k++) {
      const from = (o * size + positions[k]) * inner;
      out.set(src.subarray(from, from + inner), (o * count + k) * inner);
    }
  }
  return record(new Tensor(out, shape), name, [x], (g) => [indexAddAlong(g, d, positions, size)], true);
}

/** Zeros of the input's shape with slice k of `g` added at position `positions[k]` along `d` (the adjoint of `indexAlong`). */
function indexAddAlong(g: Tensor, d: number, positions: Int32Array, size: number): Tensor {
  const shape = g.shape.map((s, k) => (k === d ? size : s));
  const { outer, inner } = axisLayout(g.shape, d);
  const count = positions.length;
  const out = allocate(g.dtype, sizeOf(shape));
  const src = g.data;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < count; k++) {
      const from = (o * count + k) * inner;
      const to = (o * size + positions[k]) * inner;
      for (let i = 0; i < inner; i++) out[to + i] += src[from + i];
    }
  }
  return record(new Tensor(out, shape), 'indexAdd', [g], (gg) => [indexAlong(gg, d, positions, 'indexSelect')], true);
}

function checkIndices(values: Int32Array, bound: number, fn: string, argument: string, shape: readonly number[]): void {
  for (let i = 0; i < values.length; i++) {
    if (values[i] < 0 || values[i] >= bound) {
      fail({ fn, argument, value: `${values[i]} at flat position ${i} of ${formatShape(shape)}`, rule: `indices must lie in [0, ${bound - 1}]` });
    }
  }
}

/** `torch.index_select(x, dim, index)`: the slices at a 1-D int32 `index` along `dim` (repeats allowed). */
export function indexSelect<D extends DType>(x: Tensor<D>, dim: number, index: Tensor): Tensor<D>;
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const fn = 'indexSelect';
  const d = dimOf(x, dim, fn);
  const positions = indexInput(index, fn, 'index');
  if (index.ndim > 1) fail({ fn, argument: 'index', value: formatShape(index.shape), rule: 'it must be 1-D' });
  checkIndices(positions, x.shape[d], fn, 'index', index.shape);
  return indexAlong(x, d, Int32Array.from(positions), fn);
}

/**
 * `torch.gather(x, dim, index)`: `out[i][j][k] = x[index[i][j][k]][j][k]` for dim 0 (and so on).
 * `index` has x's number of dimensions and sizes no larger than x's outside `dim`; the output has
 * index's shape. The gradient is `scatterAdd` into zeros.
 */
export function gather<D extends DType>(x: Tensor<D>, dim: number, index: Tensor): Tensor<D>;
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const fn = 'gather';
  const d = dimOf(x, dim, fn);
  const idx = indexInput(index, fn, 'index');
  if (index.ndim !== x.ndim || index.shape.some((s, k) => k !== d && s > x.shape[k])) {
    fail({
      fn,
      argument: 'index',
      value: formatShape(index.shape),
      rule: `it must have the input's ${x.ndim} dimensions, each no larger than the input's ${formatShape(x.shape)} except along dim ${d}`,
    });
  }
  checkIndices(idx, x.shape[d], fn, 'index', index.shape);
  const out = allocate(x.dtype, index.size);
  const src = x.data;
  forEachIndexed(index.shape, x.shape, d, idx, (i, at) => {
    out[i] = src[at];
  });
  return record(new Tensor(out, index.shape), fn, [x], (g) => [scatterAdd(zerosOf(x), d, index, g)], true);
}

function zerosOf(x: Tensor): Tensor {
  return new Tensor(allocate(x.dtype, x.size), x.shape);
}

/** Visits each element i of `index` (shape `ishape`) with the flat offset in a tensor of shape `xshape` it points to along `d`. */
function forEachIndexed(ishape: readonly number[], xshape: readonly number[], d: number, idx: Int32Array, visit: (i: number, at: number) => void): void {
  const rank = ishape.length;
  const xStrides = new Array<number>(rank);
  let s = 1;
  for (let k = rank - 1; k >= 0; k--) {
    xStrides[k] = s;
    s *= xshape[k];
  }
  const counter = new Array<number>(rank).fill(0);
  let base = 0; // offset in x without dimension d
  for (let i = 0; i < idx.length; i++) {
    visit(i, base + idx[i] * xStrides[d]);
    for (let k = rank - 1; k >= 0; k--) {
      counter[k]++;
      if (k !== d) base += xStrides[k];
      if (counter[k] < ishape[k]) break;
      if (k !== d) base -= xStrides[k] * ishape[k];
      counter[k] = 0;
    }
  }
}

/**
 * `torch.scatter_add(x, dim, index, src)`: a copy of x with `src[i][j][k]` added at
 * `[index[i][j][k]][j][k]` (dim 0, and so on). Gradients: g w.r.t. x, `gather(g, dim, index)` w.r.t. src.
 */
export function scatterAdd<D extends DType>(x: Tensor<D>, dim: number, index: Tensor, src: Tensor<D>): Tensor<D>;
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const fn = 'scatterAdd';
  const d = dimOf(x, dim, fn);
  const idx = indexInput(index, fn, 'index');
  if (src.dtype !== x.dtype) fail({ fn, argument: 'src', value: src.dtype, rule: `it must have the input's dtype ${x.dtype}` });
  if (index.ndim !== x.ndim || index.shape.some((s, k) => s > src.shape[k] || (k !== d && s > x.shape[k]))) {
    fail({
      fn,
      argument: 'index',
      value: formatShape(index.shape),
      rule: `its sizes must not exceed src's ${formatShape(src.shape)}, nor the input's ${formatShape(x.shape)} outside dim ${d}`,
    });
  }
  checkIndices(idx, x.shape[d], fn, 'index', index.shape);
  const out = x.data.slice();
  const from = src.data;
  const sameShape = shapesEqual(index.shape, src.shape);
  const srcStrides = src.shape.map((_, k) => src.shape.slice(k + 1).reduce((p, v) => p * v, 1));
  const indexStrides = index.shape.map((_, k) => index.shape.slice(k + 1).reduce((p, v) => p * v, 1));
  forEachIndexed(index.shape, x.shape, d, idx, (i, at) => {
    let si = i;
    if (!sameShape) {
      si = 0;
      let rest = i;
      for (let k = 0; k < index.ndim; k++) {
        const c = Math.floor(rest / indexStrides[k]);
        rest -= c * indexStrides[k];
        si += c * srcStrides[k];
      }
    }
    out[at] += from[si];
  });
  return record(
    new Tensor(out, x.shape),
    fn,
    [x, src],
    (g) => [x.requiresGrad ? g : null, src.requiresGrad ? padTo(gather(g, d, index), src.shape) : null],
    true,
  );
}

/** Places `t` at the start of zeros of `shape` (when src is larger than index in scatterAdd). */
function padTo(t: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(t.shape, shape)) return t;
  let out = t;
  for (let k = 0; k < shape.length; k++) {
    if (out.shape[k] === shape[k]) continue;
    const extra = new Tensor(
      allocate(t.dtype, sizeOf(out.shape.map((s, j) => (j === k ? shape[k] - s : s)))),
      out.shape.map((s, j) => (j === k ? shape[k] - s : s)),
    );
    out = cat([out, extra], k);
  }
  return out;
}

/** `torch.cat(tensors, dim)`: joins tensors of one dtype whose shapes agree except along `dim`. */
export function cat<D extends DType>(tensors: readonly Tensor<D>[], dim?: number): Tensor<D>;
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  const fn = 'cat';
  if (tensors.length === 0) fail({ fn, argument: 'tensors', value: '[]', rule: 'it must hold at least one tensor' });
  const first = tensors[0];
  const d = dimOf(first, dim, fn);
  tensors.forEach((t, i) => {
    if (t.dtype !== first.dtype) fail({ fn, argument: `tensors[${i}]`, value: t.dtype, rule: `every tensor must have the first one's dtype ${first.dtype}` });
    if (t.ndim !== first.ndim || t.shape.some((s, k) => k !== d && s !== first.shape[k])) {
      fail({ fn, argument: `tensors[${i}]`, value: describe(t), rule: `its shape must match ${formatShape(first.shape)} except along dim ${d}` });
    }
  });
  const sizes = tensors.map((t) => t.shape[d]);
  const total = sizes.reduce((a, b) => a + b, 0);
  const shape = first.shape.map((s, k) => (k === d ? total : s));
  const { outer, inner } = axisLayout(shape, d);
  const out = allocate(first.dtype, sizeOf(shape));
  let offset = 0;
  tensors.forEach((t, i) => {
    const chunk = sizes[i] * inner;
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * chunk, (o + 1) * chunk), o * total * inner + offset * inner);
    offset += sizes[i];
  });
  return record(
    new Tensor(out, shape),
    fn,
    tensors,
    (g) => {
      let start = 0;
      return tensors.map((t, i) => {
        const part = t.requiresGrad ? narrow(g, d, start, sizes[i]) : null;
        start += sizes[i];
        return part;
      });
    },
    true,
  );
}

/** `torch.stack(tensors, dim)`: joins tensors of one shape along a new dimension. */
export function stack<D extends DType>(tensors: readonly Tensor<D>[], dim?: number): Tensor<D>;
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  const fn = 'stack';
  if (tensors.length === 0) fail({ fn, argument: 'tensors', value: '[]', rule: 'it must hold at least one tensor' });
  const first = tensors[0];
  const rank = first.ndim + 1;
  if (!Number.isInteger(dim) || dim < -rank || dim >= rank)
    fail({ fn, argument: 'dim', value: formatValue(dim), rule: `it must lie in [${-rank}, ${rank - 1}]` });
  const d = dim < 0 ? dim + rank : dim;
  tensors.forEach((t, i) => {
    if (!shapesEqual(t.shape, first.shape))
      fail({ fn, argument: `tensors[${i}]`, value: describe(t), rule: `every tensor must have the first one's shape ${formatShape(first.shape)}` });
  });
  return cat(
    tensors.map((t) => t.reshape(...t.shape.slice(0, d), 1, ...t.shape.slice(d))),
    d,
  );
}

/** `torch.split(x, size, dim)`: pieces of `size` along `dim` (the last may be smaller), or of the listed sizes. */
export function split<D extends DType>(x: Tensor<D>, size: number | readonly number[], dim?: number): Tensor<D>[];
export function split(x: Tensor, size: number | readonly number[], dim = 0): Tensor[] {
  const fn = 'split';
  const d = dimOf(x, dim, fn);
  const total = x.shape[d];
  let sizes: number[];
  if (typeof size === 'number') {
    if (!Number.isInteger(size) || size < 1) fail({ fn, argument: 'size', value: formatValue(size), rule: 'it must be a positive integer' });
    sizes = [];
    for (let s = 0; s < total; s += size) sizes.push(Math.min(size, total - s));
    if (sizes.length === 0) sizes.push(0);
  } else {
    sizes = [...size];
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || sizes.reduce((a, b) => a + b, 0) !== total) {
      fail({ fn, argument: 'size', value: formatValue(sizes), rule: `the sizes must be non-negative integers summing to the dimension's size ${total}` });
    }
  }
  let start = 0;
  return sizes.map((s) => {
    const part = narrow(x, d, start, s);
    start += s;
    return part;
  });
}

/** `torch.chunk(x, chunks, dim)`: `chunks` pieces of ⌈size / chunks⌉ (the last smaller, fewer if it runs out). */
export function chunk<D extends DType>(x: Tensor<D>, chunks: number, dim?: number): Tensor<D>[];
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks < 1) fail({ fn: 'chunk', argument: 'chunks', value: formatValue(chunks), rule: 'it must be a positive integer' });
  const d = dimOf(x, dim, 'chunk');
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}
