import { describe, expect, it } from 'vitest';
import { maxPool2d } from '../../src/nn/functional/pooling.js';
import { fromTypedArray } from '../../src/tensor/tensor.js';

describe('maxPool2d 2×2 / stride 2 with ceilMode on an odd size', () => {
  it('the last window, over the edge, holds the last row or column only (the unrolled 2×2 loop read the next plane there)', () => {
    // two planes: a full 2×2 window at the edge of the first would read the second plane's first row
    const x = fromTypedArray(
      Float32Array.from({ length: 50 }, (_, i) => i),
      [1, 2, 5, 5],
    );
    const y = maxPool2d(x, 2, { ceilMode: true });
    expect(y.shape).toEqual([1, 2, 3, 3]);
    const first = [6, 8, 9, 16, 18, 19, 21, 23, 24];
    expect(Array.from(y.data)).toEqual([...first, ...first.map((v) => v + 25)]);
  });
});
