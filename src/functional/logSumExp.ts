import { allocate, type FloatDType } from '../tensor/dtype.js';
import { normalizeAxis } from '../tensor/shape.js';
import { assertFloat, Tensor, record } from '../tensor/tensor.js';
import { exp, mul, sub, unsqueeze } from '../tensor/ops/index.js';
import { forEachLane, laneMax } from './lanes.js';

export interface LogSumExpOptions {
  /** Keep the reduced dimension with size 1, like `keepdim=True`. Default false. */
  keepDim?: boolean;
  /**
   * A fully masked lane (all −∞) gives −∞ either way (log 0, as `torch.logsumexp`). PyTorch's
   * gradient there is NaN (exp(−∞ − (−∞))), and so is losslab's by default; `safe: true` makes it 0.
   */
  safe?: boolean;
}

/**
 * log Σ_k exp(x_k) along `dim`, `torch.logsumexp(x, dim, keepdim)`: m + log Σ exp(x_k − m) with m the
 * lane's maximum (replaced by 0 when it is ±∞, as PyTorch does, so a row with +∞ gives +∞ and a
 * fully masked row −∞). Accumulates in float64. NaN propagates. Records autograd w.r.t. `x`.
 */
export function logSumExp<D extends FloatDType>(x: Tensor<D>, dim?: number, options?: LogSumExpOptions): Tensor<D>;
export function logSumExp(x: Tensor, dim?: number, options?: LogSumExpOptions): Tensor;
export function logSumExp(x: Tensor, dim = -1, options: LogSumExpOptions = {}): Tensor {
  assertFloat(x, 'logSumExp', 'input');
  const axis = normalizeAxis(dim, x.ndim, 'logSumExp');
  const keepDim = options.keepDim ?? false;
  const safe = options.safe ?? false;
  const xs = x.data;
  const shape = x.ndim === 0 ? [] : x.shape.map((d, i) => (i === axis ? 1 : d)).filter((_, i) => keepDim || i !== axis);
  const out = allocate(x.dtype, lanesOf(x.shape, axis));
  forEachLane(x.shape, axis, (offset, stride, size, lane) => {
    let m = laneMax(xs, offset, stride, size);
    if (m === Infinity || m === -Infinity) m = 0;
    let sum = 0;
    for (let k = 0; k < size; k++) sum += Math.exp(xs[offset + k * stride] - m);
    out[lane] = m + Math.log(sum);
  });
  const y = new Tensor<FloatDType>(out, shape);
  const kept = (t: Tensor): Tensor => (keepDim || x.ndim === 0 ? t : unsqueeze(t, axis));
  return record(
    y,
    'logSumExp',
    [x],
    (g) => [logSumExpBackward(x, y, g, axis, { safe })],
    (g) => [mul(kept(g), exp(sub(x, kept(y))))],
  );
}

function lanesOf(shape: readonly number[], axis: number): number {
  return shape.reduce((n, d, i) => (i === axis ? n : n * d), 1);
}

/**
 * Backward of logsumexp: ∂L/∂x_k = g · exp(x_k − out), i.e. the softmax of the lane times the
 * output gradient. With `safe`, a lane whose output is −∞ (fully masked) gets zero gradient.
 */
export function logSumExpBackward<D extends FloatDType>(
  input: Tensor<D>,
  output: Tensor,
  gradOutput: Tensor,
  dim = -1,
  options: { safe?: boolean } = {},
): Tensor<D> {
  const axis = normalizeAxis(dim, input.ndim, 'logSumExpBackward');
  const xs = input.data;
  const gx = allocate(input.dtype, input.size);
  forEachLane(input.shape, axis, (offset, stride, size, lane) => {
    const out = output.data[lane];
    if (options.safe && out === -Infinity) return;
    const g = gradOutput.data[lane];
    for (let k = 0; k < size; k++) gx[offset + k * stride] = g * Math.exp(xs[offset + k * stride] - out);
  });
  return new Tensor<D>(gx, input.shape);
}
