import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import { type CsvColumnRequest, CsvParser, type CsvParserOptions, type CsvTable, CsvTableReader, checkUniqueHeader, formatCsvRecord } from '../data/csv.js';
import { TextChunkDecoder, type TextEncoding } from '../data/textDecoding.js';
import { fail } from '../errors.js';
import { fsyncFile, temporaryPathFor } from './atomicWrite.js';

/**
 * Streaming CSV files for Node: the file is read in 1 MiB chunks through the platform-free parser of
 * `src/data/csv.ts`, so memory holds only the selected columns, never the whole file.
 *
 *   const table = await readCsvColumns('data.csv', [{ name: 'label', missing: 'error' }, { name: 'time', type: 'number' }]);
 *   table.rowCount; table.header; table.columns.get('time')  // { kind: 'number', values: Float64Array, missing }
 *
 * Missing values (pandas' default NA tokens, see `MISSING_TOKENS`) are NaN / null by default, or an
 * error with `missing: 'error'`. A missing file, an empty file, a missing column, a non-numeric value
 * in a `number` column and malformed quoting are `LosslabError`s naming the file, row and column.
 */

const CHUNK = 1 << 20;

function openError(path: string, error: unknown, argument: string): never {
  const code = error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : String(error);
  const rule = code === 'ENOENT' ? 'the file does not exist' : `the file cannot be read or written (${code})`;
  return fail({ fn: 'read CSV', argument, value: JSON.stringify(path), rule });
}

async function* chunks(path: string, argument: string, chunkSize = CHUNK, encoding: TextEncoding = 'utf8', signal?: AbortSignal): AsyncGenerator<string> {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    openError(path, error, argument);
  }
  if (isDirectory) fail({ fn: 'read CSV', argument, value: JSON.stringify(path), rule: 'it is a folder, not a CSV file' });
  const stream = createReadStream(path, { highWaterMark: chunkSize });
  const decoder = new TextChunkDecoder(encoding, argument);
  let chunk: Buffer | undefined;
  const iterator = stream[Symbol.asyncIterator]();
  try {
    for (;;) {
      try {
        const next = await iterator.next();
        if (next.done) break;
        chunk = next.value as Buffer;
      } catch (error) {
        openError(path, error, argument);
      }
      signal?.throwIfAborted();
      yield decoder.push(chunk);
    }
    yield decoder.end();
  } finally {
    stream.destroy();
  }
}

export interface CsvFileOptions extends Omit<CsvParserOptions, 'source'> {
  /** How the file is named in messages (default: the path). */
  readonly source?: string;
  /** Bytes read at a time (default 1 MiB). */
  readonly chunkSize?: number;
  /**
   * The file's encoding: `utf8` (default; bytes that are not UTF-8 are an error naming the line
   * and column) or `latin1` (ISO-8859-1). Files written by `appendCsvColumns` are UTF-8.
   */
  readonly encoding?: TextEncoding;
  /** Stops reading (and writing) when aborted: the signal's reason is thrown, a half-written output removed. */
  readonly signal?: AbortSignal;
}

/** Reads the selected columns of a CSV file, streaming. */
export async function readCsvColumns(path: string, columns: readonly CsvColumnRequest[], options: CsvFileOptions = {}): Promise<CsvTable> {
  const source = options.source ?? path;
  const reader = new CsvTableReader(columns, { ...options, source });
  for await (const chunk of chunks(path, source, options.chunkSize, options.encoding, options.signal)) reader.push(chunk);
  return reader.finish();
}

/** The header row of a CSV file (reads only as far as the first record). */
export async function readCsvHeader(path: string, options: CsvFileOptions = {}): Promise<string[]> {
  const source = options.source ?? path;
  const parser = new CsvParser({ ...options, source });
  const header = (fields: readonly string[]): string[] => {
    const names = fields.map((f) => f.trim());
    checkUniqueHeader(names, source);
    return names;
  };
  for await (const chunk of chunks(path, source, options.chunkSize, options.encoding)) {
    const records = parser.push(chunk);
    if (records.length > 0) return header(records[0].fields);
  }
  const last = parser.end();
  if (last.length > 0) return header(last[0].fields);
  return fail({ fn: 'read CSV', argument: source, rule: 'it is empty: a CSV needs a header row' });
}

/** Number of data rows (records after the header; blank lines not counted), streaming. */
export async function countCsvRows(path: string, options: CsvFileOptions = {}): Promise<number> {
  const table = await readCsvColumns(path, [], options);
  return table.rowCount;
}

/** An extra column appended to every row by `appendCsvColumns`. */
export interface AppendedColumn {
  readonly name: string;
  /** The value for data row `row` (0-based, file order). */
  value(row: number): string;
}

/**
 * Writes `outPath` = the rows of `inPath` plus extra columns, streaming both files. The output goes
 * to a temporary file in the same folder, is flushed and renamed over the target, so it is atomic
 * like `writeFileAtomic`. Fields are re-quoted only where needed.
 */
export async function appendCsvColumns(
  inPath: string,
  outPath: string,
  extra: readonly AppendedColumn[],
  options: CsvFileOptions & { argument?: string } = {},
): Promise<number> {
  const source = options.source ?? inPath;
  const argument = options.argument ?? '--out';
  const dir = dirname(outPath);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    openError(outPath, error, argument);
  }
  const tmp = temporaryPathFor(outPath);
  const out = createWriteStream(tmp, { encoding: 'utf8' });
  const writeError = new Promise<never>((_, reject) => out.once('error', reject));
  writeError.catch(() => undefined);
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    pendingLength = 0;
    if (!out.write(text)) await Promise.race([new Promise<void>((r) => out.once('drain', () => r())), writeError]);
  };
  let header = true;
  let rows = 0;
  try {
    const parser = new CsvParser({ ...options, source });
    const emit = (record: { fields: string[] }): void => {
      const { fields } = record;
      let line: string;
      if (header) line = formatCsvRecord([...fields, ...extra.map((c) => c.name)], options.delimiter);
      else {
        const row = rows++;
        line = formatCsvRecord([...fields, ...extra.map((c) => c.value(row))], options.delimiter);
      }
      header = false;
      pending.push(line);
      pendingLength += line.length;
    };
    for await (const chunk of chunks(inPath, source, options.chunkSize, options.encoding, options.signal)) {
      parser.push(chunk, emit);
      if (pendingLength > CHUNK) await flush();
    }
    for (const record of parser.end()) emit(record);
    await flush();
    out.end();
    await Promise.race([finished(out), writeError]);
    fsyncFile(tmp);
    renameSync(tmp, outPath);
  } catch (error) {
    out.destroy();
    rmSync(tmp, { force: true });
    // a file-system error (a string code such as ENOSPC), not an abort (a DOMException, numeric code)
    if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string') openError(outPath, error, argument);
    throw error;
  }
  return rows;
}
