import { fail, formatShape, formatValue } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';

/** An int or a pair (height, width), as PyTorch's `_pair` arguments. */
export type Pair = number | readonly [number, number];

/** Resolves a pair argument, checking each is an integer ≥ `min`. */
export function pair(value: Pair, fn: string, argument: string, min: number): [number, number] {
  const p: readonly number[] = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(p) || p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < min)) {
    fail({ fn, argument, value: formatValue(value), rule: `it must be an integer ≥ ${min}, or a pair [height, width] of them` });
  }
  return [p[0], p[1]];
}

/** Checks a float input of rank 4 `[N, C, H, W]` (or 3 `[C, H, W]`, as PyTorch accepts); returns it as 4-D and whether it was batched. */
export function imageBatch(input: Tensor, fn: string): { x: Tensor; batched: boolean } {
  if (input.dtype !== 'float32' && input.dtype !== 'float64') fail({ fn, argument: 'input', value: input.dtype, rule: 'it must be float32 or float64' });
  if (input.ndim !== 3 && input.ndim !== 4) {
    fail({ fn, argument: 'input', value: `of shape ${formatShape(input.shape)}`, rule: 'it must be 4-D [N, C, H, W] (or 3-D [C, H, W] for one image)' });
  }
  const x = input.ndim === 3 ? input.reshape(1, ...input.shape) : input;
  if (x.shape[0] === 0) fail({ fn, argument: 'input', value: `of shape ${formatShape(input.shape)}`, rule: 'the batch is empty; it needs at least one image' });
  return { x, batched: input.ndim === 4 };
}

/** Checks that `t` has `input`'s float dtype. */
export function sameDType(fn: string, argument: string, t: Tensor, input: Tensor): void {
  if (t.dtype !== input.dtype) {
    fail({
      fn,
      argument,
      value: t.dtype,
      rule: `it must have the input's dtype ${input.dtype}; losslab does not promote dtypes`,
      fix: "Convert it with .to('float32') or .to('float64').",
    });
  }
}
