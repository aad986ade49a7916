import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from '../../src/functional/crossEntropy.js';
import { softmaxCrossEntropyRows } from '../../src/kernels/softmaxCrossEntropy.js';
import { fromTypedArray } from '../../src/tensor/tensor.js';
import { decode, expectClose, loadGolden } from '../functional/golden.js';

const golden = loadGolden();

describe('softmaxCrossEntropyRows against PyTorch golden data', () => {
  const cases = golden.cases.filter(
    (c) =>
      c.fn === 'crossEntropy' &&
      c.shape.length === 2 &&
      c.targetKind === 'indices' &&
      !c.weight &&
      c.options.labelSmoothing === undefined &&
      c.options.ignoreIndex === undefined &&
      (c.target ?? []).every((t) => t !== -100),
  );

  it('finds the plain [N, C] cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(4);
  });

  for (const c of cases) {
    it(`${c.dtype} ${c.name}`, () => {
      const [n, classes] = c.shape;
      const logits = c.dtype === 'float32' ? Float32Array.from(c.input, decode) : Float64Array.from(c.input, decode);
      const labels = Int32Array.from(c.target ?? [], decode);
      const mean = c.options.reduction === 'mean';
      const grad = c.dtype === 'float32' ? new Float32Array(n * classes) : new Float64Array(n * classes);
      const round = (v: number): number => (c.dtype === 'float32' ? Math.fround(v) : v);
      if (c.options.reduction === 'none') {
        // one call per row gives the per-row losses, and the gradient of their sum (gradScale 1)
        const perRow = Array.from({ length: n }, (_, i) =>
          round(softmaxCrossEntropyRows(logits.subarray(i * classes), labels.subarray(i), 1, classes, grad.subarray(i * classes), 1)),
        );
        expectClose(perRow, c.value, c.dtype, 'loss per row');
      } else {
        const total = softmaxCrossEntropyRows(logits, labels, n, classes, grad, mean ? 1 / n : 1);
        expectClose([round(mean ? total / n : total)], c.value, c.dtype, 'loss');
        expect(softmaxCrossEntropyRows(logits, labels, n, classes, null, 1)).toBe(total);
      }
      expectClose(grad, c.grad, c.dtype, 'grad');
    });
  }
});

describe('softmaxCrossEntropyRows', () => {
  it('matches the general crossEntropy path on rows with NaN, −∞ and huge logits', () => {
    const rows = [1e30, -1e30, 0, 1, Number.NaN, 2, 0, -Infinity, 3, -Infinity, -Infinity, -Infinity];
    const logits = Float64Array.from(rows);
    const labels = Int32Array.from([1, 0, 1, 2]);
    const grad = new Float64Array(12);
    const perRow = Array.from({ length: 4 }, (_, i) => softmaxCrossEntropyRows(logits.subarray(i * 3), labels.subarray(i), 1, 3, grad.subarray(i * 3), 1));
    const general = crossEntropy(fromTypedArray(logits, [4, 3]), fromTypedArray(labels, [4]), { reduction: 'none' });
    expect(perRow).toEqual(Array.from(general.data));
    expect(perRow[0]).toBe(2e30);
    expect(Number.isNaN(perRow[1])).toBe(true);
    expect(perRow[3]).toBeNaN();
  });

  it('equals the general crossEntropy path for any finite logits up to ±max/2 (no cancellation of huge terms)', () => {
    const half = fc.double({ min: -8e307, max: 8e307, noNaN: true });
    fc.assert(
      fc.property(fc.array(half, { minLength: 1, maxLength: 6 }), fc.nat(), (row, pick) => {
        const c = row.length;
        const label = Int32Array.of(pick % c);
        const logits = Float64Array.from(row);
        const fused = softmaxCrossEntropyRows(logits, label, 1, c, null, 1);
        const general = crossEntropy(fromTypedArray(logits, [1, c]), fromTypedArray(label, [1]), { reduction: 'none' }).item();
        expect(Math.abs(fused - general)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(general)));
      }),
    );
    const big = 3.4028234663852886e38;
    expect(softmaxCrossEntropyRows(Float32Array.of(-big, -big, -big), Int32Array.of(0), 1, 3, null, 1)).toBeCloseTo(Math.log(3), 12);
  });

  it('writes (softmax − onehot) · gradScale, whose rows sum to 0', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((c) =>
            fc.tuple(
              fc.constant(c),
              fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: c * 3, maxLength: c * 3 }),
              fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: 3, maxLength: 3 }),
            ),
          ),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        ([c, values, labelValues], scale) => {
          const grad = new Float64Array(values.length);
          softmaxCrossEntropyRows(Float64Array.from(values), Int32Array.from(labelValues), 3, c, grad, scale);
          for (let i = 0; i < 3; i++) {
            let s = 0;
            for (let k = 0; k < c; k++) s += grad[i * c + k];
            expect(Math.abs(s)).toBeLessThan(1e-13 * scale * c);
            expect(grad[i * c + labelValues[i]]).toBeLessThanOrEqual(0);
          }
        },
      ),
    );
  });

  it('refuses labels out of range and arrays that are too short', () => {
    expect(() => softmaxCrossEntropyRows(new Float32Array(6), Int32Array.from([0, 3]), 2, 3, null, 1)).toThrow(
      "softmaxCrossEntropyRows: argument 'labels' is 3 at [1], but class indices must lie in [0, 2] (C = 3).",
    );
    expect(() => softmaxCrossEntropyRows(new Float32Array(5), Int32Array.from([0, 1]), 2, 3, null, 1)).toThrow(/must hold n·c values/);
  });
});
