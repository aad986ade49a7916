import { fail } from '../errors.js';
import { checkUniqueHeader, MISSING_TOKENS, nonFiniteProblem, parseCsvNumber } from './csv.js';
import { countCharacters, firstInvalidUtf8, latin1, notUtf8, type TextEncoding } from './textDecoding.js';

/** What to collect from one column. */
export interface FastColumnRequest {
  readonly name: string;
  readonly type: 'number' | 'string';
  /** 'error': a missing value is an error naming the row (as `CsvTableReader`). */
  readonly missing?: 'keep' | 'error';
  /** Shown in messages, as `CsvColumnRequest.argument`. */
  readonly argument?: string;
  /** Non-finite numbers are an error, as `CsvColumnRequest.finite`. */
  readonly finite?: boolean;
}

export type FastColumn =
  | { readonly name: string; readonly kind: 'number'; readonly values: Float64Array; readonly missing: number }
  | { readonly name: string; readonly kind: 'string'; readonly values: string[]; readonly missing: number };

/** Thrown (not a user error) when the input needs the general RFC 4180 reader: quotes or lone CRs. */
export class NeedsGeneralCsvReader extends Error {
  constructor(reason: string) {
    super(`fast CSV path not applicable: ${reason}`);
    this.name = 'NeedsGeneralCsvReader';
  }
}

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const decoder = new TextDecoder();

/**
 * A byte-level reader for the common case of large numeric CSV files: unquoted fields, LF or CRLF
 * line ends, a header row. It reads numbers straight from the bytes (Clinger's fast path: up to 15
 * significant digits and a decimal exponent within ±22 are converted exactly, anything else goes
 * through `Number`), so no string is created per numeric field. Results are identical to
 * `CsvTableReader` from `src/data/csv.ts` (same missing tokens, same numbers, same messages); input
 * with a quote character or a lone CR throws `NeedsGeneralCsvReader` so the caller can fall back.
 */
export class FastCsvColumns {
  private header: string[] | null = null;
  private leftover: Uint8Array = new Uint8Array(0);
  private rows = 0;
  private line = 0;
  private started = false;
  private bom = false;
  private indices: Int32Array = new Int32Array(0);
  private numbers: Float64Array[] = [];
  private strings: string[][] = [];
  private missing: number[] = [];
  private bounds: Int32Array = new Int32Array(0);

  constructor(
    private readonly requests: readonly FastColumnRequest[],
    private readonly source: string,
    /** `utf8` (default: bytes that are not UTF-8 are an error naming line and column) or `latin1`. */
    private readonly encoding: TextEncoding = 'utf8',
  ) {}

  /** Text of bytes a..b (the line they are in was checked by `checkLine`). */
  private text(data: Uint8Array, a: number, b: number): string {
    return this.encoding === 'latin1' ? latin1(data.subarray(a, b)) : decoder.decode(data.subarray(a, b));
  }

  /** A line with a byte ≥ 0x80 must be UTF-8 (unless the encoding is Latin-1). */
  private checkLine(data: Uint8Array, start: number, stop: number): void {
    if (this.encoding === 'latin1') return;
    const at = firstInvalidUtf8(data.subarray(start, stop));
    if (at >= 0) notUtf8(this.source, data[start + at], this.line, countCharacters(data, start, start + at) + 1 + (this.line === 1 && this.bom ? 1 : 0));
  }

  /** Feeds raw bytes of the file (any chunking). */
  push(chunk: Uint8Array): void {
    let data = chunk;
    if (this.leftover.length > 0) {
      data = new Uint8Array(this.leftover.length + chunk.length);
      data.set(this.leftover);
      data.set(chunk, this.leftover.length);
    }
    let start = 0;
    if (!this.started && data.length >= 3) {
      this.started = true;
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
        start = 3;
        this.bom = true;
      }
    }
    for (;;) {
      const end = data.indexOf(LF, start);
      if (end < 0) break;
      this.line++;
      const stop = end > start && data[end - 1] === CR ? end - 1 : end;
      this.takeLine(data, start, stop);
      start = end + 1;
    }
    this.leftover = data.slice(start);
  }

  private takeLine(data: Uint8Array, start: number, stop: number): void {
    if (stop <= start) return; // blank line
    if (this.header === null) {
      if (data.subarray(start, stop).includes(QUOTE)) throw new NeedsGeneralCsvReader('a quoted field');
      this.checkLine(data, start, stop);
      const header = this.text(data, start, stop)
        .split(',')
        .map((h) => h.trim());
      this.header = header;
      checkUniqueHeader(header, this.source);
      this.indices = Int32Array.from(this.requests.map((r) => header.indexOf(r.name)));
      for (const [k, r] of this.requests.entries()) {
        if (this.indices[k] < 0)
          fail({
            fn: 'read CSV',
            argument: this.source,
            rule: `it has no column ${JSON.stringify(r.name)}`,
            fix: `The columns are ${header.map((h) => JSON.stringify(h)).join(', ')}.`,
          });
      }
      this.numbers = this.requests.map((r) => new Float64Array(r.type === 'number' ? 1024 : 0));
      this.strings = this.requests.map(() => []);
      this.missing = this.requests.map(() => 0);
      this.bounds = new Int32Array(this.header.length + 1);
      return;
    }
    // Field boundaries of this line, in one pass that also spots quotes and stray CRs.
    const width = this.header.length;
    const bounds = this.bounds;
    let f = 0;
    let bits = 0;
    bounds[0] = start;
    for (let i = start; i < stop; i++) {
      const c = data[i];
      bits |= c;
      if (c === COMMA) {
        f++;
        if (f < width) bounds[f] = i + 1;
      } else if (c === QUOTE) throw new NeedsGeneralCsvReader('a quoted field');
      else if (c === CR) throw new NeedsGeneralCsvReader('a carriage return inside a line');
    }
    if (f !== width - 1) {
      const fields = f + 1;
      fail({
        fn: 'read CSV',
        argument: this.source,
        value: `row ${this.rows + 1} (line ${this.line}) with ${fields} field${fields === 1 ? '' : 's'}`,
        rule: `every row must have as many fields as the header (${width})`,
        fix: 'Quote fields that contain the delimiter.',
      });
    }
    if (bits & 0x80) this.checkLine(data, start, stop);
    bounds[width] = stop + 1;
    const row = this.rows;
    for (let k = 0; k < this.requests.length; k++) {
      const col = this.indices[k];
      const a = bounds[col];
      const b = bounds[col + 1] - 1;
      const request = this.requests[k];
      if (request.type === 'number') {
        let value = parseNumberBytes(data, a, b);
        if (Number.isNaN(value)) value = this.slowNumber(k, this.text(data, a, b), row);
        let store = this.numbers[k];
        if (row >= store.length) {
          const grown = new Float64Array(store.length * 2);
          grown.set(store);
          this.numbers[k] = store = grown;
        }
        store[row] = value;
      } else {
        const raw = this.text(data, a, b);
        const text = raw.trim();
        if (MISSING_TOKENS.has(text)) {
          this.checkMissing(k, raw, row);
          this.strings[k].push('');
        } else this.strings[k].push(raw);
      }
    }
    this.rows++;
  }

  private where(k: number, row: number): string {
    return `row ${row + 1} (line ${this.line}), column ${JSON.stringify(this.requests[k].name)}`;
  }

  private checkMissing(k: number, raw: string, row: number): void {
    const r = this.requests[k];
    if (r.missing === 'error') {
      fail({
        fn: 'read CSV',
        argument: this.source,
        value: `${this.where(k, row)} = ${JSON.stringify(raw)}`,
        rule: `column ${JSON.stringify(r.name)}${r.argument ? ` (${r.argument})` : ''} must not have missing values`,
        fix: 'Fill or drop the rows with missing values first.',
      });
    }
    this.missing[k]++;
  }

  private slowNumber(k: number, raw: string, row: number): number {
    const text = raw.trim();
    if (MISSING_TOKENS.has(text)) {
      this.checkMissing(k, raw, row);
      return NaN;
    }
    const value = parseCsvNumber(text);
    const r = this.requests[k];
    const named = `column ${JSON.stringify(r.name)}${r.argument ? ` (${r.argument})` : ''}`;
    if (value === undefined) {
      fail({
        fn: 'read CSV',
        argument: this.source,
        value: `${this.where(k, row)} = ${JSON.stringify(raw)}`,
        rule: `${named} must hold numbers`,
      });
    }
    if (r.finite && !Number.isFinite(value)) nonFiniteProblem(this.source, this.where(k, row), raw, named);
    return value;
  }

  /** Ends the input (a last line without a line break is read) and returns the columns. */
  finish(): { header: string[]; rowCount: number; columns: FastColumn[] } {
    if (this.leftover.length > 0) {
      this.line++;
      const data = this.leftover;
      const stop = data[data.length - 1] === CR ? data.length - 1 : data.length;
      this.leftover = new Uint8Array(0);
      this.takeLine(data, 0, stop);
    }
    if (this.header === null)
      fail({
        fn: 'read CSV',
        argument: this.source,
        rule: 'it is empty: a CSV needs a header row',
        fix: 'Check the path, or add a header line naming the columns.',
      });
    const columns = this.requests.map(
      (r, k): FastColumn =>
        r.type === 'number'
          ? { name: r.name, kind: 'number', values: this.numbers[k].slice(0, this.rows), missing: this.missing[k] }
          : { name: r.name, kind: 'string', values: this.strings[k], missing: this.missing[k] },
    );
    return { header: this.header, rowCount: this.rows, columns };
  }
}

/**
 * Parses [+-]digits[.digits][(e|E)[+-]digits] from bytes a..b exactly (fast path), or returns NaN
 * when the field is anything else (spaces, missing tokens, inf, too many digits) so the caller uses
 * the general conversion.
 */
function parseNumberBytes(data: Uint8Array, a: number, b: number): number {
  let i = a;
  let negative = false;
  if (i < b && (data[i] === 45 || data[i] === 43)) {
    negative = data[i] === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let any = false;
  while (i < b && data[i] >= 48 && data[i] <= 57) {
    if (mantissa === 0 && data[i] === 48) {
      i++;
      any = true;
      continue;
    }
    mantissa = mantissa * 10 + (data[i] - 48);
    digits++;
    i++;
    any = true;
  }
  if (i < b && data[i] === 46) {
    i++;
    while (i < b && data[i] >= 48 && data[i] <= 57) {
      if (!(mantissa === 0 && data[i] === 48)) {
        mantissa = mantissa * 10 + (data[i] - 48);
        digits++;
      }
      scale--;
      i++;
      any = true;
    }
  }
  if (!any) return NaN;
  if (i < b && (data[i] === 101 || data[i] === 69)) {
    i++;
    let expNegative = false;
    if (i < b && (data[i] === 45 || data[i] === 43)) {
      expNegative = data[i] === 45;
      i++;
    }
    let exp = 0;
    let expDigits = 0;
    while (i < b && data[i] >= 48 && data[i] <= 57) {
      exp = exp * 10 + (data[i] - 48);
      expDigits++;
      i++;
      if (exp > 1000) return NaN;
    }
    if (expDigits === 0) return NaN;
    scale += expNegative ? -exp : exp;
  }
  if (i !== b || digits > 15) return NaN;
  let value: number;
  if (mantissa === 0) value = 0;
  else if (scale === 0) value = mantissa;
  else if (scale > 0 && scale <= 22) value = mantissa * POW10[scale];
  else if (scale < 0 && scale >= -22) value = mantissa / POW10[-scale];
  else return NaN;
  return negative ? -value : value;
}
