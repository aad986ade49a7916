import { pointwiseLosses } from '../../functional/pointwise.js';
import { bceCurves } from '../../figures/classification.js';
import { regressionCurves } from '../../figures/regression.js';

/** The losses the explorer offers: the regression losses of `pointwiseLosses` and binary cross-entropy. */
export type ExplorerLossId = 'l2' | 'l1' | 'huber' | 'smooth-l1' | 'gaussian-nll' | 'bce';
export const EXPLORER_LOSSES: readonly ExplorerLossId[] = ['l2', 'l1', 'huber', 'smooth-l1', 'gaussian-nll', 'bce'];

export function isExplorerLoss(value: string): value is ExplorerLossId {
  return (EXPLORER_LOSSES as readonly string[]).includes(value);
}

/** Grid points of the explorer's curves (the CLI figure uses d2l's 1000; 400 redraws faster). */
export const EXPLORER_POINTS = 400;

export interface LossParams {
  /** Target y (a real number; for BCE a probability in [0, 1]). */
  readonly target: number;
  readonly delta: number;
  readonly beta: number;
  readonly sigma: number;
}

export interface CurvePoint {
  /** The prediction y′ (for BCE: the logit z). */
  readonly x: number;
  readonly loss: number;
  readonly likelihood: number;
  readonly gradient: number;
}

/**
 * The three curves of d2l's loss figure, from losslab's own functions:
 * - regression losses: the figures' `regressionCurves` (loss and gradient from `pointwiseLosses`,
 *   PyTorch's `nn.L1Loss`, `nn.HuberLoss`, … for one element; the likelihood exp(−l) normalised over
 *   the plotted range × 10, d2l's scaling — L2 at y = 0 on [−5, 5) peaks at ≈ 3.99);
 * - BCE against the logit z (`nn.BCEWithLogitsLoss`): the figures' `bceCurves` — loss, the
 *   probability σ(z) of class 1 (green; the likelihood of the target when y = 1) and the gradient σ(z) − y.
 */
export function lossCurves(id: ExplorerLossId, params: LossParams, from: number, to: number, points = EXPLORER_POINTS): CurvePoint[] {
  if (id === 'bce') {
    return bceCurves({ target: params.target, from, to, points }).rows.map((row) => ({
      x: row.logit,
      loss: row.loss,
      likelihood: row.probability,
      gradient: row.gradient,
    }));
  }
  const curves = regressionCurves({ loss: id, target: params.target, from, to, points, delta: params.delta, beta: params.beta, sigma: params.sigma });
  return curves.rows.map((row) => ({ x: row.prediction, loss: row.loss, likelihood: row.likelihood, gradient: row.gradient }));
}

/** Loss, likelihood and gradient at one point (the hover / probe readout), on the scale of the curves drawn with `points` points. */
export function lossAt(id: ExplorerLossId, params: LossParams, x: number, from: number, to: number, points = EXPLORER_POINTS): CurvePoint {
  const loss = pointwiseLosses[id];
  const p = { delta: params.delta, beta: params.beta, sigma: params.sigma };
  const value = loss.value(params.target, x, p);
  const gradient = loss.gradient(params.target, x, p);
  if (id === 'bce') return { x, loss: value, likelihood: loss.density(1, x, p), gradient };
  // The scaled likelihood is c · exp(−l); take c from the curve's highest point.
  const peak = lossCurves(id, params, from, to, points).reduce((best, row) => (row.likelihood > best.likelihood ? row : best));
  return { x, loss: value, likelihood: peak.likelihood * Math.exp(peak.loss - value), gradient };
}
