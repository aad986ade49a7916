import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { type CsvColumn, type CsvColumnRequest, CsvParser, type CsvTable, MISSING_TOKENS, parseCsvNumber } from '../data/csv.js';
import { type FastColumnRequest, FastCsvColumns, NeedsGeneralCsvReader } from '../data/fastCsv.js';
import type { TextEncoding } from '../data/textDecoding.js';
import { fail, formatValue } from '../errors.js';
import type { Column, Table } from '../shift/table.js';
import { readCsvColumns, readCsvHeader } from './csvFile.js';

/** The CSV files of `losslab shift`, read into the shift analysis' tables. */
const FN = 'losslab shift';
/** Bytes read from the top of the training file to decide which columns are numeric. */
const SNIFF_BYTES = 1 << 18;

/** Columns whose sampled non-missing values all parse as numbers (pandas-like inference on the first rows). */
function sniffNumericColumns(path: string, header: readonly string[], encoding: TextEncoding): Set<string> {
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(SNIFF_BYTES);
  let length: number;
  try {
    length = readSync(fd, buffer, 0, SNIFF_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  const text = buffer.subarray(0, length).toString(encoding);
  const parser = new CsvParser({ source: path });
  const records = parser.push(text);
  if (length < SNIFF_BYTES) records.push(...parser.end());
  const numeric = new Set(header);
  const seen = new Set<string>();
  for (const record of records.slice(1)) {
    header.forEach((name, i) => {
      const t = (record.fields[i] ?? '').trim();
      if (MISSING_TOKENS.has(t)) return;
      seen.add(name);
      if (parseCsvNumber(t) === undefined) numeric.delete(name);
    });
  }
  for (const name of header) if (!seen.has(name)) numeric.delete(name);
  return numeric;
}

function toTable(csv: CsvTable, names: readonly string[]): Table {
  const columns: Column[] = names.map((name) => {
    const c = csv.columns.get(name);
    if (!c) throw new Error(`toTable: the CSV reader returned no column ${JSON.stringify(name)}`);
    return c.kind === 'number' ? { name, kind: 'numeric', values: c.values } : { name, kind: 'categorical', values: c.values.map((v) => v ?? '') };
  });
  return { nRows: csv.rowCount, columns };
}

export interface Roles {
  label?: string;
  group?: string;
  time?: string;
  pred?: string;
}

/**
 * Reads the training and validation CSV files of `losslab shift` into tables: the role columns
 * (label, group, time, pred) and the features (`features`, or every other column), numeric where
 * the first rows are numbers unless listed in `categorical`. Errors name the file, the column and
 * the option. Both files must have the same feature columns.
 */
export async function readTables(
  trainPath: string,
  validPath: string,
  roles: Roles,
  features: string[] | undefined,
  categorical: string[] | undefined,
  missing: 'keep' | 'error',
  encoding: TextEncoding = 'utf8',
  signal?: AbortSignal,
): Promise<{ train: Table; valid: Table; features: string[] }> {
  const trainHeader = await readCsvHeader(trainPath, { source: trainPath, encoding });
  const validHeader = await readCsvHeader(validPath, { source: validPath, encoding });
  const roleNames = Object.values(roles).filter((v): v is string => v !== undefined);
  for (const [option, name] of Object.entries(roles) as [string, string | undefined][]) {
    if (name === undefined) continue;
    if (!trainHeader.includes(name))
      fail({
        fn: FN,
        argument: `--${option}`,
        value: formatValue(name),
        rule: `the training file has no such column`,
        fix: `Its columns are ${trainHeader.map((h) => JSON.stringify(h)).join(', ')}.`,
      });
  }
  const chosen = features ?? trainHeader.filter((h) => !roleNames.includes(h));
  for (const name of chosen) {
    if (!trainHeader.includes(name))
      fail({
        fn: FN,
        argument: '--features',
        value: formatValue(name),
        rule: 'the training file has no such column',
        fix: `Its columns are ${trainHeader.map((h) => JSON.stringify(h)).join(', ')}.`,
      });
  }
  const onlyTrain = chosen.filter((h) => !validHeader.includes(h));
  const onlyValid = validHeader.filter((h) => !trainHeader.includes(h) && !roleNames.includes(h) && (features === undefined || features.includes(h)));
  if (onlyTrain.length > 0 || onlyValid.length > 0) {
    const parts = [
      onlyTrain.length ? `only in ${trainPath}: ${onlyTrain.map((h) => JSON.stringify(h)).join(', ')}` : '',
      onlyValid.length ? `only in ${validPath}: ${onlyValid.map((h) => JSON.stringify(h)).join(', ')}` : '',
    ].filter(Boolean);
    fail({
      fn: FN,
      argument: 'VALID',
      value: `columns ${parts.join('; ')}`,
      rule: 'both files must have the same feature columns',
      fix: 'Rename the columns, or compare a common subset with --features a,b,c.',
    });
  }
  for (const c of categorical ?? [])
    if (!chosen.includes(c)) fail({ fn: FN, argument: '--categorical', value: formatValue(c), rule: 'it must name one of the feature columns' });
  const numeric = sniffNumericColumns(trainPath, trainHeader, encoding);
  const request = (name: string, header: readonly string[]): CsvColumnRequest | undefined => {
    if (!header.includes(name)) return undefined;
    if (roleNames.includes(name))
      return { name, type: name === roles.time ? 'auto' : 'string', argument: `--${(Object.keys(roles) as (keyof Roles)[]).find((k) => roles[k] === name)}` };
    const isNumeric = numeric.has(name) && !(categorical ?? []).includes(name);
    return {
      name,
      type: isNumeric ? 'number' : 'string',
      missing,
      finite: isNumeric,
      argument: isNumeric ? 'numeric in the first rows; --categorical reads it as text' : undefined,
    };
  };
  const names = [...new Set([...chosen, ...roleNames])];
  const trainRequests = names.map((n) => request(n, trainHeader)).filter((r): r is CsvColumnRequest => r !== undefined);
  const validRequests = names.map((n) => request(n, validHeader)).filter((r): r is CsvColumnRequest => r !== undefined);
  const [trainCsv, validCsv] = [await readColumns(trainPath, trainRequests, encoding, signal), await readColumns(validPath, validRequests, encoding, signal)];
  // The time column is read 'auto' per file; make both sides the same kind.
  const train = toTable(
    trainCsv,
    trainRequests.map((r) => r.name),
  );
  const valid = toTable(
    validCsv,
    validRequests.map((r) => r.name),
  );
  return { train: alignKinds(train, valid, roles.time), valid: alignKinds(valid, train, roles.time), features: chosen };
}

/**
 * Reads the requested columns, streaming: first with the byte-level numeric fast path
 * (`FastCsvColumns`), and with the general RFC 4180 reader (`readCsvColumns`) when the file has
 * quoted fields. Both give the same values and messages.
 */
async function readColumns(path: string, requests: readonly CsvColumnRequest[], encoding: TextEncoding, signal?: AbortSignal): Promise<CsvTable> {
  const fast = new FastCsvColumns(
    requests.map(
      (r): FastColumnRequest => ({ name: r.name, type: r.type === 'number' ? 'number' : 'string', missing: r.missing, argument: r.argument, finite: r.finite }),
    ),
    path,
    encoding,
  );
  try {
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    try {
      for await (const chunk of stream) {
        signal?.throwIfAborted();
        fast.push(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof NeedsGeneralCsvReader) {
        stream.destroy();
        return await readCsvColumns(path, requests, { encoding, signal });
      }
      throw error;
    }
    const table = fast.finish();
    const columns = new Map<string, CsvColumn>();
    table.columns.forEach((c, k) => {
      if (c.kind === 'number') columns.set(c.name, c);
      else if (requests[k].type === 'auto' && c.values.every((v) => v === '' || parseCsvNumber(v) !== undefined)) {
        columns.set(c.name, {
          name: c.name,
          kind: 'number',
          values: Float64Array.from(c.values, (v) => (v === '' ? NaN : (parseCsvNumber(v) as number))),
          missing: c.missing,
        });
      } else
        columns.set(c.name, {
          name: c.name,
          kind: 'string',
          values: c.values.map((v) => (v === '' ? null : requests[k].type === 'auto' ? v.trim() : v)),
          missing: c.missing,
        });
    });
    return { header: table.header, rowCount: table.rowCount, columns };
  } catch (error) {
    if (error instanceof NeedsGeneralCsvReader) return readCsvColumns(path, requests, { encoding, signal });
    throw error;
  }
}

/** A time column numeric in one file and text in the other is read as text in both. */
function alignKinds(table: Table, other: Table, time: string | undefined): Table {
  if (time === undefined) return table;
  const mine = table.columns.find((c) => c.name === time);
  const theirs = other.columns.find((c) => c.name === time);
  if (!mine || !theirs || mine.kind === theirs.kind || mine.kind === 'categorical') return table;
  return {
    nRows: table.nRows,
    columns: table.columns.map((c) =>
      c === mine && c.kind === 'numeric' ? { name: c.name, kind: 'categorical', values: Array.from(c.values, (v) => (Number.isNaN(v) ? '' : String(v))) } : c,
    ),
  };
}
