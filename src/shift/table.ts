import { CsvTableReader, formatCsvRecord, parseCsv } from '../data/csv.js';
import { fail } from '../errors.js';

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

/**
 * Reads CSV text into a `Table` with losslab's CSV reader (`parseCsv` for the header, then
 * `CsvTableReader`: RFC 4180 quoting, missing-value tokens such as '' and NA, pandas-like type
 * inference per column). Number columns become numeric (missing → NaN); text columns become
 * categorical (missing → ''). Errors are `LosslabError`s naming the file, row and column.
 */
export function tableFromCsvText(text: string, source: string): Table {
  const header = parseCsv(text.slice(0, firstRecordEnd(text)), { source })[0] ?? [];
  if (header.length === 0) fail({ fn: 'tableFromCsvText', argument: source, rule: 'the file must start with a header row' });
  const reader = new CsvTableReader(
    header.map((name) => ({ name, type: 'auto' as const })),
    { source },
  );
  reader.push(text);
  const csv = reader.finish();
  if (csv.rowCount < 2) fail({ fn: 'tableFromCsvText', argument: source, value: `${csv.rowCount} data rows`, rule: 'the file needs at least 2 data rows' });
  const columns: Column[] = header.map((name): Column => {
    const column = csv.columns.get(name);
    if (!column) return fail({ fn: 'tableFromCsvText', argument: source, value: JSON.stringify(name), rule: 'every header name must be a readable column' });
    return column.kind === 'number'
      ? { name, kind: 'numeric', values: column.values }
      : { name, kind: 'categorical', values: column.values.map((v) => v ?? '') };
  });
  return { nRows: csv.rowCount, columns };
}

/** Index just past the first record (a newline outside quotes), or the text's length. */
function firstRecordEnd(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === '\n' && !quoted) return i + 1;
  }
  return text.length;
}

/** Rows `[from, to)` of a table, as a table (the training or validation part). */
export function sliceTable(table: Table, from: number, to: number): Table {
  return {
    nRows: to - from,
    columns: table.columns.map((c): Column => (c.kind === 'numeric' ? { ...c, values: c.values.slice(from, to) } : { ...c, values: c.values.slice(from, to) })),
  };
}
