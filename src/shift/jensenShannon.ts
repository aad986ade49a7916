import { fail, formatValue } from '../errors.js';

/**
 * Jensen–Shannon distance between two discrete distributions, as
 * `scipy.spatial.distance.jensenshannon(p, q, base)`: p and q are normalised to sum 1,
 * m = (p + q)/2, and the distance is √((KL(p‖m) + KL(q‖m)) / 2) with logs in `base`.
 * losslab uses base 2 by default, so the distance lies in [0, 1] (SciPy's default is base e,
 * bounded by √ln 2 ≈ 0.833); pass `base: Math.E` for SciPy's default.
 */
export function jensenShannon(p: readonly number[], q: readonly number[], base = 2): number {
  const fn = 'jensenShannon';
  if (p.length !== q.length) fail({ fn, argument: 'q', value: `length ${q.length}`, rule: `it must have the same length as p (${p.length})` });
  if (!(base > 0) || base === 1) fail({ fn, argument: 'base', value: formatValue(base), rule: 'the base of the logarithm must be positive and not 1' });
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0) || !(q[i] >= 0))
      fail({ fn, argument: !(p[i] >= 0) ? 'p' : 'q', value: `${formatValue(!(p[i] >= 0) ? p[i] : q[i])} at [${i}]`, rule: 'weights must be non-negative' });
    sp += p[i];
    sq += q[i];
  }
  if (!(sp > 0) || !(sq > 0)) fail({ fn, argument: sp > 0 ? 'q' : 'p', value: 'all zeros', rule: 'a distribution needs positive total weight' });
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp;
    const b = q[i] / sq;
    const m = (a + b) / 2;
    if (a > 0) js += a * Math.log(a / m);
    if (b > 0) js += b * Math.log(b / m);
  }
  return Math.sqrt(Math.max(0, js / Math.log(base)) / 2);
}
