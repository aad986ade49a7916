import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedFloat32, sortFloat64 } from '../../src/shift/radixSort.js';

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('radix sorts order floats exactly as Float64Array.prototype.sort', () => {
  it('float64: signs, zeros, infinities, subnormals, ties (property, above the radix threshold)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 4 }), (pool, seed) => {
        // Enough values to take the radix path, drawn from a small pool so ties are common.
        const n = 40000;
        const values = new Float64Array(n);
        let s = seed;
        for (let i = 0; i < n; i++) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          values[i] = pool[s % pool.length];
        }
        const expected = values.slice().sort();
        expect(sameBits(sortFloat64(values), expected)).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('float32 widened to float64 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 200 }), (pool) => {
        const n = 40000;
        const values = new Float32Array(n);
        for (let i = 0; i < n; i++) values[i] = pool[(i * 7919) % pool.length];
        expect(sameBits(sortedFloat32(values), Float64Array.from(values).sort())).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('small inputs take the built-in sort', () => {
    expect(Array.from(sortFloat64(Float64Array.of(3, -1, 0, -0, 2)))).toEqual([-1, -0, 0, 2, 3]);
    expect(Array.from(sortedFloat32(Float32Array.of(0.5, -2)))).toEqual([-2, 0.5]);
  });
});
