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
      // Two passes (mean, then squared deviations): as accurate as Welford's update, without a division per value.
      const values = column.values;
      let n = 0;
      let sum = 0;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v === v) {
          n++;
          sum += v;
        }
      }
      const mean = n > 0 ? sum / n : 0;
      let m2 = 0;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v === v) m2 += (v - mean) * (v - mean);
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

/** Rows encoded per block: the block of the design matrix (≤ 1.5 MB at 784 columns) stays in cache while columns are written into it. */
const BLOCK_ROWS = 256;

/**
 * Builds the design matrix of `rows` (all rows when omitted) of `table`. Rows are encoded in
 * blocks, visiting the source rows in ascending order (so each column is read forwards, not at
 * random: on a 60,000 × 784 table that is the difference between cache misses and streaming),
 * and each lands at its own position in the output.
 */
export function encodeRows(table: Table, encoding: readonly ColumnEncoding[], rows?: ArrayLike<number>): Matrix {
  const nRows = rows ? rows.length : table.nRows;
  const cols = encodedNames(encoding).length;
  const data = new Float64Array(nRows * cols);
  const columns = encoding.map((e) => table.columns.find((c) => c.name === e.name) as Column);
  const levelIndex = encoding.map((e) => (e.kind === 'categorical' ? new Map(e.levels.map((l, i) => [l, i])) : null));
  const source = rows ? Int32Array.from(rows) : Int32Array.from({ length: nRows }, (_, i) => i);
  // Output positions ordered by their source row.
  const positions = Int32Array.from({ length: nRows }, (_, i) => i).sort((a, b) => source[a] - source[b]);
  for (let k0 = 0; k0 < nRows; k0 += BLOCK_ROWS) {
    const k1 = Math.min(nRows, k0 + BLOCK_ROWS);
    let offset = 0;
    encoding.forEach((e, c) => {
      const column = columns[c];
      if (e.kind === 'numeric' && column.kind === 'numeric') {
        const values = column.values;
        const { mean, sd } = e;
        for (let k = k0; k < k1; k++) {
          const p = positions[k];
          const v = values[source[p]];
          data[p * cols + offset] = v === v ? (v - mean) / sd : 0;
        }
        offset += 1;
      } else if (e.kind === 'categorical') {
        const index = levelIndex[c] as Map<string, number>;
        for (let k = k0; k < k1; k++) {
          const p = positions[k];
          const v = column.kind === 'categorical' ? column.values[source[p]] : String(column.values[source[p]]);
          const j = index.get(v);
          if (j !== undefined) data[p * cols + offset + j] = 1;
        }
        offset += e.levels.length;
      }
    });
  }
  return { data, rows: nRows, cols };
}
