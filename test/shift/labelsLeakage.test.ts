import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blackBoxShiftEstimation, labelShift } from '../../src/shift/labels.js';
import { exactDuplicates, groupOverlap, nearDuplicates, timeOverlap, timeValues } from '../../src/shift/leakage.js';
import { subgroupAccuracy, wilsonInterval } from '../../src/shift/subgroups.js';
import type { Table } from '../../src/shift/table.js';
import { RandomState } from '../../src/tensor/random.js';
import { close, readGolden } from './goldenHelpers.js';

interface Golden {
  bbse: { y: number[]; yhat: number[]; vhat: number[]; weights: number[] }[];
  wilson: { k: number; n: number; low: number; high: number }[];
  chi2_contingency: { table: number[][]; statistic: number; pvalue: number }[];
}
const golden = readGolden<Golden>('scipy_shift.json');
const str = (a: number[]): string[] => a.map(String);

describe('label shift', () => {
  it('class proportions and the chi-square test agree with chi2_contingency on the 2×K count table', () => {
    const c = golden.chi2_contingency[0]; // [[10, 20, 30], [15, 25, 10]]
    const train = c.table[0].flatMap((k, j) => Array<string>(k).fill(`c${j}`));
    const valid = c.table[1].flatMap((k, j) => Array<string>(k).fill(`c${j}`));
    const r = labelShift(train, valid);
    expect(r.classes).toEqual(['c0', 'c1', 'c2']);
    expect(r.trainProportions).toEqual([10 / 60, 20 / 60, 30 / 60]);
    expect(close(r.chi2.statistic, c.statistic, 1e-12)).toBe(true);
    expect(close(r.chi2.pvalue, c.pvalue, 1e-10)).toBe(true);
  });
  it('numeric labels sort numerically', () => {
    expect(labelShift(['10', '9', '2'], ['2', '10']).classes).toEqual(['2', '9', '10']);
  });
  for (const [i, c] of golden.bbse.entries()) {
    it(`black-box shift estimation weights = numpy.linalg.solve(C, mu) (case ${i})`, () => {
      const r = blackBoxShiftEstimation(str(c.yhat), str(c.y), str(c.vhat));
      c.weights.forEach((w, j) => {
        if (!close(r.weights[j], Math.max(0, w), 1e-10, 1e-12)) expect.fail(`weight ${j}: got ${r.weights[j]}, NumPy gives ${w}`);
      });
    });
  }
  it('recovers a known label shift from an 80 %-accurate classifier', () => {
    const rs = new RandomState(5);
    const draw = (probs: number[]): number => {
      const u = rs.randomSample();
      let acc = 0;
      for (let k = 0; k < probs.length; k++) {
        acc += probs[k];
        if (u < acc) return k;
      }
      return probs.length - 1;
    };
    const predict = (y: number): number => (rs.randomSample() < 0.8 ? y : rs.randint(0, 3));
    const y = Array.from({ length: 20000 }, () => draw([0.5, 0.3, 0.2]));
    const yhat = y.map(predict);
    const v = Array.from({ length: 20000 }, () => draw([0.2, 0.3, 0.5])).map(predict);
    const r = blackBoxShiftEstimation(str(yhat), str(y), str(v));
    [0.2, 0.3, 0.5].forEach((q, k) => {
      expect(r.estimatedValidProportions[k]).toBeCloseTo(q, 1);
    });
  });
  it('a classifier that never predicts a class makes C singular: a clear error', () => {
    expect(() => blackBoxShiftEstimation(['0', '0', '0', '0'], ['0', '1', '0', '1'], ['0', '1'])).toThrow(/the confusion matrix must be invertible/);
  });
});

function table(columns: Record<string, number[] | string[]>): Table {
  const entries = Object.entries(columns);
  return {
    nRows: entries[0][1].length,
    columns: entries.map(([name, values]) =>
      typeof values[0] === 'number'
        ? { name, kind: 'numeric' as const, values: Float64Array.from(values as number[]) }
        : { name, kind: 'categorical' as const, values: values as string[] },
    ),
  };
}

describe('leakage', () => {
  it('exact duplicates: finds rows shared by both sets, once per validation row', () => {
    const train = table({ a: [1, 2, 3, 1], b: ['x', 'y', 'z', 'x'] });
    const valid = table({ a: [1, 2, 5, 3, -0], b: ['x', 'q', 'z', 'z', 'w'] });
    const r = exactDuplicates(train, valid, ['a', 'b']);
    expect(r.validRows).toBe(2);
    expect(r.examples).toEqual([
      [0, 0],
      [2, 3],
    ]);
  });
  it('exact duplicates agree with a brute-force O(n²) check (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('a', 'b')), { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('a', 'b')), { minLength: 1, maxLength: 30 }),
        (tr, va) => {
          const t = table({ n: tr.map(([x]) => x), s: tr.map(([, y]) => y) });
          const v = table({ n: va.map(([x]) => x), s: va.map(([, y]) => y) });
          const brute = va.filter(([x, y]) => tr.some(([p, q]) => p === x && q === y)).length;
          expect(exactDuplicates(t, v, ['n', 's']).validRows).toBe(brute);
        },
      ),
    );
  });
  it('near duplicates: rows a hair apart (1e-6 SD) are caught, rows 1 SD apart are not', () => {
    const rs = new RandomState(1);
    const a = Array.from({ length: 200 }, () => rs.standardNormal());
    const b = Array.from({ length: 200 }, () => rs.standardNormal());
    const train = table({ a, b });
    const valid = table({ a: [a[0] + 1e-9, a[1] + 1, 9], b: [b[0], b[1], 9] });
    expect(exactDuplicates(train, valid, ['a', 'b']).validRows).toBe(0);
    const near = nearDuplicates(train, valid, ['a', 'b']);
    expect(near.validRows).toBe(1);
    expect(near.resolution).toBe(0.01);
  });
  it('groups on both sides', () => {
    const r = groupOverlap(['u1', 'u2', 'u3', 'u3'], ['u3', 'u4', 'u3', 'u5']);
    expect(r).toMatchObject({ trainGroups: 3, validGroups: 3, sharedGroups: 1, validRowsInSharedGroups: 2, fraction: 0.5, examples: ['u3'] });
  });
  it('time ranges: overlap and the share of validation rows not after training', () => {
    const r = timeOverlap(Float64Array.from([1, 5, 10]), Float64Array.from([8, 12, 20, NaN]));
    expect(r).toMatchObject({ train: [1, 10], valid: [8, 20], overlaps: true, validRowsNotAfterTrain: 1 });
    expect(r.fraction).toBeCloseTo(1 / 3, 12);
    expect(timeOverlap(Float64Array.from([1, 2]), Float64Array.from([3, 4])).overlaps).toBe(false);
    const dates = timeValues({ name: 't', kind: 'categorical', values: ['2024-01-01', '2024-02-01', ''] }, 'train.csv');
    expect(dates.scale).toBe('date');
    expect(dates.values[1] - dates.values[0]).toBe(31 * 86400000);
    expect(() => timeValues({ name: 't', kind: 'categorical', values: ['2024-01-01', 'yesterday'] }, 'train.csv')).toThrow(
      /argument '--time' is "yesterday" in row 2 of train.csv, but a time column must hold numbers or ISO 8601 dates/,
    );
  });
});

describe('subgroup evaluation', () => {
  for (const c of golden.wilson) {
    it(`Wilson interval matches scipy binomtest(${c.k}, ${c.n}).proportion_ci(method='wilson')`, () => {
      const [lo, hi] = wilsonInterval(c.k, c.n);
      expect(close(lo, c.low, 1e-10, 1e-14)).toBe(true);
      expect(close(hi, c.high, 1e-10, 1e-14)).toBe(true);
    });
  }
  it('lists groups worst first with their CIs', () => {
    const r = subgroupAccuracy(['1', '1', '0', '0', '1', '1.0'], ['1', '0', '0', '1', '1', '1'], ['a', 'a', 'b', 'b', 'c', 'c']);
    expect(r.map((g) => g.group)).toEqual(['a', 'b', 'c']);
    expect(r[2].accuracy).toBe(1);
    expect(r[0].ci[0]).toBeLessThan(0.5);
  });
  it('rejects bad counts', () => {
    expect(() => wilsonInterval(5, 3)).toThrow(/wilsonInterval: argument 'k' is 5, but it must lie in \[0, n = 3\]/);
  });
});
