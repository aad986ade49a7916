import { fail, formatShape } from '../errors.js';
import { softmaxCrossEntropyRows } from '../kernels/backend.js';
import type { FloatDType } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import { record, Tensor } from '../tensor/tensor.js';
import { Network } from './network.js';

/**
 * The training loss of a network — mean softmax cross-entropy of its logits on `(X, y)`, what
 * `F.cross_entropy(model(X), y)` is — as a differentiable function of its parameters
 * `[W0, b0, W1, b1, …]` (float32 or float64 tensors, `W` as `[in, out]`). It runs the same
 * forward/backward kernels and fused loss as the trainer, and records the result for autograd,
 * so `gradcheck` verifies the gradients that training uses.
 */
export function networkLoss<D extends FloatDType>(sizes: readonly number[], params: readonly Tensor<D>[], X: Tensor<D>, y: Int32Array): Tensor<D> {
  const fn = 'networkLoss';
  const dtype = X.dtype;
  const network = new Network(sizes, dtype);
  if (params.length !== network.params.length) {
    fail({
      fn,
      argument: 'params',
      value: `${params.length} tensors`,
      rule: `a network of sizes [${sizes.join(', ')}] has ${network.params.length} parameters`,
    });
  }
  network.params.forEach((p, i) => {
    const t = params[i];
    if (t.dtype !== dtype || !shapesEqual(t.shape, p.shape)) {
      fail({
        fn,
        argument: `params[${i}]`,
        value: `a ${t.dtype} tensor of shape ${formatShape(t.shape)}`,
        rule: `it must be ${dtype} of shape ${formatShape(p.shape)}`,
      });
    }
    p.data.set(t.data);
  });
  const n = y.length;
  if (X.ndim !== 2 || X.shape[0] !== n || X.shape[1] !== network.inputSize) {
    fail({ fn, argument: 'X', value: formatShape(X.shape), rule: `it must be [${n}, ${network.inputSize}]` });
  }
  const c = network.numClasses;
  const logits = dtype === 'float32' ? new Float32Array(n * c) : new Float64Array(n * c);
  const grad = dtype === 'float32' ? new Float32Array(n * c) : new Float64Array(n * c);
  network.forward(X.data, n, logits);
  const loss = softmaxCrossEntropyRows(logits, y, n, c, grad, 1 / n) / n;
  network.backward(X.data, n, grad);
  const out = new Tensor<D>((dtype === 'float32' ? Float32Array.of(loss) : Float64Array.of(loss)) as Tensor<D>['data'], []);
  return record(out, fn, params, (g) => {
    const scale = g.data[0];
    return network.params.map((p, i) => {
      const data = p.grad.slice();
      for (let k = 0; k < data.length; k++) data[k] *= scale;
      return new Tensor(data, params[i].shape);
    });
  });
}
