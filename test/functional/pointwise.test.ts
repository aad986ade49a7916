import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bceWithLogits } from '../../src/functional/bceWithLogits.js';
import { erf, erfc } from '../../src/special/erf.js';
import { gaussianNllLoss } from '../../src/functional/gaussianNllLoss.js';
import { huberLoss, huberNormalizer } from '../../src/functional/huberLoss.js';
import { l1Loss } from '../../src/functional/l1Loss.js';
import { l2Loss } from '../../src/functional/l2Loss.js';
import { mseLoss } from '../../src/functional/mseLoss.js';
import { pointwiseLosses, poissonNllLoss, softMarginLoss, type PointwiseLossId } from '../../src/functional/losses.js';
import type { PointwiseValues as PointwiseParams } from '../../src/functional/lossSpec.js';
import { smoothL1Loss, smoothL1Normalizer } from '../../src/functional/smoothL1Loss.js';
import { fromTypedArray, type Tensor } from '../../src/tensor/tensor.js';
import { decode, loadLikelihoodGolden } from './regressionGolden.js';

const golden = loadLikelihoodGolden();

/** ∫ f over [a, b] by composite Simpson on each piece between the sorted breakpoints (kinks). */
function integrate(f: (y: number) => number, a: number, b: number, kinks: number[] = []): number {
  const points = [a, ...[...new Set(kinks)].filter((k) => k > a && k < b).sort((p, q) => p - q), b];
  let total = 0;
  for (let s = 0; s + 1 < points.length; s++) {
    const lo = points[s];
    const n = 2 * Math.ceil((points[s + 1] - lo) / 0.01); // even, step ≤ 0.005
    const h = (points[s + 1] - lo) / n;
    let sum = f(lo) + f(points[s + 1]);
    for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(lo + i * h);
    total += (sum * h) / 3;
  }
  return total;
}

describe(`erf and erfc match SciPy ${golden.versions.scipy} (test/golden/scipy_likelihood.json)`, () => {
  const { x, erf: erfs, erfc: erfcs } = golden.special;
  it('erf to 2e-15 relative, over [-6, 27] and tiny arguments', () => {
    x.forEach((xv, i) => {
      const e = decode(erfs[i]);
      expect(Math.abs(erf(decode(xv)) - e), `erf(${xv})`).toBeLessThanOrEqual(2e-15 * Math.abs(e) + 1e-320);
    });
  });
  it('erfc to 1e-13 relative, deep into the upper tail (absolute 1e-305 in the subnormal range)', () => {
    x.forEach((xv, i) => {
      const e = decode(erfcs[i]);
      expect(Math.abs(erfc(decode(xv)) - e), `erfc(${xv})`).toBeLessThanOrEqual(1e-13 * Math.abs(e) + 1e-305);
    });
  });
  it('special values and symmetry', () => {
    expect(erf(0)).toBe(0);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erf(NaN)).toBeNaN();
    expect(erfc(NaN)).toBeNaN();
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (v) => {
        expect(erf(-v) + erf(v)).toBe(0);
      }),
    );
  });
});

describe('normalising constants of Huber and smooth-L1 densities match numerical integration (scipy.integrate.quad)', () => {
  for (const { delta, Z } of golden.normalizers.huber) {
    it(`huber δ = ${delta}: Z = ${Z}`, () => expect(Math.abs(huberNormalizer(delta) - Z)).toBeLessThanOrEqual(1e-11 * Z));
  }
  for (const { beta, Z } of golden.normalizers['smooth-l1']) {
    it(`smooth-l1 β = ${beta}: Z = ${Z}`, () => expect(Math.abs(smoothL1Normalizer(beta) - Z)).toBeLessThanOrEqual(1e-11 * Z));
  }
  it('huber δ = ∞ is the Gaussian constant √(2π); smooth-l1 β = 0 is the Laplace constant 2', () => {
    expect(huberNormalizer(Infinity)).toBe(Math.sqrt(2 * Math.PI));
    expect(smoothL1Normalizer(0)).toBe(2);
  });
});

describe('pointwise densities match scipy.stats (norm, laplace, bernoulli)', () => {
  for (const d of golden.densities) {
    it(`${d.id} p(y=${d.y} | y′=${d.yHat}) ${JSON.stringify(d.params)}`, () => {
      const expected = decode(d.density);
      const actual = pointwiseLosses[d.id as PointwiseLossId].density(d.y, d.yHat, d.params);
      // scipy's bernoulli.pmf(0, p) is 1 − p, which carries an absolute rounding error of ~1e-16
      const atol = d.id === 'bce' ? 2e-16 : 1e-300;
      expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-13 * expected + atol);
    });
  }
});

/** Every continuous pointwise loss with the parameter settings to check, and where its kinks are. */
const continuous: { id: PointwiseLossId; p: PointwiseParams; kinks: number[]; halfWidth: number }[] = [
  { id: 'l2', p: {}, kinks: [], halfWidth: 60 },
  { id: 'mse', p: {}, kinks: [], halfWidth: 60 },
  { id: 'l1', p: {}, kinks: [0], halfWidth: 80 },
  ...[0.2, 1, 1.345, 3].map((delta) => ({ id: 'huber' as const, p: { delta }, kinks: [-delta, delta], halfWidth: 80 / Math.min(1, delta) })),
  ...[0, 0.5, 1, 4].map((beta) => ({ id: 'smooth-l1' as const, p: { beta }, kinks: [-beta, 0, beta], halfWidth: 90 })),
  ...[0.3, 1, 2.5].map((sigma) => ({ id: 'gaussian-nll' as const, p: { sigma }, kinks: [], halfWidth: 40 * sigma })),
];

describe('each pointwise loss is the negative log of a normalised density', () => {
  for (const { id, p, kinks, halfWidth } of continuous) {
    const loss = pointwiseLosses[id];
    const label = `${id} ${JSON.stringify(p)}`;

    it(`${label}: ∫ p(y | y′) dy = 1`, () => {
      for (const yHat of [0, 1.7]) {
        const total = integrate(
          (y) => loss.density(y, yHat, p),
          yHat - halfWidth,
          yHat + halfWidth,
          kinks.map((k) => yHat + k),
        );
        expect(Math.abs(total - 1)).toBeLessThanOrEqual(1e-10);
      }
    });

    it(`${label}: −log p(y | y′) − l(y, y′) does not depend on y′`, () => {
      fc.assert(
        fc.property(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), (y, yHat) => {
          const constant = -Math.log(loss.density(y, y, p)) - loss.value(y, y, p);
          const here = -Math.log(loss.density(y, yHat, p)) - loss.value(y, yHat, p);
          expect(Math.abs(here - constant)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(loss.value(y, yHat, p))));
        }),
      );
    });

    it(`${label}: gradient = d l / d y′ (central differences away from kinks)`, () => {
      fc.assert(
        fc.property(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), (y, yHat) => {
          const h = 1e-6;
          if (kinks.some((k) => Math.abs(yHat - y - k) < 1e-4)) return;
          const numerical = (loss.value(y, yHat + h, p) - loss.value(y, yHat - h, p)) / (2 * h);
          expect(Math.abs(loss.gradient(y, yHat, p) - numerical)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(numerical)));
        }),
      );
    });
  }

  it('bce: the Bernoulli likelihood sums to 1 over y ∈ {0, 1}, equals exp(−l), and its gradient is σ(z) − y', () => {
    const bce = pointwiseLosses.bce;
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), (z) => {
        expect(Math.abs(bce.density(0, z, {}) + bce.density(1, z, {}) - 1)).toBeLessThanOrEqual(1e-15);
        for (const y of [0, 1]) {
          expect(Math.abs(bce.density(y, z, {}) - Math.exp(-bce.value(y, z, {})))).toBeLessThanOrEqual(1e-15);
        }
        expect(bce.gradient(1, z, {})).toBeCloseTo(1 / (1 + Math.exp(-z)) - 1, 14);
      }),
    );
  });

  it('likelihood peaks at y′ = y and the gradient crosses zero there', () => {
    for (const { id, p } of continuous) {
      const loss = pointwiseLosses[id];
      const peak = loss.density(0.3, 0.3, p);
      for (const yHat of [-1, 0, 0.29, 0.31, 2]) expect(loss.density(0.3, yHat, p)).toBeLessThan(peak);
      if (!(id === 'smooth-l1' && p.beta === 0)) expect(loss.gradient(0.3, 0.3, p)).toBe(0);
      expect(loss.gradient(0.3, 0.1, p)).toBeLessThan(0);
      expect(loss.gradient(0.3, 0.5, p)).toBeGreaterThan(0);
    }
  });
});

describe('pointwise losses agree with the tensor losses', () => {
  const one = (v: number, requiresGrad = false): Tensor<'float64'> => fromTypedArray(Float64Array.from([v]), [1], { requiresGrad });
  const num = (v: number | boolean | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
  const tensorLoss: Record<PointwiseLossId, (x: Tensor<'float64'>, t: Tensor<'float64'>, p: PointwiseParams) => Tensor> = {
    l2: (x, t) => l2Loss(x, t, { reduction: 'sum' }),
    mse: (x, t) => mseLoss(x, t, { reduction: 'sum' }),
    l1: (x, t) => l1Loss(x, t, { reduction: 'sum' }),
    huber: (x, t, p) => huberLoss(x, t, { delta: num(p.delta), reduction: 'sum' }),
    'smooth-l1': (x, t, p) => smoothL1Loss(x, t, { beta: num(p.beta), reduction: 'sum' }),
    'gaussian-nll': (x, t, p) => gaussianNllLoss(x, t, one((num(p.sigma) ?? 1) ** 2), { reduction: 'sum' }),
    bce: (x, t) => bceWithLogits(x, t, { reduction: 'sum' }),
    'poisson-nll': (x, t) => poissonNllLoss(x, t, { reduction: 'sum' }),
    'soft-margin': (x, t) => softMarginLoss(x, t, { reduction: 'sum' }),
  };
  const settings: [PointwiseLossId, PointwiseParams][] = [...continuous.map((c): [PointwiseLossId, PointwiseParams] => [c.id, c.p]), ['bce', {}]];
  for (const [id, p] of settings) {
    it(`${id} ${JSON.stringify(p)}: value and ∂l/∂y′`, () => {
      fc.assert(
        fc.property(fc.double({ min: -8, max: 8, noNaN: true }), fc.double({ min: -8, max: 8, noNaN: true }), fc.constantFrom(0, 1), (y, yHat, label) => {
          const target = id === 'bce' ? label : y;
          const x = one(yHat, true);
          const value = tensorLoss[id](x, one(target), p);
          value.backward();
          const loss = pointwiseLosses[id];
          expect(Math.abs(loss.value(target, yHat, p) - value.item())).toBeLessThanOrEqual(1e-14 * (1 + Math.abs(value.item())));
          expect(Math.abs(loss.gradient(target, yHat, p) - (x.grad?.item() ?? NaN))).toBeLessThanOrEqual(1e-14 * (1 + Math.abs(x.grad?.item() ?? 0)));
        }),
      );
    });
  }
});
