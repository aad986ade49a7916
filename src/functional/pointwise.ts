import { bcePointwise } from './bceWithLogits.js';
import { gaussianNllPointwise } from './gaussianNllLoss.js';
import { huberPointwise } from './huberLoss.js';
import { l1Pointwise } from './l1Loss.js';
import { l2Pointwise } from './l2Loss.js';
import { msePointwise } from './mseLoss.js';
import { smoothL1Pointwise } from './smoothL1Loss.js';

/**
 * A loss of one target y and one prediction y′, with its gradient and the likelihood it comes from,
 * for the figures (d2l's "L2 Loss" plot: loss blue, likelihood green, gradient orange) and the
 * web lab. Each object lives in its loss's file, next to the tensor version.
 */
export interface PointwiseLoss<P> {
  /** 'l2' | 'mse' | 'l1' | 'huber' | 'smooth-l1' | 'gaussian-nll' | 'bce'. */
  readonly id: PointwiseLossId;
  /** The loss l(y, y′). */
  value(y: number, yHat: number, p: P): number;
  /** Its derivative ∂l/∂y′. */
  gradient(y: number, yHat: number, p: P): number;
  /** The normalised p(y | y′) whose −log is l up to a constant that does not depend on y′. */
  density(y: number, yHat: number, p: P): number;
}

/**
 * Parameters of the pointwise losses: `delta` for huber (default 1), `beta` for smooth-l1 (default 1),
 * `sigma` (the standard deviation) for gaussian-nll (default 1). A loss ignores the ones it does not use.
 */
export interface PointwiseParams {
  delta?: number;
  beta?: number;
  sigma?: number;
}

export type PointwiseLossId = 'l2' | 'mse' | 'l1' | 'huber' | 'smooth-l1' | 'gaussian-nll' | 'bce';

/**
 * Every pointwise loss by id. The likelihoods:
 * - `l2`  ½(y′−y)²          ← Gaussian N(y; y′, 1) = exp(−l)/√(2π)
 * - `mse` (y′−y)²           ← Gaussian N(y; y′, ½) = exp(−l)/√π
 * - `l1`  |y′−y|            ← Laplace(y; y′, b = 1) = ½·exp(−l)
 * - `huber` (δ)             ← Huber's density exp(−l)/Z, Z = √(2π)·erf(δ/√2) + (2/δ)·exp(−δ²/2)
 * - `smooth-l1` (β)         ← exp(−l)/Z, Z = √(2πβ)·erf(√(β/2)) + 2·exp(−β/2) (Laplace at β = 0)
 * - `gaussian-nll` (σ)      ← N(y; y′, σ²); l = ½(log σ² + (y′−y)²/σ²) drops ½·log 2π (full = false)
 * - `bce` (y′ is the logit z, y ∈ {0, 1}) ← Bernoulli(y; σ(z)), a probability mass over y ∈ {0, 1}
 */
export const pointwiseLosses: Readonly<Record<PointwiseLossId, PointwiseLoss<PointwiseParams>>> = {
  l2: l2Pointwise,
  mse: msePointwise,
  l1: l1Pointwise,
  huber: huberPointwise,
  'smooth-l1': smoothL1Pointwise,
  'gaussian-nll': gaussianNllPointwise,
  bce: bcePointwise,
};
