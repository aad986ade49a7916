import { fail, formatValue } from '../errors.js';
import { chi2Sf } from '../special/index.js';

export interface Chi2Result {
  readonly statistic: number;
  readonly pvalue: number;
  readonly dof: number;
  /** Expected counts under independence, row-major like the table. */
  readonly expected: number[][];
}

/**
 * Pearson's chi-square test of independence on a contingency table, as
 * `scipy.stats.chi2_contingency(table, correction=False)`: expected = row·col/total,
 * dof = (r − 1)(c − 1) for a 2-d table, and a 0-dof table gives statistic 0, p = 1.
 * A zero row or column total (an expected count of 0) is an error, as in SciPy.
 */
export function chi2Contingency(table: readonly (readonly number[])[]): Chi2Result {
  const fn = 'chi2Contingency';
  const r = table.length;
  if (r === 0 || table[0].length === 0) fail({ fn, argument: 'table', value: 'an empty table', rule: 'it needs at least one row and one column' });
  const c = table[0].length;
  const rowSums = new Float64Array(r);
  const colSums = new Float64Array(c);
  let total = 0;
  for (let i = 0; i < r; i++) {
    if (table[i].length !== c) fail({ fn, argument: 'table', value: `row ${i} of length ${table[i].length}`, rule: `every row must have ${c} entries` });
    for (let j = 0; j < c; j++) {
      const v = table[i][j];
      if (!(v >= 0) || !Number.isFinite(v))
        fail({ fn, argument: 'table', value: `${formatValue(v)} at [${i}, ${j}]`, rule: 'counts must be finite and non-negative' });
      rowSums[i] += v;
      colSums[j] += v;
      total += v;
    }
  }
  const expected: number[][] = [];
  for (let i = 0; i < r; i++) {
    expected.push([]);
    for (let j = 0; j < c; j++) {
      const e = (rowSums[i] * colSums[j]) / total;
      if (!(e > 0))
        fail({
          fn,
          argument: 'table',
          value: `an expected count of 0 at [${i}, ${j}]`,
          rule: 'every row and column needs a non-zero total',
          fix: 'Drop empty categories.',
        });
      expected[i].push(e);
    }
  }
  const dof = (r - 1) * (c - 1);
  if (dof === 0) return { statistic: 0, pvalue: 1, dof, expected };
  let statistic = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const d = table[i][j] - expected[i][j];
      statistic += (d * d) / expected[i][j];
    }
  }
  return { statistic, pvalue: chi2Sf(statistic, dof), dof, expected };
}

/**
 * Cramér's V = √(χ² / (N · (min(r, c) − 1))), the effect size of a chi-square test (0 = no
 * association, 1 = perfect). For train-vs-validation tables (r = 2) it is √(χ²/N).
 */
export function cramersV(statistic: number, total: number, rows: number, cols: number): number {
  const k = Math.min(rows, cols) - 1;
  return k > 0 && total > 0 ? Math.sqrt(statistic / (total * k)) : 0;
}
