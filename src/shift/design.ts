import type { Matrix } from './mmd.js';
import type { Column, Table } from './table.js';

/** How one column becomes design-matrix columns. */
export type ColumnEncoding =
  | { readonly name: string; readonly kind: 'numeric'; readonly mean: number; readonly sd: number }
  | { readonly name: string; readonly kind: 'categorical'; readonly levels: readonly string[] };

/** At most this many one-hot columns per categorical feature (the most frequent training levels). */
export const MAX_LEVELS = 20;

/**
 * Learns an encoding on the training table: numeric columns are standardised with the training
 * mean and standard deviation (missing values become 0 = the mean), categorical columns are
 * one-hot encoded over their most frequent training levels (others, and missing, are all-zero).
 * This is the input of the multivariate tests, the domain classifier and the embedding.
 */
export function learnEncoding(train: Table, names: readonly string[]): ColumnEncoding[] {
  return names.map((name) => {
    const column = train.columns.find((c) => c.name === name) as Column;
    if (column.kind === 'numeric') {
      let n = 0;
      let mean = 0;
      let m2 = 0;
      for (const v of column.values) {
        if (Number.isNaN(v)) continue;
        n++;
        const d = v - mean;
        mean += d / n;
        m2 += d * (v - mean);
      }
      const sd = n > 1 ? Math.sqrt(m2 / (n - 1)) : 1;
      return { name, kind: 'numeric', mean, sd: sd > 0 ? sd : 1 };
    }
    const counts = new Map<string, number>();
    for (const v of column.values) if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
    const levels = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_LEVELS)
      .map(([l]) => l);
    return { name, kind: 'categorical', levels };
  });
}

/** Names of the design-matrix columns (`age`, `colour=red`, …). */
export function encodedNames(encoding: readonly ColumnEncoding[]): string[] {
  return encoding.flatMap((e) => (e.kind === 'numeric' ? [e.name] : e.levels.map((l) => `${e.name}=${l}`)));
}

/** The feature each design-matrix column came from. */
export function encodedSources(encoding: readonly ColumnEncoding[]): string[] {
  return encoding.flatMap((e) => (e.kind === 'numeric' ? [e.name] : e.levels.map(() => e.name)));
}

/** Builds the design matrix of `rows` (all rows when omitted) of `table`. */
export function encodeRows(table: Table, encoding: readonly ColumnEncoding[], rows?: ArrayLike<number>): Matrix {
  const nRows = rows ? rows.length : table.nRows;
  const cols = encodedNames(encoding).length;
  const data = new Float64Array(nRows * cols);
  let offset = 0;
  for (const e of encoding) {
    const column = table.columns.find((c) => c.name === e.name) as Column;
    if (e.kind === 'numeric' && column.kind === 'numeric') {
      for (let r = 0; r < nRows; r++) {
        const v = column.values[rows ? rows[r] : r];
        data[r * cols + offset] = Number.isNaN(v) ? 0 : (v - e.mean) / e.sd;
      }
      offset += 1;
    } else if (e.kind === 'categorical') {
      const index = new Map(e.levels.map((l, i) => [l, i]));
      for (let r = 0; r < nRows; r++) {
        const v = column.kind === 'categorical' ? column.values[rows ? rows[r] : r] : String(column.values[rows ? rows[r] : r]);
        const k = index.get(v);
        if (k !== undefined) data[r * cols + offset + k] = 1;
      }
      offset += e.levels.length;
    }
  }
  return { data, rows: nRows, cols };
}
