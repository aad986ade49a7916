import { isGradEnabled } from './gradMode.js';
import type { Backward, GraphTensor } from './node.js';

/**
 * Attaches a backward function to `output` when grad mode is on and some input requires a
 * gradient (the tensor layer's `record` is this, typed for `Tensor`).
 *
 * `differentiable` says how the gradient itself is differentiated (double backward, `createGraph`):
 * `true` when `backward` is built from recorded operations (PyTorch's approach: the gradient
 * formulas are themselves differentiable ops), a second function that is, or omitted when the
 * operation supports first derivatives only.
 */
export function recordNode<T extends GraphTensor<T>, O extends T>(
  output: O,
  name: string,
  inputs: readonly T[],
  backward: Backward<T>,
  differentiable?: Backward<T> | true,
): O {
  if (!isGradEnabled() || !inputs.some((t) => t.requiresGrad)) return output;
  output.requiresGrad = true;
  output.gradFn = { name, inputs, backward, differentiable: differentiable === true ? backward : (differentiable ?? null), released: false };
  return output;
}
