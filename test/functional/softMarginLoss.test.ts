import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bceWithLogits } from '../../src/functional/bceWithLogits.js';
import { pointwiseLosses, softMarginLoss } from '../../src/functional/losses.js';
import { gradcheck } from '../../src/tensor/gradcheck.js';
import { shapesEqual } from '../../src/tensor/shape.js';
import { assertFloat, fromTypedArray, type Tensor } from '../../src/tensor/tensor.js';
import { loadNewLossGolden } from './newLossesGolden.js';
import { decode, mismatch, TOLERANCE, toTensor } from './regressionGolden.js';

const golden = loadNewLossGolden();
const cases = golden.cases.filter((c) => c.loss === 'soft-margin');
const vec = (values: number[], requiresGrad = false) => fromTypedArray(Float64Array.from(values), [values.length], { requiresGrad });
const float = (t: Tensor) => {
  assertFloat(t, 'test', 'tensor');
  return t;
};

describe(`softMarginLoss matches PyTorch ${golden.versions.torch} F.soft_margin_loss (test/golden/torch_poisson_soft_margin.json)`, () => {
  it('covers float32 and float64 and every reduction', () => {
    expect(new Set(cases.map((c) => `${c.dtype} ${c.options.reduction}`)).size).toBe(6);
  });

  for (const c of cases) {
    it(c.name, () => {
      const input = toTensor(c.input, c.dtype, true);
      const value = softMarginLoss(input, toTensor(c.target, c.dtype), { reduction: c.options.reduction });
      expect(value.dtype).toBe(c.dtype);
      expect(shapesEqual(value.shape, c.value.shape)).toBe(true);
      const tol = TOLERANCE[c.dtype];
      expect(mismatch(value.data, c.value, tol), 'value').toBeNull();
      value.backward(fromTypedArray(value.dtype === 'float32' ? new Float32Array(value.size).fill(1) : new Float64Array(value.size).fill(1), value.shape));
      expect(mismatch(input.grad?.data ?? [], c.grad_input, tol), 'grad input').toBeNull();
    });
  }

  it('where PyTorch overflows (log1p(exp(−y·x)) = ∞, gradient NaN) losslab returns the finite −y·x and gradient −y (documented)', () => {
    for (const o of golden.softMarginOverflow) {
      expect(o.value.data.every((v) => decode(v) === Infinity)).toBe(true);
      expect(o.grad_input.data.every((v) => Number.isNaN(decode(v)))).toBe(true);
      const input = toTensor(o.input, o.dtype, true);
      const target = toTensor(o.target, o.dtype);
      const value = softMarginLoss(input, target, { reduction: 'none' });
      value.backward(fromTypedArray(o.dtype === 'float32' ? new Float32Array(2).fill(1) : new Float64Array(2).fill(1), [2]));
      for (let i = 0; i < 2; i++) {
        const margin = target.data[i] * input.data[i];
        expect(value.data[i]).toBe(o.dtype === 'float32' ? Math.fround(-margin) : -margin);
        expect(input.grad?.data[i]).toBe(-target.data[i]);
      }
    }
  });
});

describe('softMarginLoss: gradients (gradcheck, float64) and properties (fast-check)', () => {
  for (const reduction of ['none', 'mean', 'sum'] as const) {
    it(`gradcheck w.r.t. the input, ${reduction}`, () => {
      const x = vec([-3.1, -0.2, 0, 0.8, 2.4, 9], true);
      const y = vec([1, -1, 1, -1, -1, 1]);
      expect(gradcheck((a) => softMarginLoss(float(a), y, { reduction }), [x]).ok).toBe(true);
    });
  }

  it('is binary cross-entropy with labels ±1 instead of 0/1: l(y, z) = bce((y + 1)/2, z), and symmetric l(y, z) = l(−y, −z)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -40, max: 40, noNaN: true }), { minLength: 1, maxLength: 8 }), fc.nat(), (z, seed) => {
        const y = z.map((_, i) => ((seed >> (i % 30)) & 1 ? 1 : -1));
        const soft = softMarginLoss(vec(z), vec(y), { reduction: 'none' }).data;
        const bce = bceWithLogits(vec(z), vec(y.map((v) => (v + 1) / 2)), { reduction: 'none' }).data;
        const mirrored = softMarginLoss(vec(z.map((v) => -v)), vec(y.map((v) => -v)), { reduction: 'none' }).data;
        for (let i = 0; i < z.length; i++) {
          expect(Math.abs(soft[i] - bce[i])).toBeLessThanOrEqual(1e-14 * (1 + bce[i]));
          expect(mirrored[i]).toBe(soft[i]);
        }
      }),
    );
  });

  it('the logistic likelihood sums to 1 over y ∈ {−1, 1}, equals exp(−l), and the pointwise form is the tensor loss', () => {
    const p = pointwiseLosses['soft-margin'];
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), fc.constantFrom(-1, 1), (z, y) => {
        expect(Math.abs(p.density(-1, z) + p.density(1, z) - 1)).toBeLessThanOrEqual(1e-15);
        expect(Math.abs(p.density(y, z) - Math.exp(-p.value(y, z)))).toBeLessThanOrEqual(1e-15);
        const x = vec([z], true);
        const value = softMarginLoss(x, vec([y]), { reduction: 'sum' });
        value.backward();
        expect(p.value(y, z)).toBe(value.item());
        expect(p.gradient(y, z)).toBe(x.grad?.item());
      }),
    );
  });

  it('P(y | z) matches scipy.special.expit(y z)', () => {
    for (const d of golden.densities.filter((k) => k.id === 'soft-margin')) {
      const expected = decode(d.density);
      expect(Math.abs(pointwiseLosses['soft-margin'].density(d.y, d.yHat) - expected)).toBeLessThanOrEqual(1e-15 * expected + 1e-300);
    }
  });
});

describe('softMarginLoss: bad input is one clear error', () => {
  it('labels other than ±1, a target that requires grad (PyTorch: not differentiable), mismatched shapes', () => {
    expect(() => softMarginLoss(vec([0.1, 0.2]), vec([1, 0]))).toThrow(
      /softMarginLoss: argument 'target' is 0 at flat index 1, but labels of the soft margin loss must be -1 or 1/,
    );
    expect(() => softMarginLoss(vec([0.1]), vec([1], true))).toThrow(/no gradient with respect to 'target'/);
    expect(() => softMarginLoss(vec([0.1, 0.2]), vec([1]))).toThrow(/same shape/);
  });
});
