import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ks2samp, type KsAlternative, type KsMethod } from '../../src/shift/ks.js';
import { wassersteinDistance } from '../../src/shift/wasserstein.js';
import { psi } from '../../src/shift/psi.js';
import { chi2Contingency, cramersV } from '../../src/shift/contingency.js';
import { jensenShannon } from '../../src/shift/jensenShannon.js';
import { benjaminiHochberg, bonferroni } from '../../src/shift/multipleTesting.js';
import { close, readGolden, replaySample, type SampleRecipe } from './goldenHelpers.js';

interface ShiftGolden {
  versions: Record<string, string>;
  skipped: string[];
  ks_2samp: { x: SampleRecipe; y: SampleRecipe; wasserstein: number; results: Record<string, [number, number]> }[];
  psi: { x: SampleRecipe; y: SampleRecipe; psi: number }[];
  chi2_contingency: { table: number[][]; statistic: number; pvalue: number; dof: number; expected: number[][] }[];
  jensenshannon: { p: number[]; q: number[]; base2: number; basee: number }[];
  multiple_testing: { pvalues: number[]; bonferroni: number[]; bh_reference: number[]; bh_scipy?: number[] }[];
}
const golden = readGolden<ShiftGolden>('scipy_shift.json');
const scipy = golden.versions.scipy;

function expectClose(label: string, actual: number, expected: number, rtol: number, atol = 0): void {
  if (!close(actual, expected, rtol, atol)) expect.fail(`${label}: got ${actual}, SciPy ${scipy} gives ${expected}`);
}

describe('ks2samp matches scipy.stats.ks_2samp', () => {
  for (const c of golden.ks_2samp) {
    it(`n1=${c.x.size}, n2=${c.y.size}, shift ${c.y.loc}, decimals ${c.x.decimals}`, () => {
      const x = replaySample(c.x);
      const y = replaySample(c.y);
      for (const [key, [statistic, pvalue]] of Object.entries(c.results)) {
        const [alternative, method] = key.split('/') as [KsAlternative, KsMethod];
        if (Number.isNaN(pvalue)) {
          // SciPy's NaN (kstwo with n = round(mn/(m+n)) = 0) is a named error in losslab.
          expect(() => ks2samp(x, y, { alternative, method })).toThrow(/the asymptotic distribution needs mn\/\(m\+n\) ≥ 0.5/);
          continue;
        }
        const r = ks2samp(x, y, { alternative, method });
        expectClose(`${key} statistic`, r.statistic, statistic, 1e-14, 1e-15);
        expectClose(`${key} pvalue`, r.pvalue, pvalue, 1e-8, 1e-14);
      }
    });
  }

  it("'auto' is exact up to 10000 values per sample and asymptotic above, like SciPy", () => {
    const small = replaySample({ seed: 1, size: 10000, loc: 0, scale: 1, decimals: null });
    const large = replaySample({ seed: 2, size: 10001, loc: 0, scale: 1, decimals: null });
    expect(ks2samp(small, small.subarray(0, 5000)).method).toBe('exact');
    expect(ks2samp(small, large).method).toBe('asymp');
  });

  it('statistic is symmetric and p-values lie in [0, 1] (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 40 }),
        (a, b) => {
          const ab = ks2samp(a, b);
          const ba = ks2samp(b, a);
          expect(ab.statistic).toBeCloseTo(ba.statistic, 12);
          expect(ab.pvalue).toBeGreaterThanOrEqual(0);
          expect(ab.pvalue).toBeLessThanOrEqual(1);
          expect(ks2samp(a, a).statistic).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects empty samples, NaN and bad options by name', () => {
    expect(() => ks2samp([], [1])).toThrow(/ks2samp: argument 'x' is an empty sample, but it must hold at least one value/);
    expect(() => ks2samp([1, NaN], [1])).toThrow(/ks2samp: argument 'x' is NaN at \[1\], but every value must be a finite number/);
    expect(() => ks2samp([1], [2], { method: 'fast' as KsMethod })).toThrow(/argument 'method' is "fast"/);
  });
});

describe('wassersteinDistance matches scipy.stats.wasserstein_distance', () => {
  for (const c of golden.ks_2samp) {
    it(`n1=${c.x.size}, n2=${c.y.size}`, () => {
      expectClose('wasserstein', wassersteinDistance(replaySample(c.x), replaySample(c.y)), c.wasserstein, 1e-11, 1e-14);
    });
  }
  it('equals |shift| for a translated sample and is symmetric (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        (a, s) => {
          expect(
            wassersteinDistance(
              a,
              a.map((v) => v + s),
            ),
          ).toBeCloseTo(Math.abs(s), 8);
          const b = a.map((v) => v * 0.5 + 1);
          expect(wassersteinDistance(a, b)).toBeCloseTo(wassersteinDistance(b, a), 10);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('psi follows the documented decile rule (NumPy reference)', () => {
  for (const c of golden.psi) {
    it(`n1=${c.x.size}, n2=${c.y.size}, loc ${c.y.loc}, scale ${c.y.scale}`, () => {
      expectClose('psi', psi(replaySample(c.x), replaySample(c.y)).psi, c.psi, 1e-10, 1e-14);
    });
  }
  it('is 0 for identical samples and the proportions sum to 1', () => {
    const x = replaySample({ seed: 3, size: 500, loc: 0, scale: 1, decimals: null });
    const r = psi(x, x);
    expect(r.psi).toBe(0);
    expect(r.expected.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(r.edges).toHaveLength(9);
  });
});

describe('chi2Contingency matches scipy.stats.chi2_contingency(correction=False)', () => {
  for (const c of golden.chi2_contingency) {
    it(JSON.stringify(c.table), () => {
      const r = chi2Contingency(c.table);
      expectClose('statistic', r.statistic, c.statistic, 1e-12, 1e-13);
      expectClose('pvalue', r.pvalue, c.pvalue, 1e-10, 1e-300);
      expect(r.dof).toBe(c.dof);
      r.expected.forEach((row, i) => {
        row.forEach((e, j) => {
          expectClose(`expected[${i}][${j}]`, e, c.expected[i][j], 1e-13);
        });
      });
    });
  }
  it("Cramér's V is 1 for a perfectly separated table and 0 for proportional rows", () => {
    const sep = chi2Contingency([
      [10, 0],
      [0, 10],
    ]);
    expect(cramersV(sep.statistic, 20, 2, 2)).toBeCloseTo(1, 12);
    const same = chi2Contingency([
      [10, 20],
      [5, 10],
    ]);
    expect(cramersV(same.statistic, 45, 2, 2)).toBeCloseTo(0, 12);
  });
  it('rejects empty categories and negative counts', () => {
    expect(() =>
      chi2Contingency([
        [1, 0],
        [2, 0],
      ]),
    ).toThrow(/chi2Contingency: argument 'table' is an expected count of 0 at \[0, 1\], but every row and column needs a non-zero total/);
    expect(() =>
      chi2Contingency([
        [1, -2],
        [2, 3],
      ]),
    ).toThrow(/counts must be finite and non-negative/);
  });
});

describe('jensenShannon matches scipy.spatial.distance.jensenshannon', () => {
  for (const c of golden.jensenshannon) {
    it(`${JSON.stringify(c.p)} vs ${JSON.stringify(c.q)}`, () => {
      expectClose('base 2', jensenShannon(c.p, c.q), c.base2, 1e-12, 1e-8);
      expectClose('base e', jensenShannon(c.p, c.q, Math.E), c.basee, 1e-12, 1e-8);
    });
  }
  it('is symmetric and bounded by 1 in base 2 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true })), { minLength: 1, maxLength: 10 }),
        (pairs) => {
          const p = pairs.map(([a]) => a + 0.01);
          const q = pairs.map(([, b]) => b + 0.01);
          const d = jensenShannon(p, q);
          expect(d).toBeCloseTo(jensenShannon(q, p), 12);
          expect(d).toBeLessThanOrEqual(1 + 1e-12);
        },
      ),
    );
  });
});

describe('multiple-testing adjustments (statsmodels multipletests semantics)', () => {
  for (const c of golden.multiple_testing) {
    it(JSON.stringify(c.pvalues), () => {
      bonferroni(c.pvalues).forEach((v, i) => {
        expectClose(`bonferroni[${i}]`, v, c.bonferroni[i], 1e-15);
      });
      const bh = benjaminiHochberg(c.pvalues);
      bh.forEach((v, i) => {
        expectClose(`bh[${i}]`, v, c.bh_reference[i], 1e-14);
      });
      if (c.bh_scipy)
        bh.forEach((v, i) => {
          expectClose(`false_discovery_control[${i}]`, v, c.bh_scipy![i], 1e-14);
        });
    });
  }
  it('BH q-values are monotone in p and never below p (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }), (p) => {
        const q = benjaminiHochberg(p);
        for (let i = 0; i < p.length; i++) {
          expect(q[i]).toBeGreaterThanOrEqual(p[i] - 1e-15);
          for (let j = 0; j < p.length; j++) if (p[i] < p[j]) expect(q[i]).toBeLessThanOrEqual(q[j] + 1e-15);
        }
      }),
    );
  });
  it('rejects p-values outside [0, 1]', () => {
    expect(() => bonferroni([0.2, 1.5])).toThrow(/bonferroni: argument 'pvalues' is 1.5 at \[1\], but p-values must lie in \[0, 1\]/);
  });
});
