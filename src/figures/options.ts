import { fail, formatValue } from '../errors.js';

/** A finite number, or a `LosslabError` naming the function and the argument. */
export function checkFinite(value: number, fn: string, argument: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail({ fn, argument, value: formatValue(value), rule: 'it must be a finite number' });
  return value;
}

/** A finite number greater than 0. */
export function checkPositive(value: number, fn: string, argument: string): number {
  checkFinite(value, fn, argument);
  if (value <= 0) fail({ fn, argument, value: formatValue(value), rule: 'it must be greater than 0' });
  return value;
}

/** A plotting range: both ends finite and `from < to`, checked with the names the caller uses. */
export function checkRange(from: number, to: number, fn: string, names: { from: string; to: string } = { from: 'from', to: 'to' }): void {
  checkFinite(from, fn, names.from);
  checkFinite(to, fn, names.to);
  if (!(from < to)) {
    fail({
      fn,
      argument: names.to,
      value: formatValue(to),
      rule: `it must be greater than ${names.from} (${formatValue(from)})`,
      fix: `Give a range such as ${names.from} -5 and ${names.to} 5.`,
    });
  }
}

/** A figure size in CSS pixels: an integer in [50, 4000]. */
export function checkSize(value: number, fn: string, argument: string): number {
  if (!Number.isInteger(value) || value < 50 || value > 4000)
    fail({ fn, argument, value: formatValue(value), rule: 'it must be an integer from 50 to 4000 (pixels)' });
  return value;
}

/** A number of grid points: an integer in [2, 100000]. */
export function checkPoints(value: number, fn: string): number {
  if (!Number.isInteger(value) || value < 2 || value > 100_000)
    fail({ fn, argument: 'points', value: formatValue(value), rule: 'it must be an integer from 2 to 100000' });
  return value;
}

/**
 * `points` evenly spaced values from `from` with the end `to` excluded, like
 * `np.arange(from, to, (to − from) / points)` (d2l's grid is `arange(-5, 5, 0.01)`: 1000 points).
 * Each value is `from + i·step`, so the grid does not drift by accumulated rounding.
 */
export function arangeGrid(from: number, to: number, points: number): { xs: Float64Array; step: number } {
  const step = (to - from) / points;
  const xs = new Float64Array(points);
  for (let i = 0; i < points; i++) xs[i] = from + i * step;
  return { xs, step };
}
