import { type LossCurveRow, lossCurves, pointwiseEntry } from '../../figures/lossFigure.js';
import type { PointwiseValues } from '../../functional/lossSpec.js';

/** Grid points of the explorer's curves (the CLI figure uses d2l's 1000; 400 redraws faster). */
export const EXPLORER_POINTS = 400;

/**
 * The three curves of d2l's loss figure for the explorer, from the figures' `lossCurves` (the
 * numbers `losslab plot` draws): loss and gradient from the loss's pointwise form in the registry;
 * green is the likelihood exp(−l) normalised over the plotted range × 10 (d2l's scaling; L2 at
 * y = 0 on [−5, 5) peaks at ≈ 3.99), or, for a binary loss against the logit z, the probability
 * of the positive label.
 */
export function explorerCurves(loss: string, target: number, params: PointwiseValues, from: number, to: number, points = EXPLORER_POINTS): LossCurveRow[] {
  return lossCurves({ loss, target, from, to, points, params }).rows;
}

/** Loss, likelihood and gradient at one point (the hover / probe readout), on the scale of the curves drawn with `points` points. */
export function explorerReadout(
  loss: string,
  target: number,
  params: PointwiseValues,
  x: number,
  from: number,
  to: number,
  points = EXPLORER_POINTS,
): LossCurveRow {
  const { pointwise } = pointwiseEntry(loss, 'explorerReadout');
  const value = pointwise.value(target, x, params);
  const gradient = pointwise.gradient(target, x, params);
  if (pointwise.kind === 'probability') return { x, loss: value, likelihood: pointwise.density(pointwise.labels?.[1] ?? 1, x, params), gradient };
  // The scaled likelihood is c · exp(−l); take c from the curve's highest point.
  const peak = explorerCurves(loss, target, params, from, to, points).reduce((best, row) => (row.likelihood > best.likelihood ? row : best));
  return { x, loss: value, likelihood: peak.likelihood * Math.exp(peak.loss - value), gradient };
}
