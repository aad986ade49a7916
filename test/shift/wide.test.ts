import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setKernelBackend, kernelBackend } from '../../src/kernels/backend.js';
import { learnEncoding, encodeRows } from '../../src/shift/design.js';
import { domainClassifierTest } from '../../src/shift/domainClassifier.js';
import { effectiveSampleSize, importanceWeights, sigmoidCalibration } from '../../src/shift/importanceWeights.js';
import { lbfgs } from '../../src/shift/lbfgs.js';
import { withinDuplicates } from '../../src/shift/leakage.js';
import { fitLogisticRegression } from '../../src/shift/logisticRegression.js';
import type { Matrix } from '../../src/shift/mmd.js';
import { sortedFinite } from '../../src/shift/sortColumn.js';
import type { Table } from '../../src/shift/table.js';
import { RandomState } from '../../src/tensor/random.js';
import { readGolden } from './goldenHelpers.js';

function gaussian(seed: number, rows: number, cols: number, shift: (j: number) => number = () => 0): Matrix {
  const rs = new RandomState(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = rs.standardNormal() + shift(j);
  return { data, rows, cols };
}

const names = (d: number): string[] => Array.from({ length: d }, (_, j) => `x${j}`);

describe('L-BFGS', () => {
  it('solves a convex quadratic ½xᵀAx − bᵀx to A⁻¹b', () => {
    // A = tridiag(−1, 4, −1), n = 50: well conditioned, the solution is unique
    const n = 50;
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const apply = (x: Float64Array, out: Float64Array): void => {
      for (let i = 0; i < n; i++) out[i] = 4 * x[i] - (i > 0 ? x[i - 1] : 0) - (i < n - 1 ? x[i + 1] : 0);
    };
    const Ax = new Float64Array(n);
    const r = lbfgs(
      (x, g) => {
        apply(x, Ax);
        let f = 0;
        for (let i = 0; i < n; i++) {
          g[i] = Ax[i] - b[i];
          f += 0.5 * x[i] * Ax[i] - b[i] * x[i];
        }
        return f;
      },
      new Float64Array(n),
      { gradientTolerance: 1e-10, relativeDecrease: 0 },
    );
    expect(r.converged).toBe(true);
    apply(r.x, Ax);
    for (let i = 0; i < n; i++) expect(Math.abs(Ax[i] - b[i])).toBeLessThan(1e-10);
  });

  it('finds the minimum (1, 1) of the Rosenbrock function', () => {
    const r = lbfgs(
      (x, g) => {
        const [a, b] = x;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.of(-1.2, 1),
      { gradientTolerance: 1e-10 },
    );
    expect(r.x[0]).toBeCloseTo(1, 7);
    expect(r.x[1]).toBeCloseTo(1, 7);
  });
});

describe('logistic regression on float32 data (the WebAssembly path)', () => {
  it('reaches the float64 optimum to float32 accuracy, on every kernel backend', () => {
    const X = gaussian(5, 400, 20);
    const rs = new RandomState(6);
    const y = Array.from({ length: 400 }, (_, i) => (rs.randomSample() < 1 / (1 + Math.exp(-(X.data[i * 20] - 0.5 * X.data[i * 20 + 1]))) ? 1 : 0));
    const exact = fitLogisticRegression(X, y, { tolerance: 1e-10 });
    const previous = kernelBackend();
    try {
      for (const backend of ['ts', 'wasm'] as const) {
        setKernelBackend(backend);
        const fast = fitLogisticRegression({ data: Float32Array.from(X.data), rows: X.rows, cols: X.cols }, y, { tolerance: 1e-6 });
        for (let j = 0; j < 20; j++) expect(Math.abs(fast.coef[j] - exact.coef[j])).toBeLessThan(2e-4);
        expect(Math.abs(fast.intercept - exact.intercept)).toBeLessThan(2e-4);
      }
    } finally {
      setKernelBackend(previous);
    }
  });

  it('fits only the listed rows', () => {
    const X = gaussian(7, 200, 3);
    const y = Array.from({ length: 200 }, (_, i) => (X.data[i * 3] > 0 ? 1 : 0));
    const rows = Int32Array.from({ length: 100 }, (_, k) => 2 * k);
    const sub: Matrix = { data: Float64Array.from({ length: 300 }, (_, k) => X.data[Math.floor(k / 3) * 6 + (k % 3)]), rows: 100, cols: 3 };
    const a = fitLogisticRegression(X, y, { rows, tolerance: 1e-10 });
    const b = fitLogisticRegression(
      sub,
      Array.from(rows, (r) => y[r]),
      { tolerance: 1e-10 },
    );
    for (let j = 0; j < 3; j++) expect(a.coef[j]).toBeCloseTo(b.coef[j], 8);
  });
});

describe('Platt scaling matches scikit-learn _sigmoid_calibration', () => {
  const golden = readGolden<{ platt: { seed: number; n_neg: number; n_pos: number; sep: number; sklearn: [number, number]; tight: [number, number] }[] }>(
    'sklearn_calibration.json',
  );
  for (const c of golden.platt) {
    it(`seed ${c.seed}: ${c.n_neg} negatives, ${c.n_pos} positives, separation ${c.sep}`, () => {
      const rs = new RandomState(c.seed);
      const scores = [...Array.from({ length: c.n_neg }, () => rs.standardNormal()), ...Array.from({ length: c.n_pos }, () => rs.standardNormal() + c.sep)];
      const y = scores.map((_, i) => (i < c.n_neg ? 0 : 1));
      const { a, b } = sigmoidCalibration(scores, y);
      // the tightly solved optimum of the same objective
      expect(Math.abs(a - c.tight[0])).toBeLessThan(1e-8 * Math.max(1, Math.abs(c.tight[0])));
      expect(Math.abs(b - c.tight[1])).toBeLessThan(1e-8 * Math.max(1, Math.abs(c.tight[1])));
      // scikit-learn's own answer (its BFGS stops at a gradient of 1e-5)
      expect(Math.abs(a - c.sklearn[0])).toBeLessThan(1e-5);
      expect(Math.abs(b - c.sklearn[1])).toBeLessThan(1e-5);
    });
  }
});

describe('importance weights: out-of-fold, calibrated, truncated', () => {
  it('no shift at d = 784: the effective sample size stays above 50 % of n (it was ≈ 1 row with raw odds)', () => {
    const n = 1500;
    const r = domainClassifierTest(gaussian(11, n, 784), gaussian(12, n, 784), names(784), { seed: 0 });
    expect(r.ci[0]).toBeLessThan(0.5);
    expect(r.effectiveSampleSize / n).toBeGreaterThanOrEqual(0.5);
    // the classifier overfits noise in 784 dimensions, so the calibration flattens its scores
    expect(Math.abs(r.calibration.a)).toBeLessThan(0.5);
  });

  it('a planted covariate shift at d = 784 lowers it', () => {
    const n = 1500;
    const same = domainClassifierTest(gaussian(11, n, 784), gaussian(12, n, 784), names(784), { seed: 0 });
    const shifted = domainClassifierTest(
      gaussian(13, n, 784),
      gaussian(14, n, 784, (j) => (j < 20 ? 0.4 : 0)),
      names(784),
      { seed: 0 },
    );
    expect(shifted.auc).toBeGreaterThan(0.75);
    expect(shifted.effectiveSampleSize).toBeLessThan(0.8 * same.effectiveSampleSize);
    expect(shifted.drivers.slice(0, 10).every((d) => Number(d.name.slice(1)) < 20)).toBe(true);
  });

  it('estimate the density ratio: N(0, 1) → N(μ, 1) gives w(x) = exp(μx − μ²/2) and ESS/n = exp(−μ²)', () => {
    for (const mu of [0.5, 1]) {
      const n = 4000;
      const train = gaussian(21, n, 1);
      const r = domainClassifierTest(
        train,
        gaussian(22, n, 1, () => mu),
        ['x'],
        { seed: 0 },
      );
      const truth = Array.from(train.data, (x) => Math.exp(mu * x - (mu * mu) / 2));
      // correlation of log weights with the true log ratio
      const la = Array.from(r.weights.weights, Math.log);
      const lb = truth.map(Math.log);
      const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
      const [ma, mb] = [mean(la), mean(lb)];
      const cov = la.reduce((s, v, i) => s + (v - ma) * (lb[i] - mb), 0);
      const corr = cov / Math.sqrt(la.reduce((s, v) => s + (v - ma) ** 2, 0) * lb.reduce((s, v) => s + (v - mb) ** 2, 0));
      expect(corr).toBeGreaterThan(0.99);
      expect(Math.abs(r.effectiveSampleSize / n - Math.exp(-mu * mu))).toBeLessThan(0.06);
    }
  });

  it('truncates at √n times the mean weight (Ionides 2008) and keeps the mean at 1', () => {
    const scores = Float64Array.from({ length: 100 }, (_, i) => (i === 0 ? -30 : 0));
    const w = importanceWeights(scores, { a: 1, b: 0 });
    expect(w.cap).toBe(10);
    expect(w.truncated).toBe(1);
    expect(w.maxRawWeight).toBeGreaterThan(10);
    expect(w.weights.reduce((s, v) => s + v, 0)).toBeCloseTo(100, 9);
    expect(w.effectiveSampleSize).toBeGreaterThan(w.effectiveSampleSizeRaw);
    expect(effectiveSampleSize([1, 1, 1, 1])).toBe(4);
  });
});

describe('wide-table helpers', () => {
  it('sortedFinite equals the typed-array sort without NaN, for small integers (counting) and any doubles', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -300, max: 300 }), fc.double({ noNaN: false, noDefaultInfinity: true }), fc.constant(Number.NaN)), {
          maxLength: 200,
        }),
        (values) => {
          const a = Float64Array.from(values);
          const expected = Float64Array.from(values.filter((v) => !Number.isNaN(v))).sort();
          expect(Array.from(sortedFinite(a), (v) => v + 0)).toEqual(Array.from(expected, (v) => v + 0));
        },
      ),
    );
    // pixels: the counting path
    const pixels = Float64Array.from({ length: 1000 }, (_, i) => (i * 37) % 256);
    expect(Array.from(sortedFinite(pixels))).toEqual(Array.from(pixels.slice().sort()));
  });

  it('encodeRows puts each requested row at its position, whatever the order', () => {
    const rs = new RandomState(3);
    const table: Table = {
      nRows: 50,
      columns: [
        { name: 'a', kind: 'numeric', values: Float64Array.from({ length: 50 }, () => rs.standardNormal()) },
        { name: 'c', kind: 'categorical', values: Array.from({ length: 50 }, (_, i) => ['x', 'y', 'z'][i % 3]) },
      ],
    };
    const enc = learnEncoding(table, ['a', 'c']);
    const all = encodeRows(table, enc);
    const rows = rs.permutation(50).slice(0, 20);
    const some = encodeRows(table, enc, rows);
    rows.forEach((r, k) => {
      expect(Array.from(some.data.subarray(k * 4, k * 4 + 4))).toEqual(Array.from(all.data.subarray(r * 4, r * 4 + 4)));
    });
  });

  it('withinDuplicates counts copies inside one set, with examples (first occurrence, copy)', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => i);
    values[40] = 7; // copy of row 7
    values[41] = 7; // another copy of row 7
    values[90] = 12;
    const table: Table = { nRows: 100, columns: [{ name: 'v', kind: 'numeric', values }] };
    const r = withinDuplicates(table, ['v']);
    expect(r.rows).toBe(3);
    expect(r.distinct).toBe(2);
    expect(r.examples).toEqual([
      [7, 40],
      [7, 41],
      [12, 90],
    ]);
  });
});

describe('wide tables in the terminal summary', () => {
  it('more than 20 features print as counts plus the 20 largest effects; every feature stays in the report', async () => {
    const { analyzeShift } = await import('../../src/shift/analyze.js');
    const { shiftSummaryText } = await import('../../src/shift/summary.js');
    const rs = new RandomState(9);
    const column = (j: number, shift: number, n: number) => ({
      name: `px${j}`,
      kind: 'numeric' as const,
      values: Float64Array.from({ length: n }, () => rs.standardNormal() + shift),
    });
    const d = 30;
    const train: Table = { nRows: 400, columns: Array.from({ length: d }, (_, j) => column(j, 0, 400)) };
    const valid: Table = { nRows: 400, columns: Array.from({ length: d }, (_, j) => column(j, j === 7 || j === 19 ? 0.6 : 0, 400)) };
    const report = analyzeShift(train, valid, { embedding: false, mmdPermutations: 20 });
    expect(report.features).toHaveLength(30);
    const text = shiftSummaryText(report, { train: 'a.csv', valid: 'b.csv' });
    expect(text).toMatch(/30 features: 2 flagged/);
    const tableRows = text.split('\n').filter((l) => /^px\d+ /.test(l));
    expect(tableRows).toHaveLength(20);
    // sorted by |effect size|: the two shifted features first
    expect(new Set(tableRows.slice(0, 2).map((l) => l.split(' ')[0]))).toEqual(new Set(['px7', 'px19']));
    expect(text).toMatch(/… and 10 more features: every row is in the HTML \(--report\) and JSON \(--json\) reports/);
    // narrow tables keep the full table
    const narrow = analyzeShift(
      { nRows: 400, columns: train.columns.slice(0, 5) },
      { nRows: 400, columns: valid.columns.slice(0, 5) },
      { embedding: false, mmdPermutations: 20 },
    );
    expect(shiftSummaryText(narrow, { train: 'a', valid: 'b' })).not.toMatch(/features: /);
  });
});
