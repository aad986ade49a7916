import { encodeJsonNumber } from '../data/jsonNumbers.js';
import { fail } from '../errors.js';
import type { PlottedRow, VegaLiteSpec } from './spec.js';

/** The inline data of a figure: each named (or anonymous) data set with its rows. */
export interface PlottedData {
  readonly name: string;
  readonly rows: readonly PlottedRow[];
}

const NESTED_VIEWS = ['layer', 'hconcat', 'vconcat', 'concat'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRowArray(value: unknown): value is PlottedRow[] {
  return Array.isArray(value) && value.every(isRecord);
}

/**
 * The numbers a figure plots: every inline data set of the spec (`data.values`, top-level
 * `datasets`, and the `data` of nested layer/concat/facet views), in the order they appear.
 * `losslab plot --out f.csv` writes these, so the CSV holds exactly what the SVG draws.
 */
export function plottedData(spec: VegaLiteSpec): PlottedData[] {
  const found: PlottedData[] = [];
  const seen = new Set<unknown>();
  const add = (name: string, rows: unknown): void => {
    if (!isRowArray(rows) || seen.has(rows)) return;
    seen.add(rows);
    found.push({ name, rows });
  };
  const visit = (view: unknown): void => {
    if (!isRecord(view)) return;
    const data = view.data;
    if (isRecord(data)) add(typeof data.name === 'string' ? data.name : `data${found.length}`, data.values);
    if (isRecord(view.datasets)) for (const [name, rows] of Object.entries(view.datasets)) add(name, rows);
    for (const key of NESTED_VIEWS) {
      const children = view[key];
      if (Array.isArray(children)) children.forEach(visit);
    }
    visit(view.spec);
  };
  visit(spec);
  return found;
}

/** A value for CSV/JSON: non-finite numbers as the strings "Infinity", "-Infinity", "NaN" (src/data/jsonNumbers.ts). */
export function encodeValue(value: unknown): string | number | boolean | null {
  if (typeof value === 'number') return encodeJsonNumber(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  return null;
}

function csvCell(value: unknown): string {
  const encoded = encodeValue(value);
  if (encoded === null) return '';
  const text = String(encoded);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The plotted numbers as CSV: a header of the column names (in first-seen order), one line per
 * row, numbers in JavaScript's shortest round-trip form (so they read back exactly). With several
 * data sets a first column `dataset` names each row's set.
 */
export function plottedCsv(spec: VegaLiteSpec): string {
  const sets = plottedData(spec);
  if (sets.length === 0) return fail({ fn: 'plottedCsv', argument: 'spec', rule: 'the figure must have inline data (data.values) to export' });
  const columns: string[] = [];
  for (const set of sets) for (const row of set.rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const many = sets.length > 1;
  const header = (many ? ['dataset', ...columns] : columns).map(csvCell).join(',');
  const lines = [header];
  for (const set of sets) {
    for (const row of set.rows) {
      const cells = columns.map((c) => csvCell(row[c]));
      lines.push((many ? [csvCell(set.name), ...cells] : cells).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The title text of a spec, if it has one (`title: "…"` or `title: { text: "…" }`). */
export function specTitle(spec: VegaLiteSpec): string | undefined {
  const title: unknown = (spec as { title?: unknown }).title;
  if (typeof title === 'string') return title;
  if (isRecord(title) && typeof title.text === 'string') return title.text;
  return undefined;
}

/** The plotted numbers as JSON: `{ title, datasets: [{ name, rows }] }`, non-finite values as strings. */
export function plottedJson(spec: VegaLiteSpec): string {
  const datasets = plottedData(spec).map((set) => ({
    name: set.name,
    rows: set.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, encodeValue(v)]))),
  }));
  return `${JSON.stringify({ title: specTitle(spec) ?? null, datasets })}\n`;
}
