import type { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './gradMode.js';

/**
 * Attaches a backward function to `output` when grad mode is on and some input requires a
 * gradient. Operations call this right after computing their value, so forward and backward sit
 * side by side in each operation's file.
 */
export function record<T extends Tensor>(output: T, name: string, inputs: readonly Tensor[], backward: (gradOutput: Tensor) => readonly (Tensor | null)[]): T {
  if (!isGradEnabled() || !inputs.some((t) => t.requiresGrad)) return output;
  output.requiresGrad = true;
  output.gradFn = { name, inputs, backward };
  return output;
}
