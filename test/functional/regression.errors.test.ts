import { describe, expect, it } from 'vitest';
import { LosslabError } from '../../src/errors.js';
import { bceWithLogits } from '../../src/functional/bceWithLogits.js';
import { gaussianNllLoss } from '../../src/functional/gaussianNllLoss.js';
import { huberLoss } from '../../src/functional/huberLoss.js';
import { l1Loss } from '../../src/functional/l1Loss.js';
import { l2Loss } from '../../src/functional/l2Loss.js';
import { mseLoss } from '../../src/functional/mseLoss.js';
import { pointwiseLosses } from '../../src/functional/losses.js';
import type { Reduction } from '../../src/functional/reduction.js';
import { smoothL1Loss } from '../../src/functional/smoothL1Loss.js';
import { tensor, type NestedArray, type Tensor } from '../../src/tensor/tensor.js';

/** Runs `action`, expects a LosslabError and returns it so the test can check every field. */
function caught(action: () => unknown): LosslabError {
  try {
    action();
  } catch (e) {
    if (e instanceof LosslabError) return e;
    throw e;
  }
  throw new Error('expected a LosslabError, but nothing was thrown');
}

const f64 = (values: NestedArray, requiresGrad = false): Tensor<'float64'> => tensor(values, { dtype: 'float64', requiresGrad });

describe('regression losses reject user mistakes with a message naming the function, argument, value and rule', () => {
  const residualLosses: [string, (x: Tensor<'float64'>, t: Tensor<'float64'>) => Tensor][] = [
    ['mseLoss', (x, t) => mseLoss(x, t)],
    ['l2Loss', (x, t) => l2Loss(x, t)],
    ['l1Loss', (x, t) => l1Loss(x, t)],
    ['huberLoss', (x, t) => huberLoss(x, t)],
    ['smoothL1Loss', (x, t) => smoothL1Loss(x, t)],
    ['bceWithLogits', (x, t) => bceWithLogits(x, t)],
    ['gaussianNllLoss', (x, t) => gaussianNllLoss(x, t, f64([1, 1, 1]))],
  ];

  for (const [name, loss] of residualLosses) {
    it(`${name}: a shape mismatch names both shapes (PyTorch would warn and broadcast)`, () => {
      const e = caught(() => loss(f64([[1], [2], [3]]), f64([1, 2, 3])));
      expect(e.fn).toBe(name);
      expect(e.argument).toBe('target');
      expect(e.message).toContain(`${name}: argument 'target' is of shape [3], but it must have the same shape as 'input' [3, 1]`);
      expect(e.message).toContain('does not broadcast');
    });
  }

  it('an int32 input is refused, tfjs-style', () => {
    const e = caught(() => mseLoss(tensor([1, 2], { dtype: 'int32' }) as unknown as Tensor<'float64'>, f64([1, 2])));
    expect(e.message).toBe("mseLoss: argument 'input' is int32, but it must be float32 or float64. Convert it with input.to('float32').");
  });

  it('mixed dtypes are refused', () => {
    const e = caught(() => l1Loss(tensor([1, 2]) as unknown as Tensor<'float64'>, f64([1, 2])));
    expect(e.argument).toBe('target');
    expect(e.message).toContain("it must have the dtype of 'input' (float32)");
  });

  it('a non-tensor target is refused', () => {
    const e = caught(() => huberLoss(f64([1, 2]), [1, 2] as unknown as Tensor<'float64'>));
    expect(e.message).toContain("huberLoss: argument 'target' is [1, 2], but it must be a Tensor");
  });

  it('an unknown reduction lists the valid ones', () => {
    const e = caught(() => mseLoss(f64([1]), f64([2]), { reduction: 'avg' as Reduction }));
    expect(e.message).toBe("mseLoss: argument 'reduction' is \"avg\", but it must be one of 'none', 'mean', 'sum'.");
  });

  it('huber: delta must be positive (PyTorch: "does not support non-positive values for delta")', () => {
    for (const delta of [0, -1, NaN]) {
      const e = caught(() => huberLoss(f64([1]), f64([2]), { delta }));
      expect(e.argument).toBe('delta');
      expect(e.message).toContain(`argument 'delta' is ${delta}, but it must be a number > 0`);
    }
  });

  it('smooth-L1: beta must be finite and ≥ 0', () => {
    expect(caught(() => smoothL1Loss(f64([1]), f64([2]), { beta: -0.5 })).message).toContain(
      "smoothL1Loss: argument 'beta' is -0.5, but it must be a finite number ≥ 0",
    );
    expect(caught(() => smoothL1Loss(f64([1]), f64([2]), { beta: Infinity })).message).toContain('identically 0');
  });

  it('bce: a weight that does not broadcast to the input names both shapes', () => {
    const e = caught(() => bceWithLogits(f64([[1, 2, 3]]), f64([[1, 0, 1]]), { weight: f64([[[1], [2]]]) }));
    expect(e.argument).toBe('weight');
    expect(e.message).toContain("argument 'weight' is of shape [1, 2, 1], but it must broadcast to the shape of 'input' [1, 3]");
  });

  it('bce: a posWeight with the wrong number of classes is refused', () => {
    const e = caught(() => bceWithLogits(f64([[1, 2, 3]]), f64([[1, 0, 1]]), { posWeight: f64([1, 2]) }));
    expect(e.message).toContain("argument 'posWeight' is of shape [2], but it must broadcast to the shape of 'input' [1, 3]");
    expect(e.fix).toContain('one positive weight per class');
  });

  it('bce: weight and posWeight take no gradient, as in PyTorch', () => {
    const e = caught(() => bceWithLogits(f64([1, 2]), f64([1, 0]), { posWeight: f64([2], true) }));
    expect(e.message).toContain("bceWithLogits has no gradient with respect to 'posWeight'");
  });

  it('gaussian-nll: a negative variance is refused with its position', () => {
    const e = caught(() => gaussianNllLoss(f64([1, 2, 3]), f64([1, 2, 3]), f64([1, -0.5, 2])));
    expect(e.argument).toBe('variance');
    expect(e.message).toContain("argument 'variance' is -0.5 at flat index 1, but variances must be non-negative");
  });

  it('gaussian-nll: a variance of the wrong shape lists the shapes PyTorch accepts', () => {
    const e = caught(() =>
      gaussianNllLoss(
        f64([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        f64([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        f64([[1, 2]]),
      ),
    );
    expect(e.message).toContain(
      "argument 'variance' is of shape [1, 2], but it must have the shape of 'input' [2, 3] (one variance per element), or [2] or [2, 1] (one variance per row, homoscedastic)",
    );
  });

  it('gaussian-nll: eps and full are checked', () => {
    expect(caught(() => gaussianNllLoss(f64([1]), f64([1]), f64([1]), { eps: -1 })).argument).toBe('eps');
    expect(caught(() => gaussianNllLoss(f64([1]), f64([1]), f64([1]), { full: 'yes' as unknown as boolean })).message).toContain(
      'argument \'full\' is "yes", but it must be true or false',
    );
  });

  it('pointwise: bad parameters and a non-binary bce label are refused', () => {
    expect(caught(() => pointwiseLosses.huber.value(0, 1, { delta: -1 })).argument).toBe('delta');
    expect(caught(() => pointwiseLosses['gaussian-nll'].density(0, 1, { sigma: 0 })).argument).toBe('sigma');
    expect(caught(() => pointwiseLosses.bce.density(0.5, 1, {})).message).toContain('probability mass on the labels y ∈ {0, 1}');
  });
});
