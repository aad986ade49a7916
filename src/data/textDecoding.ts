import { fail } from '../errors.js';

/**
 * Bytes to text for the CSV readers, platform-free. UTF-8 is decoded strictly: a byte sequence that
 * is not UTF-8 is a `LosslabError` naming the source, the line and the column (in characters) and
 * the bytes, instead of the silent U+FFFD replacement of `TextDecoder` and Node's streams (which
 * turned the group labels "Genève", "Zürich", … of a Latin-1 file into one label). Latin-1
 * (ISO-8859-1, as pandas' `encoding='latin1'`) maps each byte to the code point of the same value.
 *
 *   const decoder = new TextChunkDecoder('utf8', 'data.csv');
 *   parser.push(decoder.push(chunk)); …; parser.push(decoder.end());
 */
export type TextEncoding = 'utf8' | 'latin1';

/** The encodings `--encoding` accepts. */
export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf8', 'latin1'];

const LF = 10;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Length of the UTF-8 sequence a lead byte starts (0: not a lead byte). */
function sequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/** Index of the first byte that starts an invalid UTF-8 sequence in `bytes` (WHATWG rules), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(b);
    if (length === 0 || i + length > n) return i;
    const second = bytes[i + 1];
    // the second byte's range excludes overlong forms, surrogates and code points past U+10FFFF
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i;
    i += length;
  }
  return -1;
}

/** Bytes at the end of `bytes` that begin a UTF-8 sequence the chunk does not finish (0–3). */
function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back];
    if (b < 0x80) return 0;
    if (b >= 0xc0) return sequenceLength(b) > back ? back : 0;
  }
  return 0;
}

/** ISO-8859-1: each byte is the code point of the same value. */
export function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

/** Incremental decoder: chunks may split a character anywhere; the line and column of an error count from the start. */
export class TextChunkDecoder {
  private pending: Uint8Array = new Uint8Array(0);
  /** Line breaks before `pending` / the next chunk, and the characters since the last one. */
  private lines = 0;
  private column = 0;

  constructor(
    readonly encoding: TextEncoding,
    private readonly source: string,
  ) {}

  /** The text of `chunk` (UTF-8: up to a character the chunk does not finish, kept for the next one). */
  push(chunk: Uint8Array): string {
    if (this.encoding === 'latin1') return latin1(chunk);
    let bytes = chunk;
    if (this.pending.length > 0) {
      bytes = new Uint8Array(this.pending.length + chunk.length);
      bytes.set(this.pending);
      bytes.set(chunk, this.pending.length);
    }
    const complete = bytes.length - incompleteTail(bytes);
    const text = this.decode(bytes.subarray(0, complete));
    this.pending = bytes.slice(complete);
    this.advance(bytes.subarray(0, complete));
    return text;
  }

  /** The end of the input: a character left unfinished is an error. */
  end(): string {
    if (this.pending.length === 0) return '';
    const bytes = this.pending;
    this.pending = new Uint8Array(0);
    this.problem(bytes, 0, true);
  }

  private decode(bytes: Uint8Array): string {
    try {
      return utf8.decode(bytes);
    } catch {
      const at = firstInvalidUtf8(bytes);
      return this.problem(bytes, Math.max(at, 0), false);
    }
  }

  /** Counts line breaks and the characters after the last one (continuation bytes are not characters). */
  private advance(bytes: Uint8Array): void {
    const last = bytes.lastIndexOf(LF);
    if (last >= 0) {
      for (let p = bytes.indexOf(LF); p >= 0; p = bytes.indexOf(LF, p + 1)) this.lines++;
      this.column = 0;
    }
    this.column += countCharacters(bytes, last + 1, bytes.length);
  }

  private problem(bytes: Uint8Array, at: number, atEnd: boolean): never {
    this.advance(bytes.subarray(0, at));
    return notUtf8(this.source, bytes[at], this.lines + 1, this.column + 1, atEnd);
  }
}

/** Characters (UTF-8 lead bytes) in `bytes[from, to)`. */
export function countCharacters(bytes: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if ((bytes[i] & 0xc0) !== 0x80) count++;
  return count;
}

/** The one message for bytes that are not UTF-8 (line and column 1-based, the column in characters). */
export function notUtf8(source: string, byte: number, line: number, column: number, atEnd = false): never {
  return fail({
    fn: 'read CSV',
    argument: source,
    value: `byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at line ${line}, column ${column}`,
    rule: atEnd ? 'the file ends inside a UTF-8 character' : 'the file must be UTF-8 text (this byte is not part of a valid UTF-8 character)',
    fix: 'If it was saved as Latin-1 (ISO-8859-1, common from older Excel on Windows), read it with --encoding latin1, or convert it: iconv -f latin1 -t utf-8.',
  });
}
