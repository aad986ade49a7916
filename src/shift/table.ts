import { formatCsvRecord } from '../data/csv.js';

/**
 * A data set as columns, the shape every shift diagnostic reads. Numeric columns are Float64Array
 * (NaN marks a missing value); categorical columns are strings ('' marks a missing value). Built by
 * the CLI's CSV reader or by the demo generator; platform-free.
 */
export type Column =
  | { readonly name: string; readonly kind: 'numeric'; readonly values: Float64Array }
  | { readonly name: string; readonly kind: 'categorical'; readonly values: readonly string[] };

export interface Table {
  readonly nRows: number;
  readonly columns: readonly Column[];
}

/** The column called `name`, or undefined. */
export function findColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name);
}

/** Reads cell `row` of a column as a string key (numbers in shortest round-trip form). */
export function cellKey(column: Column, row: number): string {
  return column.kind === 'numeric' ? String(column.values[row]) : column.values[row];
}

/** A table as CSV text (header, then rows; missing numbers as empty fields), as `losslab shift --demo --out-dir` writes it. */
export function tableCsv(table: Table): string {
  const lines = [formatCsvRecord(table.columns.map((c) => c.name))];
  for (let r = 0; r < table.nRows; r++)
    lines.push(formatCsvRecord(table.columns.map((c) => (c.kind === 'numeric' ? (Number.isNaN(c.values[r]) ? '' : String(c.values[r])) : c.values[r]))));
  return lines.join('');
}
