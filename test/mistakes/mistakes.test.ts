import { describe, expect, it } from 'vitest';
import { analyzeErrors, errorSummaryText } from '../../src/mistakes/analyzeErrors.js';
import { confusionPairs, mostConfidentlyWrong } from '../../src/mistakes/confusion.js';
import { hypergeometricSf } from '../../src/mistakes/hypergeometric.js';
import { imageFeatures } from '../../src/mistakes/imageFeatures.js';
import { columnPredicates, formatPredicate } from '../../src/mistakes/predicates.js';
import { findSlices } from '../../src/mistakes/slices.js';
import type { Column, Table } from '../../src/shift/table.js';
import { RandomState } from '../../src/tensor/random.js';
import { readGolden } from '../shift/goldenHelpers.js';

const golden = readGolden<{ hypergeom_sf: { N: number; K: number; n: number; k: number; sf: number; fisher_greater: number | null }[] }>('scipy_errors.json');

describe('hypergeometric upper tail (one-sided Fisher exact test) matches SciPy', () => {
  for (const c of golden.hypergeom_sf) {
    it(`P(X ≥ ${c.k}), N = ${c.N}, K = ${c.K}, n = ${c.n}`, () => {
      const p = hypergeometricSf(c.k, c.N, c.K, c.n);
      // log-gamma differences of numbers up to 70,000 cost a few digits: relative 1e-9
      expect(Math.abs(p - c.sf)).toBeLessThanOrEqual(1e-9 * c.sf + 1e-300);
      if (c.fisher_greater !== null) expect(Math.abs(p - c.fisher_greater)).toBeLessThanOrEqual(1e-9 * c.fisher_greater + 1e-300);
    });
  }
  it('rejects impossible arguments', () => {
    expect(() => hypergeometricSf(1, 10, 11, 5)).toThrow(/argument 'K' is 11, but it must not exceed N = 10/);
  });
});

/** Synthetic data: age (numeric), region and plan (categorical), noise (numeric); base error rate 10 %. */
function synthetic(seed: number, n: number, plant: boolean): { table: Table; errors: Uint8Array } {
  const rs = new RandomState(seed);
  const age = new Float64Array(n);
  const noise = new Float64Array(n);
  const region: string[] = [];
  const plan: string[] = [];
  const errors = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    age[i] = 18 + Math.floor(rs.randomSample() * 62);
    noise[i] = rs.standardNormal();
    region.push(['north', 'south', 'east', 'west'][Math.floor(rs.randomSample() * 4)]);
    plan.push(['basic', 'plus', 'pro'][Math.floor(rs.randomSample() * 3)]);
    const weak = plant && region[i] === 'north' && age[i] >= 60;
    errors[i] = rs.randomSample() < (weak ? 0.35 : 0.1) ? 1 : 0;
  }
  const columns: Column[] = [
    { name: 'age', kind: 'numeric', values: age },
    { name: 'region', kind: 'categorical', values: region },
    { name: 'plan', kind: 'categorical', values: plan },
    { name: 'noise', kind: 'numeric', values: noise },
  ];
  return { table: { nRows: n, columns }, errors };
}

describe('slice finding (SliceLine-style, Fisher exact test, Benjamini–Hochberg)', () => {
  it('finds a planted weak segment with the right predicates (region = north AND age in the top bin)', () => {
    const { table, errors } = synthetic(1, 4000, true);
    const r = findSlices(table.columns, errors);
    expect(r.levels).toBe(3);
    expect(r.slices.length).toBeGreaterThan(0);
    const best = r.slices[0];
    const features = best.predicates.map((p) => p.feature).sort();
    expect(features).toEqual(['age', 'region']);
    expect(best.description).toMatch(/region = north/);
    expect(best.description).toMatch(/age ≥ 6\d/);
    expect(best.errorRate).toBeGreaterThan(0.25);
    expect(best.ci[0]).toBeLessThan(best.errorRate);
    expect(best.pvalueAdjusted).toBeLessThan(0.05);
    // the next best are its parents (region = north, age ≥ …), not the noise feature
    expect(r.slices[1].predicates.every((p) => p.feature !== 'noise')).toBe(true);
  });

  it('reports no slice on null data: false-alarm rate at α = 0.05 measured over 100 seeds', () => {
    let alarms = 0;
    for (let seed = 0; seed < 100; seed++) {
      const { table, errors } = synthetic(1000 + seed, 1000, false);
      if (findSlices(table.columns, errors, { minSupport: 30 }).slices.length > 0) alarms++;
    }
    // Under the complete null, BH controls the family-wise error at α; Binomial(100, 0.05): P(X ≥ 11) < 0.012.
    expect(alarms).toBeLessThanOrEqual(10);
  });

  it('tests only slices with enough rows and never the same rows twice', () => {
    const { table, errors } = synthetic(3, 600, true);
    const r = findSlices(table.columns, errors, { minSupport: 50, maxLevel: 2, alpha: 0.5, topK: 1000 });
    expect(r.levels).toBe(2);
    for (const s of r.slices) expect(s.size).toBeGreaterThanOrEqual(50);
  });

  it('quantile bins and levels: numeric columns with few values get one predicate per value', () => {
    const few: Column = { name: 'k', kind: 'numeric', values: Float64Array.from({ length: 100 }, (_, i) => i % 3) };
    expect(columnPredicates(few, 0).map((p) => formatPredicate(p.predicate))).toEqual(['k = 0', 'k = 1', 'k = 2']);
    const many: Column = { name: 'x', kind: 'numeric', values: Float64Array.from({ length: 100 }, (_, i) => i) };
    const bins = columnPredicates(many, 0, { bins: 4 });
    expect(bins.map((p) => formatPredicate(p.predicate))).toEqual(['x < 24.75', 'x ∈ [24.75, 49.5)', 'x ∈ [49.5, 74.25)', 'x ≥ 74.25']);
    expect(bins.map((p) => p.size)).toEqual([25, 25, 25, 25]);
  });

  it('checks its inputs', () => {
    const { table, errors } = synthetic(4, 50, false);
    expect(() =>
      findSlices(
        table.columns,
        Array.from(errors, (e) => e * 2),
      ),
    ).toThrow(/argument 'errors' is 2 at row \d+, but each row is an error/);
    expect(() => findSlices([], errors)).toThrow(/at least one feature/);
  });
});

describe('confusion pairs and confident mistakes', () => {
  it('counts the off-diagonal cells, largest first', () => {
    const labels = ['shirt', 'shirt', 'shirt', 'tshirt', 'tshirt', 'coat', 'shirt'];
    const preds = ['tshirt', 'tshirt', 'shirt', 'shirt', 'tshirt', 'shirt', 'coat'];
    const pairs = confusionPairs(labels, preds);
    expect(pairs[0]).toEqual({ actual: 'shirt', predicted: 'tshirt', count: 2, fractionOfClass: 0.5 });
    expect(pairs).toHaveLength(4);
  });
  it('most confidently wrong: highest probability on the wrong class first', () => {
    const probs = [0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.45, 0.55];
    expect(mostConfidentlyWrong([0, 1, 0, 1], [1, 0, 0, 0], probs, 2, 5).map((w) => w.index)).toEqual([0, 1, 3]);
  });
});

describe('image features', () => {
  it('ink, brightness, centre of mass and extent of a drawn rectangle', () => {
    const img = new Uint8Array(28 * 28);
    for (let r = 10; r < 14; r++) for (let c = 5; c < 15; c++) img[r * 28 + c] = 255;
    const f = imageFeatures(img, 1, [28, 28]);
    const get = (name: string): number => (f.find((c) => c.name === name)!.values as Float64Array)[0];
    expect(get('ink')).toBeCloseTo(40 / 784, 12);
    expect(get('brightness')).toBeCloseTo(1, 12);
    expect(get('centre_row')).toBeCloseTo(11.5, 12);
    expect(get('centre_col')).toBeCloseTo(9.5, 12);
    expect(get('height')).toBe(4);
    expect(get('width')).toBe(10);
  });
});

describe('analyzeErrors on a table', () => {
  it('finds the planted slice, lists confusions and the most confidently wrong rows', () => {
    const { table, errors } = synthetic(5, 3000, true);
    const rs = new RandomState(9);
    const label: string[] = [];
    const pred: string[] = [];
    const conf = new Float64Array(3000);
    for (let i = 0; i < 3000; i++) {
      const y = ['a', 'b', 'c'][i % 3];
      label.push(y);
      pred.push(errors[i] ? ['b', 'c', 'a'][i % 3] : y);
      conf[i] = 0.5 + 0.5 * rs.randomSample();
    }
    const t: Table = {
      nRows: 3000,
      columns: [
        ...table.columns,
        { name: 'y', kind: 'categorical', values: label },
        { name: 'yhat', kind: 'categorical', values: pred },
        { name: 'p', kind: 'numeric', values: conf },
      ],
    };
    const r = analyzeErrors(t, { label: 'y', pred: 'yhat', confidence: 'p' });
    expect(r.errors).toBe(errors.reduce((s, e) => s + e, 0));
    expect(r.slices.features).toEqual(['age', 'region', 'plan', 'noise']);
    expect(r.slices.slices[0].description).toMatch(/region = north/);
    expect(r.confusionPairs[0].count).toBeGreaterThan(0);
    expect(r.confidentlyWrong?.[0].confidence).toBeGreaterThanOrEqual(r.confidentlyWrong?.[1].confidence ?? 0);
    const text = errorSummaryText(r, 'data.csv');
    expect(text).toMatch(/slices where the error rate is significantly higher/);
    expect(text).toMatch(/predicted as/);
    expect(() => analyzeErrors(t, { label: 'nope', pred: 'yhat' })).toThrow(/argument '--label' is "nope", but the data has no such column/);
  });
});
