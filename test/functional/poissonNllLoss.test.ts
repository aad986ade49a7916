import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LosslabError } from '../../src/errors.js';
import { pointwiseLosses, poissonNllLoss } from '../../src/functional/losses.js';
import { logGamma } from '../../src/special/gamma.js';
import { gradcheck } from '../../src/tensor/gradcheck.js';
import { shapesEqual } from '../../src/tensor/shape.js';
import { assertFloat, fromTypedArray, type Tensor } from '../../src/tensor/tensor.js';
import { loadNewLossGolden } from './newLossesGolden.js';
import { decode, mismatch, TOLERANCE, toTensor } from './regressionGolden.js';

const golden = loadNewLossGolden();
const cases = golden.cases.filter((c) => c.loss === 'poisson-nll');
const vec = (values: number[], requiresGrad = false) => fromTypedArray(Float64Array.from(values), [values.length], { requiresGrad });
const float = (t: Tensor) => {
  assertFloat(t, 'test', 'tensor');
  return t;
};

describe(`poissonNllLoss matches PyTorch ${golden.versions.torch} F.poisson_nll_loss (test/golden/torch_poisson_soft_margin.json)`, () => {
  it('covers float32 and float64, every reduction, log_input and full both ways, two eps', () => {
    const kinds = new Set(cases.map((c) => `${c.dtype} ${c.options.reduction} ${c.options.logInput} ${c.options.full}`));
    expect(kinds.size).toBe(2 * 3 * 2 * 2);
    expect(new Set(cases.map((c) => c.options.eps)).size).toBe(2);
  });

  for (const c of cases) {
    it(c.name, () => {
      const input = toTensor(c.input, c.dtype, true);
      const target = toTensor(c.target, c.dtype, true);
      const value = poissonNllLoss(input, target, { logInput: c.options.logInput, full: c.options.full, eps: c.options.eps, reduction: c.options.reduction });
      expect(value.dtype).toBe(c.dtype);
      expect(shapesEqual(value.shape, c.value.shape)).toBe(true);
      const tol = TOLERANCE[c.dtype];
      expect(mismatch(value.data, c.value, tol), 'value').toBeNull();
      value.backward(fromTypedArray(value.dtype === 'float32' ? new Float32Array(value.size).fill(1) : new Float64Array(value.size).fill(1), value.shape));
      expect(mismatch(input.grad?.data ?? [], c.grad_input, tol), 'grad input').toBeNull();
      if (!c.grad_target) return;
      // PyTorch differentiates full's Stirling term through masked_fill: 0 · log(0) = NaN where y = 0.
      // losslab gives the term's true derivative there, 0, so ∂l/∂y is −x (logInput) or −log(x + eps).
      const expected = c.grad_target.data.map((v, i) => {
        const y = decode(c.target.data[i]);
        if (!(c.options.full && y === 0 && Number.isNaN(decode(v)))) return v;
        const x = input.data[i];
        const dy = c.options.logInput ? -x : -Math.log(x + (c.options.eps ?? 1e-8));
        return c.options.reduction === 'mean' ? dy / input.size : dy;
      });
      expect(mismatch(target.grad?.data ?? [], { shape: c.grad_target.shape, data: expected }, tol), 'grad target').toBeNull();
    });
  }
});

describe('poissonNllLoss: gradients (gradcheck, float64) and properties (fast-check)', () => {
  it("where PyTorch's target gradient is NaN (full, y = 0), losslab's is finite — the one documented difference in the golden data", () => {
    const nan = cases.filter((c) =>
      c.grad_target?.data.some((v, i) => Number.isNaN(decode(v)) && !Number.isNaN(decode(c.target.data[i])) && !Number.isNaN(decode(c.input.data[i]))),
    );
    expect(nan.length).toBeGreaterThan(0);
    expect(nan.every((c) => c.options.full)).toBe(true);
  });

  for (const logInput of [true, false]) {
    for (const full of [false, true]) {
      for (const reduction of ['none', 'mean', 'sum'] as const) {
        it(`gradcheck w.r.t. input and target, logInput=${logInput} full=${full} ${reduction}`, () => {
          const x = vec(logInput ? [-1.2, 0.3, 1.7, 0.9] : [0.4, 1.3, 2.7, 5], true);
          const t = vec([0.5, 2, 3.5, 1.2], true);
          expect(gradcheck((a, b) => poissonNllLoss(float(a), float(b), { logInput, full, reduction }), [x, t]).ok).toBe(true);
        });
      }
    }
  }

  it('the loss is smallest where the rate equals the count: ∂l/∂x = 0 at x = log y (logInput) and x = y − eps', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 50, noNaN: true }), (y) => {
        const p = pointwiseLosses['poisson-nll'];
        expect(Math.abs(p.gradient(y, Math.log(y), { logInput: true }))).toBeLessThanOrEqual(1e-12 * y);
        expect(p.value(y, Math.log(y) + 0.1, { logInput: true })).toBeGreaterThan(p.value(y, Math.log(y), { logInput: true }));
        expect(p.value(y, Math.log(y) - 0.1, { logInput: true })).toBeGreaterThan(p.value(y, Math.log(y), { logInput: true }));
        expect(Math.abs(p.gradient(y, y - 1e-8, { logInput: false }))).toBeLessThanOrEqual(1e-9);
      }),
    );
  });

  it('−log P(y | λ) − l does not depend on the prediction (the dropped log y!, or its Stirling error with full)', () => {
    const p = pointwiseLosses['poisson-nll'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: -3, max: 3, noNaN: true }), fc.boolean(), (y, x, full) => {
        const constant = -Math.log(p.density(y, 0, { full })) - p.value(y, 0, { full });
        const here = -Math.log(p.density(y, x, { full })) - p.value(y, x, { full });
        expect(Math.abs(here - constant)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(p.value(y, x, { full }))));
        if (!full) expect(constant).toBeCloseTo(logGamma(y + 1), 9);
      }),
    );
  });

  it('the likelihood is a probability of the count: Σ_y P(y | λ) = 1', () => {
    const p = pointwiseLosses['poisson-nll'];
    for (const x of [-2, 0, 1.3, 2.5]) {
      let total = 0;
      for (let y = 0; y < 200; y++) total += p.density(y, x, {});
      expect(Math.abs(total - 1)).toBeLessThanOrEqual(1e-12);
    }
  });

  it('the pointwise form is the tensor loss of one element (value and ∂l/∂x)', () => {
    fc.assert(
      fc.property(fc.double({ min: -4, max: 4, noNaN: true }), fc.integer({ min: 0, max: 30 }), fc.boolean(), fc.boolean(), (z, y, logInput, full) => {
        const xv = logInput ? z : Math.exp(z);
        const x = vec([xv], true);
        const value = poissonNllLoss(x, vec([y]), { logInput, full, reduction: 'sum' });
        value.backward();
        const p = pointwiseLosses['poisson-nll'];
        expect(Math.abs(p.value(y, xv, { logInput, full }) - value.item())).toBeLessThanOrEqual(1e-13 * (1 + Math.abs(value.item())));
        expect(Math.abs(p.gradient(y, xv, { logInput, full }) - (x.grad?.item() ?? Number.NaN))).toBeLessThanOrEqual(1e-13 * (1 + Math.abs(value.item())));
      }),
    );
  });

  it('P(y | λ) matches scipy.stats.poisson.pmf', () => {
    for (const d of golden.densities.filter((k) => k.id === 'poisson-nll')) {
      const expected = decode(d.density);
      const actual = pointwiseLosses['poisson-nll'].density(d.y, d.yHat, d.params);
      expect(Math.abs(actual - expected), `${JSON.stringify(d)}: ${actual}`).toBeLessThanOrEqual(1e-12 * expected + 1e-300);
    }
  });
});

describe('poissonNllLoss: bad input is one clear error (PyTorch computes NaN or a meaningless number)', () => {
  it('a negative count, a negative rate with logInput false, a bad flag or eps', () => {
    expect(() => poissonNllLoss(vec([0.1, 0.2]), vec([1, -2]))).toThrow(
      /poissonNllLoss: argument 'target' is -2 at flat index 1, but targets are Poisson counts, so they must be ≥ 0/,
    );
    expect(() => poissonNllLoss(vec([0.1, -0.2]), vec([1, 2]), { logInput: false })).toThrow(
      /argument 'input' is -0.2 at flat index 1, but with logInput false the input is the rate λ/,
    );
    expect(() => poissonNllLoss(vec([0.1]), vec([1]), { eps: -1 })).toThrow(LosslabError);
    expect(() => poissonNllLoss(vec([0.1]), vec([1]), { full: 1 as unknown as boolean })).toThrow(/argument 'full' is 1, but it must be true or false/);
    expect(() => poissonNllLoss(vec([0.1, 0.2]), vec([1]))).toThrow(/same shape/);
  });
});
