import type { ColumnEncoding } from '../../shift/design.js';
import {
  type CategoricalSummary,
  type ColumnSummary,
  MAX_DISTINCT,
  numericSummary,
  type SetSummary,
  SUMMARY_SCHEMA,
  type TupleCounts,
} from '../../shift/summaries.js';
import { quoteIdent, type ShiftDatabase, toNumber } from './database.js';
import { cellExpressions, isNumericTime, rowHashExpressions, timeExpression } from './leakageQueries.js';
import { sampleRows } from './sampleRows.js';
import type { Source } from './sources.js';
import { tallyColumn, textExpression } from './tallies.js';

export interface SummarizeOptions {
  readonly features: readonly string[];
  readonly roles: { readonly label?: string; readonly pred?: string; readonly group?: string; readonly time?: string };
  readonly seed: number;
  readonly sampleRows: number;
  readonly maxDistinct?: number;
}

/**
 * The summary of one set, computed with the standard SQL that docs/shift-report.md gives for
 * Spark SQL and Trino: one GROUP BY per column (value, count), one per role, one over the row
 * hashes, and the bottom-k sample. Memory here grows with the distinct values of one column
 * (until the sketch fallback) and with the number of distinct rows (row hashes).
 */
export async function summarizeSource(db: ShiftDatabase, source: Source, options: SummarizeOptions): Promise<SetSummary> {
  const [count] = await db.rows(`SELECT count(*) AS n FROM ${source.relation}`, source.origin);
  const rows = toNumber(count.n);
  const columns: ColumnSummary[] = [];
  const encoding: ColumnEncoding[] = [];
  for (const name of options.features) {
    const kind = source.columns.find((c) => c.name === name)?.kind;
    if (kind === 'numeric') {
      columns.push(await numericColumn(db, source, name, `CAST(${quoteIdent(name)} AS DOUBLE)`, rows, options.maxDistinct ?? MAX_DISTINCT));
      encoding.push({ name, kind: 'numeric', mean: 0, sd: 1 });
    } else {
      columns.push(await categorical(db, source, name));
      encoding.push({ name, kind: 'categorical', levels: [] });
    }
  }
  const { label, pred, group, time } = options.roles;
  const present = (name: string | undefined): name is string => name !== undefined && source.columns.some((c) => c.name === name);
  const hashes = await db.rows(
    `SELECT h1, h2, count(*) AS n FROM (SELECT ${rowHashExpressions(cellExpressions(encoding))} FROM ${source.relation}) GROUP BY h1, h2 ORDER BY h1, h2`,
    source.origin,
  );
  const sample = await sampleRows(db, source, encoding, options.sampleRows, options.seed);
  const numericTime = present(time) && isNumericTime(source, time);
  return {
    schema: SUMMARY_SCHEMA,
    rows,
    columns,
    roles: options.roles,
    ...(present(time) ? { timeScale: numericTime ? 'numeric' : 'date' } : {}),
    ...(present(label) ? { label: await categorical(db, source, label) } : {}),
    ...(present(pred) ? { pred: await categorical(db, source, pred) } : {}),
    ...(present(group) ? { group: await categorical(db, source, group) } : {}),
    ...(present(time) ? { time: await numericColumn(db, source, time, timeExpression(source, time, numericTime), rows, Number.POSITIVE_INFINITY) } : {}),
    ...(present(pred) && present(label) ? { predLabel: await tuples(db, source, [pred, label]) } : {}),
    ...(present(group) && present(pred) && present(label) ? { groupPredLabel: await tuples(db, source, [group, pred, label]) } : {}),
    rowHashes: { h1: hashes.map((r) => String(r.h1)), h2: hashes.map((r) => String(r.h2)), counts: hashes.map((r) => toNumber(r.n)) },
    sample: {
      seed: options.seed,
      size: options.sampleRows,
      keys: sample.keys.map(String),
      rows: Array.from({ length: sample.nRows }, (_, r) =>
        sample.columns.map((c) => (c.kind === 'numeric' ? (Number.isNaN(c.values[r]) ? null : c.values[r]) : c.values[r] === '' ? null : c.values[r])),
      ),
    },
  };
}

/** SELECT x AS value, count(*) FROM t WHERE x IS NOT NULL AND NOT isnan(x) GROUP BY value ORDER BY value. */
async function numericColumn(db: ShiftDatabase, source: Source, name: string, x: string, rows: number, maxDistinct: number) {
  const result = await db.rows(
    `SELECT ${x} AS v, count(*) AS n FROM ${source.relation} WHERE ${x} IS NOT NULL AND NOT isnan(${x}) GROUP BY v ORDER BY v`,
    source.origin,
  );
  const counts = result.map((r) => toNumber(r.n));
  const present = counts.reduce((s, c) => s + c, 0);
  return numericSummary(name, rows - present, { values: result.map((r) => toNumber(r.v)), counts }, maxDistinct);
}

async function categorical(db: ShiftDatabase, source: Source, name: string): Promise<CategoricalSummary> {
  const { counts, missing } = await tallyColumn(db, source, name);
  const values = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { name, kind: 'categorical', missing, tally: { values, counts: values.map((v) => counts.get(v) as number) } };
}

async function tuples(db: ShiftDatabase, source: Source, names: readonly string[]): Promise<TupleCounts> {
  const select = names.map((n, k) => `${textExpression(n)} AS t${k}`).join(', ');
  const keys = names.map((_, k) => `t${k}`);
  const result = await db.rows(
    `SELECT ${keys.join(', ')}, count(*) AS n FROM (SELECT ${select} FROM ${source.relation}) WHERE ${keys.map((k) => `${k} IS NOT NULL`).join(' AND ')} GROUP BY ALL`,
    source.origin,
  );
  const entries = result
    .map((r) => [keys.map((k) => String(r[k])), toNumber(r.n)] as const)
    .sort((a, b) => (JSON.stringify(a[0]) < JSON.stringify(b[0]) ? -1 : 1));
  return { tuples: entries.map(([t]) => t), counts: entries.map(([, n]) => n) };
}
