import type { ColumnEncoding } from '../../shift/design.js';
import type { Column, Table } from '../../shift/table.js';
import { quoteIdent, type ShiftDatabase } from './database.js';
import type { Source } from './sources.js';

/** Rows of a Parquet row group (DuckDB's default), the unit a scan thread holds of every column it reads. */
const ROW_GROUP = 122880;
/** Bytes of decoded row groups the sample's full-width scan may hold at once (a third of DuckDB's 1 GB). */
const SCAN_BYTES = 320 * 2 ** 20;

/** The sample key of a row: DuckDB's hash of (seed, the feature values as stored). */
export function sampleKeyExpression(seed: number, encoding: readonly ColumnEncoding[]): string {
  return `hash(${seed}::UBIGINT, ${encoding.map((e) => quoteIdent(e.name)).join(', ')})`;
}

/**
 * Runs `scan`, a query that reads every feature column of a row, on fewer threads when the table
 * is wide: DuckDB holds a whole row group of every column per thread (122,880 rows × 1,000 float
 * columns ≈ 490 MB, and two threads overran the 1 GB limit on 1 M × 1,000), so such scans get as
 * many threads as row groups of `columns` columns fit in 320 MB (at least one).
 */
export async function withWideScanThreads<T>(db: ShiftDatabase, columns: number, source: Source, scan: () => Promise<T>): Promise<T> {
  const threads = await db.rows(`SELECT current_setting('threads') AS t`, source.origin);
  const before = Number(threads[0]?.t ?? 1);
  const narrowed = Math.max(1, Math.min(before, Math.floor(SCAN_BYTES / (columns * 8 * ROW_GROUP))));
  if (narrowed !== before) await db.rows(`SET threads = ${narrowed}`, source.origin);
  try {
    return await scan();
  } finally {
    if (narrowed !== before) await db.rows(`SET threads = ${before}`, source.origin);
  }
}

/**
 * The seeded sample the multivariate tests read: the `k` rows with the smallest DuckDB hash of
 * (seed, feature values), in that order. A bottom-k sample by a hash of the row's content is a
 * uniform random sample of distinct rows, and it is mergeable: the sample of a union is the k
 * smallest keys of the partitions' samples, so summaries of partitions give the same rows.
 *
 * Two steps: the k-th smallest key, then the rows at or under it (rows with equal keys hold equal
 * values, so the result is that of one ORDER BY key LIMIT k over every column, which ran out of
 * DuckDB's 1 GB on 1 M × 1,000). `keys` names a table that already holds each row's key as
 * column `k` (`hashRowsInDatabase` computes it in its scan), so that step reads one narrow column
 * instead of hashing every row again.
 */
export async function sampleRows(
  db: ShiftDatabase,
  source: Source,
  encoding: readonly ColumnEncoding[],
  k: number,
  seed: number,
  keys?: string,
): Promise<Table & { keys: bigint[] }> {
  const key = sampleKeyExpression(seed, encoding);
  const select = encoding.map((e, i) =>
    e.kind === 'numeric' ? `CAST(${quoteIdent(e.name)} AS DOUBLE) AS c${i}` : `NULLIF(CAST(${quoteIdent(e.name)} AS VARCHAR), '') AS c${i}`,
  );
  const smallest = keys !== undefined ? `SELECT k FROM ${keys}` : `SELECT ${key} AS k FROM ${source.relation}`;
  const rows = await withWideScanThreads(db, encoding.length, source, () =>
    db.rows(
      `WITH smallest AS (${smallest} ORDER BY k LIMIT ${k}),
       cutoff AS (SELECT max(k) AS k FROM smallest)
       SELECT * FROM (SELECT ${key} AS k, ${select.join(', ')} FROM ${source.relation}) WHERE k <= (SELECT k FROM cutoff) ORDER BY k LIMIT ${k}`,
      source.origin,
    ),
  );
  const columns = encoding.map((e, i): Column => {
    const cell = `c${i}`;
    return e.kind === 'numeric'
      ? { name: e.name, kind: 'numeric', values: Float64Array.from(rows, (r) => (r[cell] === null ? Number.NaN : Number(r[cell]))) }
      : { name: e.name, kind: 'categorical', values: rows.map((r) => (r[cell] === null ? '' : String(r[cell]))) };
  });
  return { nRows: rows.length, columns, keys: rows.map((r) => BigInt(r.k as bigint)) };
}
