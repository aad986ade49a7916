import { fail, formatValue } from '../errors.js';
import { allocate, type FloatDType } from '../tensor/dtype.js';
import { assertFloat, assertSameShape, Tensor, record } from '../tensor/tensor.js';
import { type LossSpec, REDUCTION_NAMES } from './lossSpec.js';
import { reduceValues, reductionGradient, type KlReduction } from './reduction.js';

export interface KlDivOptions {
  /**
   * `'mean'` (the default, as PyTorch) divides by the number of elements; `'batchmean'` divides the
   * sum by the batch size `input.shape[0]` — the true KL divergence per sample; `'sum'`, `'none'`.
   */
  reduction?: KlReduction;
  /** The target holds log-probabilities instead of probabilities. Default false. */
  logTarget?: boolean;
}

const KL_REDUCTIONS: readonly KlReduction[] = ['none', 'mean', 'batchmean', 'sum'];

/**
 * Kullback–Leibler divergence loss, `torch.nn.functional.kl_div(input, target, reduction, log_target)`:
 * `input` holds log-probabilities log q, `target` probabilities p (or log p with `logTarget`), same shape
 * and dtype. Pointwise ℓ = p (log p − log q), written as PyTorch does: xlogy(p, p) − p · input (so
 * p = 0 contributes 0), or exp(t)(t − input) with `logTarget`. ∂ℓ/∂input = −p (−exp(t)).
 * Note the argument order: KL(p ‖ q) with q from the model in `input`. Records autograd w.r.t. `input`.
 */
export function klDiv<D extends FloatDType>(input: Tensor<D>, target: Tensor, options?: KlDivOptions): Tensor<D>;
export function klDiv(input: Tensor, target: Tensor, options?: KlDivOptions): Tensor;
export function klDiv(input: Tensor, target: Tensor, options: KlDivOptions = {}): Tensor {
  const fn = 'klDiv';
  assertFloat(input, fn, 'input');
  assertFloat(target, fn, 'target');
  if (target.dtype !== input.dtype) fail({ fn, argument: 'target', value: target.dtype, rule: `it must have the input's dtype ${input.dtype}` });
  assertSameShape(input, target, fn, ['input', 'target']);
  const reduction = options.reduction ?? 'mean';
  if (!KL_REDUCTIONS.includes(reduction)) {
    fail({ fn, argument: 'reduction', value: formatValue(reduction), rule: `it must be one of ${KL_REDUCTIONS.map((r) => `'${r}'`).join(', ')}` });
  }
  const logTarget = options.logTarget ?? false;
  const xs = input.data;
  const ts = target.data;
  const values = new Float64Array(input.size);
  for (let i = 0; i < values.length; i++) {
    const t = ts[i];
    values[i] = logTarget ? Math.exp(t) * (t - xs[i]) : xlogy(t, t) - t * xs[i];
  }
  // PyTorch's batchmean is the sum divided by input.size(0) (the plain sum for a 0-d input).
  const divisor = reduction === 'batchmean' ? (input.ndim > 0 ? input.shape[0] : 1) : input.size;
  const base = reduction === 'batchmean' ? 'mean' : reduction;
  const out = reduceValues(values, input.shape, input.dtype, base, divisor, fn);
  return record(out, fn, [input, target], (g) => [klDivBackward(target, g, input, base, divisor, logTarget), null]);
}

/** x · log(y) with 0 where x = 0 (unless y is NaN), `torch.xlogy`. */
function xlogy(x: number, y: number): number {
  if (Number.isNaN(y)) return NaN;
  return x === 0 ? 0 : x * Math.log(y);
}

/** Backward of kl_div w.r.t. the input: −target (or −exp(target) for log targets), times the reduction's factor. */
export function klDivBackward<D extends FloatDType>(
  target: Tensor,
  gradOutput: Tensor,
  input: Tensor<D>,
  reduction: 'none' | 'mean' | 'sum',
  divisor: number,
  logTarget: boolean,
): Tensor<D> {
  const scale = reductionGradient(gradOutput, reduction, divisor);
  const ts = target.data;
  const gx = allocate(input.dtype, input.size);
  for (let i = 0; i < gx.length; i++) gx[i] = -(logTarget ? Math.exp(ts[i]) : ts[i]) * scale(i);
  return new Tensor<D>(gx, input.shape);
}

export const klDivSpec = {
  id: 'kl-div',
  pytorch: 'nn.KLDivLoss',
  parameters: { logTarget: { type: 'boolean', description: 'the target holds log-probabilities', default: false } },
  reductions: [...REDUCTION_NAMES, 'batchmean'],
  defaultReduction: 'mean',
  call: (a) => klDiv(a.input, a.target, { logTarget: a.flag('logTarget'), reduction: a.klReduction() }),
} as const satisfies LossSpec;
