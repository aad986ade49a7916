import { fail, formatShape } from '../../errors.js';
import { allocate } from '../dtype.js';
import { shapesEqual, sizeOf, stridesOf, type Shape } from '../shape.js';
import type { DType } from '../dtype.js';
import { record, Tensor } from '../tensor.js';
import { broadcastStrides, forEachRow } from './broadcast.js';
import { normalizeDims } from './util.js';

/**
 * Shape operations: reshape, flatten, squeeze/unsqueeze, permute/transpose, broadcastTo (expand)
 * and its adjoint sumTo. losslab tensors are contiguous, so permute and broadcastTo copy; each
 * gradient is the inverse operation (permute ↔ inverse permutation, broadcastTo ↔ sumTo), so all
 * of them are differentiable any number of times.
 */

/** `torch.reshape(x, shape)`: shares the data. */
export function reshape<D extends DType>(x: Tensor<D>, shape: readonly number[]): Tensor<D>;
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  return x.reshape(...shape);
}

/** `torch.flatten(x, startDim, endDim)`. */
export function flatten<D extends DType>(x: Tensor<D>, startDim?: number, endDim?: number): Tensor<D>;
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return x.reshape(1);
  const [s, e] = normalizeDims([startDim], x.ndim, 'flatten').concat(normalizeDims([endDim], x.ndim, 'flatten'));
  if (s > e) fail({ fn: 'flatten', argument: 'startDim', value: String(startDim), rule: `it must not come after endDim (${endDim})` });
  const shape = [...x.shape.slice(0, s), x.shape.slice(s, e + 1).reduce((p, d) => p * d, 1), ...x.shape.slice(e + 1)];
  return x.reshape(...shape);
}

/** `torch.unsqueeze(x, dim)`: a new dimension of size 1 at `dim` (in [-ndim-1, ndim]). */
export function unsqueeze<D extends DType>(x: Tensor<D>, dim: number): Tensor<D>;
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const rank = x.ndim + 1;
  if (!Number.isInteger(dim) || dim < -rank || dim >= rank) {
    fail({ fn: 'unsqueeze', argument: 'dim', value: String(dim), rule: `it must be an integer in [${-rank}, ${rank - 1}]` });
  }
  const d = dim < 0 ? dim + rank : dim;
  return x.reshape(...x.shape.slice(0, d), 1, ...x.shape.slice(d));
}

/** `torch.squeeze(x, dim?)`: removes dimensions of size 1 (only `dim` when given; a no-op if its size is not 1). */
export function squeeze<D extends DType>(x: Tensor<D>, dim?: number | readonly number[]): Tensor<D>;
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const dims = dim === undefined ? null : new Set(normalizeDims(dim, x.ndim, 'squeeze'));
  return x.reshape(...x.shape.filter((s, i) => !(s === 1 && (dims === null || dims.has(i)))));
}

/** `x.permute(dims)`: reorders the dimensions (a copy). */
export function permute<D extends DType>(x: Tensor<D>, dims: readonly number[]): Tensor<D>;
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const fn = 'permute';
  if (dims.length !== x.ndim) {
    fail({ fn, argument: 'dims', value: `[${dims.join(', ')}]`, rule: `it must list each of the ${x.ndim} dimensions of ${formatShape(x.shape)} once` });
  }
  const perm = dims.map((d) => (d < 0 ? d + x.ndim : d));
  if (perm.some((d) => !Number.isInteger(d) || d < 0 || d >= x.ndim) || new Set(perm).size !== perm.length) {
    fail({ fn, argument: 'dims', value: `[${dims.join(', ')}]`, rule: `it must be a permutation of 0…${x.ndim - 1}` });
  }
  if (perm.every((d, i) => d === i)) return x.reshape(...x.shape);
  const shape = perm.map((d) => x.shape[d]);
  const inStrides = stridesOf(x.shape);
  const out = allocate(x.dtype, x.size);
  const src = x.data;
  forEachRow(shape, [perm.map((d) => inStrides[d])], (offsets, length, o, inner) => {
    const s = inner[0];
    let at = offsets[0];
    for (let k = 0; k < length; k++, at += s) out[o + k] = src[at];
  });
  const inverse = new Array<number>(perm.length);
  perm.forEach((d, i) => {
    inverse[d] = i;
  });
  return record(new Tensor(out, shape), 'permute', [x], (g) => [permute(g, inverse)], true);
}

/** `torch.transpose(x, dim0, dim1)`: swaps two dimensions (a copy). */
export function transpose<D extends DType>(x: Tensor<D>, dim0: number, dim1: number): Tensor<D>;
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const [a, b] = [dim0, dim1].map((d) => normalizeDims([d], x.ndim, 'transpose')[0]);
  const perm = Array.from({ length: x.ndim }, (_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/** The transpose of a 2-D tensor (`x.t()`). */
export function t<D extends DType>(x: Tensor<D>): Tensor<D>;
export function t(x: Tensor): Tensor {
  if (x.ndim > 2) fail({ fn: 't', argument: 'input', value: formatShape(x.shape), rule: 'it must have at most 2 dimensions' });
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

/**
 * `x.expand(shape)` / `torch.broadcast_to`: repeats dimensions of size 1 (and adds leading ones)
 * to reach `shape`; -1 keeps a dimension. A copy; its gradient is `sumTo` the input's shape.
 */
export function broadcastTo<D extends DType>(x: Tensor<D>, shape: readonly number[]): Tensor<D>;
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  const fn = 'broadcastTo';
  const lead = shape.length - x.ndim;
  const target = shape.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead] : d));
  const ok = lead >= 0 && target.every((d, i) => Number.isInteger(d) && d >= 0 && (i < lead || x.shape[i - lead] === d || x.shape[i - lead] === 1));
  if (!ok) {
    fail({
      fn,
      argument: 'shape',
      value: formatShape(shape),
      rule: `a tensor of shape ${formatShape(x.shape)} broadcasts only to shapes that match it, or where it has size 1, aligned from the right`,
    });
  }
  if (shapesEqual(target, x.shape)) return x;
  const out = allocate(x.dtype, sizeOf(target));
  const src = x.data;
  forEachRow(target, [broadcastStrides(x.shape, target)], (offsets, length, o, inner) => {
    const s = inner[0];
    let at = offsets[0];
    for (let k = 0; k < length; k++, at += s) out[o + k] = src[at];
  });
  return record(new Tensor(out, target), 'broadcastTo', [x], (g) => [sumTo(g, x.shape)], true);
}

/**
 * Sums a tensor over the dimensions along which `shape` was broadcast to its shape (the adjoint of
 * `broadcastTo`; what the gradient of a broadcast operand needs). Accumulates in float64.
 */
export function sumTo<D extends DType>(x: Tensor<D>, shape: Shape): Tensor<D>;
export function sumTo(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const lead = x.ndim - shape.length;
  if (lead < 0 || shape.some((d, i) => d !== 1 && d !== x.shape[i + lead])) {
    fail({
      fn: 'sumTo',
      argument: 'shape',
      value: formatShape(shape),
      rule: `a tensor of shape ${formatShape(x.shape)} can only be summed to a shape that broadcasts to it`,
    });
  }
  const acc = new Float64Array(sizeOf(shape));
  const src = x.data;
  const block = keptBlock(x.shape, shape);
  if (block) {
    if (src instanceof Float32Array) sumBlock(src, acc, block[0], block[1], block[2]);
    else sumBlock(src as Float64Array, acc, block[0], block[1], block[2]);
    const out = allocate(x.dtype, acc.length);
    out.set(acc);
    return record(new Tensor(out, shape), 'sumTo', [x], (g) => [broadcastTo(g, x.shape)], true);
  }
  forEachRow(x.shape, [stridesOf(x.shape), broadcastStrides(shape, x.shape)], (offsets, length, _o, inner) => {
    const si = inner[0];
    const so = inner[1];
    let at = offsets[0];
    let to = offsets[1];
    if (so === 0) {
      let s = 0;
      for (let k = 0; k < length; k++, at += si) s += src[at];
      acc[to] += s;
    } else {
      for (let k = 0; k < length; k++, at += si, to += so) acc[to] += src[at];
    }
  });
  const out = allocate(x.dtype, acc.length);
  out.set(acc);
  return record(new Tensor(out, shape), 'sumTo', [x], (g) => [broadcastTo(g, x.shape)], true);
}

/**
 * `[outer, kept, inner]` when the dimensions `shape` keeps form one contiguous block of `from`
 * (every dimension before it and after it is summed: a bias gradient `[N, C, H, W]` → `[1, C, 1,
 * 1]`, `[N, F]` → `[1, F]`, a full sum), else null.
 */
function keptBlock(from: Shape, shape: Shape): [number, number, number] | null {
  const lead = from.length - shape.length;
  let first = -1;
  let last = -1;
  for (let d = 0; d < from.length; d++) {
    if (from[d] === 1 || d < lead || shape[d - lead] === 1) continue;
    if (first < 0) first = d;
    else if (last !== d - 1) return null;
    last = d;
  }
  if (first < 0) return [1, 1, sizeOf(from)];
  return [sizeOf(from.slice(0, first)), sizeOf(from.slice(first, last + 1)), sizeOf(from.slice(last + 1))];
}

/** acc[j] += Σ over the outer and inner blocks, each run of `inner` summed first (the order of the general path). */
function sumBlock(src: Float32Array | Float64Array, acc: Float64Array, outer: number, kept: number, inner: number): void {
  let at = 0;
  if (inner === 1) {
    // rows added to the kept row (a linear layer's bias gradient [N, F] → [1, F]): the same sums,
    // without a one-element inner loop per value (3× faster)
    for (let o = 0; o < outer; o++) for (let j = 0; j < kept; j++) acc[j] += src[at++];
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < kept; j++) {
      let s = 0;
      const end = at + inner;
      for (; at < end; at++) s += src[at];
      acc[j] += s;
    }
  }
}
