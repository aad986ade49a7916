/**
 * JSON has no Infinity and no NaN (`JSON.stringify(NaN)` is `null`). Every JSON losslab reads or
 * writes — tensors for `losslab loss`, the `--json` outputs, a figure's plotted numbers, the shift
 * report, the golden data of the tests — spells them as the strings "Infinity", "-Infinity" and
 * "NaN" (as Python's golden scripts do, `scripts/goldenlib.py`). This is the one codec for them.
 */

/** A number as JSON holds it. */
export type JsonNumber = number | 'Infinity' | '-Infinity' | 'NaN';

const NON_FINITE: Readonly<Record<string, number>> = { Infinity: Infinity, '-Infinity': -Infinity, NaN: Number.NaN };

/** The number itself when finite, else its string. */
export function encodeJsonNumber(value: number): JsonNumber {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

/** The number a JSON value stands for, or `undefined` when it is neither a number nor one of the three strings. */
export function decodeJsonNumber(value: JsonNumber): number;
export function decodeJsonNumber(value: unknown): number | undefined;
export function decodeJsonNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && Object.hasOwn(NON_FINITE, value) ? NON_FINITE[value] : undefined;
}

/**
 * `JSON.stringify` with non-finite numbers encoded and typed arrays written as arrays (any depth),
 * so the text parses back to the same numbers with `decodeJsonNumber` / `reviveJsonNumbers`.
 */
export function stringifyJson(value: unknown, space?: number): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'number') return encodeJsonNumber(v);
      if (isNumberArray(v)) return Array.from(v);
      return v;
    },
    space,
  );
}

type NumberArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray;

function isNumberArray(value: unknown): value is NumberArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

/**
 * A `JSON.parse` reviver that turns every "Infinity", "-Infinity" and "NaN" string back into its
 * number — for files whose strings are never those words in any other role (golden data).
 */
export function reviveJsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'string' && Object.hasOwn(NON_FINITE, value) ? NON_FINITE[value] : value;
}
