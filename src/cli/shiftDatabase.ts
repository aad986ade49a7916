import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { reviveJsonNumbers, stringifyJson } from '../data/jsonNumbers.js';
import { fail, formatValue } from '../errors.js';
import { writeFileAtomic } from '../node/atomicWrite.js';
import { ShiftDatabase } from '../node/duckdb/database.js';
import { type DatabaseEvidence, type ScanProgress, scanShift } from '../node/duckdb/scanShift.js';
import { isParquetPath, openSource, type SourceSpec } from '../node/duckdb/sources.js';
import { summarizeSource } from '../node/duckdb/summarize.js';
import { mergeSummaries, type SetSummary, SUMMARY_SCHEMA } from '../shift/summaries.js';
import type { OptionSpecs, OptionValues } from './args.js';
import type { CommandIO } from './command.js';

const FN = 'losslab shift';

/** The `losslab shift` options of the DuckDB path (sources, sample, memory). */
export const databaseOptions = {
  engine: {
    type: 'string',
    description: 'memory (read the files here) or duckdb (scan them in DuckDB, out of core); default duckdb for Parquet, globs and SQL, memory for CSV',
    choices: ['memory', 'duckdb'],
  },
  db: { type: 'string', description: 'DuckDB database file (or :memory:) that --train-sql and --valid-sql query' },
  'train-sql': { type: 'string', description: 'SQL query giving the training rows (with --db)' },
  'valid-sql': { type: 'string', description: 'SQL query giving the validation rows (with --db)' },
  'sample-rows': { type: 'integer', description: 'rows per set in the seeded sample the multivariate tests read (DuckDB path)', default: 5000, min: 10 },
  'from-summaries': { type: 'boolean', description: 'TRAIN and VALID are summary JSON files (p1.json,p2.json,… merges parts); see docs/shift-report.md' },
  'write-summaries': { type: 'string', description: 'DuckDB path: also write DIR/train.summary.json and DIR/valid.summary.json (mergeable)' },
  'memory-budget': {
    type: 'integer',
    description: 'MiB for numeric columns sorted in this process (DuckDB path); larger columns are sorted by DuckDB',
    default: 1024,
    min: 1,
  },
} as const satisfies OptionSpecs;

/** The values of the DuckDB path's options (a command's `optionValues` that include `databaseOptions`). */
export type DatabaseOptionValues = OptionValues<typeof databaseOptions>;

/** The positional arguments and the database options of `losslab shift`. */
export interface DatabaseArgs {
  readonly positionals: readonly string[];
  readonly values: DatabaseOptionValues;
}

/** True when these arguments ask for the DuckDB path. */
export function wantsDatabase(args: DatabaseArgs): boolean {
  const { engine, db } = args.values;
  if (engine !== undefined) return engine === 'duckdb';
  return (
    [db, args.values['train-sql'], args.values['valid-sql']].some((o) => o !== undefined) || args.positionals.some((p) => isParquetPath(p) || /[*?[]/.test(p))
  );
}

function sources(args: DatabaseArgs, io: CommandIO): [SourceSpec, SourceSpec] {
  const trainSql = args.values['train-sql'];
  const validSql = args.values['valid-sql'];
  if (trainSql !== undefined || validSql !== undefined) {
    if (trainSql === undefined || validSql === undefined)
      fail({
        fn: FN,
        argument: trainSql === undefined ? '--train-sql' : '--valid-sql',
        value: 'missing',
        rule: 'the training and validation queries come together',
      });
    if (args.positionals.length > 0)
      fail({
        fn: FN,
        argument: 'TRAIN',
        value: formatValue(args.positionals[0]),
        rule: 'with --train-sql and --valid-sql the rows come from the queries, so no files are given',
      });
    return [
      { kind: 'sql', argument: '--train-sql', sql: trainSql },
      { kind: 'sql', argument: '--valid-sql', sql: validSql },
    ];
  }
  if (args.positionals.length !== 2)
    fail({
      fn: FN,
      argument: 'TRAIN VALID',
      value: args.positionals.length === 0 ? 'missing' : `${args.positionals.length} file${args.positionals.length === 1 ? '' : 's'}`,
      rule: 'it needs exactly two sources (training, then validation): files, globs, or --db with --train-sql and --valid-sql',
    });
  return [
    { kind: 'file', argument: 'TRAIN', path: resolve(io.cwd, args.positionals[0]) },
    { kind: 'file', argument: 'VALID', path: resolve(io.cwd, args.positionals[1]) },
  ];
}

/** Progress on stderr after the first 2 s: redrawn in place on a terminal, a line per phase and per 10 % of the columns otherwise. */
export function progressReporter(io: CommandIO, quietMs = 2000): { update: (p: ScanProgress) => void; clear: () => void } {
  const start = performance.now();
  let lastDraw = 0;
  let lastStep = '';
  let drawn = false;
  return {
    update(p) {
      // Short scans print nothing.
      if (performance.now() - start < quietMs) return;
      const rows =
        p.pass !== undefined ? `; pass ${p.pass}/${p.passes} over the data: ${(p.rowsRead / 1e6).toFixed(2)} of ${(p.rows / 1e6).toFixed(2)} M rows read` : '';
      const text = `${p.phase}: ${p.columnsDone}/${p.columns} columns done${rows}`;
      if (io.isTTY) {
        const now = performance.now();
        if (now - lastDraw < 200) return;
        lastDraw = now;
        io.stderr(`\r${text}\x1b[K`);
        drawn = true;
        return;
      }
      const step = `${p.phase}${Math.floor((10 * p.columnsDone) / Math.max(1, p.columns))}:${p.pass ?? ''}`;
      if (step !== lastStep) io.stderr(`${text}\n`);
      lastStep = step;
    },
    clear() {
      if (drawn) io.stderr('\r\x1b[K');
      drawn = false;
    },
  };
}

/** Scans the two sources in DuckDB (embedded) with the report's options. */
export async function scanWithDatabase(
  args: DatabaseArgs,
  io: CommandIO,
  options: {
    roles: { label?: string; group?: string; time?: string; pred?: string };
    features?: string[];
    categorical?: string[];
    seed: number;
    missing: 'keep' | 'error';
  },
): Promise<DatabaseEvidence> {
  const [train, valid] = sources(args, io);
  const dbPath = args.values.db;
  if (dbPath !== undefined && train.kind === 'file')
    fail({
      fn: FN,
      argument: '--db',
      value: formatValue(dbPath),
      rule: 'it is queried by --train-sql and --valid-sql',
      fix: 'Add both queries, or leave out --db.',
    });
  const db = await ShiftDatabase.open({ path: dbPath === undefined || dbPath === ':memory:' ? ':memory:' : resolve(io.cwd, dbPath) });
  const onAbort = () => db.interrupt();
  io.signal?.addEventListener('abort', onAbort);
  const progress = progressReporter(io);
  try {
    const scanned = await scanShift(db, train, valid, {
      ...options.roles,
      features: options.features,
      categorical: options.categorical,
      seed: options.seed,
      missing: options.missing,
      sampleRows: args.values['sample-rows'],
      memoryBudget: args.values['memory-budget'] * 2 ** 20,
      onProgress: progress.update,
    });
    const out = args.values['write-summaries'];
    if (out !== undefined) {
      const summarize = {
        features: scanned.evidence.featureTests.map((f) => f.name),
        roles: options.roles,
        seed: options.seed,
        sampleRows: args.values['sample-rows'],
      };
      for (const [spec, side] of [
        [train, 'train'],
        [valid, 'valid'],
      ] as const) {
        const summary = await summarizeSource(db, await openSource(db, spec, categoricalRoles(options)), summarize);
        const path = resolve(io.cwd, out, `${side}.summary.json`);
        writeFileAtomic(path, `${summaryJson(summary)}\n`, '--write-summaries');
        io.stderr(`wrote ${path}\n`);
      }
    }
    return scanned;
  } finally {
    progress.clear();
    io.signal?.removeEventListener('abort', onAbort);
    db.close();
  }
}

/** Role and --categorical columns are read as text (as `scanShift` reads them). */
function categoricalRoles(options: { roles: { label?: string; group?: string; pred?: string }; categorical?: string[] }): string[] {
  return [...(options.categorical ?? []), ...[options.roles.label, options.roles.group, options.roles.pred].filter((v): v is string => v !== undefined)];
}

/** A summary as JSON, non-finite numbers as "Infinity" / "-Infinity" / "NaN". */
export function summaryJson(summary: SetSummary): string {
  return stringifyJson(summary);
}

function readSummary(path: string, argument: string): SetSummary {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'), reviveJsonNumbers);
  } catch (error) {
    const code = (error as { code?: string }).code;
    return fail({
      fn: FN,
      argument,
      value: formatValue(path),
      rule: code === 'ENOENT' ? 'no such file' : `it is not readable JSON (${error instanceof Error ? error.message : String(error)})`,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { schema?: unknown }).schema !== SUMMARY_SCHEMA)
    fail({ fn: FN, argument, value: formatValue(path), rule: `a summary must be a JSON object with "schema": "${SUMMARY_SCHEMA}"` });
  return parsed as SetSummary;
}

/** `--from-summaries TRAIN VALID`: each a summary file, or a comma-separated list of partition summaries merged in order. */
export function readSummaries(
  args: { readonly positionals: readonly string[] },
  io: CommandIO,
): { train: SetSummary; valid: SetSummary; names: { train: string; valid: string } } {
  if (args.positionals.length !== 2)
    fail({
      fn: FN,
      argument: 'TRAIN VALID',
      value: `${args.positionals.length} argument${args.positionals.length === 1 ? '' : 's'}`,
      rule: 'with --from-summaries it needs the training and the validation summary (each a file, or parts separated by commas)',
    });
  const [train, valid] = args.positionals.map((list, k) =>
    list
      .split(',')
      .map((p) => readSummary(resolve(io.cwd, p.trim()), k === 0 ? 'TRAIN' : 'VALID'))
      .reduce((a, b) => mergeSummaries(a, b)),
  );
  return { train, valid, names: { train: args.positionals[0], valid: args.positionals[1] } };
}
