import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { MISSING_TOKENS } from '../../data/csv.js';
import { fail, formatValue } from '../../errors.js';
import { type Origin, quoteString, type ShiftDatabase } from './database.js';

const FN = 'losslab shift';

/** Where one side's rows come from: a Parquet or CSV file (or a glob of them), or a SQL query. */
export type SourceSpec =
  | { readonly kind: 'file'; readonly argument: string; readonly path: string }
  | { readonly kind: 'sql'; readonly argument: string; readonly sql: string };

/** A column as DuckDB types it, and how the shift report reads it. */
export interface SourceColumn {
  readonly name: string;
  readonly type: string;
  readonly kind: 'numeric' | 'categorical';
}

/** One side opened in DuckDB: a relation to select from, its columns, and names for messages. */
export interface Source {
  readonly origin: Origin;
  /** SQL usable after FROM. */
  readonly relation: string;
  /** Short name for the report's first line (file name or 'query'). */
  readonly name: string;
  readonly columns: readonly SourceColumn[];
  /** Column types that are 32-bit floats (read without widening). */
  readonly float32: ReadonlySet<string>;
}

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;
const GLOB = /[*?[]/;

/** True for a path DuckDB reads as Parquet (by its extension). */
export function isParquetPath(path: string): boolean {
  return /\.(parquet|pq)$/i.test(path);
}

function fileRelation(spec: { argument: string; path: string }, categorical: readonly string[]): string {
  const path = quoteString(spec.path);
  if (isParquetPath(spec.path)) return `read_parquet(${path})`;
  if (/\.(csv|tsv|txt)(\.gz|\.zst)?$/i.test(spec.path)) {
    const nulls = [...MISSING_TOKENS].map(quoteString).join(', ');
    const types = categorical.length > 0 ? `, types = {${categorical.map((c) => `${quoteString(c)}: 'VARCHAR'`).join(', ')}}` : '';
    return `read_csv(${path}, header = true, nullstr = [${nulls}]${types})`;
  }
  return fail({
    fn: FN,
    argument: spec.argument,
    value: formatValue(spec.path),
    rule: 'DuckDB reads .parquet/.pq and .csv/.tsv files (or globs of them)',
    fix: 'Rename the file, or query it with --db :memory: --train-sql "SELECT * FROM read_…(…)".',
  });
}

/**
 * Opens one side: checks that the file (or at least one file of a glob) exists, builds the
 * relation (`read_parquet`, `read_csv` with pandas' missing-value tokens, or the query in
 * parentheses) and asks DuckDB for its columns. `categorical` columns are read as text.
 */
export async function openSource(db: ShiftDatabase, spec: SourceSpec, categorical: readonly string[] = []): Promise<Source> {
  let relation: string;
  let origin: Origin;
  let name: string;
  if (spec.kind === 'file') {
    origin = { argument: spec.argument, value: formatValue(spec.path) };
    name = basename(spec.path);
    if (!GLOB.test(spec.path)) {
      if (!existsSync(spec.path)) fail({ fn: FN, argument: spec.argument, value: formatValue(spec.path), rule: 'no such file' });
    } else {
      const [row] = await db.rows(`SELECT count(*) AS n FROM glob(${quoteString(spec.path)})`, origin);
      if (Number(row.n) === 0) fail({ fn: FN, argument: spec.argument, value: formatValue(spec.path), rule: 'no file matches the pattern' });
    }
    relation = fileRelation(spec, categorical);
  } else {
    const shown = spec.sql.length > 80 ? `${spec.sql.slice(0, 77)}…` : spec.sql;
    origin = { argument: spec.argument, value: JSON.stringify(shown) };
    name = spec.argument === '--train-sql' ? 'training query' : 'validation query';
    relation = `(${spec.sql})`;
  }
  const described = await db.rows(`DESCRIBE SELECT * FROM ${relation}`, origin);
  const columns = described.map((r): SourceColumn => {
    const columnName = String(r.column_name);
    const type = String(r.column_type);
    return { name: columnName, type, kind: NUMERIC_TYPE.test(type) && !categorical.includes(columnName) ? 'numeric' : 'categorical' };
  });
  return { origin, relation, name, columns, float32: new Set(columns.filter((c) => c.type === 'FLOAT').map((c) => c.name)) };
}
