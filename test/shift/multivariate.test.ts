import { describe, expect, it } from 'vitest';
import { aucDeLong, midranks } from '../../src/shift/auc.js';
import { fitLogisticRegression } from '../../src/shift/logisticRegression.js';
import { medianHeuristicSigma, mmdLinearTimeTest, mmdPermutationTest, type Matrix } from '../../src/shift/mmd.js';
import { domainClassifierTest, kishEffectiveSampleSize } from '../../src/shift/domainClassifier.js';
import { RandomState } from '../../src/tensor/random.js';
import { close, readGolden } from './goldenHelpers.js';

interface Golden {
  versions: Record<string, string>;
  auc: { seed: number; n_pos: number; n_neg: number; sep: number; decimals: number | null; auc: number; delong_variance: number }[];
  logistic_regression: { seed: number; rows: number; cols: number; C: number; y: number[]; coef: number[]; intercept: number }[];
  mmd: { x: [number, number]; y: [number, number]; cols: number; loc: number; sigma: number; mmd2: number }[];
}
const golden = readGolden<Golden>('scipy_shift.json');

function matrix(seed: number, rows: number, cols: number, loc: number): Matrix {
  const rs = new RandomState(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rs.standardNormal() + loc;
  return { data, rows, cols };
}

function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function expectClose(label: string, actual: number, expected: number, rtol: number, atol = 0): void {
  if (!close(actual, expected, rtol, atol)) expect.fail(`${label}: got ${actual}, reference gives ${expected}`);
}

describe('AUC and DeLong variance', () => {
  for (const c of golden.auc) {
    it(`matches roc_auc_score and the pairwise DeLong formula (seed ${c.seed})`, () => {
      const rs = new RandomState(c.seed);
      const scores: number[] = [];
      for (let i = 0; i < c.n_pos; i++) scores.push(rs.standardNormal() + c.sep);
      for (let i = 0; i < c.n_neg; i++) scores.push(rs.standardNormal());
      const f = c.decimals === null ? null : 10 ** c.decimals;
      const s = f === null ? scores : scores.map((v) => rint(v * f) / f);
      const positive = s.map((_, i) => (i < c.n_pos ? 1 : 0));
      const r = aucDeLong(s, positive);
      expectClose('auc', r.auc, c.auc, 1e-13);
      expectClose('DeLong variance', r.se * r.se, c.delong_variance, 1e-10);
      expect(r.ci[0]).toBeLessThan(r.auc);
      expect(r.ci[1]).toBeGreaterThan(r.auc);
    });
  }
  it('midranks average ties like scipy.stats.rankdata', () => {
    expect(Array.from(midranks([10, 20, 10, 30, 20, 20]))).toEqual([1.5, 4, 1.5, 6, 4, 4]);
  });
  it('needs two of each class', () => {
    expect(() => aucDeLong([0.1, 0.2, 0.3], [1, 0, 0])).toThrow(
      /aucDeLong: argument 'positive' is 1 positives and 2 negatives, but the AUC and its variance need at least 2 of each/,
    );
  });
});

describe('logistic regression matches scikit-learn LogisticRegression(C)', () => {
  for (const c of golden.logistic_regression) {
    it(`seed ${c.seed}, ${c.rows}×${c.cols}, C=${c.C}`, () => {
      const model = fitLogisticRegression(matrix(c.seed, c.rows, c.cols, 0), c.y, { C: c.C, tolerance: 1e-12 });
      c.coef.forEach((w, j) => {
        expectClose(`coef[${j}]`, model.coef[j], w, 1e-7, 1e-9);
      });
      expectClose('intercept', model.intercept, c.intercept, 1e-7, 1e-9);
    });
  }
  it('rejects a non-positive C', () => {
    expect(() => fitLogisticRegression(matrix(1, 4, 1, 0), [0, 1, 0, 1], { C: 0 })).toThrow(/argument 'C' is 0/);
  });
});

describe('MMD² with the median-heuristic RBF kernel', () => {
  for (const c of golden.mmd) {
    it(`matches the NumPy reference (alibi-detect kernel), loc ${c.loc}`, () => {
      const x = matrix(c.x[0], c.x[1], c.cols, 0);
      const y = matrix(c.y[0], c.y[1], c.cols, c.loc);
      expectClose('sigma', medianHeuristicSigma(x, y), c.sigma, 1e-12);
      expectClose('mmd2', mmdPermutationTest(x, y, { nPermutations: 10 }).mmd2, c.mmd2, 1e-10, 1e-14);
    });
  }

  it('permutation p-values are calibrated under the null: false-alarm rate near α = 0.05 over 200 seeds', () => {
    let alarms = 0;
    const pvalues: number[] = [];
    for (let seed = 0; seed < 200; seed++) {
      const x = matrix(1000 + seed, 30, 2, 0);
      const y = matrix(5000 + seed, 30, 2, 0);
      const p = mmdPermutationTest(x, y, { nPermutations: 99, seed }).pvalue;
      pvalues.push(p);
      if (p <= 0.05) alarms++;
    }
    // Binomial(200, 0.05): mean 10, the central 99.8 % lies within [2, 21].
    expect(alarms).toBeGreaterThanOrEqual(2);
    expect(alarms).toBeLessThanOrEqual(21);
    // And roughly uniform: the share below 0.5 is near a half.
    const below = pvalues.filter((p) => p <= 0.5).length / pvalues.length;
    expect(below).toBeGreaterThan(0.38);
    expect(below).toBeLessThan(0.62);
  });

  it('has power under a known mean shift of 0.8 SD (≥ 90 % of 40 seeds)', () => {
    let detected = 0;
    for (let seed = 0; seed < 40; seed++) {
      const p = mmdPermutationTest(matrix(200 + seed, 40, 2, 0), matrix(900 + seed, 40, 2, 0.8), { nPermutations: 99, seed }).pvalue;
      if (p <= 0.05) detected++;
    }
    expect(detected).toBeGreaterThanOrEqual(36);
  });

  it('linear-time estimator: calibrated under the null and powerful under a shift', () => {
    let alarms = 0;
    for (let seed = 0; seed < 100; seed++) {
      if (mmdLinearTimeTest(matrix(3000 + seed, 300, 2, 0), matrix(7000 + seed, 300, 2, 0), { sigma: 1 }).pvalue <= 0.05) alarms++;
    }
    // Binomial(100, 0.05): P(X ≥ 13) < 0.002.
    expect(alarms).toBeLessThanOrEqual(12);
    let detected = 0;
    for (let seed = 0; seed < 10; seed++) {
      if (mmdLinearTimeTest(matrix(3000 + seed, 4000, 2, 0), matrix(7000 + seed, 4000, 2, 0.5)).pvalue <= 0.05) detected++;
    }
    expect(detected).toBeGreaterThanOrEqual(9);
  });

  it('rejects mismatched columns and NaN', () => {
    expect(() => mmdPermutationTest(matrix(1, 5, 2, 0), matrix(2, 5, 3, 0))).toThrow(/argument 'y' is 3 columns, but it must have as many columns as x \(2\)/);
    const bad = matrix(1, 5, 2, 0);
    bad.data[3] = NaN;
    expect(() => mmdPermutationTest(bad, matrix(2, 5, 2, 0))).toThrow(/argument 'x' is NaN at row 1, but every value must be finite/);
  });
});

describe('domain classifier (adversarial validation)', () => {
  it('AUC ≈ 0.5 with a CI covering 0.5 when the sets match, and names the shifted feature when they do not', () => {
    const same = domainClassifierTest(matrix(1, 300, 3, 0), matrix(2, 300, 3, 0), ['a', 'b', 'c'], { seed: 0 });
    expect(same.ci[0]).toBeLessThan(0.5);
    expect(same.pvalue).toBeGreaterThan(0.05);
    const x = matrix(3, 300, 3, 0);
    const y = matrix(4, 300, 3, 0);
    for (let i = 0; i < 300; i++) y.data[i * 3 + 1] += 1.2; // shift feature b
    const shifted = domainClassifierTest(x, y, ['a', 'b', 'c'], { seed: 0 });
    expect(shifted.auc).toBeGreaterThan(0.75);
    expect(shifted.ci[0]).toBeGreaterThan(0.5);
    expect(shifted.drivers[0].name).toBe('b');
    expect(shifted.effectiveSampleSize).toBeLessThan(same.effectiveSampleSize);
  });
  it('Kish ESS is n for equal weights and 1 for a single dominant weight', () => {
    expect(kishEffectiveSampleSize([0.5, 0.5, 0.5, 0.5], 4, 4)).toBeCloseTo(4, 12);
    expect(kishEffectiveSampleSize([1 - 1e-12, 1e-12, 1e-12], 3, 3)).toBeCloseTo(1, 6);
  });
});
