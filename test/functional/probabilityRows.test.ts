import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lanesLookLikeProbabilities } from '../../src/functional/probabilityRows.js';
import { softmax } from '../../src/functional/softmax.js';
import { fromTypedArray, tensor } from '../../src/tensor/tensor.js';

describe('lanesLookLikeProbabilities (the warning of losslab loss cross-entropy)', () => {
  it('softmax outputs along the class dimension look like probabilities, in float32 and float64', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.float({ min: -20, max: 20, noNaN: true }),
        fc.constantFrom('float32' as const, 'float64' as const),
        (n, c, d, scale, dtype) => {
          const values = Float64Array.from({ length: n * c * d }, (_, i) => Math.sin(i * 1.7 + 0.3) * scale);
          const logits = fromTypedArray(values, [n, c, d]).to(dtype);
          expect(lanesLookLikeProbabilities(softmax(logits, 1), 1)).toBe(true);
        },
      ),
    );
  });

  it('logits, unnormalised rows, negative or non-finite values, the wrong dimension and empty tensors do not', () => {
    expect(lanesLookLikeProbabilities(tensor([[2, 1, 0.1]]), 1)).toBe(false);
    expect(lanesLookLikeProbabilities(tensor([[0.5, 0.2, 0.1]]), 1)).toBe(false);
    expect(lanesLookLikeProbabilities(tensor([[1.2, -0.2, 0]]), 1)).toBe(false);
    expect(lanesLookLikeProbabilities(tensor([[Number.NaN, 0.5, 0.5]]), 1)).toBe(false);
    expect(
      lanesLookLikeProbabilities(
        tensor([
          [0.5, 0.5],
          [0.5, 0.5],
        ]),
        1,
      ),
    ).toBe(true);
    // Rows sum to 1 but columns do not.
    expect(
      lanesLookLikeProbabilities(
        tensor([
          [0.9, 0.1],
          [0.9, 0.1],
        ]),
        0,
      ),
    ).toBe(false);
    expect(lanesLookLikeProbabilities(fromTypedArray(new Float32Array(0), [0, 3]), 1)).toBe(false);
    expect(lanesLookLikeProbabilities(tensor([0, 1], { dtype: 'int32' }), 0)).toBe(false);
  });
});
