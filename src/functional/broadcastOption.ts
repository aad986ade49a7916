import { fail, formatShape } from '../errors.js';
import type { FloatDType } from '../tensor/dtype.js';
import { sizeOf, stridesOf, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Expands an option tensor (a loss's `weight`, `posWeight`) to `shape` by NumPy/PyTorch
 * broadcasting — dimensions aligned from the right, each equal or 1, missing leading ones added —
 * without enlarging `shape` (PyTorch multiplies the loss in place, which refuses that too).
 * Returns one float64 value per element of `shape`, in row-major order.
 */
export function broadcastOption(option: Tensor<FloatDType>, shape: Shape, fn: string, argument: string, hint: string): Float64Array {
  const offset = shape.length - option.ndim;
  const fits = offset >= 0 && option.shape.every((d, i) => d === 1 || d === shape[offset + i]);
  if (!fits) {
    fail({
      fn,
      argument,
      value: `of shape ${formatShape(option.shape)}`,
      rule: `it must broadcast to the shape of 'input' ${formatShape(shape)} (dimensions aligned from the right must be equal or 1, and it may not have more dimensions than 'input')`,
      fix: hint,
    });
  }
  const out = new Float64Array(sizeOf(shape));
  const outStrides = stridesOf(shape);
  const optionStrides = stridesOf(option.shape);
  for (let i = 0; i < out.length; i++) {
    let source = 0;
    for (let k = 0; k < option.ndim; k++) {
      if (option.shape[k] === 1) continue;
      const coordinate = Math.floor(i / outStrides[offset + k]) % shape[offset + k];
      source += coordinate * optionStrides[k];
    }
    out[i] = option.data[source];
  }
  return out;
}
