import { fail, formatValue } from '../../errors.js';
import type { ColumnEncoding } from '../../shift/design.js';
import type { DuplicateResult, GroupOverlapResult, TimeOverlapResult, WithinDuplicateResult } from '../../shift/leakage.js';
import { quoteIdent, quoteString, type ShiftDatabase, toNumber } from './database.js';
import { sampleKeyExpression, withWideScanThreads } from './sampleRows.js';
import type { Source } from './sources.js';
import { textExpression } from './tallies.js';

/**
 * Leakage checks pushed down into DuckDB, with the rules of `src/shift/leakage.ts`:
 * rows are hashed in SQL (two 64-bit DuckDB hashes: the columns in order, and a salt with the
 * columns in reverse order, so a false match needs both to collide), NaN and NULL count as the
 * same missing value, −0 as 0, '' as a missing category.
 */

/** A numeric cell normalised as the in-memory reader sees it: NaN and NULL are one missing value, −0 is 0. */
function numericCell(name: string): string {
  const x = `CAST(${quoteIdent(name)} AS DOUBLE)`;
  return `CASE WHEN isnan(${x}) THEN NULL ELSE ${x} + 0.0 END`;
}

export function cellExpressions(encoding: readonly ColumnEncoding[], transform?: (e: ColumnEncoding & { kind: 'numeric' }, cell: string) => string): string[] {
  return encoding.map((e) => (e.kind === 'numeric' ? (transform ? transform(e, numericCell(e.name)) : numericCell(e.name)) : textExpression(e.name)));
}

/** A DOUBLE literal that parses back to exactly `v`. */
function doubleLiteral(v: number): string {
  return `CAST('${String(v)}' AS DOUBLE)`;
}

/** Materialises (h1, h2, row) for each row of a source in a temporary table; row is the 0-based data row. */
/** `SELECT` list of the two row hashes (the rule shared by the leakage checks and the summaries). */
export function rowHashExpressions(cells: readonly string[]): string {
  return `hash(${cells.join(', ')}) AS h1, hash('losslab', ${[...cells].reverse().join(', ')}) AS h2`;
}

/** The grid cells of the near-duplicate rule: numeric features standardised by the training mean and SD, rounded to `resolution` SDs (Math.round as floor(x + 0.5)). */
function nearCells(encoding: readonly ColumnEncoding[], resolution: number): string[] {
  return cellExpressions(encoding, (e, cell) => `floor((${cell} - ${doubleLiteral(e.mean)}) / ${doubleLiteral(e.sd)} / ${doubleLiteral(resolution)} + 0.5)`);
}

/**
 * One scan per side: materialises (h1, h2) of the row, (n1, n2) of its near-duplicate grid cell
 * and its sample key k (`sampleKeyExpression`, when `sampleSeed` is given) in temporary tables
 * `losslab_rows_train` / `losslab_rows_valid`, which the duplicate checks below join and the sample
 * reads (`rowHashTable`). A row's 0-based data row is the table's `rowid`: DuckDB inserts in the
 * source's order (an order-preserving parallel insert), whereas `row_number() OVER ()` ran the
 * whole hashing scan on one thread (a streaming window is not a parallel operator).
 * `dropRowHashes` removes the tables.
 */
export async function hashRowsInDatabase(
  db: ShiftDatabase,
  train: Source,
  valid: Source,
  encoding: readonly ColumnEncoding[],
  resolution = 0.01,
  sampleSeed?: number,
): Promise<void> {
  const near = rowHashExpressions(nearCells(encoding, resolution)).replace(' AS h1', ' AS n1').replace(' AS h2', ' AS n2');
  const key = sampleSeed !== undefined ? `, ${sampleKeyExpression(sampleSeed, encoding)} AS k` : '';
  for (const [source, side] of [
    [train, 'train'],
    [valid, 'valid'],
  ] as const)
    await withWideScanThreads(db, encoding.length, source, () =>
      db.rows(
        `CREATE OR REPLACE TEMP TABLE ${rowHashTable(side)} AS SELECT ${rowHashExpressions(cellExpressions(encoding))}, ${near}${key} FROM ${source.relation}`,
        source.origin,
      ),
    );
}

/** The temporary table of one side's row hashes (after `hashRowsInDatabase`). */
export function rowHashTable(side: 'train' | 'valid'): string {
  return `losslab_rows_${side}`;
}

export async function dropRowHashes(db: ShiftDatabase, origin: Source): Promise<void> {
  await db.rows(`DROP TABLE IF EXISTS ${rowHashTable('train')}; DROP TABLE IF EXISTS ${rowHashTable('valid')}`, origin.origin);
}

async function crossMatches(db: ShiftDatabase, train: Source, keys: [string, string], nValid: number): Promise<DuplicateResult> {
  const [k1, k2] = keys;
  const join = `${rowHashTable('valid')} v JOIN (SELECT ${k1}, ${k2}, min(rowid) AS r FROM ${rowHashTable('train')} GROUP BY ${k1}, ${k2}) t USING (${k1}, ${k2})`;
  const [count] = await db.rows(`SELECT count(*) AS n FROM ${join}`, train.origin);
  const n = toNumber(count.n);
  // The examples join again: only when there is something to show.
  const examples = n > 0 ? await db.rows(`SELECT t.r AS a, v.rowid AS b FROM ${join} ORDER BY v.rowid LIMIT 10`, train.origin) : [];
  return { validRows: n, fraction: nValid > 0 ? n / nValid : 0, examples: examples.map((r) => [toNumber(r.a), toNumber(r.b)]) };
}

/** Exact duplicates: validation rows equal to a training row in every feature column (after `hashRowsInDatabase`). */
export async function exactDuplicatesInDatabase(db: ShiftDatabase, train: Source, nValid: number): Promise<DuplicateResult> {
  return crossMatches(db, train, ['h1', 'h2'], nValid);
}

/** Rows repeated inside one set: copies after the first, distinct repeated rows, (first, copy) examples (after `hashRowsInDatabase`). */
export async function withinDuplicatesInDatabase(db: ShiftDatabase, source: Source, side: 'train' | 'valid', nRows: number): Promise<WithinDuplicateResult> {
  const table = rowHashTable(side);
  const groups = `(SELECT h1, h2, min(rowid) AS first, count(*) AS c FROM ${table} GROUP BY h1, h2)`;
  const [row] = await db.rows(`SELECT coalesce(sum(c - 1), 0) AS copies, count(*) FILTER (WHERE c > 1) AS repeated FROM ${groups}`, source.origin);
  const rows = toNumber(row.copies);
  const examples =
    rows > 0
      ? await db.rows(
          `SELECT g.first AS a, t.rowid AS b FROM ${table} t JOIN ${groups} g USING (h1, h2) WHERE t.rowid > g.first ORDER BY t.rowid LIMIT 10`,
          source.origin,
        )
      : [];
  return { rows, fraction: nRows > 0 ? rows / nRows : 0, distinct: toNumber(row.repeated), examples: examples.map((r) => [toNumber(r.a), toNumber(r.b)]) };
}

/** Near duplicates by the grid rule of `nearDuplicates` (after `hashRowsInDatabase` with the same resolution). */
export async function nearDuplicatesInDatabase(
  db: ShiftDatabase,
  train: Source,
  nValid: number,
  resolution = 0.01,
): Promise<DuplicateResult & { resolution: number }> {
  return { ...(await crossMatches(db, train, ['n1', 'n2'], nValid)), resolution };
}

/** Groups present on both sides, and the validation rows they hold (`groupOverlap`). */
export async function groupOverlapInDatabase(db: ShiftDatabase, train: Source, valid: Source, group: string): Promise<GroupOverlapResult> {
  const g = textExpression(group);
  const [row] = await db.rows(
    `WITH t AS (SELECT DISTINCT ${g} AS g FROM ${train.relation} WHERE g IS NOT NULL),
          v AS (SELECT g, count(*) AS n, min(r) AS first FROM (SELECT ${g} AS g, row_number() OVER () AS r FROM ${valid.relation}) WHERE g IS NOT NULL GROUP BY g),
          s AS (SELECT * FROM v SEMI JOIN t USING (g))
     SELECT (SELECT count(*) FROM t) AS tg, (SELECT count(*) FROM v) AS vg, (SELECT count(*) FROM s) AS shared,
            (SELECT coalesce(sum(n), 0) FROM s) AS rows, (SELECT list(g ORDER BY first) FROM (SELECT g, first FROM s ORDER BY first LIMIT 10)) AS examples,
            (SELECT count(*) FROM ${valid.relation}) AS total`,
    valid.origin,
  );
  const rows = toNumber(row.rows);
  const total = toNumber(row.total);
  return {
    trainGroups: toNumber(row.tg),
    validGroups: toNumber(row.vg),
    sharedGroups: toNumber(row.shared),
    validRowsInSharedGroups: rows,
    fraction: total > 0 ? rows / total : 0,
    examples: Array.isArray(row.examples) ? row.examples.map(String) : [],
  };
}

const NUMERIC_TIME = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/;

/** A time column in milliseconds (dates) or as numbers, and which of the two. */
export function timeExpression(source: Source, time: string, numeric: boolean): string {
  const column = quoteIdent(time);
  const type = source.columns.find((c) => c.name === time)?.type ?? 'VARCHAR';
  if (numeric) return `CAST(${column} AS DOUBLE)`;
  return /^(DATE|TIMESTAMP)/.test(type)
    ? `CAST(epoch_ms(CAST(${column} AS TIMESTAMP)) AS DOUBLE)`
    : `CAST(epoch_ms(TRY_CAST(NULLIF(CAST(${column} AS VARCHAR), '') AS TIMESTAMP)) AS DOUBLE)`;
}

/** True when a column type holds times as plain numbers. */
export function isNumericTime(source: Source, time: string): boolean {
  return NUMERIC_TIME.test(source.columns.find((c) => c.name === time)?.type ?? 'VARCHAR');
}

/** Time ranges and validation rows not after the last training time (`timeOverlap`), numbers or dates (milliseconds since 1970). */
export async function timeOverlapInDatabase(db: ShiftDatabase, train: Source, valid: Source, time: string): Promise<TimeOverlapResult> {
  const numeric = isNumericTime(train, time) && isNumericTime(valid, time);
  const column = quoteIdent(time);
  const millis = (s: Source) => timeExpression(s, time, numeric);
  for (const [s, file] of [
    [train, 'the training file'],
    [valid, 'the validation file'],
  ] as const) {
    if (numeric) continue;
    const bad = await db.rows(
      `SELECT CAST(${column} AS VARCHAR) AS v, r FROM (SELECT ${column}, ${millis(s)} AS t, row_number() OVER () AS r FROM ${s.relation}) WHERE t IS NULL AND NULLIF(CAST(${column} AS VARCHAR), '') IS NOT NULL LIMIT 1`,
      s.origin,
    );
    if (bad.length > 0)
      fail({
        fn: 'losslab shift',
        argument: '--time',
        value: `${formatValue(String(bad[0].v))} in row ${toNumber(bad[0].r)} of ${file}`,
        rule: 'a time column must hold numbers or ISO 8601 dates',
      });
  }
  const range = async (s: Source) => {
    const [r] = await db.rows(
      `SELECT min(t) AS lo, max(t) AS hi FROM (SELECT ${millis(s)} AS t FROM ${s.relation}) WHERE t IS NOT NULL AND NOT isnan(t)`,
      s.origin,
    );
    return [r.lo === null ? Number.POSITIVE_INFINITY : toNumber(r.lo), r.hi === null ? Number.NEGATIVE_INFINITY : toNumber(r.hi)] as [number, number];
  };
  const a = await range(train);
  const b = await range(valid);
  if (!Number.isFinite(a[0]) || !Number.isFinite(b[0]))
    fail({ fn: 'timeOverlap', argument: 'times', value: 'all missing', rule: 'each set needs at least one time value' });
  const [c] = await db.rows(
    `SELECT count(*) AS counted, count(*) FILTER (WHERE t <= CAST(${quoteString(String(a[1]))} AS DOUBLE)) AS before FROM (SELECT ${millis(valid)} AS t FROM ${valid.relation}) WHERE t IS NOT NULL AND NOT isnan(t)`,
    valid.origin,
  );
  const counted = toNumber(c.counted);
  const notAfter = toNumber(c.before);
  return {
    train: a,
    valid: b,
    overlaps: b[0] <= a[1] && a[0] <= b[1],
    validRowsNotAfterTrain: notAfter,
    fraction: counted > 0 ? notAfter / counted : 0,
    scale: numeric ? 'numeric' : 'date',
  };
}
