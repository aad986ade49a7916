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
