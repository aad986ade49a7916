import { describe, expect, it } from 'vitest';
import { bceWithLogits } from '../../src/functional/bceWithLogits.js';
import { gaussianNllLoss } from '../../src/functional/gaussianNllLoss.js';
import { huberLoss } from '../../src/functional/huberLoss.js';
import { l1Loss } from '../../src/functional/l1Loss.js';
import { l2Loss } from '../../src/functional/l2Loss.js';
import { mseLoss } from '../../src/functional/mseLoss.js';
import { smoothL1Loss } from '../../src/functional/smoothL1Loss.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { shapesEqual } from '../../src/tensor/shape.js';
import { loadRegressionGolden, mismatch, toTensor, TOLERANCE, type RegressionCase } from './regressionGolden.js';

const golden = loadRegressionGolden();

interface Evaluated {
  value: Tensor;
  input: Tensor;
  target: Tensor;
  variance: Tensor | null;
}

/** Runs losslab's version of a golden case and back-propagates value.sum(). */
function evaluate(c: RegressionCase): Evaluated {
  const input = toTensor(c.input, c.dtype, true);
  const target = toTensor(c.target, c.dtype, c.grad_target !== undefined);
  const variance = c.var ? toTensor(c.var, c.dtype, true) : null;
  const { reduction } = c.options;
  let value: Tensor;
  switch (c.loss) {
    case 'mse':
      value = mseLoss(input, target, { reduction });
      break;
    case 'l2':
      value = l2Loss(input, target, { reduction });
      break;
    case 'l1':
      value = l1Loss(input, target, { reduction });
      break;
    case 'huber':
      value = huberLoss(input, target, { reduction, delta: c.options.delta });
      break;
    case 'smooth-l1':
      value = smoothL1Loss(input, target, { reduction, beta: c.options.beta });
      break;
    case 'bce-with-logits':
      value = bceWithLogits(input, target, {
        reduction,
        weight: c.weight ? toTensor(c.weight, c.dtype) : undefined,
        posWeight: c.pos_weight ? toTensor(c.pos_weight, c.dtype) : undefined,
      });
      break;
    case 'gaussian-nll':
      if (!variance) throw new Error(`case ${c.name} has no var`);
      value = gaussianNllLoss(input, target, variance, { reduction, full: c.options.full, eps: c.options.eps });
      break;
  }
  const ones = new Tensor(value.dtype === 'float32' ? new Float32Array(value.size).fill(1) : new Float64Array(value.size).fill(1), value.shape);
  value.backward(ones);
  return { value, input, target, variance };
}

describe(`regression and binary losses match PyTorch ${golden.versions.torch} (test/golden/torch_regression.json)`, () => {
  it('holds cases for every loss in both dtypes', () => {
    const kinds = new Set(golden.cases.map((c) => `${c.loss} ${c.dtype}`));
    for (const loss of ['mse', 'l2', 'l1', 'huber', 'smooth-l1', 'bce-with-logits', 'gaussian-nll']) {
      expect(kinds.has(`${loss} float32`) && kinds.has(`${loss} float64`), loss).toBe(true);
    }
    expect(golden.cases.length).toBeGreaterThan(500);
  });

  for (const loss of new Set(golden.cases.map((c) => c.loss))) {
    describe(loss, () => {
      for (const c of golden.cases.filter((k) => k.loss === loss)) {
        it(c.name, () => {
          const tol = TOLERANCE[c.dtype];
          const r = evaluate(c);
          expect(r.value.dtype).toBe(c.dtype);
          expect(shapesEqual(r.value.shape, c.value.shape), `shape ${r.value.shape} vs ${c.value.shape}`).toBe(true);
          expect(mismatch(r.value.data, c.value, tol), 'value').toBeNull();
          expect(mismatch(r.input.grad?.data ?? [], c.grad_input, tol), 'grad input').toBeNull();
          if (c.grad_target) expect(mismatch(r.target.grad?.data ?? [], c.grad_target, tol), 'grad target').toBeNull();
          if (c.grad_var) {
            expect(shapesEqual(r.variance?.grad?.shape ?? [], c.grad_var.shape), 'grad var shape').toBe(true);
            expect(mismatch(r.variance?.grad?.data ?? [], c.grad_var, tol), 'grad var').toBeNull();
          }
        });
      }
    });
  }
});
