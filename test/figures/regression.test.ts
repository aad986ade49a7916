import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lossCurves, lossFigure, plottedCsv } from '../../src/figures/index.js';
import { pointwiseLosses } from '../../src/functional/losses.js';
import { LosslabError } from '../../src/errors.js';
import { close, golden, num } from './golden.js';

/** The regression losses of a residual y′ − y (d2l's figure: peak at y′ = y). */
const REGRESSION_LOSSES = ['l2', 'mse', 'l1', 'huber', 'smooth-l1', 'gaussian-nll'] as const;
type RegressionLossId = (typeof REGRESSION_LOSSES)[number];

/** The parameters among `params` that `loss` has. */
function paramsFor(loss: RegressionLossId, params: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(params).filter(([name]) => name in pointwiseLosses[loss].params));
}

function parseCsv(csv: string): Record<string, number>[] {
  const [header, ...lines] = csv.trim().split('\n');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], Number(cell)])));
}

describe('d2l loss figure numbers (golden: d2l notebook replicated with PyTorch)', () => {
  it('green peaks 3.99 (L2), 5.03 (L1), 3.45 (Huber δ=1) and L2 loss(−5) = 12.5, as in d2l', () => {
    const expected = { l2: 3.99, l1: 5.03, huber: 3.45 };
    for (const case_ of golden.d2l) {
      const curves = lossCurves({ loss: case_.loss });
      const peak = Math.max(...curves.rows.map((r) => r.likelihood));
      expect(close(peak, num(case_.peak), 1e-9), `${case_.loss} peak ${peak} vs ${String(case_.peak)}`).toBe(true);
      expect(peak).toBeCloseTo(expected[case_.loss], 2);
      expect(curves.rows[0].x).toBe(-5);
      expect(curves.rows[0].loss).toBe(num(case_.lossAtMinus5));
    }
    expect(lossCurves({ loss: 'l2' }).rows[0].loss).toBe(12.5);
  });

  it('the L2 peak is 10 × the N(0, 1) density at 0, and L1 is 10 / (2(1 − e⁻⁵)) — the range-normalised rule', () => {
    const peak = (loss: RegressionLossId) => Math.max(...lossCurves({ loss }).rows.map((r) => r.likelihood));
    // The range [−5, 5) leaves out 5.7e-7 of the Gaussian's mass, so the peak is that much above 10/√(2π).
    expect(peak('l2')).toBeCloseTo(10 / Math.sqrt(2 * Math.PI), 4);
    expect(peak('l2')).toBeGreaterThan(10 / Math.sqrt(2 * Math.PI));
    expect(peak('l1')).toBeCloseTo(10 / (2 * (1 - Math.exp(-5))), 2);
  });

  for (const case_ of golden.regression) {
    it(`${case_.loss} ${JSON.stringify(case_.params)} at y = ${case_.target} on [${case_.from}, ${case_.to}) matches PyTorch`, () => {
      const curves = lossCurves({ loss: case_.loss, target: case_.target, from: case_.from, to: case_.to, points: case_.points, params: case_.params });
      expect(curves.rows).toHaveLength(case_.points);
      for (const s of case_.samples) {
        const row = curves.rows[s.index];
        expect(close(row.x, num(s.prediction), 1e-12), `prediction ${s.index}`).toBe(true);
        expect(close(row.loss, num(s.loss), 1e-9), `loss ${s.index}: ${row.loss} vs ${String(s.loss)}`).toBe(true);
        expect(close(row.gradient, num(s.gradient), 1e-9), `gradient ${s.index}: ${row.gradient} vs ${String(s.gradient)}`).toBe(true);
        expect(close(row.likelihood, num(s.likelihood), 1e-8, 1e-14), `likelihood ${s.index}: ${row.likelihood} vs ${String(s.likelihood)}`).toBe(true);
      }
      expect(close(Math.max(...curves.rows.map((r) => r.likelihood)), num(case_.peak), 1e-9)).toBe(true);
    });
  }
});

describe("the plotted CSV holds the library functions' numbers", () => {
  for (const loss of REGRESSION_LOSSES) {
    it(`${loss}: every 50th CSV row equals pointwiseLosses.${loss} value/gradient, likelihood ∝ density`, () => {
      const params = { delta: 1.5, beta: 0.75, sigma: 1.25 };
      const target = 0.7;
      const rows = parseCsv(plottedCsv(lossFigure({ loss, target, from: -4, to: 6, params: paramsFor(loss, params) })));
      expect(rows).toHaveLength(1000);
      const pointwise = pointwiseLosses[loss];
      const ratios: number[] = [];
      for (let i = 0; i < rows.length; i += 50) {
        const r = rows[i];
        expect(r.loss).toBe(pointwise.value(target, r.prediction, params));
        expect(r.gradient).toBe(pointwise.gradient(target, r.prediction, params));
        ratios.push(r.likelihood / pointwise.density(target, r.prediction, params));
      }
      for (const ratio of ratios) expect(ratio / ratios[0]).toBeCloseTo(1, 9);
      // Scaled like d2l: 10 × a density over the plotted range (step 0.01 here).
      const integral = rows.reduce((s, r) => s + r.likelihood, 0) * 0.01;
      expect(integral).toBeCloseTo(10, 9);
    });
  }
});

describe('curve shapes (fast-check)', () => {
  const settings = { numRuns: 40 };
  const targetAndRange = fc.record({
    target: fc.double({ min: -3, max: 3, noNaN: true }),
    below: fc.double({ min: 0.5, max: 6, noNaN: true }),
    above: fc.double({ min: 0.5, max: 6, noNaN: true }),
  });

  it('the L2 gradient crosses zero at the target: negative left of y, positive right of it', () => {
    fc.assert(
      fc.property(targetAndRange, ({ target, below, above }) => {
        const { rows } = lossCurves({ loss: 'l2', target, from: target - below, to: target + above, points: 400 });
        const wrong = rows.filter((r) => (r.x < target && !(r.gradient < 0)) || (r.x > target && !(r.gradient > 0)));
        expect(wrong).toEqual([]);
      }),
      settings,
    );
  });

  it('for every loss the likelihood peaks (and the loss is smallest) at the grid point nearest the target', () => {
    fc.assert(
      fc.property(targetAndRange, fc.constantFrom(...REGRESSION_LOSSES), ({ target, below, above }, loss) => {
        const { rows, step } = lossCurves({ loss, target, from: target - below, to: target + above, points: 500 });
        let best = 0;
        for (let i = 1; i < rows.length; i++) if (rows[i].likelihood > rows[best].likelihood) best = i;
        expect(Math.abs(rows[best].x - target)).toBeLessThanOrEqual(step / 2 + 1e-9);
        const minLoss = Math.min(...rows.map((r) => r.loss));
        expect(rows[best].loss).toBe(minLoss);
      }),
      settings,
    );
  });

  it("the likelihood integrates to 10 over any range (d2l's scale), and exp(−l) ratios are preserved", () => {
    fc.assert(
      fc.property(targetAndRange, fc.constantFrom(...REGRESSION_LOSSES), ({ target, below, above }, loss) => {
        const { rows, step } = lossCurves({ loss, target, from: target - below, to: target + above, points: 300 });
        expect(rows.reduce((s, r) => s + r.likelihood, 0) * step).toBeCloseTo(10, 9);
        const [a, b] = [rows[0], rows[rows.length - 1]];
        expect(Math.log(a.likelihood / b.likelihood)).toBeCloseTo(b.loss - a.loss, 6);
      }),
      settings,
    );
  });

  it('far from the target the likelihood does not underflow to 0/0 (computed as exp(−(l − min l)))', () => {
    const { rows } = lossCurves({ loss: 'l2', target: 0, from: 100, to: 110 });
    expect(rows.every((r) => Number.isFinite(r.likelihood))).toBe(true);
    expect(rows[0].likelihood).toBeGreaterThan(1);
  });
});

describe('errors name the argument, the value and the rule', () => {
  it('from ≥ to', () => {
    expect(() => lossCurves({ loss: 'l2', from: 2, to: 2 })).toThrow(/argument 'to' is 2, but it must be greater than from \(2\)/);
    expect(() => lossCurves({ loss: 'l2', from: 3, to: -1 })).toThrow(LosslabError);
  });
  it('unknown loss, bad parameters, bad sizes', () => {
    expect(() => lossCurves({ loss: 'l3' })).toThrow(/argument 'loss' is "l3", but it must be one of l2, mse, l1, huber, smooth-l1, /);
    expect(() => lossCurves({ loss: 'huber', params: { delta: 0 } })).toThrow(/argument 'delta' is 0, but it must be a finite number greater than 0/);
    expect(() => lossCurves({ loss: 'l2', target: NaN })).toThrow(/argument 'target' is NaN, but it must be a finite number/);
    expect(() => lossCurves({ loss: 'l2', points: 1 })).toThrow(/argument 'points' is 1/);
    expect(() => lossFigure({ loss: 'l2', width: 10 })).toThrow(/argument 'width' is 10, but it must be an integer from 50 to 4000/);
  });
});

describe('the orange curve is the slope of the blue one (central differences, float64)', () => {
  it('every loss: (l(y′ + h) − l(y′ − h)) / 2h ≈ the plotted gradient, away from the kinks', () => {
    const params = { delta: 1.3, beta: 0.6, sigma: 0.8 };
    fc.assert(
      fc.property(fc.constantFrom(...REGRESSION_LOSSES), fc.double({ min: -2, max: 2, noNaN: true }), (loss, target) => {
        const { rows } = lossCurves({ loss, target, points: 200, params: paramsFor(loss, params) });
        const kinks = [target, target - params.delta, target + params.delta, target - params.beta, target + params.beta];
        const h = 1e-6;
        for (const row of rows) {
          if (kinks.some((k) => Math.abs(row.x - k) < 1e-3)) continue;
          const slope = (pointwiseLosses[loss].value(target, row.x + h, params) - pointwiseLosses[loss].value(target, row.x - h, params)) / (2 * h);
          expect(Math.abs(slope - row.gradient)).toBeLessThan(1e-5 * (1 + Math.abs(row.gradient)));
        }
      }),
      { numRuns: 24 },
    );
  });
});
