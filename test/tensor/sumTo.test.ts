import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sum } from '../../src/tensor/ops/index.js';
import { Tensor } from '../../src/tensor/tensor.js';

/** Σ over `dims` by brute force over multi-indices, in float64. */
function naiveSum(data: Float64Array, shape: number[], dims: number[]): number[] {
  const kept = shape.map((s, d) => (dims.includes(d) ? 1 : s));
  const out = new Array<number>(kept.reduce((a, b) => a * b, 1)).fill(0);
  const index = shape.map(() => 0);
  for (let flat = 0; flat < data.length; flat++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) o = o * kept[d] + (dims.includes(d) ? 0 : index[d]);
    out[o] += data[flat];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

describe('sum over dims (sumTo: the contiguous-block fast path and the general path)', () => {
  it('matches a brute-force sum for every subset of dims of shapes up to rank 4, sizes 1 included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (shape, reduce, seed) => {
          const dims = shape.map((_, d) => d).filter((d) => reduce[d]);
          if (dims.length === 0) return;
          const n = shape.reduce((a, b) => a * b, 1);
          const data = Float64Array.from({ length: n }, (_, i) => Math.sin(seed + i * 1.7) * 3);
          const got = sum(new Tensor(data, shape), dims, true);
          const want = naiveSum(data, shape, dims);
          expect(got.shape).toEqual(shape.map((s, d) => (dims.includes(d) ? 1 : s)));
          const g = Array.from(got.data);
          for (let i = 0; i < want.length; i++) expect(Math.abs(g[i] - want[i])).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sums a conv bias gradient [N, C, H, W] → [C] and a linear one [N, F] → [F] in float32', () => {
    const x = new Tensor(
      Float32Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i),
      [2, 3, 2, 2],
    );
    expect(Array.from(sum(x, [0, 2, 3]).data)).toEqual([
      0 + 1 + 2 + 3 + 12 + 13 + 14 + 15,
      4 + 5 + 6 + 7 + 16 + 17 + 18 + 19,
      8 + 9 + 10 + 11 + 20 + 21 + 22 + 23,
    ]);
    const y = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2]);
    expect(Array.from(sum(y, 0).data)).toEqual([9, 12]);
    expect(sum(y).item()).toBe(21);
  });
});
