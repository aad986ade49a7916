import { fail, formatValue } from '../errors.js';
import { allocate, type FloatDType } from '../tensor/dtype.js';
import { normalizeAxis } from '../tensor/shape.js';
import { assertFloat, Tensor, record } from '../tensor/tensor.js';
import { div, mul, sub, sum } from '../tensor/ops/index.js';
import { forEachLane, laneMax } from './lanes.js';

export interface SoftmaxOptions {
  /** Divide the logits by `temperature` first: `softmax(x / T)`. Must be finite and > 0. Default 1. */
  temperature?: number;
  /**
   * Fully masked lanes (every element −∞). PyTorch returns NaN for them, and so does losslab by
   * default; with `safe: true` such a lane gives zeros with zero gradient (partially masked lanes
   * are exact either way).
   */
  safe?: boolean;
}

/** Checks a temperature option: finite and positive (default 1). */
export function checkTemperature(value: number | undefined, fn: string): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail({ fn, argument: 'temperature', value: formatValue(value), rule: 'it must be a finite number greater than 0' });
  }
  return value;
}

/**
 * Softmax along `dim` (negative counts from the end), `torch.softmax(x / T, dim)`:
 * y_k = exp((x_k − m)/T) / Σ_j exp((x_j − m)/T) with m the lane's maximum, so any finite input up to
 * the dtype's largest value is stable. Computed in float64 and rounded once to the input dtype.
 * NaN in a lane makes the whole lane NaN, as in PyTorch. Records autograd w.r.t. `x`.
 */
export function softmax<D extends FloatDType>(x: Tensor<D>, dim?: number, options?: SoftmaxOptions): Tensor<D>;
export function softmax(x: Tensor, dim?: number, options?: SoftmaxOptions): Tensor;
export function softmax(x: Tensor, dim = -1, options: SoftmaxOptions = {}): Tensor {
  assertFloat(x, 'softmax', 'input');
  const axis = normalizeAxis(dim, x.ndim, 'softmax');
  const temperature = checkTemperature(options.temperature, 'softmax');
  const safe = options.safe ?? false;
  const xs = x.data;
  const ys = allocate(x.dtype, x.size);
  const exps = new Float64Array(x.ndim === 0 ? 1 : x.shape[axis]);
  forEachLane(x.shape, axis, (offset, stride, size) => {
    const m = laneMax(xs, offset, stride, size);
    if (m === -Infinity && safe) return; // fully masked: zeros
    let sum = 0;
    for (let k = 0; k < size; k++) {
      const e = Math.exp((xs[offset + k * stride] - m) / temperature);
      exps[k] = e;
      sum += e;
    }
    for (let k = 0; k < size; k++) ys[offset + k * stride] = exps[k] / sum;
  });
  const y = new Tensor<FloatDType>(ys, x.shape);
  return record(
    y,
    'softmax',
    [x],
    (g) => [softmaxBackward(y, g, axis, temperature)],
    (g) => [div(mul(y, sub(g, sum(mul(g, y), axis, true))), temperature)],
  );
}

/**
 * Backward of softmax: ∂L/∂x_k = y_k (g_k − Σ_j g_j y_j) / T, from the output `y` alone (the
 * Jacobian diag(y) − y yᵀ, scaled by 1/T). Masked elements (y = 0) get zero gradient.
 */
export function softmaxBackward<D extends FloatDType>(output: Tensor<D>, gradOutput: Tensor, dim = -1, temperature = 1): Tensor<D> {
  const axis = normalizeAxis(dim, output.ndim, 'softmaxBackward');
  const ys = output.data;
  const gs = gradOutput.data;
  const gx = allocate(output.dtype, output.size);
  forEachLane(output.shape, axis, (offset, stride, size) => {
    let dot = 0;
    for (let k = 0; k < size; k++) dot += gs[offset + k * stride] * ys[offset + k * stride];
    for (let k = 0; k < size; k++) {
      const at = offset + k * stride;
      gx[at] = (ys[at] * (gs[at] - dot)) / temperature;
    }
  });
  return new Tensor<D>(gx, output.shape);
}
