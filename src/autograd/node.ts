import type { Tensor } from '../tensor/tensor.js';

/**
 * A node of the reverse-mode graph: the operation that produced a tensor, its inputs, and the
 * vector–Jacobian product that maps the output's gradient to one gradient per input (`null` for an
 * input that needs none, such as integer targets).
 */
export interface GradNode {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  backward(gradOutput: Tensor): readonly (Tensor | null)[];
}
