import { fail } from '../errors.js';
import { chi2Contingency, cramersV } from './contingency.js';
import { type Histogram, histogramSorted } from './histogram.js';
import { jensenShannon } from './jensenShannon.js';
import { type KsResult, ks2sampSorted, ksFromDifferences } from './ks.js';
import { psiSorted } from './psi.js';
import type { CategoricalFeatureReport, NumericFeatureReport } from './report.js';
import { meanVariance } from './sample.js';
import type { MergeResult } from './sortedMerge.js';
import { wassersteinSorted } from './wasserstein.js';

const FN = 'losslab shift';

export type NumericFeatureTests = Omit<NumericFeatureReport, 'pvalueAdjusted' | 'flagged'>;
export type CategoricalFeatureTests = Omit<CategoricalFeatureReport, 'pvalueAdjusted' | 'flagged'>;
export type FeatureTests = NumericFeatureTests | CategoricalFeatureTests;

/** A numeric column's two-sample summary, however it was computed (in memory or by a database's sorted merge). */
export interface NumericComparison {
  readonly n: { train: number; valid: number };
  readonly missing: { train: number; valid: number };
  readonly range: { train: [number, number]; valid: [number, number] };
  readonly ks: KsResult;
  readonly wasserstein: number;
  readonly psi: number;
  readonly mean: { train: number; valid: number };
  readonly variance: { train: number; valid: number };
  readonly histogram: Histogram;
}

/** Category → [training count, validation count], missing values excluded. */
export type CategoryCounts = ReadonlyMap<string, readonly [number, number]>;

function requireTwoValues(name: string, counts: readonly [number, number], fix?: string): void {
  counts.forEach((n, k) => {
    if (n < 2)
      fail({
        fn: FN,
        argument: `column ${JSON.stringify(name)}`,
        value: `${n} non-missing value${n === 1 ? '' : 's'} in the ${k === 0 ? 'training' : 'validation'} file`,
        rule: 'a feature needs at least 2 values in each file',
        fix,
      });
  });
}

/** The comparison of two sorted samples of non-missing values (the in-memory path). */
export function compareSorted(name: string, sa: Float64Array, sb: Float64Array, missing: { train: number; valid: number }): NumericComparison {
  checkNumericColumn(name, { train: sa.length, valid: sb.length }, { train: [sa[0], sa[sa.length - 1]], valid: [sb[0], sb[sb.length - 1]] });
  const ma = meanVariance(sa);
  const mb = meanVariance(sb);
  return {
    n: { train: sa.length, valid: sb.length },
    missing,
    range: { train: [sa[0], sa[sa.length - 1]], valid: [sb[0], sb[sb.length - 1]] },
    ks: ks2sampSorted(sa, sb),
    wasserstein: wassersteinSorted(sa, sb),
    psi: psiSorted(sa, sb).psi,
    mean: { train: ma.mean, valid: mb.mean },
    variance: { train: ma.variance, valid: mb.variance },
    histogram: histogramSorted(sa, sb),
  };
}

/** The same comparison from a streaming sorted merge (`SortedMerge`), the PSI computed from its edges and the histogram counted alongside. */
export function compareMerged(merge: MergeResult, psi: number, missing: { train: number; valid: number }, histogram: Histogram): NumericComparison {
  return {
    n: { train: merge.n1, valid: merge.n2 },
    missing,
    range: { train: [merge.min1, merge.max1], valid: [merge.min2, merge.max2] },
    ks: ksFromDifferences(merge.n1, merge.n2, merge),
    wasserstein: merge.wasserstein,
    psi,
    mean: { train: merge.mean1, valid: merge.mean2 },
    variance: { train: merge.variance1, valid: merge.variance2 },
    histogram,
  };
}

/** Fails for a column with fewer than 2 values on a side, or one constant value on both sides. */
export function checkNumericColumn(name: string, n: { train: number; valid: number }, range: { train: [number, number]; valid: [number, number] }): void {
  requireTwoValues(name, [n.train, n.valid], 'Fill the missing values or leave the column out with --features.');
  const [a0, a1] = range.train;
  const [b0, b1] = range.valid;
  if (a0 === a1 && b0 === b1 && a0 === b0)
    fail({
      fn: FN,
      argument: `column ${JSON.stringify(name)}`,
      value: `constant (${a0} in both files)`,
      rule: 'a feature must vary to be compared',
      fix: 'Leave it out: list the other columns with --features.',
    });
}

/** KS, Wasserstein, PSI and Cohen's d of a numeric feature. */
export function numericFeatureTests(name: string, c: NumericComparison): NumericFeatureTests {
  checkNumericColumn(name, c.n, c.range);
  const na = c.n.train;
  const nb = c.n.valid;
  const pooled = Math.sqrt(((na - 1) * c.variance.train + (nb - 1) * c.variance.valid) / (na + nb - 2));
  const sdA = Math.sqrt(c.variance.train);
  const w = c.wasserstein;
  const dMean = c.mean.valid - c.mean.train;
  return {
    name,
    kind: 'numeric',
    n: { ...c.n },
    missing: { ...c.missing },
    ks: { statistic: c.ks.statistic, pvalue: c.ks.pvalue, method: c.ks.method },
    wasserstein: w,
    wassersteinStd: sdA > 0 ? w / sdA : w === 0 ? 0 : Number.POSITIVE_INFINITY,
    psi: c.psi,
    effectSize: { measure: 'cohen-d', value: pooled > 0 ? dMean / pooled : dMean === 0 ? 0 : Math.sign(dMean) * Number.POSITIVE_INFINITY },
    mean: { ...c.mean },
    sd: { train: sdA, valid: Math.sqrt(c.variance.valid) },
    histogram: { edges: [...c.histogram.edges], train: [...c.histogram.train], valid: [...c.histogram.valid] },
  };
}

/** Tallies two lists of category values ('' = missing) into `CategoryCounts` and missing counts. */
export function tallyCategories(
  a: readonly string[],
  b: readonly string[],
): { counts: Map<string, [number, number]>; missing: { train: number; valid: number } } {
  const counts = new Map<string, [number, number]>();
  const tally = (values: readonly string[], side: 0 | 1): number => {
    let n = 0;
    for (const v of values) {
      if (v === '') continue;
      let pair = counts.get(v);
      if (!pair) {
        pair = [0, 0];
        counts.set(v, pair);
      }
      pair[side]++;
      n++;
    }
    return values.length - n;
  };
  const missing = { train: tally(a, 0), valid: tally(b, 1) };
  return { counts, missing };
}

/** χ², Jensen–Shannon and Cramér's V of a categorical feature from its category counts. */
export function categoricalFeatureTests(name: string, counts: CategoryCounts, missing: { train: number; valid: number }): CategoricalFeatureTests {
  let na = 0;
  let nb = 0;
  for (const [a, b] of counts.values()) {
    na += a;
    nb += b;
  }
  requireTwoValues(name, [na, nb]);
  if (counts.size === 1)
    fail({
      fn: FN,
      argument: `column ${JSON.stringify(name)}`,
      value: `constant (${JSON.stringify([...counts.keys()][0])} in both files)`,
      rule: 'a feature must vary to be compared',
      fix: 'Leave it out: list the other columns with --features.',
    });
  const entries = [...counts.entries()].sort((x, y) => y[1][0] + y[1][1] - (x[1][0] + x[1][1]) || (x[0] < y[0] ? -1 : 1));
  const table = [entries.map(([, c]) => c[0]), entries.map(([, c]) => c[1])];
  const chi2 = chi2Contingency(table);
  return {
    name,
    kind: 'categorical',
    n: { train: na, valid: nb },
    missing: { ...missing },
    chi2: { statistic: chi2.statistic, pvalue: chi2.pvalue, dof: chi2.dof },
    jensenShannon: jensenShannon(table[0], table[1]),
    effectSize: { measure: 'cramer-v', value: cramersV(chi2.statistic, na + nb, 2, entries.length) },
    categories: entries.slice(0, 10).map(([value, c]) => ({ value, train: c[0] / na, valid: c[1] / nb })),
  };
}
