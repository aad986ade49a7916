import { fail, formatShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { shapesEqual } from '../tensor/shape.js';
import { noGrad } from './gradMode.js';

/**
 * Reverse-mode differentiation from `root`: visits the graph in reverse topological order, sums
 * the gradient contributions that reach each tensor, and accumulates into `.grad` of the leaves
 * that require a gradient (like `torch.Tensor.backward`, which also accumulates).
 */
export function runBackward(root: Tensor, gradient?: Tensor): void {
  if (!root.requiresGrad) {
    fail({ fn: 'backward', argument: 'tensor', value: root.toString(), rule: 'it does not require grad and has no grad_fn' });
  }
  let seed: Tensor;
  if (gradient === undefined) {
    if (root.size !== 1) {
      fail({
        fn: 'backward',
        argument: 'gradient',
        value: 'omitted',
        rule: `grad can be implicitly created only for one-element outputs, and this one has shape ${formatShape(root.shape)}`,
      });
    }
    seed = new Tensor(root.dtype === 'float32' ? new Float32Array([1]) : new Float64Array([1]), root.shape);
  } else {
    if (!shapesEqual(gradient.shape, root.shape)) {
      fail({
        fn: 'backward',
        argument: 'gradient',
        value: `of shape ${formatShape(gradient.shape)}`,
        rule: `it must have the output's shape ${formatShape(root.shape)}`,
      });
    }
    seed = gradient;
  }

  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  noGrad(() => {
    for (const t of order) {
      const g = grads.get(t);
      if (!g) continue;
      if (!t.gradFn) {
        t.grad = t.grad ? addInto(t.grad, g) : copyOf(g, t);
        continue;
      }
      const inputGrads = t.gradFn.backward(g);
      t.gradFn.inputs.forEach((input, i) => {
        const ig = inputGrads[i];
        if (!ig || !input.requiresGrad) return;
        const prev = grads.get(input);
        grads.set(input, prev ? addInto(copyIfShared(prev, grads, input), ig) : ig);
      });
    }
  });
}

function topologicalOrder(root: Tensor): Tensor[] {
  const visited = new Set<Tensor>();
  const post: Tensor[] = [];
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
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
  return post.reverse();
}

const owned = new WeakSet<Tensor>();

/** Gradients returned by ops may alias their inputs; copy once before accumulating in place. */
function copyIfShared(g: Tensor, grads: Map<Tensor, Tensor>, key: Tensor): Tensor {
  if (owned.has(g)) return g;
  const c = g.clone();
  owned.add(c);
  grads.set(key, c);
  return c;
}

function copyOf(g: Tensor, like: Tensor): Tensor {
  const c = new Tensor(like.dtype === 'float32' ? Float32Array.from(g.data) : Float64Array.from(g.data), like.shape);
  owned.add(c);
  return c;
}

function addInto(acc: Tensor, g: Tensor): Tensor {
  if (!shapesEqual(acc.shape, g.shape)) {
    fail({
      fn: 'backward',
      argument: 'gradient',
      value: `of shape ${formatShape(g.shape)}`,
      rule: `it must match ${formatShape(acc.shape)}; an operation returned a gradient of the wrong shape`,
    });
  }
  for (let i = 0; i < acc.data.length; i++) acc.data[i] += g.data[i];
  return acc;
}
