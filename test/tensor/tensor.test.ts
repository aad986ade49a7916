import { describe, expect, it } from 'vitest';
import { tensor, fromTypedArray, zeros, Tensor } from '../../src/tensor/tensor.js';
import { parseNpy, toNpy } from '../../src/tensor/npy.js';
import { LosslabError } from '../../src/errors.js';

describe('Tensor', () => {
  it('builds from nested arrays, row-major, float32 by default', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.get(1, 0)).toBe(4);
    expect(t.get(-1, -1)).toBe(6);
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('builds from typed arrays with a shape, without copying', () => {
    const data = new Float64Array([1, 2, 3, 4]);
    const t = fromTypedArray(data, [2, 2]);
    expect(t.dtype).toBe('float64');
    expect(t.data).toBe(data);
  });

  it('rejects ragged arrays and mismatched shapes with a message naming the rule', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/rectangular/);
    expect(() => fromTypedArray(new Float32Array(5), [2, 2])).toThrow(LosslabError);
    expect(() => tensor([1.5], { dtype: 'int32' })).toThrow(/int32 tensor holds only integers/);
  });

  it('reshapes with -1 and refuses impossible shapes', () => {
    const t = zeros([4, 6]);
    expect(t.reshape(-1, 8).shape).toEqual([3, 8]);
    expect(() => t.reshape(5, -1)).toThrow(/cannot hold 24 elements/);
  });

  it('handles scalars and empty tensors', () => {
    expect(tensor(3.5, { dtype: 'float64' }).item()).toBe(3.5);
    const e = zeros([0, 10]);
    expect(e.size).toBe(0);
    expect(e.toArray()).toEqual([]);
  });
});

describe('.npy round trip', () => {
  for (const dtype of ['float32', 'float64', 'int32'] as const) {
    it(`writes and reads ${dtype}`, () => {
      const t = tensor(
        [
          [1, -2, 3],
          [4, 5, -6],
        ],
        { dtype },
      );
      const back = parseNpy(toNpy(t));
      expect(back.dtype).toBe(dtype);
      expect(back.shape).toEqual([2, 3]);
      expect(Array.from(back.data)).toEqual(Array.from(t.data));
    });
  }

  it('pads the header to a multiple of 64 bytes, as np.save does', () => {
    const bytes = toNpy(zeros([3]));
    const headerLen = bytes[8] + 256 * bytes[9];
    expect((10 + headerLen) % 64).toBe(0);
    expect(new TextDecoder().decode(bytes.subarray(10, 10 + headerLen))).toContain("'shape': (3,)");
  });

  it('rejects data that is not .npy', () => {
    expect(() => parseNpy(new Uint8Array([1, 2, 3]), 'x.npy')).toThrow(/magic string/);
  });

  it('is a Tensor', () => {
    expect(parseNpy(toNpy(zeros([1]))) instanceof Tensor).toBe(true);
  });
});
