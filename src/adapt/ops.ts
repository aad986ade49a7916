import { fail, formatShape } from '../errors.js';
import { allocate, type FloatDType } from '../tensor/dtype.js';
import { record, Tensor } from '../tensor/tensor.js';
import { coralPenalty, coralPenaltyPairs, irmPenalty, irmPenaltyBinary, mkMmdPenalty, mmdPenalty, mmdPenaltyPairs } from './penalties.js';

/**
 * The penalties of `penalties.ts` as autograd operations on tensors (scalar outputs), for models
 * built from recorded operations (the GRL of DANN is `src/nn`'s `gradientReversal`). Each backward multiplies
 * the closed-form gradient by the incoming scalar gradient.
 */

function scalar<D extends FloatDType>(value: number, like: Tensor<D>): Tensor<D> {
  const data = allocate(like.dtype, 1);
  data[0] = value;
  return new Tensor<D>(data, []);
}

function scaled<D extends FloatDType>(grad: Float64Array, g: Tensor, like: Tensor<D>): Tensor<D> {
  const s = g.data[0];
  const out = allocate(like.dtype, grad.length);
  for (let i = 0; i < grad.length; i++) out[i] = grad[i] * s;
  return new Tensor<D>(out, like.shape);
}

function matrixCols(t: Tensor, fn: string, argument: string): number {
  if (t.ndim !== 2) fail({ fn, argument, value: formatShape(t.shape), rule: 'it must be a 2-d tensor [n, d]' });
  return t.shape[1];
}

/** IRMv1 penalty of class logits `[n, k]` (DomainBed's split-batch form by default) or, for `[n]` / `[n, 1]` logits with float 0/1 targets, of binary logits (the IRM paper's form). */
export function irmPenaltyTensor<D extends FloatDType>(logits: Tensor<D>, targets: Tensor, options: { variant?: 'domainbed' | 'squared' } = {}): Tensor<D> {
  const binary = logits.ndim === 1 || (logits.ndim === 2 && logits.shape[1] === 1 && targets.dtype !== 'int32');
  const r = binary ? irmPenaltyBinary(logits.data, targets.data) : irmPenalty(logits.data, targets.data, matrixCols(logits, 'irmPenalty', 'logits'), options);
  return record(scalar(r.value, logits), 'irmPenalty', [logits], (g) => [scaled(r.grad, g, logits)]);
}

/** CORAL distance of two feature matrices `[n, d]`, `[m, d]` (DomainBed / tllib definition). */
export function coralTensor<D extends FloatDType>(x: Tensor<D>, y: Tensor<D>): Tensor<D> {
  const r = coralPenalty(x.data, y.data, matrixCols(x, 'coral', 'x'));
  return record(scalar(r.value, x), 'coral', [x, y], (g) => [scaled(r.gradX, g, x), scaled(r.gradY, g, y)]);
}

/** The mean CORAL distance over every pair of the feature matrices (each `[n_e, d]`), each matrix's statistics computed once. */
export function coralPairsTensor<D extends FloatDType>(xs: readonly Tensor<D>[]): Tensor<D> {
  const d = matrixCols(xs[0], 'coral', 'xs[0]');
  const r = coralPenaltyPairs(
    xs.map((x) => x.data),
    d,
  );
  return record(scalar(r.value, xs[0]), 'coralPairs', [...xs], (g) => r.grads.map((grad, e) => scaled(grad, g, xs[e])));
}

/** Gaussian-kernel MMD² (DomainBed's kernels). */
export function mmdTensor<D extends FloatDType>(x: Tensor<D>, y: Tensor<D>, gammas?: readonly number[]): Tensor<D> {
  const r = mmdPenalty(x.data, y.data, matrixCols(x, 'mmd', 'x'), gammas);
  return record(scalar(r.value, x), 'mmd', [x, y], (g) => [scaled(r.gradX, g, x), scaled(r.gradY, g, y)]);
}

/** The mean Gaussian-kernel MMD² over every pair of the feature matrices, each matrix's own kernel block computed once. */
export function mmdPairsTensor<D extends FloatDType>(xs: readonly Tensor<D>[], gammas?: readonly number[]): Tensor<D> {
  const r = mmdPenaltyPairs(
    xs.map((x) => x.data),
    matrixCols(xs[0], 'mmd', 'xs[0]'),
    gammas,
  );
  return record(scalar(r.value, xs[0]), 'mmdPairs', [...xs], (g) => r.grads.map((grad, e) => scaled(grad, g, xs[e])));
}

/** DAN's multi-kernel MMD (tllib definition). */
export function mkMmdTensor<D extends FloatDType>(zs: Tensor<D>, zt: Tensor<D>, options: { linear?: boolean } = {}): Tensor<D> {
  const r = mkMmdPenalty(zs.data, zt.data, matrixCols(zs, 'mkMmd', 'zs'), options);
  return record(scalar(r.value, zs), 'mkMmd', [zs, zt], (g) => [scaled(r.gradS, g, zs), scaled(r.gradT, g, zt)]);
}
