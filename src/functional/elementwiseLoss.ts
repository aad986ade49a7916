import { fail, formatShape, formatValue } from '../errors.js';
import { allocate, isFloatDType, type FloatDType } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import { Tensor, record } from '../tensor/tensor.js';
import { reduceValues, reductionGradient, type Reduction } from './reduction.js';

/**
 * Shared plumbing of the element-wise losses (mse, l2, l1, huber, smooth-L1, bce, gaussian-nll):
 * argument checks, and the "loss of the residual d = input − target" pattern with its backward.
 */

/** Checks that `value` is a float tensor, naming the argument (tfjs-style) when it is not. */
export function checkFloatTensor(value: unknown, fn: string, argument: string): asserts value is Tensor<FloatDType> {
  if (!(value instanceof Tensor)) {
    fail({ fn, argument, value: formatValue(value), rule: 'it must be a Tensor', fix: 'Create one with tensor(values, { dtype: "float64" }).' });
  }
  if (!isFloatDType(value.dtype)) {
    fail({ fn, argument, value: value.dtype, rule: 'it must be float32 or float64', fix: `Convert it with ${argument}.to('float32').` });
  }
}

/** Checks that `other` has the dtype of `input` (PyTorch's losses refuse mixed float dtypes too). */
export function checkSameDType(input: Tensor<FloatDType>, other: Tensor<FloatDType>, fn: string, argument: string): void {
  if (other.dtype !== input.dtype) {
    fail({
      fn,
      argument,
      value: other.dtype,
      rule: `it must have the dtype of 'input' (${input.dtype})`,
      fix: `Convert it with ${argument}.to('${input.dtype}').`,
    });
  }
}

/**
 * Checks `input` and `target` of a regression loss: float tensors of one dtype and the SAME shape.
 *
 * Deliberate difference from PyTorch: `mse_loss` & co. only warn when the shapes differ and then
 * broadcast, so a `[N]` target against a `[N, 1]` input silently gives an `[N, N]` loss. losslab
 * refuses the mismatch and names both shapes.
 */
export function checkInputTarget<D extends FloatDType>(input: Tensor<D>, target: unknown, fn: string): asserts target is Tensor<D> {
  checkFloatTensor(input, fn, 'input');
  checkFloatTensor(target, fn, 'target');
  checkSameDType(input, target, fn, 'target');
  if (!shapesEqual(input.shape, target.shape)) {
    fail({
      fn,
      argument: 'target',
      value: `of shape ${formatShape(target.shape)}`,
      rule: `it must have the same shape as 'input' ${formatShape(input.shape)} (losslab does not broadcast input against target: PyTorch warns and broadcasts, which silently computes a different loss)`,
      fix: `Reshape one of them, e.g. target.reshape(${input.shape.join(', ')}).`,
    });
  }
}

/** Refuses an option tensor (weight, posWeight) that requires grad: PyTorch has no derivative for it either. */
export function checkNoGrad(t: Tensor, fn: string, argument: string): void {
  if (t.requiresGrad) {
    fail({
      fn,
      argument,
      value: 'a tensor that requires grad',
      rule: `${fn} has no gradient with respect to '${argument}' (PyTorch: "the derivative for '${argument}' is not implemented")`,
      fix: `Pass ${argument}.detach().`,
    });
  }
}

/** A loss of the residual d = input − target: its value and its slope dl/dd, side by side. */
export interface ResidualLoss {
  value(d: number): number;
  slope(d: number): number;
}

/**
 * The residual a − b rounded to `dtype`, as PyTorch forms it (in float32 it overflows to ±∞ beyond
 * ±3.4e38 — so does the loss then — and its value and gradient are computed from that rounded d).
 */
export function residualOf(dtype: FloatDType): (a: number, b: number) => number {
  return dtype === 'float32' ? (a, b) => Math.fround(a - b) : (a, b) => a - b;
}

/**
 * Computes `reduction(loss(input − target))` per element (in float64 from the residual rounded to
 * the input dtype; stored in the input dtype; sums accumulate in float64) and records its backward:
 * ∂/∂input = slope(x − t)·ḡ and, as PyTorch's kernels compute it, ∂/∂target = slope(t − x)·ḡ (equal
 * to −slope(x − t)·ḡ except at a kink such as smooth-L1 with β = 0 at x = t), where ḡ is the upstream
 * gradient spread by the reduction (g, g/n, or g[i]).
 */
export function residualLoss<D extends FloatDType>(fn: string, input: Tensor<D>, target: Tensor<D>, reduction: Reduction, loss: ResidualLoss): Tensor<D> {
  const residual = residualOf(input.dtype);
  const values = new Float64Array(input.size);
  for (let i = 0; i < values.length; i++) values[i] = loss.value(residual(input.data[i], target.data[i]));
  const out = reduceValues(values, input.shape, input.dtype, reduction, values.length, fn);
  return record(out, fn, [input, target], (gradOutput) => [
    residualBackward(input, target, gradOutput, reduction, loss),
    target.requiresGrad ? residualBackward(target, input, gradOutput, reduction, loss) : null,
  ]);
}

/**
 * The gradient with respect to `input` of a residual loss, given the gradient of its output
 * (with the arguments swapped, the gradient with respect to `target`, as PyTorch computes it).
 */
export function residualBackward<D extends FloatDType>(
  input: Tensor<D>,
  target: Tensor<D>,
  gradOutput: Tensor,
  reduction: Reduction,
  loss: ResidualLoss,
): Tensor<D> {
  const residual = residualOf(input.dtype);
  const upstream = reductionGradient(gradOutput, reduction, input.size);
  const grad = allocate(input.dtype, input.size);
  for (let i = 0; i < grad.length; i++) grad[i] = loss.slope(residual(input.data[i], target.data[i])) * upstream(i);
  return new Tensor<D>(grad, input.shape);
}

/** −t as a new tensor (the target's gradient of a residual loss is minus the input's). */
export function negated<D extends FloatDType>(t: Tensor<D>): Tensor<D> {
  const out = allocate(t.dtype, t.size);
  for (let i = 0; i < out.length; i++) out[i] = -t.data[i];
  return new Tensor<D>(out, t.shape);
}

/** Checks a finite-or-infinite positive/non-negative number option, e.g. `delta`, `beta`, `eps`. */
export function checkNumberOption(
  value: unknown,
  fn: string,
  argument: string,
  rule: { min: number; minInclusive: boolean; allowInfinity: boolean; why?: string },
): number {
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (rule.minInclusive ? value >= rule.min : value > rule.min) &&
    (rule.allowInfinity || Number.isFinite(value));
  if (!ok) {
    const bound = `${rule.minInclusive ? '≥' : '>'} ${rule.min}`;
    const kind = rule.allowInfinity ? `a number ${bound} (Infinity allowed)` : `a finite number ${bound}`;
    fail({ fn, argument, value: formatValue(value), rule: `it must be ${kind}${rule.why ? `: ${rule.why}` : ''}` });
  }
  return value as number;
}
