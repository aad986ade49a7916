import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradcheck } from '../../src/tensor/gradcheck.js';
import { crossEntropy } from '../../src/functional/crossEntropy.js';
import { logSoftmax } from '../../src/functional/logSoftmax.js';
import { logSumExp } from '../../src/functional/logSumExp.js';
import { detachedMax } from '../../src/functional/ops.js';
import { add, div, exp, log, mean, mul, neg, sub, sum } from '../../src/tensor/ops/index.js';
import type { Reduction } from '../../src/functional/reduction.js';
import { softmax } from '../../src/functional/softmax.js';
import { RandomState } from '../../src/tensor/random.js';
import { fromTypedArray, tensor, type Tensor } from '../../src/tensor/tensor.js';

function randomTensor(shape: number[], seed: number, scale = 2, offset = 0): Tensor {
  const rs = new RandomState(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return fromTypedArray(
    Float64Array.from({ length: n }, () => offset + rs.standardNormal() * scale),
    shape,
    { requiresGrad: true },
  );
}

/** tinygrad's logsumexp: subtract the detached max, exp, sum, log, add the max back. */
const composedLogSumExp = (x: Tensor, dim: number): Tensor => {
  const m = detachedMax(x, dim);
  return add(log(sum(exp(sub(x, m)), dim, true)), m);
};
const composedLogSoftmax = (x: Tensor, dim: number): Tensor => sub(x, composedLogSumExp(x, dim));

function gradOf(f: (x: Tensor) => Tensor, x: Tensor): Float64Array {
  const leaf = fromTypedArray(Float64Array.from(x.data), x.shape, { requiresGrad: true });
  const out = f(leaf);
  out.backward(fromTypedArray(new Float64Array(out.size).fill(1), out.shape));
  return Float64Array.from(leaf.grad?.data ?? []);
}

function expectAllClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `element ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i])));
}

describe('elementwise primitives (the gradient table)', () => {
  it('gradcheck passes for every primitive, with broadcasting', () => {
    const a = () => randomTensor([3, 1, 4], 1);
    const b = () => randomTensor([2, 1], 2);
    const positive = () => randomTensor([3, 4], 3, 0.3, 2);
    expect(gradcheck((x, y) => add(x, y), [a(), b()]).ok).toBe(true);
    expect(gradcheck((x, y) => sub(x, y), [a(), b()]).ok).toBe(true);
    expect(gradcheck((x, y) => mul(x, y), [a(), b()]).ok).toBe(true);
    expect(gradcheck((x, y) => div(x, y), [a(), positive()]).ok).toBe(true);
    expect(gradcheck((x) => neg(x), [a()]).ok).toBe(true);
    expect(gradcheck((x) => exp(x), [a()]).ok).toBe(true);
    expect(gradcheck((x) => log(x), [positive()]).ok).toBe(true);
    for (const dim of [undefined, 0, 1, -1]) {
      expect(gradcheck((x) => sum(x, dim), [a()]).ok).toBe(true);
      expect(gradcheck((x) => mean(x, dim, true), [a()]).ok).toBe(true);
    }
    expect(gradcheck((x) => mul(x, 3), [a()]).ok).toBe(true);
  });

  it('broadcasts like NumPy and refuses shapes that do not broadcast', () => {
    const out = add(tensor([[1], [2]], { dtype: 'float64' }), tensor([10, 20, 30], { dtype: 'float64' }));
    expect(out.shape).toEqual([2, 3]);
    expect(Array.from(out.data)).toEqual([11, 21, 31, 12, 22, 32]);
    expect(() => add(tensor([1, 2]), tensor([1, 2, 3]))).toThrow("add: argument 'other' is of shape [3], but it must broadcast with 'input' of shape [2]");
    expect(() => mul(tensor([1, 2]), tensor([1, 2], { dtype: 'float64' }))).toThrow(
      "mul: argument 'other' is float64, but it must have the same dtype as 'input' (float32); losslab does not promote dtypes.",
    );
    expect(Number.isNaN(mean(fromTypedArray(new Float64Array(0), [0])).item())).toBe(true);
  });
});

describe('hand-written functions agree with their compositions from primitives', () => {
  it('logSumExp and logSoftmax, value and gradient, along every dim', () => {
    for (const dim of [0, 1, 2, -1]) {
      const x = randomTensor([2, 3, 4], 10 + dim, 5);
      expectAllClose(logSumExp(x, dim, { keepDim: true }).data, composedLogSumExp(x, dim).data);
      expectAllClose(logSoftmax(x, dim).data, composedLogSoftmax(x, dim).data);
      expectAllClose(
        gradOf((v) => logSoftmax(v, dim), x),
        gradOf((v) => composedLogSoftmax(v, dim), x),
      );
      expectAllClose(
        gradOf((v) => mul(softmax(v, dim), x.detach()), x),
        gradOf((v) => mul(exp(composedLogSoftmax(v, dim)), x.detach()), x),
      );
    }
  });

  /**
   * Cross-entropy written from PyTorch's definition with primitives only: a constant coefficient
   * tensor A (one-hot · (1 − ε) · w_t + ε/C · w for index targets; w · (t(1 − ε) + ε/C) for
   * probabilities) and ℓ = −Σ_c A_c · logSoftmax(x)_c, reduced by Σ, or divided by Σ w_t / by N.
   */
  function composedCrossEntropy(x: Tensor, coefficients: Tensor, reduction: Reduction, divisor: number): Tensor {
    const perRow = neg(sum(mul(coefficients, composedLogSoftmax(x, 1)), 1));
    if (reduction === 'none') return perRow;
    return reduction === 'sum' ? sum(perRow) : div(sum(perRow), divisor);
  }

  it('crossEntropy with index targets, weight, ignoreIndex and label smoothing (fused and general paths)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom<Reduction>('none', 'mean', 'sum'),
        fc.constantFrom(0, 0.1, 0.45),
        fc.boolean(),
        fc.boolean(),
        (n, c, seed, reduction, eps, weighted, ignoring) => {
          const x = randomTensor([n, c], seed);
          const rs = new RandomState(seed + 7);
          const labels = Array.from({ length: n }, (_, i) => (ignoring && i === 0 ? -100 : rs.randint(0, c)));
          const w = Array.from({ length: c }, () => (weighted ? 0.2 + rs.randomSample() * 2 : 1));
          const a = new Float64Array(n * c);
          let weightSum = 0;
          labels.forEach((t, i) => {
            if (t === -100) return;
            weightSum += w[t];
            for (let k = 0; k < c; k++) a[i * c + k] = (eps / c) * w[k] + (k === t ? (1 - eps) * w[t] : 0);
          });
          const coefficients = fromTypedArray(a, [n, c]);
          const target = fromTypedArray(Int32Array.from(labels), [n]);
          const options = { reduction, labelSmoothing: eps, weight: weighted ? fromTypedArray(Float64Array.from(w), [c]) : undefined };
          const expected = composedCrossEntropy(x, coefficients, reduction, weightSum);
          if (weightSum === 0 && reduction === 'mean') {
            expect(Number.isNaN(crossEntropy(x, target, options).item())).toBe(true);
            return;
          }
          expectAllClose(crossEntropy(x, target, options).data, expected.data);
          expectAllClose(
            gradOf((v) => crossEntropy(v, target, options), x),
            gradOf((v) => composedCrossEntropy(v, coefficients, reduction, weightSum), x),
          );
        },
      ),
      { numRuns: 80 },
    );
  });

  it('crossEntropy with probability targets in [N, C, d] layout', () => {
    for (const reduction of ['none', 'mean', 'sum'] as const) {
      const x = randomTensor([2, 3, 4], 40);
      const t = softmax(randomTensor([2, 3, 4], 41).detach(), 1);
      const w = [0.5, 1.5, 1.0];
      const eps = 0.2;
      const a = Float64Array.from(t.data, (p, i) => w[Math.floor(i / 4) % 3] * (p * (1 - eps) + eps / 3));
      const coefficients = fromTypedArray(a, [2, 3, 4]);
      const options = { reduction, labelSmoothing: eps, weight: fromTypedArray(Float64Array.from(w), [3]) };
      expectAllClose(crossEntropy(x, t, options).data, composedCrossEntropy(x, coefficients, reduction, 8).data);
      expectAllClose(
        gradOf((v) => crossEntropy(v, t, options), x),
        gradOf((v) => composedCrossEntropy(v, coefficients, reduction, 8), x),
      );
    }
  });
});
