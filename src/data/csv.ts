import { fail, formatValue } from '../errors.js';

/**
 * Platform-free, incremental CSV reading (RFC 4180): quoted fields with `""` escapes, delimiters
 * and line breaks inside quotes, LF / CRLF / CR line ends, a leading byte-order mark, and blank
 * lines skipped (as pandas' `read_csv` does). Feed text in chunks of any size — a chunk may end in
 * the middle of a field or a CRLF — and get complete records back. Mistakes are `LosslabError`s
 * naming the source (file), the row and the column:
 *
 *   read CSV: argument 'data.csv' is row 7 (line 9), column 3, but a closing quote must be followed by
 *   a delimiter or a line break (got "x").
 *
 * `CsvTableReader` builds on it: a header row, then selected columns as numbers or strings with a
 * documented missing-value policy. Node's streaming file reader is `src/node/csvFile.ts`.
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;

// The parser's states, as module constants (a `const enum` is not inlined across isolated modules).
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;
const AFTER_CR = 4;
type State = typeof FIELD_START | typeof UNQUOTED | typeof QUOTED | typeof QUOTE_IN_QUOTED | typeof AFTER_CR;

export interface CsvParserOptions {
  /** Field delimiter, one character (default `,`). */
  readonly delimiter?: string;
  /** Name of the input for error messages, e.g. the file path (default `CSV`). */
  readonly source?: string;
}

/** One record with the physical line (1-based) on which it starts. */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

/** Incremental RFC 4180 parser: `push(chunk)` returns the records completed by the chunk; `end()` the last one. */
export class CsvParser {
  private readonly delimiter: number;
  readonly source: string;
  private state: State = FIELD_START;
  private field = '';
  private fieldQuoted = false;
  private record: string[] = [];
  private line = 1;
  private recordLine = 1;
  private recordCount = 0;
  private started = false;
  private quoteLine = 1;

  constructor(options: CsvParserOptions = {}) {
    const d = options.delimiter ?? ',';
    this.source = options.source ?? 'CSV';
    if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
      fail({ fn: 'read CSV', argument: 'delimiter', value: formatValue(d), rule: 'it must be one character other than a quote or a line break' });
    }
    this.delimiter = d.charCodeAt(0);
  }

  /** Records completed so far (data and header rows, blank lines not counted). */
  get records(): number {
    return this.recordCount;
  }

  private problem(rule: string, line = this.line): never {
    return fail({
      fn: 'read CSV',
      argument: this.source,
      value: `row ${this.recordCount + 1} (line ${line}), column ${this.record.length + 1}`,
      rule,
    });
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
    this.fieldQuoted = false;
  }

  /** Ends the record; a line with nothing on it (not even "") is skipped, like pandas' skip_blank_lines. */
  private endRecord(out: CsvRecord[] | ((record: CsvRecord) => void)): void {
    const blank = this.record.length === 0 && this.field === '' && !this.fieldQuoted;
    this.endField();
    const fields = this.record;
    this.record = [];
    if (!blank) {
      const record = { fields, line: this.recordLine };
      if (typeof out === 'function') out(record);
      else out.push(record);
      this.recordCount++;
    }
  }

  /**
   * Parses a chunk; returns the records it completed, or hands each to `onRecord` as soon as it is
   * complete (then the returned array is empty; records die young, which spares the garbage
   * collector on large files).
   */
  push(chunk: string, onRecord?: (record: CsvRecord) => void): CsvRecord[] {
    const collected: CsvRecord[] = [];
    const out = onRecord ?? collected;
    let i = 0;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    const n = chunk.length;
    const delim = this.delimiter;
    while (i < n) {
      const c = chunk.charCodeAt(i);
      switch (this.state) {
        case AFTER_CR:
          this.state = FIELD_START;
          if (c === LF) {
            i++;
            continue;
          }
          continue;
        case FIELD_START:
          if (this.record.length === 0 && this.field === '') this.recordLine = this.line;
          if (c === QUOTE) {
            this.state = QUOTED;
            this.fieldQuoted = true;
            this.quoteLine = this.line;
            i++;
          } else if (c === delim) {
            this.endField();
            i++;
          } else if (c === LF || c === CR) {
            this.endRecord(out);
            this.line++;
            this.state = c === CR ? AFTER_CR : FIELD_START;
            i++;
          } else {
            this.state = UNQUOTED;
          }
          continue;
        case UNQUOTED: {
          let j = i;
          while (j < n) {
            const d = chunk.charCodeAt(j);
            if (d === delim || d === LF || d === CR) break;
            j++;
          }
          this.field += chunk.slice(i, j);
          i = j;
          if (j < n) this.state = FIELD_START;
          if (j < n && chunk.charCodeAt(j) === delim) {
            this.endField();
            i++;
          }
          continue;
        }
        case QUOTED: {
          const q = chunk.indexOf('"', i);
          const stop = q < 0 ? n : q;
          for (let j = i; j < stop; j++) {
            const d = chunk.charCodeAt(j);
            if (d === LF || (d === CR && chunk.charCodeAt(j + 1) !== LF)) this.line++;
          }
          this.field += chunk.slice(i, stop);
          i = stop;
          if (q >= 0) {
            this.state = QUOTE_IN_QUOTED;
            i++;
          }
          continue;
        }
        case QUOTE_IN_QUOTED:
          if (c === QUOTE) {
            this.field += '"';
            this.state = QUOTED;
            i++;
          } else if (c === delim) {
            this.endField();
            this.state = FIELD_START;
            i++;
          } else if (c === LF || c === CR) {
            this.endRecord(out);
            this.line++;
            this.state = c === CR ? AFTER_CR : FIELD_START;
            i++;
          } else {
            this.problem(
              `a closing quote must be followed by a delimiter or a line break (got ${JSON.stringify(chunk[i])}); write a quote inside a quoted field as ""`,
            );
          }
          continue;
      }
    }
    return collected;
  }

  /** Ends the input; returns the last record if the text did not end with a line break. */
  end(): CsvRecord[] {
    if (this.state === QUOTED) this.problem('a quoted field is never closed (the input ends inside quotes)', this.quoteLine);
    const out: CsvRecord[] = [];
    if (this.state !== AFTER_CR && (this.record.length > 0 || this.field !== '' || this.fieldQuoted)) this.endRecord(out);
    this.state = FIELD_START;
    return out;
  }
}

/** Parses a whole CSV text into records (convenience for small inputs and tests). */
export function parseCsv(text: string, options: CsvParserOptions = {}): string[][] {
  const parser = new CsvParser(options);
  return [...parser.push(text), ...parser.end()].map((r) => r.fields);
}

/** Quotes a field when it must be (delimiter, quote, line break, or leading/trailing space). */
export function formatCsvField(value: string, delimiter = ','): string {
  if (value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r') || value !== value.trim()) {
    return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}

/** One CSV line (with `\n`) from fields. */
export function formatCsvRecord(fields: readonly string[], delimiter = ','): string {
  return `${fields.map((f) => formatCsvField(f, delimiter)).join(delimiter)}\n`;
}

/**
 * Tokens read as missing values — pandas' default `na_values`: the empty field, `NA`, `N/A`, `NaN`,
 * `nan`, `null`, `NULL`, `None`, `<NA>`, `#N/A` and friends. Quoting does not change this (as in
 * pandas): `""` is missing too.
 */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a decimal number (also `inf`, `-Infinity`), or returns undefined when the text is not one. */
export function parseCsvNumber(text: string): number | undefined {
  const t = text.trim();
  if (NUMBER.test(t)) return Number(t);
  const lower = t.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return undefined;
}

/** How a selected column is read. */
export interface CsvColumnRequest {
  /** Header name of the column. */
  readonly name: string;
  /**
   * `number`: every value must be a number (or missing); `string`: kept as text; `auto` (default):
   * numbers when every non-missing value is one, text otherwise — like pandas' type inference.
   */
  readonly type?: 'number' | 'string' | 'auto';
  /**
   * Missing values (see `MISSING_TOKENS`): `keep` (default) reads them as NaN (numbers) or null
   * (text) and counts them; `error` fails naming the row and column.
   */
  readonly missing?: 'keep' | 'error';
  /** The option or argument that named the column, for messages (e.g. `--label`). */
  readonly argument?: string;
  /**
   * `number` columns only: `inf`, `-Infinity` or a number too large for float64 (`1e999`) is an
   * error naming the row, the column and the text as written (statistics such as the MMD test
   * need finite values). Missing values are still governed by `missing`.
   */
  readonly finite?: boolean;
}

/**
 * Fails when a header names a column twice, naming both positions (1-based): a second `label`
 * column would otherwise be silently ignored by every reader, which takes the first.
 */
export function checkUniqueHeader(header: readonly string[], source: string): void {
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined)
      fail({
        fn: 'read CSV',
        argument: source,
        value: `a header with column ${JSON.stringify(name)} at positions ${first + 1} and ${i + 1}`,
        rule: 'column names must be unique (a reader would take the first and silently ignore the other)',
        fix: 'Rename or drop one of them.',
      });
    seen.set(name, i);
  });
}

/** The message for a non-finite number in a column that needs finite ones (shared with `FastCsvColumns`). */
export function nonFiniteProblem(source: string, where: string, raw: string, named: string): never {
  return fail({
    fn: 'read CSV',
    argument: source,
    value: `${where} = ${JSON.stringify(raw)}`,
    rule: `${named} must hold finite numbers`,
    fix: 'Write a missing value (empty or NA) instead, or drop the row.',
  });
}

/** A column read as numbers (missing → NaN) or as text (missing → null). */
export type CsvColumn =
  | { readonly name: string; readonly kind: 'number'; readonly values: Float64Array; readonly missing: number }
  | { readonly name: string; readonly kind: 'string'; readonly values: (string | null)[]; readonly missing: number };

/** What `CsvTableReader.finish()` returns. */
export interface CsvTable {
  /** Header names in file order. */
  readonly header: readonly string[];
  /** Data rows (the header and blank lines not counted). */
  readonly rowCount: number;
  /** The requested columns, by name. */
  readonly columns: ReadonlyMap<string, CsvColumn>;
}

/**
 * Per selected column: `number` columns store float64 values; `string` and `auto` columns are
 * dictionary-encoded (a code per row, each distinct text kept and parsed once), so a million-row
 * label or group column costs 4 bytes per row and no per-row strings outlive the chunk.
 */
interface Collector {
  readonly request: CsvColumnRequest;
  index: number;
  numbers: Float64Array;
  codes: Int32Array;
  readonly dictionary: Map<string, number>;
  readonly texts: string[];
  readonly parsed: (number | undefined)[];
  numeric: boolean;
  missing: number;
}

function grow<T extends Float64Array | Int32Array>(array: T, row: number, make: (size: number) => T): T {
  if (row < array.length) return array;
  const grown = make(array.length * 2);
  grown.set(array);
  return grown;
}

/**
 * Reads a CSV table incrementally: the first record is the header; then selected columns are
 * collected as numbers or strings (O(rows) memory for the selected columns only). Every data row
 * must have as many fields as the header. Errors name the source, row, column and value.
 */
export class CsvTableReader {
  private readonly parser: CsvParser;
  private header: string[] | null = null;
  private rows = 0;
  private readonly collectors: Collector[];
  private readonly onRow: ((fields: readonly string[], row: number) => void) | undefined;

  constructor(requests: readonly CsvColumnRequest[], options: CsvParserOptions & { onRow?: (fields: readonly string[], row: number) => void } = {}) {
    this.parser = new CsvParser(options);
    this.onRow = options.onRow;
    this.collectors = requests.map((request) => ({
      request,
      index: -1,
      numbers: new Float64Array(request.type === 'number' ? 1024 : 0),
      codes: new Int32Array(request.type === 'number' ? 0 : 1024),
      dictionary: new Map<string, number>(),
      texts: [],
      parsed: [],
      numeric: request.type !== 'string',
      missing: 0,
    }));
  }

  /** The header once the first record has been read. */
  get columns(): readonly string[] | null {
    return this.header;
  }

  private readonly onRecord = (record: CsvRecord): void => this.take(record);

  push(chunk: string): void {
    this.parser.push(chunk, this.onRecord);
  }

  private fail(rule: string, extra: { value?: string; fix?: string } = {}): never {
    return fail({ fn: 'read CSV', argument: this.parser.source, value: extra.value, rule, fix: extra.fix });
  }

  private take(record: CsvRecord): void {
    if (this.header === null) {
      this.header = record.fields.map((f) => f.trim());
      checkUniqueHeader(this.header, this.parser.source);
      for (const c of this.collectors) {
        c.index = this.header.indexOf(c.request.name);
        if (c.index < 0) {
          this.fail(`it has no column ${JSON.stringify(c.request.name)}${c.request.argument ? ` (named by ${c.request.argument})` : ''}`, {
            fix: `The columns are ${this.header.map((h) => JSON.stringify(h)).join(', ')}.`,
          });
        }
      }
      return;
    }
    const row = this.rows;
    if (record.fields.length !== this.header.length) {
      this.fail(`every row must have as many fields as the header (${this.header.length})`, {
        value: `row ${row + 1} (line ${record.line}) with ${record.fields.length} field${record.fields.length === 1 ? '' : 's'}`,
        fix: 'Quote fields that contain the delimiter.',
      });
    }
    for (const c of this.collectors) this.collect(c, record.fields[c.index], row, record.line);
    this.onRow?.(record.fields, row);
    this.rows++;
  }

  private collect(c: Collector, raw: string, row: number, line: number): void {
    const { request } = c;
    const type = request.type ?? 'auto';
    const text = raw.trim();
    const where = `row ${row + 1} (line ${line}), column ${JSON.stringify(request.name)}`;
    const named = `column ${JSON.stringify(request.name)}${request.argument ? ` (${request.argument})` : ''}`;
    if (MISSING_TOKENS.has(text)) {
      if (request.missing === 'error') {
        this.fail(`${named} must not have missing values`, {
          value: `${where} = ${JSON.stringify(raw)}`,
          fix: 'Fill or drop the rows with missing values first.',
        });
      }
      c.missing++;
      if (type === 'number') {
        c.numbers = grow(c.numbers, row, (size) => new Float64Array(size));
        c.numbers[row] = NaN;
      } else {
        c.codes = grow(c.codes, row, (size) => new Int32Array(size));
        c.codes[row] = -1;
      }
      return;
    }
    if (type === 'number') {
      const value = parseCsvNumber(text);
      if (value === undefined) this.fail(`${named} must hold numbers`, { value: `${where} = ${JSON.stringify(raw)}` });
      if (request.finite && !Number.isFinite(value)) nonFiniteProblem(this.parser.source, where, raw, named);
      c.numbers = grow(c.numbers, row, (size) => new Float64Array(size));
      c.numbers[row] = value;
      return;
    }
    const key = type === 'auto' ? text : raw;
    let code = c.dictionary.get(key);
    if (code === undefined) {
      code = c.texts.length;
      c.dictionary.set(key, code);
      c.texts.push(key);
      const value = c.numeric ? parseCsvNumber(text) : undefined;
      c.parsed.push(value);
      if (value === undefined) c.numeric = false;
    }
    c.codes = grow(c.codes, row, (size) => new Int32Array(size));
    c.codes[row] = code;
  }

  /** Ends the input and returns the table; an input without a header row is an error. */
  finish(): CsvTable {
    for (const record of this.parser.end()) this.take(record);
    if (this.header === null) this.fail('it is empty: a CSV needs a header row', { fix: 'Check the path, or add a header line naming the columns.' });
    const columns = new Map<string, CsvColumn>();
    const n = this.rows;
    for (const c of this.collectors) {
      const name = c.request.name;
      if (c.request.type === 'number') {
        columns.set(name, { name, kind: 'number', values: c.numbers.slice(0, n), missing: c.missing });
      } else if (c.numeric && c.request.type !== 'string') {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = c.codes[i] < 0 ? NaN : (c.parsed[c.codes[i]] as number);
        columns.set(name, { name, kind: 'number', values, missing: c.missing });
      } else {
        const values = new Array<string | null>(n);
        for (let i = 0; i < n; i++) values[i] = c.codes[i] < 0 ? null : c.texts[c.codes[i]];
        columns.set(name, { name, kind: 'string', values, missing: c.missing });
      }
    }
    return { header: this.header, rowCount: this.rows, columns };
  }
}
