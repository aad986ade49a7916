import { fail, formatShape, formatValue } from '../errors.js';

export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar `[]`). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Resolves a possibly negative axis as PyTorch does: `dim` in [-ndim, ndim-1]; a scalar accepts
 * 0 and -1. Throws a clear error otherwise.
 */
export function normalizeAxis(dim: number, ndim: number, fn: string, argument = 'dim'): number {
  const rank = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -rank || dim >= rank) {
    fail({
      fn,
      argument,
      value: formatValue(dim),
      rule: `it must be an integer in [${-rank}, ${rank - 1}] for a tensor with ${ndim} dimension${ndim === 1 ? '' : 's'}`,
    });
  }
  return dim < 0 ? dim + rank : dim;
}

/** Validates a shape given by a user: non-negative integers. */
export function checkShape(shape: Shape, fn: string, argument = 'shape'): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      fail({ fn, argument, value: formatShape(shape), rule: 'every dimension must be a non-negative integer' });
    }
  }
}

/**
 * Splits a shape around `axis` into (outer, size, inner) so that element (o, k, i) lives at
 * `o * size * inner + k * inner + i` in row-major order. Every reduction along an axis uses this.
 */
export function axisLayout(shape: Shape, axis: number): { outer: number; size: number; inner: number } {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return { outer, size: shape.length === 0 ? 1 : shape[axis], inner };
}

/** NumPy/PyTorch broadcasting of two shapes; throws when they are incompatible. */
export function broadcastShapes(a: Shape, b: Shape, fn: string, names: [string, string] = ['a', 'b']): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      fail({
        fn,
        argument: names[1],
        value: `of shape ${formatShape(b)}`,
        rule: `it must broadcast with '${names[0]}' of shape ${formatShape(a)} (dimensions must match or be 1, aligned from the right)`,
      });
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}
