import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradcheck } from '../../src/tensor/gradcheck.js';
import { bceWithLogits } from '../../src/functional/bceWithLogits.js';
import { gaussianNllLoss } from '../../src/functional/gaussianNllLoss.js';
import { huberLoss } from '../../src/functional/huberLoss.js';
import { l1Loss } from '../../src/functional/l1Loss.js';
import { l2Loss } from '../../src/functional/l2Loss.js';
import { mseLoss } from '../../src/functional/mseLoss.js';
import type { Reduction } from '../../src/functional/reduction.js';
import { smoothL1Loss } from '../../src/functional/smoothL1Loss.js';
import type { FloatDType } from '../../src/tensor/dtype.js';
import { RandomState } from '../../src/tensor/random.js';
import { assertFloat, fromTypedArray, type Tensor } from '../../src/tensor/tensor.js';

const REDUCTIONS: Reduction[] = ['none', 'mean', 'sum'];

function vec(values: number[], dtype: FloatDType = 'float64', requiresGrad = false): Tensor<FloatDType> {
  const shape = [values.length];
  return dtype === 'float32'
    ? fromTypedArray(Float32Array.from(values), shape, { requiresGrad })
    : fromTypedArray(Float64Array.from(values), shape, { requiresGrad });
}

/** gradcheck hands its function plain `Tensor`s; the losses want float tensors. */
function float(t: Tensor): Tensor<FloatDType> {
  assertFloat(t, 'test', 'tensor');
  return t;
}

/** Pairs (prediction, target) of equal length with finite float64 values in ±bound. */
function pairs(bound = 1e3): fc.Arbitrary<[number[], number[]]> {
  const value = fc.double({ min: -bound, max: bound, noNaN: true, noDefaultInfinity: true });
  return fc
    .integer({ min: 1, max: 8 })
    .chain((n) => fc.tuple(fc.array(value, { minLength: n, maxLength: n }), fc.array(value, { minLength: n, maxLength: n })));
}

const positive = (min: number, max: number): fc.Arbitrary<number> => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

function gradOf(loss: (x: Tensor<FloatDType>, t: Tensor<FloatDType>) => Tensor, y: number[], t: number[]): Float64Array {
  const x = vec(y, 'float64', true);
  loss(x, vec(t)).backward();
  return Float64Array.from(x.grad?.data ?? []);
}

describe('regression loss properties (fast-check)', () => {
  it('huber(δ) ≤ l2 = ½d² for every element, with equality inside |d| < δ', () => {
    fc.assert(
      fc.property(pairs(), positive(1e-3, 50), ([y, t], delta) => {
        const h = huberLoss(vec(y), vec(t), { delta, reduction: 'none' }).data;
        const l2 = l2Loss(vec(y), vec(t)).data;
        y.forEach((_, i) => {
          expect(h[i]).toBeLessThanOrEqual(l2[i] * (1 + 1e-15));
          if (Math.abs(y[i] - t[i]) < delta) expect(h[i]).toBe(l2[i]);
        });
      }),
    );
  });

  it('huber(δ) → l2 as δ → ∞: δ = 1e8 equals ½d² for |d| ≤ 2e3, δ = ∞ everywhere', () => {
    fc.assert(
      fc.property(pairs(), ([y, t]) => {
        const l2 = Array.from(l2Loss(vec(y), vec(t)).data);
        expect(Array.from(huberLoss(vec(y), vec(t), { delta: 1e8, reduction: 'none' }).data)).toEqual(l2);
        expect(Array.from(huberLoss(vec(y), vec(t), { delta: Infinity, reduction: 'none' }).data)).toEqual(l2);
      }),
    );
  });

  it('smoothL1(β) = huber(δ = β) / β, values and gradients', () => {
    fc.assert(
      fc.property(pairs(), positive(1e-2, 20), fc.constantFrom(...REDUCTIONS), ([y, t], beta, reduction) => {
        const s = smoothL1Loss(vec(y), vec(t), { beta, reduction }).data;
        const h = huberLoss(vec(y), vec(t), { delta: beta, reduction }).data;
        s.forEach((v, i) => {
          expect(Math.abs(v - h[i] / beta)).toBeLessThanOrEqual(1e-12 * Math.abs(v) + 1e-300);
        });
        const gs = gradOf((a, b) => smoothL1Loss(a, b, { beta, reduction: 'sum' }), y, t);
        const gh = gradOf((a, b) => huberLoss(a, b, { delta: beta, reduction: 'sum' }), y, t);
        gs.forEach((g, i) => {
          expect(Math.abs(g - gh[i] / beta)).toBeLessThanOrEqual(1e-12 * Math.abs(g) + 1e-300);
        });
      }),
    );
  });

  it('smoothL1 with β = 0 has the value of l1, and mse = 2·l2', () => {
    fc.assert(
      fc.property(pairs(), ([y, t]) => {
        expect(Array.from(smoothL1Loss(vec(y), vec(t), { beta: 0, reduction: 'none' }).data)).toEqual(
          Array.from(l1Loss(vec(y), vec(t), { reduction: 'none' }).data),
        );
        const l2 = l2Loss(vec(y), vec(t)).data;
        mseLoss(vec(y), vec(t), { reduction: 'none' }).data.forEach((v, i) => {
          expect(Math.abs(v - 2 * l2[i])).toBeLessThanOrEqual(1e-15 * v + 1e-300);
        });
      }),
    );
  });

  it('the gradient has the sign of y′ − y (mse, l2, l1, huber, smooth-L1, gaussian-nll)', () => {
    const losses: ((x: Tensor<FloatDType>, t: Tensor<FloatDType>) => Tensor)[] = [
      (x, t) => mseLoss(x, t, { reduction: 'sum' }),
      (x, t) => l2Loss(x, t, { reduction: 'sum' }),
      (x, t) => l1Loss(x, t, { reduction: 'sum' }),
      (x, t) => huberLoss(x, t, { delta: 0.7, reduction: 'sum' }),
      (x, t) => smoothL1Loss(x, t, { beta: 2, reduction: 'sum' }),
      (x, t) => gaussianNllLoss(x, t, vec(x.shape[0] ? Array(x.shape[0]).fill(0.5) : []), { reduction: 'sum' }),
    ];
    fc.assert(
      fc.property(pairs(), ([y, t]) => {
        for (const loss of losses) {
          // (skipping residuals so small that the gradient underflows to 0)
          gradOf(loss, y, t).forEach((g, i) => {
            if (Math.abs(y[i] - t[i]) > 1e-300) expect(Math.sign(g)).toBe(Math.sign(y[i] - t[i]));
          });
        }
      }),
    );
  });

  it('mean = sum / n for every loss', () => {
    fc.assert(
      fc.property(pairs(), ([y, t]) => {
        const n = y.length;
        for (const loss of [mseLoss, l1Loss, huberLoss, smoothL1Loss, l2Loss]) {
          const mean = loss(vec(y), vec(t), { reduction: 'mean' }).item();
          const sum = loss(vec(y), vec(t), { reduction: 'sum' }).item();
          expect(Math.abs(mean - sum / n)).toBeLessThanOrEqual(1e-15 * Math.abs(mean));
        }
      }),
    );
  });

  it('bce loses no relative precision where the loss is small (t = 0, z ≪ 0: l = log(1 + e^z))', () => {
    fc.assert(
      fc.property(fc.double({ min: -700, max: 0, noNaN: true }), (z) => {
        const value = bceWithLogits(vec([z]), vec([0]), { reduction: 'sum' }).item();
        const expected = Math.log1p(Math.exp(z));
        expect(Math.abs(value - expected)).toBeLessThanOrEqual(4e-16 * expected);
      }),
    );
  });

  it('bce gradient = σ(z) − t without weights, and the loss is ≥ 0 and finite for any finite logit', () => {
    const logit = fc.double({ noNaN: true, noDefaultInfinity: true });
    const label = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(logit, label), { minLength: 1, maxLength: 8 }), (rows) => {
        const z = rows.map((r) => r[0]);
        const t = rows.map((r) => r[1]);
        const x = vec(z, 'float64', true);
        const loss = bceWithLogits(x, vec(t), { reduction: 'none' });
        loss.data.forEach((v) => {
          expect(Number.isFinite(v) && v >= -1e-12 * Math.max(1, ...z.map(Math.abs))).toBe(true);
        });
        loss.backward(vec(Array(z.length).fill(1)));
        z.forEach((zi, i) => {
          const sigma = zi >= 0 ? 1 / (1 + Math.exp(-zi)) : Math.exp(zi) / (1 + Math.exp(zi));
          expect(Math.abs((x.grad?.data[i] ?? NaN) - (sigma - t[i]))).toBeLessThanOrEqual(1e-15);
        });
      }),
    );
  });

  it('bce with posWeight p and hard targets = −p·t·log σ(z) − (1 − t)·log(1 − σ(z))', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), fc.constantFrom(0, 1), positive(0.1, 10), (z, t, p) => {
        const value = bceWithLogits(vec([z]), vec([t]), { posWeight: vec([p]), reduction: 'sum' }).item();
        // −log σ(z) = log(1 + e^(−z)) and −log(1 − σ(z)) = log(1 + e^z), fine in float64 for |z| ≤ 30
        const expected = p * t * Math.log1p(Math.exp(-z)) + (1 - t) * Math.log1p(Math.exp(z));
        expect(Math.abs(value - expected)).toBeLessThanOrEqual(1e-13 * Math.abs(expected));
      }),
    );
  });

  it('gaussian-nll: ∂l/∂var = 0 where var = (y′ − y)² (the maximum-likelihood variance)', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 1e-2, max: 30, noNaN: true }), (t, d) => {
        const v = vec([d * d], 'float64', true);
        gaussianNllLoss(vec([t + d]), vec([t]), v, { reduction: 'sum' }).backward();
        expect(Math.abs(v.grad?.data[0] ?? NaN)).toBeLessThanOrEqual(1e-12 / (d * d));
      }),
    );
  });
});

/** Seeded float64 values away from the kinks of each loss (|d| ∉ a small band around δ, β, 0). */
function smoothPoints(rs: RandomState, n: number, kinks: number[]): { y: number[]; t: number[] } {
  const y: number[] = [];
  const t: number[] = [];
  while (y.length < n) {
    const a = rs.standardNormal() * 2;
    const b = rs.standardNormal() * 2;
    const d = Math.abs(a - b);
    if (kinks.every((k) => Math.abs(d - k) > 1e-3)) {
      y.push(a);
      t.push(b);
    }
  }
  return { y, t };
}

describe('gradcheck (float64) for every loss, option and reduction', () => {
  const rs = new RandomState(123);
  const residualLosses: [string, (x: Tensor<FloatDType>, t: Tensor<FloatDType>, reduction: Reduction) => Tensor, number[]][] = [
    ['mseLoss', (x, t, reduction) => mseLoss(x, t, { reduction }), []],
    ['l2Loss', (x, t, reduction) => l2Loss(x, t, { reduction }), []],
    ['l1Loss', (x, t, reduction) => l1Loss(x, t, { reduction }), [0]],
    ...[0.3, 1, 2.5].map((delta): [string, (x: Tensor<FloatDType>, t: Tensor<FloatDType>, reduction: Reduction) => Tensor, number[]] => [
      `huberLoss δ=${delta}`,
      (x, t, reduction) => huberLoss(x, t, { delta, reduction }),
      [delta],
    ]),
    ...[0, 0.5, 1, 3].map((beta): [string, (x: Tensor<FloatDType>, t: Tensor<FloatDType>, reduction: Reduction) => Tensor, number[]] => [
      `smoothL1Loss β=${beta}`,
      (x, t, reduction) => smoothL1Loss(x, t, { beta, reduction }),
      [beta, 0],
    ]),
  ];
  for (const [name, loss, kinks] of residualLosses) {
    for (const reduction of REDUCTIONS) {
      it(`${name} ${reduction}: input and target`, () => {
        const { y, t } = smoothPoints(rs, 6, kinks);
        const x = fromTypedArray(Float64Array.from(y), [2, 3], { requiresGrad: true });
        const target = fromTypedArray(Float64Array.from(t), [2, 3], { requiresGrad: true });
        expect(gradcheck((a, b) => loss(float(a), float(b), reduction), [x, target]).ok).toBe(true);
      });
    }
  }

  const bceOptions: [string, () => { weight?: Tensor<'float64'>; posWeight?: Tensor<'float64'> }][] = [
    ['no weights', () => ({})],
    ['weight [2,3]', () => ({ weight: fromTypedArray(Float64Array.from([0.5, 1, 2, 1.5, 0.25, 3]), [2, 3]) })],
    ['weight [2,1]', () => ({ weight: fromTypedArray(Float64Array.from([0.5, 2]), [2, 1]) })],
    ['posWeight [3]', () => ({ posWeight: fromTypedArray(Float64Array.from([0.5, 2, 4]), [3]) })],
    [
      'weight [3] and posWeight [2,3]',
      () => ({ weight: fromTypedArray(Float64Array.from([0.5, 1, 2]), [3]), posWeight: fromTypedArray(Float64Array.from([3, 1, 0.2, 2, 5, 1]), [2, 3]) }),
    ],
  ];
  for (const [name, options] of bceOptions) {
    for (const reduction of REDUCTIONS) {
      it(`bceWithLogits ${name} ${reduction}: input and (soft) target`, () => {
        const x = fromTypedArray(Float64Array.from([-3.2, -0.4, 0, 0.9, 2.2, 7]), [2, 3], { requiresGrad: true });
        const t = fromTypedArray(Float64Array.from([0, 0.3, 1, 0.8, 1, 0.5]), [2, 3], { requiresGrad: true });
        expect(gradcheck((a, b) => bceWithLogits(float(a), float(b), { ...options(), reduction }), [x, t]).ok).toBe(true);
      });
    }
  }

  const variances: [string, number[], number[]][] = [
    ['heteroscedastic var [2,3]', [0.5, 1.2, 2, 0.3, 0.9, 4], [2, 3]],
    ['homoscedastic var [2]', [0.7, 1.9], [2]],
    ['homoscedastic var [2,1]', [0.7, 1.9], [2, 1]],
  ];
  for (const [name, v, shape] of variances) {
    for (const full of [false, true]) {
      for (const reduction of REDUCTIONS) {
        it(`gaussianNllLoss ${name} full=${full} ${reduction}: input, target and var`, () => {
          const x = fromTypedArray(Float64Array.from([0.3, -1.1, 2, 0.5, 0.1, -2.4]), [2, 3], { requiresGrad: true });
          const t = fromTypedArray(Float64Array.from([0.1, 0.4, 1.2, -0.5, 0.8, 0]), [2, 3], { requiresGrad: true });
          const variance = fromTypedArray(Float64Array.from(v), shape, { requiresGrad: true });
          expect(gradcheck((a, b, c) => gaussianNllLoss(float(a), float(b), float(c), { full, reduction }), [x, t, variance]).ok).toBe(true);
        });
      }
    }
  }
});
