import { fail, formatValue } from '../errors.js';
import type { RandomState } from '../tensor/random.js';

/**
 * Draws of NumPy's legacy `RandomState` that `src/tensor/random.ts` does not have, bit for bit
 * (`numpy/random/src/legacy/legacy-distributions.c`), for DomainBed's `np.random.beta` in Mixup.
 */

/** `RandomState.standard_exponential()`: −log(1 − U). */
export function standardExponential(r: RandomState): number {
  return -Math.log(1 - r.randomSample());
}

/** `RandomState.standard_gamma(shape)` (Marsaglia–Tsang for shape ≥ 1, Johnk-style rejection below 1). */
export function standardGamma(r: RandomState, shape: number): number {
  if (shape === 1) return standardExponential(r);
  if (shape === 0) return 0;
  if (shape < 1) {
    for (;;) {
      const U = r.randomSample();
      const V = standardExponential(r);
      if (U <= 1 - shape) {
        const X = U ** (1 / shape);
        if (X <= V) return X;
      } else {
        const Y = -Math.log((1 - U) / shape);
        const X = (1 - shape + shape * Y) ** (1 / shape);
        if (X <= V + Y) return X;
      }
    }
  }
  const b = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * b);
  for (;;) {
    let X: number;
    let V: number;
    do {
      X = r.standardNormal();
      V = 1 + c * X;
    } while (V <= 0);
    V = V * V * V;
    const U = r.randomSample();
    if (U < 1 - 0.0331 * (X * X) * (X * X)) return b * V;
    if (Math.log(U) < 0.5 * X * X + b * (1 - V + Math.log(V))) return b * V;
  }
}

/** `RandomState.beta(a, b)`: Johnk's algorithm when a, b ≤ 1, else a ratio of gammas. */
export function beta(r: RandomState, a: number, b: number): number {
  if (!(a > 0 && b > 0)) fail({ fn: 'beta', argument: a > 0 ? 'b' : 'a', value: formatValue(a > 0 ? b : a), rule: 'it must be positive' });
  if (a <= 1 && b <= 1) {
    for (;;) {
      const U = r.randomSample();
      const V = r.randomSample();
      const X = U ** (1 / a);
      const Y = V ** (1 / b);
      if (X + Y <= 1) {
        if (X + Y > 0) return X / (X + Y);
        let logX = Math.log(U) / a;
        let logY = Math.log(V) / b;
        const logM = Math.max(logX, logY);
        logX -= logM;
        logY -= logM;
        return Math.exp(logX - Math.log(Math.exp(logX) + Math.exp(logY)));
      }
    }
  }
  const Ga = standardGamma(r, a);
  const Gb = standardGamma(r, b);
  return Ga / (Ga + Gb);
}
