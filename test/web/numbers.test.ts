import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explorerCurves, explorerReadout } from '../../src/web/pages/lossCurves.js';
import { softmaxNumbers } from '../../src/web/pages/softmaxNumbers.js';
import { decodeJsonNumber, type JsonNumber } from '../../src/data/jsonNumbers.js';

/**
 * The numbers behind the lab's pages, outside the browser: the loss explorer's curves and readout
 * and the softmax playground against golden data from PyTorch/NumPy (test/golden/figures.json,
 * written by scripts/ of the figures area), plus properties and (the validation lab's data: test/shift/labData.test.ts).
 */
type Golden = JsonNumber;
const decode = (v: Golden): number => decodeJsonNumber(v);
interface RegressionCase {
  loss: string;
  target: number;
  from: number;
  to: number;
  points: number;
  params: { delta?: number; beta?: number; sigma?: number };
  samples: { index: number; prediction: number; loss: number; gradient: number; likelihood: number }[];
}
interface BceCase {
  target: number;
  from: number;
  to: number;
  points: number;
  samples: { index: number; logit: number; loss: number; probability: number; gradient: number }[];
}
interface SoftmaxCase {
  logits: number[];
  temperature: number;
  expFloat64: Golden[];
  naiveFloat64: Golden[];
  expFloat32: Golden[];
  naiveFloat32: Golden[];
  stable: Golden[];
}
const golden: { regression: RegressionCase[]; bce: BceCase[]; softmax: SoftmaxCase[] } = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'golden', 'figures.json'), 'utf8'),
);
const EXPLORER: readonly string[] = ['l2', 'l1', 'huber', 'smooth-l1', 'gaussian-nll'];

function close(actual: number, expected: number, rtol = 1e-9, atol = 1e-12): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

describe('loss explorer curves', () => {
  const cases = golden.regression.filter((c) => EXPLORER.includes(c.loss));
  it.each(cases.map((c) => [`${c.loss} y=${c.target} ${JSON.stringify(c.params)}`, c] as const))('match PyTorch/NumPy for %s', (_, c) => {
    const id = c.loss;
    const params = c.params;
    const rows = explorerCurves(id, c.target, params, c.from, c.to, c.points);
    expect(rows).toHaveLength(c.points);
    for (const s of c.samples) {
      const row = rows[s.index];
      expect(close(row.x, s.prediction, 1e-12, 1e-12)).toBe(true);
      expect(close(row.loss, s.loss)).toBe(true);
      expect(close(row.gradient, s.gradient)).toBe(true);
      expect(close(row.likelihood, s.likelihood, 1e-9, 1e-15)).toBe(true);
      // The hover readout at a grid point gives the curve's numbers.
      const at = explorerReadout(id, c.target, params, row.x, c.from, c.to, c.points);
      expect(close(at.loss, s.loss)).toBe(true);
      expect(close(at.likelihood, row.likelihood, 1e-9, 1e-15)).toBe(true);
    }
  });

  it.each(golden.bce.map((c) => [c.target, c] as const))('BCE with target %s matches PyTorch', (_, c) => {
    const rows = explorerCurves('bce', c.target, {}, c.from, c.to, c.points);
    for (const s of c.samples) {
      const row = rows[s.index];
      expect(close(row.loss, s.loss)).toBe(true);
      expect(close(row.likelihood, s.probability)).toBe(true);
      expect(close(row.gradient, s.gradient)).toBe(true);
      const at = explorerReadout('bce', c.target, {}, s.logit, c.from, c.to);
      expect(close(at.gradient, s.gradient)).toBe(true);
    }
  });

  it('the L2 readout: gradient zero at the target and the likelihood highest there (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -4, max: 4, noNaN: true }), (target, offset) => {
        const atTarget = explorerReadout('l2', target, {}, target, target - 5, target + 5);
        const elsewhere = explorerReadout('l2', target, {}, target + offset, target - 5, target + 5);
        return Math.abs(atTarget.gradient) < 1e-12 && atTarget.likelihood >= elsewhere.likelihood && Math.abs(elsewhere.gradient - offset) < 1e-9;
      }),
      { numRuns: 200 },
    );
  });
});

describe('softmax playground numbers', () => {
  it.each(golden.softmax.map((c) => [JSON.stringify(c.logits), c.temperature, c] as const))(
    'naive and stable match NumPy/PyTorch for %s at T = %s',
    (_, temperature, c) => {
      for (const dtype of ['float32', 'float64'] as const) {
        const naive = softmaxNumbers({ logits: c.logits, temperature, trueClass: 0, stable: false, dtype });
        const exps = dtype === 'float32' ? c.expFloat32 : c.expFloat64;
        const probs = dtype === 'float32' ? c.naiveFloat32 : c.naiveFloat64;
        naive.exps.forEach((e, i) => {
          expect(close(e, decode(exps[i]), 1e-6)).toBe(true);
        });
        naive.probabilities.forEach((p, i) => {
          expect(close(p, decode(probs[i]), 1e-6, 1e-30)).toBe(true);
        });
        const stable = softmaxNumbers({ logits: c.logits, temperature, trueClass: 0, stable: true, dtype });
        stable.probabilities.forEach((p, i) => {
          expect(close(p, decode(c.stable[i]), dtype === 'float32' ? 1e-6 : 1e-12, 1e-30)).toBe(true);
        });
        expect(stable.probabilities.every(Number.isFinite)).toBe(true);
      }
    },
  );

  it('stable: cross-entropy is −log ŷ_c and the autograd gradient is ŷ − y (property, float64)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 2, maxLength: 8 }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.nat(),
        (logits, temperature, pick) => {
          const trueClass = pick % logits.length;
          const r = softmaxNumbers({ logits, temperature, trueClass, stable: true, dtype: 'float64' });
          const sum = r.probabilities.reduce((a, b) => a + b, 0);
          const ceOk = close(r.crossEntropy, -Math.log(r.probabilities[trueClass]), 1e-9, 1e-9) || r.probabilities[trueClass] < 1e-300;
          const gradOk = r.gradient.every((g, i) => Math.abs(g - (r.probabilities[i] - (i === trueClass ? 1 : 0))) < 1e-12);
          return Math.abs(sum - 1) < 1e-12 && ceOk && gradOk;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('overflow: naive float32 exp is finite at z = 88.72 and Infinity at z = 88.73, stable stays exact', () => {
    const below = softmaxNumbers({ logits: [88.72, 0], temperature: 1, trueClass: 0, stable: false, dtype: 'float32' });
    expect(below.exps.every(Number.isFinite)).toBe(true);
    const above = softmaxNumbers({ logits: [88.73, 0], temperature: 1, trueClass: 0, stable: false, dtype: 'float32' });
    expect(above.exps[0]).toBe(Infinity);
    expect(Number.isNaN(above.probabilities[0])).toBe(true);
    expect(Number.isNaN(above.crossEntropy)).toBe(true);
    const stable = softmaxNumbers({ logits: [88.73, 0], temperature: 1, trueClass: 0, stable: true, dtype: 'float32' });
    expect(stable.probabilities[0]).toBe(1);
    expect(stable.crossEntropy).toBeGreaterThanOrEqual(0);
  });
});
