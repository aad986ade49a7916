import { runGraph } from '../autograd/engine.js';
import { enableGrad } from '../autograd/gradMode.js';
import { fail } from '../errors.js';
import { backwardFrom, seedGradients, tensorAlgebra, type BackwardOptions, type Tensor } from './tensor.js';

export interface GradOptions {
  /** The gradient of each output (`grad_outputs`); omitted entries mean ones for one-element outputs. */
  gradOutputs?: Tensor | readonly (Tensor | undefined)[];
  /** Keep the graph for another backward pass (default: `createGraph`). */
  retainGraph?: boolean;
  /** Record the backward pass, so the returned gradients can be differentiated again (default false). */
  createGraph?: boolean;
  /** Return `null` for an input the outputs do not depend on, instead of failing (default false). */
  allowUnused?: boolean;
}

/**
 * The gradients of `outputs` with respect to `inputs`, like `torch.autograd.grad`: returns one
 * tensor per input (leaf or not) and leaves every `.grad` untouched. With `createGraph: true` the
 * gradients are built from recorded operations, so a penalty on them can be back-propagated
 * (double backward), as the IRM penalty does:
 *
 *   const [g] = grad(loss, [scale], { createGraph: true });  // torch.autograd.grad(loss, [scale], create_graph=True)
 *   sum(mul(g, g)).backward();
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options?: GradOptions & { allowUnused?: false }): Tensor[];
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptions): (Tensor | null)[];
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptions = {}): (Tensor | null)[] {
  const fn = 'grad';
  const roots = Array.isArray(outputs) ? (outputs as readonly Tensor[]) : [outputs as Tensor];
  const targets = Array.isArray(inputs) ? (inputs as readonly Tensor[]) : [inputs as Tensor];
  const given =
    options.gradOutputs === undefined ? roots.map(() => undefined) : Array.isArray(options.gradOutputs) ? options.gradOutputs : [options.gradOutputs];
  targets.forEach((t, i) => {
    if (!t.requiresGrad) {
      fail({ fn, argument: `inputs[${i}]`, value: t.toString(), rule: 'every input must require grad (one of the differentiated tensors does not)' });
    }
  });
  const seeds = seedGradients(fn, roots, given as readonly (Tensor | undefined)[]);
  const createGraph = options.createGraph ?? false;
  const found = new Map<Tensor, Tensor>();
  runGraph(fn, roots, seeds, { createGraph, retainGraph: options.retainGraph ?? createGraph, targets, onTarget: (t, g) => found.set(t, g) }, tensorAlgebra);
  return targets.map((t, i) => {
    const g = found.get(t);
    if (g !== undefined) return g;
    if (options.allowUnused) return null;
    return fail({
      fn,
      argument: `inputs[${i}]`,
      value: t.toString(),
      rule: 'the outputs do not depend on it (one of the differentiated tensors appears not to have been used in the graph)',
      fix: 'Pass { allowUnused: true } to get null for it.',
    });
  });
}

/** `torch.autograd.backward(tensors, grad_tensors)`: accumulates into the leaves' `.grad`. */
export function backward(tensors: Tensor | readonly Tensor[], gradTensors?: Tensor | readonly (Tensor | undefined)[], options: BackwardOptions = {}): void {
  const roots = Array.isArray(tensors) ? (tensors as readonly Tensor[]) : [tensors as Tensor];
  const given = gradTensors === undefined ? roots.map(() => undefined) : Array.isArray(gradTensors) ? gradTensors : [gradTensors];
  backwardFrom(roots, given as readonly (Tensor | undefined)[], options, 'backward');
}

/**
 * A differentiable backward for a hand-fused operation: recomputes the operation from recorded
 * primitives (`composed`, same value as the fused kernel) and differentiates that with
 * `createGraph`. The fused kernel keeps the fast first-order backward; this runs only for double
 * backward (as PyTorch differentiates `log_softmax_backward` and friends by formula).
 */
export function recomputedBackward(inputs: readonly Tensor[], composed: () => Tensor): (g: Tensor) => (Tensor | null)[] {
  return (g) => {
    const wanted = inputs.filter((t) => t.requiresGrad);
    const out = enableGrad(composed);
    const grads = grad([out], wanted, { gradOutputs: [g], createGraph: true, retainGraph: true, allowUnused: true });
    return inputs.map((t) => (t.requiresGrad ? grads[wanted.indexOf(t)] : null));
  };
}
