import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeJsonNumber, encodeJsonNumber, reviveJsonNumbers, stringifyJson } from '../../src/data/jsonNumbers.js';

describe('the JSON codec for non-finite numbers', () => {
  it('spells Infinity, -Infinity and NaN as strings and leaves finite numbers alone', () => {
    expect([Infinity, -Infinity, Number.NaN, -0, 1.5].map(encodeJsonNumber)).toEqual(['Infinity', '-Infinity', 'NaN', -0, 1.5]);
    expect(['Infinity', '-Infinity', 'NaN', 2].map((v) => decodeJsonNumber(v))).toEqual([Infinity, -Infinity, Number.NaN, 2]);
  });

  it('reads nothing else as a number', () => {
    for (const v of ['inf', 'nan', '1', '', null, true, [], {}, 'toString', 'constructor']) expect(decodeJsonNumber(v), JSON.stringify(v)).toBeUndefined();
  });

  it('round-trips every double through stringifyJson and the reviver (typed arrays as arrays, any depth)', () => {
    fc.assert(
      fc.property(fc.array(fc.double()), (values) => {
        const text = stringifyJson({ a: { b: Float64Array.from(values) }, c: values });
        const back = JSON.parse(text, reviveJsonNumbers) as { a: { b: number[] }; c: number[] };
        expect(back.a.b.map((v) => (Object.is(v, -0) ? 0 : v))).toEqual(values.map((v) => (Object.is(v, -0) ? 0 : v)));
        expect(back.c.length).toBe(values.length);
      }),
    );
    expect(stringifyJson({ x: Number.NaN, y: new Int32Array([1, 2]) }, 1)).toBe('{\n "x": "NaN",\n "y": [\n  1,\n  2\n ]\n}');
  });
});
