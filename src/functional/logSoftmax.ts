import { allocate, type FloatDType } from '../tensor/dtype.js';
import { normalizeAxis } from '../tensor/shape.js';
import { assertFloat, Tensor, record } from '../tensor/tensor.js';
import { exp, mul, sub, sum } from '../tensor/ops/index.js';
import { forEachLane, laneMax } from './lanes.js';
import { checkTemperature, type SoftmaxOptions } from './softmax.js';

/**
 * Log-softmax along `dim`, `torch.log_softmax(x / T, dim)`:
 * log y_k = (x_k − m)/T − log Σ_j exp((x_j − m)/T), with m the lane's maximum and the sum in
 * float64, so it never overflows and stays exact where softmax underflows to 0 (log y = −1000, not −∞).
 * NaN propagates through the lane. A fully masked lane (all −∞) gives NaN like PyTorch; with
 * `safe: true` it gives −∞ everywhere (log 0) with zero gradient. Records autograd w.r.t. `x`.
 */
export function logSoftmax<D extends FloatDType>(x: Tensor<D>, dim?: number, options?: SoftmaxOptions): Tensor<D>;
export function logSoftmax(x: Tensor, dim?: number, options?: SoftmaxOptions): Tensor;
export function logSoftmax(x: Tensor, dim = -1, options: SoftmaxOptions = {}): Tensor {
  assertFloat(x, 'logSoftmax', 'input');
  const axis = normalizeAxis(dim, x.ndim, 'logSoftmax');
  const temperature = checkTemperature(options.temperature, 'logSoftmax');
  const safe = options.safe ?? false;
  const xs = x.data;
  const out = allocate(x.dtype, x.size);
  forEachLane(x.shape, axis, (offset, stride, size) => {
    const m = laneMax(xs, offset, stride, size);
    if (m === -Infinity && safe) {
      for (let k = 0; k < size; k++) out[offset + k * stride] = -Infinity;
      return;
    }
    let sum = 0;
    for (let k = 0; k < size; k++) sum += Math.exp((xs[offset + k * stride] - m) / temperature);
    const logSum = Math.log(sum);
    for (let k = 0; k < size; k++) out[offset + k * stride] = (xs[offset + k * stride] - m) / temperature - logSum;
  });
  const y = new Tensor<FloatDType>(out, x.shape);
  return record(
    y,
    'logSoftmax',
    [x],
    (g) => [logSoftmaxBackward(y, g, axis, temperature)],
    (g) => [mul(sub(g, mul(exp(y), sum(g, axis, true))), 1 / temperature)],
  );
}

/**
 * Backward of log-softmax from its output: ∂L/∂x_k = (g_k − exp(out_k) Σ_j g_j) / T.
 * A lane whose outputs are all −∞ (only a fully masked lane in safe mode) gets zero gradient.
 */
export function logSoftmaxBackward<D extends FloatDType>(output: Tensor<D>, gradOutput: Tensor, dim = -1, temperature = 1): Tensor<D> {
  const axis = normalizeAxis(dim, output.ndim, 'logSoftmaxBackward');
  const ys = output.data;
  const gs = gradOutput.data;
  const gx = allocate(output.dtype, output.size);
  forEachLane(output.shape, axis, (offset, stride, size) => {
    let gSum = 0;
    let masked = true;
    for (let k = 0; k < size; k++) {
      gSum += gs[offset + k * stride];
      if (ys[offset + k * stride] !== -Infinity) masked = false;
    }
    if (masked) return;
    for (let k = 0; k < size; k++) {
      const at = offset + k * stride;
      gx[at] = (gs[at] - Math.exp(ys[at]) * gSum) / temperature;
    }
  });
  return new Tensor<D>(gx, output.shape);
}
