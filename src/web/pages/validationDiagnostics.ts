import { UMAP } from 'umap-js';
import { chi2Contingency, cramersV } from '../../shift/contingency.js';
import { jensenShannon } from '../../shift/jensenShannon.js';
import { ks2samp } from '../../shift/ks.js';
import { benjaminiHochberg } from '../../shift/multipleTesting.js';
import { psi } from '../../shift/psi.js';
import type { Column, Table } from '../../shift/table.js';
import { wassersteinDistance } from '../../shift/wasserstein.js';
import { RandomState } from '../../tensor/random.js';

/** One row of the shift report. */
export interface FeatureShift {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  /** KS D (numeric) or the chi-square statistic (categorical). */
  readonly statistic: number;
  readonly pvalue: number;
  /** Benjamini–Hochberg adjusted p-value over all features. */
  readonly adjusted: number;
  /** Effect size: KS D (numeric) or Cramér's V (categorical). */
  readonly effect: number;
  /** Wasserstein distance and PSI (numeric) or the Jensen–Shannon distance (categorical). */
  readonly extra: string;
}

/**
 * Per-feature comparison of rows `[0, cut)` (training) with `[cut, n)` (validation), with losslab's
 * SciPy-exact statistics: `ks2samp` (`scipy.stats.ks_2samp`), `wassersteinDistance`, `psi`,
 * `chi2Contingency` (`chi2_contingency`, no correction), `jensenShannon`; p-values adjusted with
 * Benjamini–Hochberg, because with many features some small p-values are expected by chance.
 */
export function featureShifts(table: Table, cut: number, exclude: readonly string[] = []): FeatureShift[] {
  const rows: Omit<FeatureShift, 'adjusted'>[] = [];
  for (const column of table.columns) {
    if (exclude.includes(column.name)) continue;
    if (column.kind === 'numeric') {
      const a = finite(column.values.subarray(0, cut));
      const b = finite(column.values.subarray(cut));
      if (a.length < 1 || b.length < 1) continue;
      const ks = ks2samp(a, b);
      rows.push({ name: column.name, kind: 'numeric', statistic: ks.statistic, pvalue: ks.pvalue, effect: ks.statistic, extra: `W₁ = ${round(wassersteinDistance(a, b))}, PSI = ${round(psi(a, b).psi)}` });
    } else {
      const levels = [...new Set(column.values)];
      if (levels.length < 2) continue;
      const count = (from: number, to: number): number[] => levels.map((level) => column.values.slice(from, to).filter((v) => v === level).length);
      const table2 = [count(0, cut), count(cut, table.nRows)];
      const chi2 = chi2Contingency(table2);
      const total = table.nRows;
      const p = table2[0].map((c) => c / cut);
      const q = table2[1].map((c) => c / (total - cut));
      rows.push({ name: column.name, kind: 'categorical', statistic: chi2.statistic, pvalue: chi2.pvalue, effect: cramersV(chi2.statistic, total, 2, levels.length), extra: `JS = ${round(jensenShannon(p, q))}` });
    }
  }
  const adjusted = benjaminiHochberg(rows.map((r) => r.pvalue));
  return rows.map((r, i) => ({ ...r, adjusted: adjusted[i] }));
}

function finite(values: Float64Array): Float64Array {
  return values.filter((v) => Number.isFinite(v));
}

function round(value: number): string {
  return String(Number(value.toPrecision(3)));
}

export interface EmbeddedPoint {
  readonly x: number;
  readonly y: number;
  readonly set: 'train' | 'valid';
}

/**
 * A 2-D UMAP embedding (umap-js, seeded with losslab's RandomState) of the standardised numeric
 * columns, at most `maxRows` rows (a seeded random subsample), each tagged training or validation.
 */
export function embedRows(table: Table, cut: number, exclude: readonly string[] = [], maxRows = 400, seed = 0): EmbeddedPoint[] {
  const numeric = table.columns.filter((c): c is Extract<Column, { kind: 'numeric' }> => c.kind === 'numeric' && !exclude.includes(c.name));
  if (numeric.length === 0 || table.nRows < 5) return [];
  const rng = new RandomState(seed);
  const rows = table.nRows > maxRows ? Array.from(rng.permutation(table.nRows).subarray(0, maxRows)).sort((a, b) => a - b) : Array.from({ length: table.nRows }, (_, i) => i);
  const stats = numeric.map((c) => {
    const values = finite(c.values);
    const mean = values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(values.length, 1)) || 1;
    return { mean, sd };
  });
  const X = rows.map((r) => numeric.map((c, j) => (Number.isFinite(c.values[r]) ? (c.values[r] - stats[j].mean) / stats[j].sd : 0)));
  if (numeric.length === 1) return rows.map((r, i) => ({ x: X[i][0], y: 0, set: r < cut ? 'train' : 'valid' }));
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, rows.length - 1), nEpochs: 200, random: () => rng.randomSample() });
  const embedding = umap.fit(X);
  return rows.map((r, i) => ({ x: embedding[i][0], y: embedding[i][1], set: r < cut ? 'train' : 'valid' }));
}
