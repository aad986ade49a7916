import type { DuckDBDataChunk } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { checkNumericColumn, compareMerged, compareSorted, type NumericFeatureTests, numericFeatureTests } from '../../shift/featureTests.js';
import { histogramEdges } from '../../shift/histogram.js';
import { psiEdges, psiFromCounts, psiRanks } from '../../shift/psi.js';
import { SortedMerge } from '../../shift/sortedMerge.js';
import { quoteIdent, type ShiftDatabase, toNumber } from './database.js';
import { SortPool } from './sortPool.js';
import type { Source } from './sources.js';

/**
 * Bytes per value of a column held and sorted in memory: sorted on this thread, the values, the
 * radix scratch and the float64 copy of a float32 column; sorted on the worker, two batches in
 * flight of 12 bytes per value each (the values and the float64 copy), plus one column's scratch.
 */
export const BYTES_PER_VALUE = 24;

/** How the numeric columns are compared, and how far along the scan is. */
export interface NumericScanOptions {
  /** Memory for columns held and sorted in this process; a column larger than this is sorted by DuckDB (out of core). */
  readonly memoryBudget: number;
  /** Columns done, and rows read in the current pass over the data (of `passes`). */
  readonly onColumn?: (done: number, rowsRead: number, pass: number, passes: number) => void;
  /** 1: sort on a worker thread, pipelined with the reading; 0: sort on this thread (default: 1 from `WORKER_MIN_VALUES` values per column). */
  readonly sortThreads?: 0 | 1;
}

/** A numeric column of one side, cast to DOUBLE unless it is FLOAT (read as 32-bit floats, exactly). */
function columnExpression(source: Source, name: string): string {
  return source.float32.has(name) ? quoteIdent(name) : `CAST(${quoteIdent(name)} AS DOUBLE)`;
}

/** Collects the non-missing (non-NULL, non-NaN) values of one column from DuckDB's vectors. */
class ValueCollector {
  readonly values: Float32Array | Float64Array;
  filled = 0;
  missing = 0;

  constructor(
    readonly float32: boolean,
    capacity: number,
    pool: SortPool,
  ) {
    this.values = pool.allocate(capacity, float32);
  }

  add(chunk: DuckDBDataChunk, column: number): void {
    const rows = chunk.rowCount;
    const vector = duckdb.data_chunk_get_vector(chunk.chunk, column);
    const bytes = duckdb.vector_get_data(vector, rows * (this.float32 ? 4 : 8));
    const data = this.float32 ? new Float32Array(bytes.buffer, bytes.byteOffset, rows) : new Float64Array(bytes.buffer, bytes.byteOffset, rows);
    const validity = duckdb.vector_get_validity(vector, Math.ceil(rows / 64) * 8);
    const out = this.values;
    let k = this.filled;
    for (let i = 0; i < rows; i++) {
      const v = data[i];
      if ((validity && !(validity[i >> 3] & (1 << (i & 7)))) || v !== v) {
        this.missing++;
        continue;
      }
      out[k++] = v;
    }
    this.filled = k;
  }
}

/** Reads the listed columns of one side in one scan. */
async function collect(
  db: ShiftDatabase,
  source: Source,
  names: readonly string[],
  rows: number,
  pool: SortPool,
  onRows: (n: number) => void,
): Promise<ValueCollector[]> {
  const collectors = names.map((n) => new ValueCollector(source.float32.has(n), rows, pool));
  const sql = `SELECT ${names.map((n) => columnExpression(source, n)).join(', ')} FROM ${source.relation}`;
  for await (const chunk of db.chunks(sql, source.origin)) {
    collectors.forEach((c, k) => {
      c.add(chunk, k);
    });
    onRows(chunk.rowCount);
  }
  return collectors;
}

/** Values (both sides together) from which the column sorts move to a worker thread. */
export const WORKER_MIN_VALUES = 1 << 21;

/**
 * KS, Wasserstein, PSI and moments of each numeric feature, on every row. Columns that fit the
 * memory budget are read in batches (one scan per batch and side), radix-sorted and compared
 * with the in-memory functions; a column too large for the budget is sorted by DuckDB (which
 * spills to disk) and streamed through `SortedMerge`, with the PSI bins counted by a second query.
 * Both give the in-memory path's numbers bit for bit.
 *
 * On large scans the sorts run on a worker thread (`SortPool`) in a pipeline: while the worker
 * sorts batch i, this thread reads batch i + 1 from DuckDB and then compares batch i − 1, so two
 * batches are in memory at once (`BYTES_PER_VALUE`). Fewer, wider batches matter: every scan
 * streams its rows in chunks of 2,048, and each chunk is one hand-off between threads.
 */
export async function numericFeatures(
  db: ShiftDatabase,
  train: Source,
  valid: Source,
  names: readonly string[],
  rows: { train: number; valid: number },
  options: NumericScanOptions,
): Promise<Map<string, NumericFeatureTests>> {
  const out = new Map<string, NumericFeatureTests>();
  const perColumn = (rows.train + rows.valid) * BYTES_PER_VALUE;
  let rowsRead = 0;
  let pass = 1;
  const inDatabase = perColumn > options.memoryBudget;
  const threads = (options.sortThreads ?? (rows.train + rows.valid >= WORKER_MIN_VALUES ? 1 : 0)) > 0 ? 1 : 0;
  const scratch = threads > 0 ? 8 * Math.max(rows.train, rows.valid) : 0;
  const batchSize = Math.max(1, Math.floor((options.memoryBudget - scratch) / perColumn));
  const passes = inDatabase ? names.length : Math.ceil(names.length / batchSize);
  const report = () => options.onColumn?.(out.size, rowsRead, pass, passes);
  if (inDatabase) {
    for (const name of names) {
      out.set(name, await mergeInDatabase(db, train, valid, name, rows));
      rowsRead = rows.train + rows.valid;
      report();
      pass++;
    }
    return out;
  }
  const pool = new SortPool(threads);
  type Sorted = { names: readonly string[]; columns: [Float64Array, Float64Array, { train: number; valid: number }][] };
  const compareBatch = (batch: Sorted) => {
    batch.names.forEach((name, k) => {
      const [a, b, missing] = batch.columns[k];
      out.set(name, numericFeatureTests(name, compareSorted(name, a, b, missing)));
      pool.release(a);
      pool.release(b);
      report();
    });
  };
  const sortBatch = async (batch: readonly string[], a: ValueCollector[], b: ValueCollector[]): Promise<Sorted> => ({
    names: batch,
    columns: await Promise.all(
      batch.map(async (_, k) => {
        const missing = { train: a[k].missing, valid: b[k].missing };
        return [await pool.sort(a[k].values, a[k].filled), await pool.sort(b[k].values, b[k].filled), missing] as Sorted['columns'][number];
      }),
    ),
  });
  let sorting: Promise<Sorted> | undefined;
  try {
    for (let start = 0; start < names.length; start += batchSize, pass++) {
      rowsRead = 0;
      const batch = names.slice(start, start + batchSize);
      const onRows = (n: number) => {
        rowsRead += n;
        report();
      };
      const a = await collect(db, train, batch, rows.train, pool, onRows);
      const b = await collect(db, valid, batch, rows.valid, pool, onRows);
      const previous = sorting;
      sorting = sortBatch(batch, a, b);
      // Observed now, awaited later: a failure surfaces at the await below, never as an unhandled rejection.
      sorting.catch(() => undefined);
      if (previous) compareBatch(await previous);
    }
    pass = passes;
    if (sorting) compareBatch(await sorting);
  } finally {
    // A failed batch (a constant column, a DuckDB error) must not leave a sort unobserved.
    await sorting?.catch(() => undefined);
    await pool.close();
  }
  return out;
}

/** One column compared through DuckDB's sort of both sides, streamed (constant memory here). */
async function mergeInDatabase(
  db: ShiftDatabase,
  train: Source,
  valid: Source,
  name: string,
  rows: { train: number; valid: number },
): Promise<NumericFeatureTests> {
  const x = `CAST(${quoteIdent(name)} AS DOUBLE)`;
  const present = (s: Source) => `SELECT ${x} AS x FROM ${s.relation} WHERE ${x} IS NOT NULL AND NOT isnan(${x})`;
  const [counts] = await db.rows(`SELECT (SELECT count(*) FROM (${present(train)})) AS a, (SELECT count(*) FROM (${present(valid)})) AS b`, train.origin);
  const n1 = toNumber(counts.a);
  const n2 = toNumber(counts.b);
  const missing = { train: rows.train - n1, valid: rows.valid - n2 };
  // Fewer than 2 values on a side: the shared check names the problem.
  if (n1 < 2 || n2 < 2) checkNumericColumn(name, { train: n1, valid: n2 }, { train: [0, 1], valid: [0, 1] });
  const merge = new SortedMerge(n1, n2, psiRanks(n1));
  const sql = `SELECT x, s FROM (SELECT x, 0::UTINYINT AS s FROM (${present(train)}) UNION ALL SELECT x, 1::UTINYINT FROM (${present(valid)})) ORDER BY x`;
  for await (const chunk of db.chunks(sql, train.origin)) {
    const count = chunk.rowCount;
    const xs = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, 0), count * 8);
    const values = new Float64Array(xs.buffer, xs.byteOffset, count);
    const sides = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, 1), count);
    for (let i = 0; i < count; i++) merge.push(values[i], sides[i] === 0 ? 1 : 0, sides[i] === 1 ? 1 : 0);
  }
  const result = merge.finish();
  const edges = psiEdges(n1, (rank) => result.orderStatistics.get(rank) as number);
  const atMost = async (s: Source): Promise<number[]> => {
    if (edges.length === 0) return [];
    const list = edges.map((e, k) => `count(*) FILTER (WHERE x <= CAST('${e}' AS DOUBLE)) AS e${k}`).join(', ');
    const [row] = await db.rows(`SELECT ${list} FROM (${present(s)})`, s.origin);
    return edges.map((_, k) => toNumber(row[`e${k}`]));
  };
  const psi = psiFromCounts(edges, await atMost(train), n1, await atMost(valid), n2).psi;
  const [range] = await db.rows(
    `SELECT min(x) FILTER (WHERE isfinite(x)) AS lo, max(x) FILTER (WHERE isfinite(x)) AS hi FROM (${present(train)} UNION ALL ${present(valid)})`,
    train.origin,
  );
  const binEdges = histogramEdges(range.lo === null ? undefined : [toNumber(range.lo), toNumber(range.hi)]);
  const bins = async (s: Source): Promise<number[]> => {
    const counts = new Array<number>(binEdges.length - 1).fill(0);
    for (const row of await db.rows(`SELECT ${histogramBinSql('x', binEdges)} AS b, count(*) AS n FROM (${present(s)}) GROUP BY b`, s.origin))
      counts[toNumber(row.b)] = toNumber(row.n);
    return counts;
  };
  const histogram = { edges: binEdges, train: await bins(train), valid: await bins(valid) };
  return numericFeatureTests(name, compareMerged(result, psi, missing, histogram));
}

/** A DOUBLE literal that parses back to exactly `v`. */
function doubleLiteral(v: number): string {
  return `CAST('${String(v)}' AS DOUBLE)`;
}

/**
 * The histogram bin of DOUBLE expression `x` in SQL, by the rule of `binOf` (the number of inner
 * edges ≤ x): the standard SQL a warehouse runs as one GROUP BY per column.
 */
export function histogramBinSql(x: string, edges: readonly number[]): string {
  const inner = edges.slice(1, -1);
  return inner.length === 0 ? '0' : inner.map((e) => `CAST(${x} >= ${doubleLiteral(e)} AS INTEGER)`).join(' + ');
}
