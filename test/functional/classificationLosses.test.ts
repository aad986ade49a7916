import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradcheck } from '../../src/tensor/gradcheck.js';
import { crossEntropy } from '../../src/functional/crossEntropy.js';
import { klDiv } from '../../src/functional/klDiv.js';
import { logSoftmax } from '../../src/functional/logSoftmax.js';
import { nllLoss } from '../../src/functional/nllLoss.js';
import type { Reduction } from '../../src/functional/reduction.js';
import { softmax } from '../../src/functional/softmax.js';
import { maxFinite, type FloatDType } from '../../src/tensor/dtype.js';
import { RandomState } from '../../src/tensor/random.js';
import { fromTypedArray, tensor, type Tensor } from '../../src/tensor/tensor.js';

const REDUCTIONS: Reduction[] = ['none', 'mean', 'sum'];

function randomTensor(shape: number[], seed: number, dtype: FloatDType = 'float64', scale = 2): Tensor {
  const rs = new RandomState(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, () => rs.standardNormal() * scale);
  const data = dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
  return fromTypedArray(data, shape, { requiresGrad: true });
}

function labels(values: number[], shape = [values.length]): Tensor<'int32'> {
  return fromTypedArray(Int32Array.from(values), shape);
}

function gradOf(f: (x: Tensor) => Tensor, x: Tensor): number[] {
  const leaf = fromTypedArray(Float64Array.from(x.data), x.shape, { requiresGrad: true });
  const out = f(leaf);
  out.backward(fromTypedArray(new Float64Array(out.size).fill(1), out.shape));
  return Array.from(leaf.grad?.data ?? []);
}

function expectAllClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-13): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `element ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i])));
}

describe('crossEntropy: fused kernel path against the general path and the composition nllLoss(logSoftmax)', () => {
  it.each(['mean', 'sum'] as const)('agrees in value and gradient (%s)', (reduction) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1e6 }), (n, c, seed) => {
        const x = randomTensor([n, c], seed);
        const rs = new RandomState(seed + 1);
        const t = labels(Array.from({ length: n }, () => rs.randint(0, c)));
        const ones = fromTypedArray(new Float64Array(c).fill(1), [c]);
        const fused = crossEntropy(x, t, { reduction });
        const general = crossEntropy(x, t, { reduction, weight: ones }); // a weight forces the general path
        const composed = nllLoss(logSoftmax(x, 1), t, { reduction });
        expectAllClose(fused.data, general.data);
        expectAllClose(fused.data, composed.data);
        const gFused = gradOf((v) => crossEntropy(v, t, { reduction }), x);
        expectAllClose(
          gFused,
          gradOf((v) => crossEntropy(v, t, { reduction, weight: ones }), x),
        );
        expectAllClose(
          gFused,
          gradOf((v) => nllLoss(logSoftmax(v, 1), t, { reduction }), x),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('label smoothing and probability targets agree with their definitions composed from logSoftmax', () => {
    const x = randomTensor([4, 5], 7);
    const t = labels([0, 3, -100, 1]);
    const eps = 0.2;
    const w = tensor([0.5, 1, 2, 1.5, 0.7], { dtype: 'float64' });
    const lp = logSoftmax(x.detach(), 1).data;
    let sum = 0;
    let weightSum = 0;
    for (let i = 0; i < 4; i++) {
      const ti = t.data[i];
      if (ti === -100) continue;
      let smooth = 0;
      for (let c = 0; c < 5; c++) smooth -= w.data[c] * lp[i * 5 + c];
      sum += (1 - eps) * -w.data[ti] * lp[i * 5 + ti] + (eps / 5) * smooth;
      weightSum += w.data[ti];
    }
    expect(crossEntropy(x, t, { weight: w, labelSmoothing: eps }).item()).toBeCloseTo(sum / weightSum, 13);
    // Probability targets: one-hot probabilities give the index loss (mean over N instead of Σw).
    const onehot = tensor(
      [
        [0, 1, 0, 0, 0],
        [0, 0, 0, 0, 1],
        [1, 0, 0, 0, 0],
        [0, 0, 1, 0, 0],
      ],
      { dtype: 'float64' },
    );
    expectAllClose(crossEntropy(x, onehot, { reduction: 'none' }).data, crossEntropy(x, labels([1, 4, 0, 2]), { reduction: 'none' }).data);
  });
});

describe.each(['float32', 'float64'] as const)('crossEntropy properties (%s)', (dtype) => {
  const finite =
    dtype === 'float32'
      ? fc.float({ noNaN: true, noDefaultInfinity: true, min: -Math.fround(maxFinite(dtype)), max: Math.fround(maxFinite(dtype)) })
      : fc.double({ noNaN: true, noDefaultInfinity: true, min: -maxFinite(dtype), max: maxFinite(dtype) });
  const batch = fc
    .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }))
    .chain(([n, c]) =>
      fc.tuple(
        fc.array(fc.array(finite, { minLength: c, maxLength: c }), { minLength: n, maxLength: n }),
        fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n }),
      ),
    );

  it('with no weights and no smoothing the gradient rows sum to 0, and are finite for any finite input up to ±max', () => {
    fc.assert(
      fc.property(batch, fc.constantFrom<Reduction>('mean', 'sum', 'none'), ([x, t], reduction) => {
        const input = tensor(x, { dtype, requiresGrad: true });
        const loss = crossEntropy(input, labels(t), { reduction });
        expect(Array.from(loss.data).some(Number.isNaN)).toBe(false);
        loss.backward(fromTypedArray(dtype === 'float32' ? new Float32Array(loss.size).fill(1) : new Float64Array(loss.size).fill(1), loss.shape));
        const g = input.grad?.data ?? [];
        const c = x[0].length;
        for (let i = 0; i < x.length; i++) {
          let s = 0;
          for (let k = 0; k < c; k++) {
            expect(Number.isFinite(g[i * c + k])).toBe(true);
            s += g[i * c + k];
          }
          expect(Math.abs(s)).toBeLessThanOrEqual(4 * c * (dtype === 'float32' ? 1.2e-7 : 2.3e-16));
        }
      }),
    );
  });

  it('the loss is finite while logit differences are representable (|x| ≤ max/2)', () => {
    const half =
      dtype === 'float32'
        ? fc.float({ noNaN: true, noDefaultInfinity: true, min: Math.fround(-1.7e38), max: Math.fround(1.7e38) })
        : fc.double({ noNaN: true, noDefaultInfinity: true, min: -8e307, max: 8e307 });
    fc.assert(
      fc.property(fc.array(half, { minLength: 2, maxLength: 6 }), (row) => {
        const loss = crossEntropy(tensor([row], { dtype }), labels([row.length - 1]), { reduction: 'sum' });
        expect(Number.isFinite(loss.item())).toBe(true);
        expect(loss.item()).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('in [N, C, d] layout the gradient sums to 0 along the class dimension', () => {
    const x = randomTensor([2, 3, 4], 3, dtype);
    const t = labels([0, 1, 2, 1, 2, 2, 0, 1], [2, 4]);
    crossEntropy(x, t).backward();
    const g = x.grad?.data ?? [];
    for (let n = 0; n < 2; n++) for (let d = 0; d < 4; d++) expect(Math.abs(g[n * 12 + d] + g[n * 12 + 4 + d] + g[n * 12 + 8 + d])).toBeLessThan(1e-6);
  });
});

describe('gradcheck of every classification loss and option (float64)', () => {
  const x2 = () => randomTensor([4, 3], 11);
  const x4 = () => randomTensor([2, 3, 2, 2], 12);
  const t2 = labels([2, 0, -100, 1]);
  const t4 = labels([0, 2, 1, 1, 2, -100, 0, 1], [2, 2, 2]);
  const w = tensor([0.3, 1.7, 1.1], { dtype: 'float64' });
  const probs2 = softmax(randomTensor([4, 3], 13).detach(), 1);
  const probs4 = softmax(randomTensor([2, 3, 2, 2], 14).detach(), 1);

  for (const reduction of REDUCTIONS) {
    it(`crossEntropy with index targets (${reduction})`, () => {
      expect(gradcheck((x) => crossEntropy(x, labels([2, 0, 1, 1]), { reduction }), [x2()]).ok).toBe(true); // fused path
      expect(gradcheck((x) => crossEntropy(x, t2, { reduction, weight: w }), [x2()]).ok).toBe(true);
      expect(gradcheck((x) => crossEntropy(x, labels([2, 0, 1, 1]), { reduction, ignoreIndex: 1 }), [x2()]).ok).toBe(true);
      expect(gradcheck((x) => crossEntropy(x, t2, { reduction, labelSmoothing: 0.15 }), [x2()]).ok).toBe(true);
      expect(gradcheck((x) => crossEntropy(x, t2, { reduction, labelSmoothing: 0.3, weight: w }), [x2()]).ok).toBe(true);
      expect(gradcheck((x) => crossEntropy(x, t4, { reduction, labelSmoothing: 0.1, weight: w }), [x4()]).ok).toBe(true);
      expect(gradcheck((x) => crossEntropy(x, labels([1], []), { reduction }), [randomTensor([3], 15)]).ok).toBe(true);
    });
    it(`crossEntropy with probability targets (${reduction})`, () => {
      expect(gradcheck((x) => crossEntropy(x, probs2, { reduction }), [x2()]).ok).toBe(true);
      expect(gradcheck((x) => crossEntropy(x, probs2, { reduction, weight: w, labelSmoothing: 0.2 }), [x2()]).ok).toBe(true);
      expect(gradcheck((x) => crossEntropy(x, probs4, { reduction, weight: w }), [x4()]).ok).toBe(true);
    });
    it(`nllLoss (${reduction})`, () => {
      expect(gradcheck((x) => nllLoss(x, t2, { reduction }), [x2()]).ok).toBe(true);
      expect(gradcheck((x) => nllLoss(x, t2, { reduction, weight: w }), [x2()]).ok).toBe(true);
      expect(gradcheck((x) => nllLoss(x, t4, { reduction, weight: w }), [x4()]).ok).toBe(true);
      expect(gradcheck((x) => nllLoss(x, labels([0, 2, 1, 1, 2, 2, 0, 1], [2, 2, 2]), { reduction, ignoreIndex: 2 }), [x4()]).ok).toBe(true);
    });
  }
  for (const reduction of ['none', 'mean', 'batchmean', 'sum'] as const) {
    it(`klDiv (${reduction}, logTarget false and true)`, () => {
      const logQ = () => logSoftmax(randomTensor([3, 4], 16).detach(), 1).requiresGrad_();
      const p = softmax(randomTensor([3, 4], 17).detach(), 1);
      expect(gradcheck((x) => klDiv(x, p, { reduction }), [logQ()]).ok).toBe(true);
      expect(gradcheck((x) => klDiv(x, logSoftmax(p, 1), { reduction, logTarget: true }), [logQ()]).ok).toBe(true);
    });
  }
});

describe('klDiv', () => {
  it('is 0 when the distributions agree, positive otherwise, and batchmean divides by N', () => {
    const p = softmax(randomTensor([3, 4], 21).detach(), 1);
    const logP = logSoftmax(randomTensor([3, 4], 21).detach(), 1);
    expect(Math.abs(klDiv(logP, p, { reduction: 'sum' }).item())).toBeLessThan(1e-15);
    const logQ = logSoftmax(randomTensor([3, 4], 22).detach(), 1);
    const sum = klDiv(logQ, p, { reduction: 'sum' }).item();
    expect(sum).toBeGreaterThan(0);
    expect(klDiv(logQ, p, { reduction: 'batchmean' }).item()).toBeCloseTo(sum / 3, 15);
    expect(klDiv(logQ, p, { reduction: 'mean' }).item()).toBeCloseTo(sum / 12, 15);
    expect(klDiv(logQ, logP, { reduction: 'sum', logTarget: true }).item()).toBeCloseTo(sum, 14);
  });
});

describe('classification loss errors name the argument, the value and the rule', () => {
  const x = tensor([
    [0.1, 0.2, 0.3],
    [1, 2, 3],
  ]);
  it('class index out of range, with its position', () => {
    expect(() => crossEntropy(x, labels([0, 3]))).toThrow(
      "crossEntropy: argument 'target' is 3 at [1], but class indices must lie in [0, 2] (C = 3) or equal ignoreIndex (-100).",
    );
    expect(() => nllLoss(x, labels([-1, 0]))).toThrow(
      "nllLoss: argument 'target' is -1 at [0], but class indices must lie in [0, 2] (C = 3) or equal ignoreIndex (-100).",
    );
    expect(() =>
      crossEntropy(
        tensor([
          [
            [1, 2],
            [3, 4],
          ],
        ]),
        labels([0, 5], [1, 2]),
      ),
    ).toThrow(/is 5 at \[0, 1\]/);
  });
  it('a float target where indices are expected: non-integer values, or the wrong dtype', () => {
    expect(() => crossEntropy(x, tensor([0, 1.5]))).toThrow(
      "crossEntropy: argument 'target' is 1.5 at [1], but class indices must be integers (an int32 tensor).",
    );
    expect(() => crossEntropy(x, tensor([0, 1]))).toThrow(
      "crossEntropy: argument 'target' is a float32 tensor of shape [2], but class indices must be an int32 tensor, and class probabilities must have the input's shape [2, 3]. Convert the indices with target.to('int32').",
    );
  });
  it('shape mismatch', () => {
    expect(() => crossEntropy(x, labels([0, 1, 2, 0, 1, 2], [2, 3]))).toThrow(
      "crossEntropy: argument 'target' is an int32 tensor of shape [2, 3], but a target shaped like the input holds class probabilities and must be float32, while class indices have shape [2].",
    );
    expect(() => crossEntropy(x, labels([0, 1, 2]))).toThrow(
      "crossEntropy: argument 'target' is of shape [3], but for input of shape [2, 3] it must have shape [2] (class indices) or [2, 3] (class probabilities).",
    );
    expect(() => nllLoss(x, labels([0, 1, 2, 0, 1, 2], [2, 3]))).toThrow(
      "nllLoss: argument 'target' is of shape [2, 3], but for input of shape [2, 3] it must have shape [2] (class indices).",
    );
    expect(() => klDiv(x, tensor([0.5, 0.5]))).toThrow("klDiv: argument 'target' is of shape [2], but it must have the same shape as 'input' [2, 3].");
  });
  it('wrong dtypes and bad options', () => {
    expect(() => crossEntropy(tensor([[1, 2]], { dtype: 'int32' }), labels([0]))).toThrow(
      "crossEntropy: argument 'input' is int32, but it must be float32 or float64.",
    );
    expect(() => crossEntropy(tensor(1), labels([0]))).toThrow(/argument 'input' is a scalar/);
    expect(() => crossEntropy(x, labels([0, 1]), { weight: tensor([1, 2]) })).toThrow(
      "crossEntropy: argument 'weight' is of shape [2], but it must have shape [3], one weight per class (C = 3).",
    );
    expect(() => crossEntropy(x, labels([0, 1]), { weight: tensor([1, 2, 3], { dtype: 'float64' }) })).toThrow(
      /argument 'weight' is float64, but it must have the input's dtype float32/,
    );
    expect(() => crossEntropy(x, labels([0, 1]), { labelSmoothing: 1.5 })).toThrow(
      "crossEntropy: argument 'labelSmoothing' is 1.5, but it must be a number in [0, 1].",
    );
    expect(() => crossEntropy(x, labels([0, 1]), { reduction: 'avg' as Reduction })).toThrow(
      "crossEntropy: argument 'reduction' is \"avg\", but it must be one of 'none', 'mean', 'sum'.",
    );
    expect(() =>
      crossEntropy(
        x,
        tensor([
          [1, 0, 0],
          [0, 1, 0],
        ]),
        { ignoreIndex: 0 },
      ),
    ).toThrow(/argument 'ignoreIndex' is 0, but it applies only to class-index targets/);
    expect(() =>
      crossEntropy(
        x,
        tensor(
          [
            [1, 0, 0],
            [0, 1, 0],
          ],
          { dtype: 'float64' },
        ),
      ),
    ).toThrow("crossEntropy: argument 'target' is float64, but class probabilities must have the input's dtype float32.");
    expect(() => nllLoss(x, labels([0, 1]), { ignoreIndex: 0.5 })).toThrow("nllLoss: argument 'ignoreIndex' is 0.5, but it must be an integer.");
    expect(() => klDiv(x, x, { reduction: 'batch' as 'sum' })).toThrow(
      /argument 'reduction' is "batch", but it must be one of 'none', 'mean', 'batchmean', 'sum'/,
    );
  });
});
