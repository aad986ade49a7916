/**
 * A streaming reader for the common JSON tensor: rectangular nested lists of numbers (and the
 * strings "Infinity", "-Infinity", "NaN", see `jsonNumbers.ts`). It reads bytes in chunks of any
 * size and keeps only the numbers — in blocks of float64, 8 bytes per number — where `JSON.parse`
 * builds a tree of JS arrays and boxed numbers (about 3 GB for 50 million numbers). Numbers are
 * converted exactly as `JSON.parse` converts them: digits up to 15 with a decimal exponent within
 * ±22 straight from the bytes (Clinger's fast path, exact), anything else through `Number`.
 *
 * Anything else — an object, another string, `null`, ragged lists, invalid JSON, more than
 * `maxDims` levels — makes `end()` return `undefined` (and `push` stop early), so the caller falls
 * back to `JSON.parse` and its precise messages. The reader never throws on any input.
 */

/** Longest number token read here (longer ones go to `JSON.parse`). */
const MAX_NUMBER_BYTES = 400;
/** Numbers per block (8 MiB of float64). */
const BLOCK = 1 << 20;
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const COMMA = 0x2c;
const QUOTE = 0x22;
const MINUS = 0x2d;

/** What the reader found: the numbers in blocks (copy them out with `copyInto`) and the shape. */
export interface JsonTensorRead {
  readonly shape: number[];
  readonly size: number;
  /** Copies the numbers, in order, into `out` (float32, float64 or int32 storage of `size` elements). */
  copyInto(out: { length: number; [i: number]: number }): void;
  /** The i-th number (for messages). */
  at(i: number): number;
}

export class JsonTensorReader {
  private blocks: Float64Array[] = [];
  private current = new Float64Array(0);
  private filled = 0;
  private size = 0;
  private readonly shape: number[] = [];
  private readonly counts: number[] = [];
  private depth = 0;
  /** Open lists when a number is read (undefined until the first number or empty list). */
  private leafDepth: number | undefined;
  /** true after '[' or ',' (a value must come), false after a value. */
  private needValue = true;
  /** After '[' a ']' may come at once; after ',' it may not. */
  private afterComma = false;
  private rootDone = false;
  private failed = false;
  private started = false;
  /** Bytes of a token (number or string) cut by the end of the previous chunk. */
  private carry: Uint8Array = new Uint8Array(0);

  constructor(private readonly maxDims = 64) {}

  /** Whether the input is already known not to be a plain numeric tensor. */
  get unsupported(): boolean {
    return this.failed;
  }

  push(chunk: Uint8Array): void {
    if (this.failed) return;
    let data = chunk;
    if (this.carry.length > 0) {
      data = new Uint8Array(this.carry.length + chunk.length);
      data.set(this.carry);
      data.set(chunk, this.carry.length);
      this.carry = new Uint8Array(0);
    }
    let i = 0;
    if (!this.started && data.length > 0) {
      if (data.length < 3 && data[0] === 0xef) {
        this.carry = new Uint8Array(data);
        return;
      }
      this.started = true;
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) i = 3;
    }
    const n = data.length;
    while (i < n) {
      const c = data[i];
      if (c === SPACE || c === LF || c === CR || c === TAB) {
        i++;
        continue;
      }
      if (this.rootDone) {
        this.fail();
        return;
      }
      if (c === OPEN) {
        if (!this.needValue || (this.leafDepth !== undefined && this.depth >= this.leafDepth) || this.depth >= this.maxDims) {
          this.fail();
          return;
        }
        if (this.depth > 0) this.counts[this.depth - 1]++;
        this.counts[this.depth] = 0;
        this.depth++;
        this.needValue = true;
        this.afterComma = false;
        i++;
      } else if (c === CLOSE) {
        if (this.depth === 0 || this.afterComma) {
          this.fail();
          return;
        }
        const d = this.depth - 1;
        const count = this.counts[d];
        if (count === 0) {
          if (this.leafDepth === undefined) this.leafDepth = this.depth;
          else if (this.leafDepth !== this.depth) {
            this.fail();
            return;
          }
        }
        if (this.shape[d] === undefined) this.shape[d] = count;
        else if (this.shape[d] !== count) {
          this.fail();
          return;
        }
        this.depth--;
        this.needValue = false;
        if (this.depth === 0) this.rootDone = true;
        i++;
      } else if (c === COMMA) {
        if (this.needValue || this.depth === 0) {
          this.fail();
          return;
        }
        this.needValue = true;
        this.afterComma = true;
        i++;
      } else {
        if (!this.needValue) {
          this.fail();
          return;
        }
        // a number or a string: find its end; if the chunk ends first, keep it for the next one
        let j = i;
        if (c === QUOTE) {
          j = i + 1;
          while (j < n && j - i <= 10 && data[j] !== QUOTE) j++;
          if (j - i > 10) {
            this.fail();
            return;
          } // longer than "-Infinity": not one of the three words
          if (j === n) {
            this.carry = new Uint8Array(data.subarray(i)); // a copy: the caller may reuse its buffer (Buffer#slice would not copy)
            return;
          }
          j++;
        } else {
          while (j < n && isNumberByte(data[j])) j++;
          if (j === i || j - i > MAX_NUMBER_BYTES) {
            this.fail();
            return;
          }
          if (j === n) {
            this.carry = new Uint8Array(data.subarray(i)); // a copy: the caller may reuse its buffer (Buffer#slice would not copy)
            return;
          }
        }
        const value = c === QUOTE ? nonFinite(data, i + 1, j - 1) : jsonNumber(data, i, j);
        if (value === undefined) {
          this.fail();
          return;
        }
        this.take(value);
        if (this.failed) return;
        i = j;
      }
    }
  }

  private take(value: number): void {
    if (this.leafDepth === undefined) this.leafDepth = this.depth;
    else if (this.leafDepth !== this.depth) {
      this.fail();
      return;
    }
    if (this.depth > 0) this.counts[this.depth - 1]++;
    else this.rootDone = true;
    this.needValue = false;
    this.afterComma = false;
    if (this.filled === this.current.length) {
      this.current = new Float64Array(BLOCK);
      this.blocks.push(this.current);
      this.filled = 0;
    }
    this.current[this.filled++] = value;
    this.size++;
  }

  private fail(): void {
    this.failed = true;
    this.blocks = [];
    this.current = new Float64Array(0);
  }

  /** The tensor, or undefined when the input is not a plain numeric tensor (then parse it as JSON). */
  end(): JsonTensorRead | undefined {
    if (!this.failed && this.carry.length > 0) {
      const data = this.carry;
      this.carry = new Uint8Array(0);
      if (data[0] === QUOTE || !this.needValue) this.fail();
      else {
        let j = 0;
        while (j < data.length && isNumberByte(data[j])) j++;
        const value = j === data.length ? jsonNumber(data, 0, j) : undefined;
        if (value === undefined) this.fail();
        else this.take(value);
      }
    }
    if (this.failed || !this.rootDone || this.depth !== 0) return undefined;
    const shape = this.shape.slice(0, this.leafDepth ?? 0);
    const blocks = this.blocks;
    const size = this.size;
    return {
      shape,
      size,
      copyInto(out) {
        let k = 0;
        for (const block of blocks) {
          const m = Math.min(block.length, size - k);
          for (let i = 0; i < m; i++) out[k + i] = block[i];
          k += m;
        }
      },
      at(i) {
        return blocks[Math.floor(i / BLOCK)][i % BLOCK];
      },
    };
  }
}

function isNumberByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || b === MINUS || b === 0x2b || b === 0x2e || b === 0x65 || b === 0x45;
}

const WORDS: ReadonlyMap<string, number> = new Map([
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['NaN', Number.NaN],
]);

function nonFinite(data: Uint8Array, a: number, b: number): number | undefined {
  if (b - a > 9 || b < a) return undefined;
  return WORDS.get(String.fromCharCode(...data.subarray(a, b)));
}

/**
 * The number JSON's grammar allows in bytes a..b (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`),
 * converted as `JSON.parse` does, or undefined when the bytes are not one.
 */
export function jsonNumber(data: Uint8Array, a: number, b: number): number | undefined {
  let i = a;
  const negative = data[i] === MINUS;
  if (negative) i++;
  if (i >= b) return undefined;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  const isDigit = (k: number): boolean => k < b && data[k] >= 0x30 && data[k] <= 0x39;
  if (data[i] === 0x30) i++;
  else if (isDigit(i)) {
    while (isDigit(i)) {
      if (digits > 0 || data[i] !== 0x30) {
        mantissa = mantissa * 10 + (data[i] - 0x30);
        digits++;
      }
      i++;
    }
  } else return undefined;
  if (i < b && data[i] === 0x2e) {
    i++;
    if (!isDigit(i)) return undefined;
    while (isDigit(i)) {
      if (digits > 0 || data[i] !== 0x30) {
        mantissa = mantissa * 10 + (data[i] - 0x30);
        digits++;
      }
      scale--;
      i++;
    }
  }
  if (i < b && (data[i] === 0x65 || data[i] === 0x45)) {
    i++;
    let expNegative = false;
    if (i < b && (data[i] === MINUS || data[i] === 0x2b)) {
      expNegative = data[i] === MINUS;
      i++;
    }
    if (!isDigit(i)) return undefined;
    let exp = 0;
    while (isDigit(i)) {
      if (exp < 100_000) exp = exp * 10 + (data[i] - 0x30);
      i++;
    }
    scale += expNegative ? -exp : exp;
  }
  if (i !== b) return undefined;
  let value: number;
  if (mantissa === 0) value = 0;
  else if (digits <= 15 && scale === 0) value = mantissa;
  else if (digits <= 15 && scale > 0 && scale <= 22) value = mantissa * POW10[scale];
  else if (digits <= 15 && scale < 0 && scale >= -22) value = mantissa / POW10[-scale];
  else value = Number(String.fromCharCode(...data.subarray(negative ? a + 1 : a, b)));
  return negative ? -value : value;
}
