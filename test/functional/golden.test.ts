import { describe, expect, it } from 'vitest';
import { crossEntropy } from '../../src/functional/crossEntropy.js';
import { klDiv } from '../../src/functional/klDiv.js';
import { logSoftmax } from '../../src/functional/logSoftmax.js';
import { logSumExp } from '../../src/functional/logSumExp.js';
import { nllLoss } from '../../src/functional/nllLoss.js';
import type { Reduction, KlReduction } from '../../src/functional/reduction.js';
import { softmax } from '../../src/functional/softmax.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { expectClose, floatTensor, goldenTarget, loadGolden, type GoldenCase } from './golden.js';

const golden = loadGolden();
const gradData = (t: Tensor): ArrayLike<number> => t.grad?.data ?? [];

/** Calls the losslab function that the golden case names, with its options. */
function call(c: GoldenCase, x: Tensor): Tensor {
  const o = c.options;
  const dim = typeof o.dim === 'number' ? o.dim : -1;
  const temperature = typeof o.temperature === 'number' ? o.temperature : undefined;
  const weight = c.weight ? floatTensor(c.weight, [c.weight.length], c.dtype) : undefined;
  const ignoreIndex = typeof o.ignoreIndex === 'number' ? o.ignoreIndex : undefined;
  const labelSmoothing = typeof o.labelSmoothing === 'number' ? o.labelSmoothing : undefined;
  switch (c.fn) {
    case 'softmax':
      return softmax(x, dim, { temperature });
    case 'logSoftmax':
      return logSoftmax(x, dim, { temperature });
    case 'logSumExp':
      return logSumExp(x, dim, { keepDim: o.keepDim === true });
    case 'crossEntropy':
      return crossEntropy(x, goldenTarget(c), { weight, ignoreIndex, labelSmoothing, reduction: o.reduction as Reduction });
    case 'nllLoss':
      return nllLoss(x, goldenTarget(c), { weight, ignoreIndex, reduction: o.reduction as Reduction });
    case 'klDiv':
      return klDiv(x, goldenTarget(c), { reduction: o.reduction as KlReduction, logTarget: o.logTarget === true });
  }
}

describe(`golden vectors from PyTorch ${golden.torch}`, () => {
  it('holds cases for every function in both dtypes', () => {
    for (const fn of ['softmax', 'logSoftmax', 'logSumExp', 'crossEntropy', 'nllLoss', 'klDiv']) {
      for (const dtype of ['float32', 'float64']) {
        expect(
          golden.cases.some((c) => c.fn === fn && c.dtype === dtype),
          `${fn} ${dtype}`,
        ).toBe(true);
      }
    }
  });

  for (const c of golden.cases) {
    it(`${c.dtype} ${c.name}`, () => {
      const x = floatTensor(c.input, c.shape, c.dtype, true);
      const value = call(c, x);
      expect(value.dtype).toBe(c.dtype);
      expect([...value.shape]).toEqual(c.valueShape);
      expectClose(value.data, c.value, c.dtype, 'value');

      value.backward(
        floatTensor(
          c.value.map(() => 1),
          c.valueShape,
          c.dtype,
        ),
      );
      expectClose(gradData(x), c.grad, c.dtype, 'grad of sum(value)');

      const x2 = floatTensor(c.input, c.shape, c.dtype, true);
      call(c, x2).backward(floatTensor(c.gradOutput, c.valueShape, c.dtype));
      expectClose(gradData(x2), c.vjp, c.dtype, 'vector-Jacobian product');
    });
  }
});
