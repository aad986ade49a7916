import { fail, formatShape } from '../errors.js';
import { withGradMode } from './gradMode.js';
import type { GradNode, GraphTensor } from './node.js';

/** What the engine needs from the tensor layer: adding two gradients, and marking a gradient as final. */
export interface GradientAlgebra<T> {
  /** `previous + next`, two gradients of one tensor: a recorded addition when `createGraph`, else in place where safe. */
  accumulate(previous: T, next: T, createGraph: boolean): T;
  /** Under `createGraph`: a gradient from an operation without a differentiable backward, depending on `sources`, which fails if differentiated. */
  nonDifferentiable(gradient: T, operation: string, sources: readonly T[]): T;
}

export interface GraphRunOptions<T> {
  /** Record the backward pass so that the gradients can be differentiated again (`create_graph`). */
  readonly createGraph: boolean;
  /** Keep the nodes usable for another backward pass (`retain_graph`); otherwise they are released. */
  readonly retainGraph: boolean;
  /** The tensors whose gradients are wanted; `null` means every leaf that requires a gradient. */
  readonly targets: readonly T[] | null;
  /** Receives the total gradient of each target (leaf or not) that the roots depend on. */
  readonly onTarget: (target: T, gradient: T) => void;
}

/**
 * Runs the reverse pass from `roots` seeded with `seeds`: visits the graph in reverse topological
 * order, sums the gradient contributions that reach each tensor and hands each target's total to
 * `onTarget`. Only nodes that lead to a target run. With `createGraph` the nodes' differentiable
 * formulas run with grad mode on, so the gradients carry a graph of their own.
 */
export function runGraph<T extends GraphTensor<T>>(
  fn: string,
  roots: readonly T[],
  seeds: readonly T[],
  options: GraphRunOptions<T>,
  algebra: GradientAlgebra<T>,
): void {
  const order = topologicalOrder(roots);
  const targets = options.targets === null ? null : new Set(options.targets);
  const isTarget = (t: T): boolean => (targets === null ? t.gradFn === null : targets.has(t));
  // a node runs when one of its inputs leads to a target
  const leadsToTarget = new Set<T>();
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i];
    if (isTarget(t) || (t.gradFn?.inputs.some((x) => leadsToTarget.has(x)) ?? false)) leadsToTarget.add(t);
  }

  const grads = new Map<T, T>();
  roots.forEach((root, i) => {
    const previous = grads.get(root);
    grads.set(root, previous ? algebra.accumulate(previous, seeds[i], options.createGraph) : seeds[i]);
  });

  withGradMode(options.createGraph, () => {
    for (const t of order) {
      const g = grads.get(t);
      if (!g) continue;
      grads.delete(t);
      if (isTarget(t)) options.onTarget(t, g);
      const node = t.gradFn;
      if (!node?.inputs.some((x) => leadsToTarget.has(x))) continue;
      const inputGrads = runNode(fn, node, g, options.createGraph, algebra);
      if (!options.retainGraph) release(node);
      node.inputs.forEach((input, i) => {
        const ig = inputGrads[i];
        if (!ig || !input.requiresGrad || !leadsToTarget.has(input)) return;
        checkGradientShape(node.name, input, ig);
        const previous = grads.get(input);
        grads.set(input, previous ? algebra.accumulate(previous, ig, options.createGraph) : ig);
      });
    }
  });
}

function runNode<T extends GraphTensor<T>>(fn: string, node: GradNode<T>, g: T, createGraph: boolean, algebra: GradientAlgebra<T>): readonly (T | null)[] {
  if (node.released) {
    fail({
      fn,
      argument: 'retainGraph',
      value: 'false',
      rule: `the graph through '${node.name}' was freed by an earlier backward pass; a graph can be gone through a second time only when the first pass keeps it`,
      fix: 'Pass { retainGraph: true } to the first backward() or grad() call.',
    });
  }
  if (!createGraph) return node.backward(g);
  if (node.differentiable) return node.differentiable(g);
  const raw = withGradMode(false, () => node.backward(g));
  const sources = [g, ...node.inputs].filter((t) => t.requiresGrad);
  return raw.map((r) => (r === null ? null : algebra.nonDifferentiable(r, node.name, sources)));
}

function release<T>(node: GradNode<T>): void {
  node.released = true;
  // drop the closures and what they saved
  node.backward = releasedBackward;
  node.differentiable = null;
}

function releasedBackward(): never {
  throw new Error('losslab autograd: a released node ran');
}

function checkGradientShape<T extends GraphTensor<T>>(name: string, input: T, g: T): void {
  const a = input.shape;
  const b = (g as GraphTensor<T>).shape;
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    fail({
      fn: 'backward',
      argument: name,
      value: `a gradient of shape ${formatShape(b)}`,
      rule: `it must match its input's shape ${formatShape(a)}; the operation returned a gradient of the wrong shape`,
    });
  }
}

/** Tensors reachable from `roots` through inputs that require a gradient, each after all its consumers. */
function topologicalOrder<T extends GraphTensor<T>>(roots: readonly T[]): T[] {
  const visited = new Set<T>();
  const post: T[] = [];
  for (const root of roots) {
    if (visited.has(root)) continue;
    visited.add(root);
    const stack: [T, number][] = [[root, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [t, i] = top;
      const inputs = t.gradFn?.inputs ?? [];
      if (i < inputs.length) {
        top[1] = i + 1;
        const next = inputs[i];
        if (next.requiresGrad && !visited.has(next)) {
          visited.add(next);
          stack.push([next, 0]);
        }
      } else {
        post.push(t);
        stack.pop();
      }
    }
  }
  return post.reverse();
}
