import { fail, formatValue } from '../../errors.js';
import { checkShiftColumns, type ShiftEvidence } from '../../shift/analyze.js';
import { type ColumnEncoding, MAX_LEVELS } from '../../shift/design.js';
import { categoricalFeatureTests, type FeatureTests } from '../../shift/featureTests.js';
import type { ShiftReport } from '../../shift/report.js';
import type { Column, Table } from '../../shift/table.js';
import { quoteIdent, type ShiftDatabase, toNumber } from './database.js';
import {
  dropRowHashes,
  exactDuplicatesInDatabase,
  groupOverlapInDatabase,
  hashRowsInDatabase,
  nearDuplicatesInDatabase,
  rowHashTable,
  timeOverlapInDatabase,
  withinDuplicatesInDatabase,
} from './leakageQueries.js';
import { numericFeatures } from './numericColumns.js';
import { sampleRows } from './sampleRows.js';
import { openSource, type Source, type SourceSpec } from './sources.js';
import { labelsFromDatabase, subgroupsFromDatabase, tallyColumn } from './tallies.js';

const FN = 'losslab shift';

/** Where a long scan is: the phase, feature columns done, rows read in the current pass. */
export interface ScanProgress {
  readonly phase: 'columns' | 'leakage' | 'sample';
  readonly columnsDone: number;
  readonly columns: number;
  /** Rows read in the current pass over the data (both sides), of `rows`. */
  readonly rowsRead: number;
  readonly rows: number;
  /** The current pass and the passes the columns need (one per batch of columns that fits the memory budget). */
  readonly pass?: number;
  readonly passes?: number;
}

export interface DatabaseShiftOptions {
  readonly features?: readonly string[];
  /** Columns read as text even when DuckDB types them as numbers. */
  readonly categorical?: readonly string[];
  readonly label?: string;
  readonly group?: string;
  readonly time?: string;
  readonly pred?: string;
  readonly seed?: number;
  readonly missing?: 'keep' | 'error';
  /** Rows per set in the seeded sample of the multivariate tests (default 5000, the domain classifier's). */
  readonly sampleRows?: number;
  /** Bytes for numeric columns held and sorted in this process (default 1 GiB); larger columns are sorted by DuckDB. */
  readonly memoryBudget?: number;
  readonly onProgress?: (p: ScanProgress) => void;
}

/** Every report statistic except the multivariate tests, computed by DuckDB over every row; the multivariate tests read a seeded sample. */
export interface DatabaseEvidence {
  readonly evidence: ShiftEvidence;
  readonly names: { train: string; valid: string };
}

/** A table with the sources' columns and no values: the column rules of the in-memory path apply unchanged. */
function shell(source: Source, rows: number): Table {
  return {
    nRows: rows,
    columns: source.columns.map(
      (c): Column =>
        c.kind === 'numeric' ? { name: c.name, kind: 'numeric', values: new Float64Array(0) } : { name: c.name, kind: 'categorical', values: [] },
    ),
  };
}

/** The feature columns, with the messages of the CSV path: roles must exist, both sides need the same features. */
function chooseFeatures(train: Source, valid: Source, options: DatabaseShiftOptions): string[] {
  const trainNames = train.columns.map((c) => c.name);
  const validNames = valid.columns.map((c) => c.name);
  const roles = { label: options.label, group: options.group, time: options.time, pred: options.pred };
  const roleNames = Object.values(roles).filter((v): v is string => v !== undefined);
  const described = train.origin.argument === '--train-sql' ? 'the training query' : 'the training file';
  const listing = `Its columns are ${trainNames.map((h) => JSON.stringify(h)).join(', ')}.`;
  for (const [option, name] of Object.entries(roles)) {
    if (name !== undefined && !trainNames.includes(name))
      fail({ fn: FN, argument: `--${option}`, value: formatValue(name), rule: `${described} has no such column`, fix: listing });
  }
  const chosen = options.features ? [...options.features] : trainNames.filter((h) => !roleNames.includes(h));
  for (const name of chosen)
    if (!trainNames.includes(name)) fail({ fn: FN, argument: '--features', value: formatValue(name), rule: `${described} has no such column`, fix: listing });
  const onlyTrain = chosen.filter((h) => !validNames.includes(h));
  const onlyValid = validNames.filter(
    (h) => !trainNames.includes(h) && !roleNames.includes(h) && (options.features === undefined || options.features.includes(h)),
  );
  if (onlyTrain.length > 0 || onlyValid.length > 0) {
    const parts = [
      onlyTrain.length ? `only in ${train.name}: ${onlyTrain.map((h) => JSON.stringify(h)).join(', ')}` : '',
      onlyValid.length ? `only in ${valid.name}: ${onlyValid.map((h) => JSON.stringify(h)).join(', ')}` : '',
    ].filter(Boolean);
    fail({
      fn: FN,
      argument: valid.origin.argument,
      value: `columns ${parts.join('; ')}`,
      rule: 'both sides must have the same feature columns',
      fix: 'Rename the columns, or compare a common subset with --features a,b,c.',
    });
  }
  for (const c of options.categorical ?? [])
    if (!chosen.includes(c)) fail({ fn: FN, argument: '--categorical', value: formatValue(c), rule: 'it must name one of the feature columns' });
  return chosen;
}

async function countRows(db: ShiftDatabase, source: Source): Promise<number> {
  const [row] = await db.rows(`SELECT count(*) AS n FROM ${source.relation}`, source.origin);
  return toNumber(row.n);
}

/** With --missing error: the first missing value of a feature is an error naming its row and column. */
async function rejectMissing(db: ShiftDatabase, source: Source, names: readonly string[], file: string): Promise<void> {
  for (const name of names) {
    const column = source.columns.find((c) => c.name === name);
    const x = quoteIdent(name);
    const isMissing = column?.kind === 'numeric' ? `${x} IS NULL OR isnan(CAST(${x} AS DOUBLE))` : `${x} IS NULL OR CAST(${x} AS VARCHAR) = ''`;
    const rows = await db.rows(
      `SELECT r FROM (SELECT ${x}, row_number() OVER () AS r FROM ${source.relation}) WHERE ${isMissing} ORDER BY r LIMIT 1`,
      source.origin,
    );
    if (rows.length > 0)
      fail({
        fn: FN,
        argument: `column ${JSON.stringify(name)}`,
        value: `missing in data row ${toNumber(rows[0].r)} of ${file}`,
        rule: 'it must not have missing values (--missing error)',
        fix: 'Fill or drop the rows with missing values first.',
      });
  }
}

/**
 * Scans the training and validation sides in DuckDB and returns the report's evidence:
 * per-feature tests on every row (numeric columns exactly as in memory, categorical columns from
 * GROUP BY tallies), label and subgroup counts, leakage by hashing in SQL, and a seeded bottom-k
 * sample for the multivariate tests. Memory here is bounded by `memoryBudget` and the sample;
 * DuckDB spills its own sorts and hash tables to disk.
 */
export async function scanShift(
  db: ShiftDatabase,
  trainSpec: SourceSpec,
  validSpec: SourceSpec,
  options: DatabaseShiftOptions = {},
): Promise<DatabaseEvidence> {
  const asText = [...(options.categorical ?? []), ...[options.label, options.group, options.pred].filter((v): v is string => v !== undefined)];
  const train = await openSource(db, trainSpec, asText);
  const valid = await openSource(db, validSpec, asText);
  const names = chooseFeatures(train, valid, options);
  const rows = { train: await countRows(db, train), valid: await countRows(db, valid) };
  const shiftOptions = { ...options, features: names };
  checkShiftColumns(shell(train, rows.train), shell(valid, rows.valid), shiftOptions);
  if (options.missing === 'error') {
    await rejectMissing(db, train, names, train.name);
    await rejectMissing(db, valid, names, valid.name);
  }
  const kindOf = (name: string) => train.columns.find((c) => c.name === name)?.kind;
  const numeric = names.filter((n) => kindOf(n) === 'numeric');
  const total = rows.train + rows.valid;
  const progress = (phase: ScanProgress['phase'], columnsDone: number, rowsRead: number, pass?: number, passes?: number) =>
    options.onProgress?.({ phase, columnsDone, columns: names.length, rowsRead, rows: total, ...(pass !== undefined ? { pass, passes } : {}) });

  const numericTests = await numericFeatures(db, train, valid, numeric, rows, {
    memoryBudget: options.memoryBudget ?? 2 ** 30,
    onColumn: (done, rowsRead, pass, passes) => progress('columns', done, rowsRead, pass, passes),
  });
  const featureTests: FeatureTests[] = [];
  const encoding: ColumnEncoding[] = [];
  let done = numeric.length;
  for (const name of names) {
    const tests = numericTests.get(name);
    if (tests && tests.kind === 'numeric') {
      featureTests.push(tests);
      const sd = tests.sd.train;
      encoding.push({ name, kind: 'numeric', mean: tests.mean.train, sd: tests.n.train > 1 && sd > 0 ? sd : 1 });
      continue;
    }
    const a = await tallyColumn(db, train, name);
    const b = await tallyColumn(db, valid, name);
    const counts = new Map<string, [number, number]>();
    for (const [v, n] of a.counts) counts.set(v, [n, 0]);
    for (const [v, n] of b.counts) counts.set(v, [counts.get(v)?.[0] ?? 0, n]);
    featureTests.push(categoricalFeatureTests(name, counts, { train: a.missing, valid: b.missing }));
    const levels = [...a.counts.entries()]
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .slice(0, MAX_LEVELS)
      .map(([l]) => l);
    encoding.push({ name, kind: 'categorical', levels });
    progress('columns', ++done, total);
  }

  progress('leakage', names.length, 0);
  const k = options.sampleRows ?? 5000;
  const seed = options.seed ?? 0;
  await hashRowsInDatabase(db, train, valid, encoding, 0.01, seed);
  const leakage: ShiftReport['leakage'] = {
    exactDuplicates: await exactDuplicatesInDatabase(db, train, rows.valid),
    duplicatesWithin: {
      train: await withinDuplicatesInDatabase(db, train, 'train', rows.train),
      valid: await withinDuplicatesInDatabase(db, valid, 'valid', rows.valid),
    },
    nearDuplicates: await nearDuplicatesInDatabase(db, train, rows.valid),
    ...(options.group !== undefined ? { groups: await groupOverlapInDatabase(db, train, valid, options.group) } : {}),
    ...(options.time !== undefined ? { time: await timeOverlapInDatabase(db, train, valid, options.time) } : {}),
  };
  progress('sample', names.length, 0);
  const sample = {
    train: await sampleRows(db, train, encoding, k, seed, rowHashTable('train')),
    valid: await sampleRows(db, valid, encoding, k, seed, rowHashTable('valid')),
  };
  await dropRowHashes(db, train);
  const labels = options.label !== undefined ? await labelsFromDatabase(db, train, valid, options.label, options.pred) : undefined;
  const subgroups =
    options.pred !== undefined && options.label !== undefined && options.group !== undefined
      ? await subgroupsFromDatabase(db, train, valid, { label: options.label, pred: options.pred, group: options.group })
      : undefined;
  return {
    evidence: {
      rows,
      featureTests,
      encoding,
      sample,
      ...(labels ? { labels } : {}),
      leakage,
      ...(subgroups ? { subgroups } : {}),
      source: { engine: 'duckdb', sampleRows: { train: sample.train.nRows, valid: sample.valid.nRows } },
    },
    names: { train: train.name, valid: valid.name },
  };
}
