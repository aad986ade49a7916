import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradcheck } from '../../src/tensor/gradcheck.js';
import { LosslabError } from '../../src/errors.js';
import { logSoftmax } from '../../src/functional/logSoftmax.js';
import { logSumExp } from '../../src/functional/logSumExp.js';
import { softmax } from '../../src/functional/softmax.js';
import { maxFinite, type FloatDType } from '../../src/tensor/dtype.js';
import { fromTypedArray, tensor, type Tensor } from '../../src/tensor/tensor.js';

const DTYPES: FloatDType[] = ['float32', 'float64'];
const inf = Infinity;

function make(values: number[][], dtype: FloatDType, requiresGrad = false): Tensor<FloatDType> {
  return tensor(values, { dtype, requiresGrad });
}

/** Finite values of a dtype, up to ±max (fc.float gives float32 values, fc.double float64). */
function finiteValue(dtype: FloatDType, bound = maxFinite(dtype)): fc.Arbitrary<number> {
  return dtype === 'float32'
    ? fc.float({ noNaN: true, noDefaultInfinity: true, min: -Math.fround(bound), max: Math.fround(bound) })
    : fc.double({ noNaN: true, noDefaultInfinity: true, min: -bound, max: bound });
}

function rows(dtype: FloatDType, bound?: number): fc.Arbitrary<number[][]> {
  return fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 7 }))
    .chain(([n, c]) => fc.array(fc.array(finiteValue(dtype, bound), { minLength: c, maxLength: c }), { minLength: n, maxLength: n }));
}

describe.each(DTYPES)('softmax family properties (%s)', (dtype) => {
  const eps = dtype === 'float32' ? 1.2e-7 : 2.3e-16;

  it('softmax rows sum to 1, for any finite input up to ±max', () => {
    fc.assert(
      fc.property(rows(dtype), (x) => {
        const y = softmax(make(x, dtype), -1);
        const c = x[0].length;
        for (let i = 0; i < x.length; i++) {
          let sum = 0;
          for (let k = 0; k < c; k++) {
            const p = y.data[i * c + k];
            expect(p >= 0 && p <= 1).toBe(true);
            sum += p;
          }
          expect(Math.abs(sum - 1)).toBeLessThanOrEqual(4 * c * eps);
        }
      }),
    );
  });

  it('adding a constant to a row changes nothing (exactly, when the sum is exact)', () => {
    const ints = fc.array(fc.integer({ min: -60, max: 60 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(ints, fc.integer({ min: -1_000_000, max: 1_000_000 }), (x, shift) => {
        const a = softmax(make([x], dtype), 1);
        const b = softmax(make([x.map((v) => v + shift)], dtype), 1);
        expect(Array.from(b.data)).toEqual(Array.from(a.data));
        const la = logSoftmax(make([x], dtype), 1);
        const lb = logSoftmax(make([x.map((v) => v + shift)], dtype), 1);
        expect(Array.from(lb.data)).toEqual(Array.from(la.data));
      }),
    );
  });

  it('logSoftmax equals log(softmax) wherever softmax has not underflowed', () => {
    fc.assert(
      fc.property(rows(dtype, 1e4), (x) => {
        const p = softmax(make(x, dtype));
        const lp = logSoftmax(make(x, dtype));
        for (let i = 0; i < p.size; i++) {
          if (p.data[i] < 1e-30) continue;
          expect(Math.abs(lp.data[i] - Math.log(p.data[i]))).toBeLessThanOrEqual(8 * eps * (1 + Math.abs(lp.data[i])));
        }
      }),
    );
  });

  it('no NaN or Inf for any finite input up to ±max: softmax, logSumExp and their gradients', () => {
    fc.assert(
      fc.property(rows(dtype), (x) => {
        const t = make(x, dtype, true);
        const y = softmax(t);
        const lse = logSumExp(t);
        for (const v of [...y.data, ...lse.data]) expect(Number.isFinite(v)).toBe(true);
        y.backward(fromTypedArray(dtype === 'float32' ? new Float32Array(y.size).fill(0.5) : new Float64Array(y.size).fill(0.5), y.shape));
        lse.backward(fromTypedArray(dtype === 'float32' ? new Float32Array(lse.size).fill(1) : new Float64Array(lse.size).fill(1), lse.shape));
        for (const v of t.grad?.data ?? []) expect(Number.isFinite(v)).toBe(true);
      }),
    );
  });

  it('logSoftmax is never NaN for finite input, and finite while the differences x − max are representable', () => {
    fc.assert(
      fc.property(rows(dtype), (x) => {
        const lp = logSoftmax(make(x, dtype));
        const c = x[0].length;
        for (let i = 0; i < lp.size; i++) {
          const row = x[Math.floor(i / c)];
          const gap = Math.max(...row) - row[i % c];
          expect(Number.isNaN(lp.data[i])).toBe(false);
          if (gap < maxFinite(dtype) / 2) expect(Number.isFinite(lp.data[i])).toBe(true);
        }
      }),
    );
  });
});

describe.each(DTYPES)('softmax family named edge cases (%s)', (dtype) => {
  const big = maxFinite(dtype);

  it('overflow', () => {
    expect(Array.from(softmax(make([[big, big / 2, -big]], dtype)).data)).toEqual([1, 0, 0]);
    expect(logSumExp(make([[big, big]], dtype)).data[0]).toBe(big);
    expect(logSoftmax(make([[big, big / 2]], dtype)).data[1]).toBe(-big / 2);
  });

  it('underflow', () => {
    const p = softmax(make([[-big, -big, -big]], dtype));
    for (const v of p.data) expect(v).toBeCloseTo(1 / 3, 6);
    expect(logSoftmax(make([[-1000, 0]], dtype)).data[0]).toBe(-1000);
  });

  it('Huge difference between probabilities', () => {
    const lp = logSoftmax(make([[-1000, 1000]], dtype));
    expect(Array.from(lp.data)).toEqual([-2000, 0]);
    expect(Array.from(softmax(make([[-1000, 1000]], dtype)).data)).toEqual([0, 1]);
  });

  it('Propagates NaNs', () => {
    for (const f of [softmax, logSoftmax]) {
      const y = f(
        make(
          [
            [1, NaN, 2],
            [1, 2, 3],
          ],
          dtype,
        ),
      );
      expect(Array.from(y.data.slice(0, 3)).every(Number.isNaN)).toBe(true);
      expect(Array.from(y.data.slice(3)).some(Number.isNaN)).toBe(false);
    }
    expect(Number.isNaN(logSumExp(make([[NaN, inf]], dtype)).data[0])).toBe(true);
  });

  it('masked rows: a partially masked row is exact, a fully masked row is NaN like PyTorch', () => {
    const y = softmax(
      make(
        [
          [0, -inf, 0],
          [-inf, -inf, -inf],
        ],
        dtype,
      ),
    );
    expect(Array.from(y.data.slice(0, 3))).toEqual([0.5, 0, 0.5]);
    expect(Array.from(y.data.slice(3)).every(Number.isNaN)).toBe(true);
    expect(Array.from(logSoftmax(make([[-inf, -inf]], dtype)).data).every(Number.isNaN)).toBe(true);
    const x = make([[-inf, -inf]], dtype, true);
    const lse = logSumExp(x);
    expect(lse.data[0]).toBe(-inf);
    lse.backward(make([[1]], dtype).reshape(1));
    expect(Array.from(x.grad?.data ?? []).every(Number.isNaN)).toBe(true);
  });

  it('masked rows with safe: true: softmax zeros, logSoftmax and logSumExp −∞, all with zero gradient', () => {
    const values = [
      [0, -inf, 0],
      [-inf, -inf, -inf],
    ];
    const x1 = make(values, dtype, true);
    const y = softmax(x1, -1, { safe: true });
    expect(Array.from(y.data)).toEqual([0.5, 0, 0.5, 0, 0, 0]);
    y.backward(
      make(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        dtype,
      ),
    );
    expect(Array.from(x1.grad?.data ?? []).slice(3)).toEqual([0, 0, 0]);
    expect(Array.from(x1.grad?.data ?? []).slice(0, 3)).toEqual([-0.5, 0, 0.5]);

    const x2 = make(values, dtype, true);
    const lp = logSoftmax(x2, 1, { safe: true });
    expect(Array.from(lp.data.slice(3))).toEqual([-inf, -inf, -inf]);
    expect(lp.data[0]).toBeCloseTo(-Math.LN2, 6);
    lp.backward(
      make(
        [
          [1, 1, 1],
          [1, 1, 1],
        ],
        dtype,
      ),
    );
    expect(Array.from(x2.grad?.data ?? []).slice(3)).toEqual([0, 0, 0]);

    const x3 = make(values, dtype, true);
    const lse = logSumExp(x3, -1, { safe: true });
    expect(lse.data[1]).toBe(-inf);
    lse.backward(make([[1, 1]], dtype).reshape(2));
    expect(Array.from(x3.grad?.data ?? []).slice(3)).toEqual([0, 0, 0]);
  });

  it('a [1,1] input and an empty batch', () => {
    expect(Array.from(softmax(make([[5]], dtype)).data)).toEqual([1]);
    expect(Array.from(logSoftmax(make([[5]], dtype)).data)).toEqual([0]);
    const empty = fromTypedArray(dtype === 'float32' ? new Float32Array(0) : new Float64Array(0), [0, 3]);
    expect([...softmax(empty).shape]).toEqual([0, 3]);
    expect([...logSumExp(empty, 1).shape]).toEqual([0]);
    expect(Array.from(logSumExp(fromTypedArray(new Float64Array(0), [2, 0]), 1).data)).toEqual([-inf, -inf]);
  });
});

describe('softmax family gradcheck (float64)', () => {
  const x3 = () =>
    tensor(
      [
        [
          [0.3, -1.2, 2.0, 0.1],
          [1.5, 0.2, -0.7, 0.9],
          [-2.1, 0.4, 0.0, 1.1],
        ],
        [
          [0.5, 0.5, -0.3, 2.2],
          [1.0, -1.0, 0.6, -0.2],
          [0.8, 0.1, -1.4, 0.3],
        ],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
  for (const dim of [0, 1, 2, -1, -2, -3]) {
    it(`softmax, logSoftmax, logSumExp along dim ${dim}`, () => {
      expect(gradcheck((x) => softmax(x, dim), [x3()]).ok).toBe(true);
      expect(gradcheck((x) => logSoftmax(x, dim), [x3()]).ok).toBe(true);
      expect(gradcheck((x) => logSumExp(x, dim), [x3()]).ok).toBe(true);
      expect(gradcheck((x) => logSumExp(x, dim, { keepDim: true }), [x3()]).ok).toBe(true);
    });
  }
  for (const temperature of [0.25, 3]) {
    it(`temperature ${temperature}`, () => {
      expect(gradcheck((x) => softmax(x, -1, { temperature }), [x3()]).ok).toBe(true);
      expect(gradcheck((x) => logSoftmax(x, 1, { temperature }), [x3()]).ok).toBe(true);
    });
  }
  it('safe mode (unmasked rows, and a fully masked softmax row)', () => {
    expect(gradcheck((x) => softmax(x, -1, { safe: true }), [x3()]).ok).toBe(true);
    expect(gradcheck((x) => logSoftmax(x, -1, { safe: true }), [x3()]).ok).toBe(true);
    expect(gradcheck((x) => logSumExp(x, -1, { safe: true }), [x3()]).ok).toBe(true);
    const masked = tensor(
      [
        [0.2, -inf, 1.0],
        [-inf, -inf, -inf],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    expect(gradcheck((x) => softmax(x, -1, { safe: true }), [masked]).ok).toBe(true);
  });
});

describe('softmax family errors', () => {
  it('names the argument, the value and the rule', () => {
    const ints = tensor([1, 2], { dtype: 'int32' });
    expect(() => softmax(ints)).toThrow("softmax: argument 'input' is int32, but it must be float32 or float64.");
    expect(() => logSoftmax(tensor([[1, 2]]), 2)).toThrow(
      "logSoftmax: argument 'dim' is 2, but it must be an integer in [-2, 1] for a tensor with 2 dimensions.",
    );
    expect(() => softmax(tensor([1, 2]), 0, { temperature: 0 })).toThrow(
      "softmax: argument 'temperature' is 0, but it must be a finite number greater than 0.",
    );
    expect(() => logSoftmax(tensor([1, 2]), 0, { temperature: NaN })).toThrow(LosslabError);
    expect(() => logSumExp(tensor([1, 2]), -2)).toThrow(/argument 'dim' is -2/);
  });
});
