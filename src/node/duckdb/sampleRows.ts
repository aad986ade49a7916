import type { ColumnEncoding } from '../../shift/design.js';
import type { Column, Table } from '../../shift/table.js';
import { quoteIdent, type ShiftDatabase } from './database.js';
import type { Source } from './sources.js';

/**
 * The seeded sample the multivariate tests read: the `k` rows with the smallest DuckDB hash of
 * (seed, feature values), in that order. A bottom-k sample by a hash of the row's content is a
 * uniform random sample of distinct rows, and it is mergeable: the sample of a union is the k
 * smallest keys of the partitions' samples, so summaries of partitions give the same rows.
 */
export async function sampleRows(
  db: ShiftDatabase,
  source: Source,
  encoding: readonly ColumnEncoding[],
  k: number,
  seed: number,
): Promise<Table & { keys: bigint[] }> {
  const names = encoding.map((e) => e.name);
  const key = `hash(${seed}::UBIGINT, ${names.map(quoteIdent).join(', ')})`;
  const select = encoding.map((e, i) =>
    e.kind === 'numeric' ? `CAST(${quoteIdent(e.name)} AS DOUBLE) AS c${i}` : `NULLIF(CAST(${quoteIdent(e.name)} AS VARCHAR), '') AS c${i}`,
  );
  // Two passes: the k smallest keys alone (a narrow top-k), then the rows at or under the k-th key
  // (rows with equal keys hold equal values, so the result is that of one ORDER BY key LIMIT k).
  // The key reads every column of a row at once: DuckDB holds a whole Parquet row group of every
  // column per thread (122,880 rows × 1,000 float columns ≈ 490 MB), so two threads overran the
  // 1 GB limit on 1 M × 1,000; these scans run on one thread (a few seconds of the report's time).
  const threads = await db.rows(`SELECT current_setting('threads') AS t`, source.origin);
  await db.rows('SET threads = 1', source.origin);
  let rows: Awaited<ReturnType<ShiftDatabase['rows']>>;
  try {
    rows = await db.rows(
      `WITH smallest AS (SELECT ${key} AS k FROM ${source.relation} ORDER BY k LIMIT ${k}),
       cutoff AS (SELECT max(k) AS k FROM smallest)
       SELECT * FROM (SELECT ${key} AS k, ${select.join(', ')} FROM ${source.relation}) WHERE k <= (SELECT k FROM cutoff) ORDER BY k LIMIT ${k}`,
      source.origin,
    );
  } finally {
    await db.rows(`SET threads = ${Number(threads[0]?.t ?? 1)}`, source.origin);
  }
  const columns = encoding.map((e, i): Column => {
    const cell = `c${i}`;
    return e.kind === 'numeric'
      ? { name: e.name, kind: 'numeric', values: Float64Array.from(rows, (r) => (r[cell] === null ? Number.NaN : Number(r[cell]))) }
      : { name: e.name, kind: 'categorical', values: rows.map((r) => (r[cell] === null ? '' : String(r[cell]))) };
  });
  return { nRows: rows.length, columns, keys: rows.map((r) => BigInt(r.k as bigint)) };
}
