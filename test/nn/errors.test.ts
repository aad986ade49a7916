import { describe, expect, it } from 'vitest';
import { LosslabError } from '../../src/errors.js';
import { conv2d } from '../../src/nn/functional/conv.js';
import { batchNorm, groupNorm } from '../../src/nn/functional/normalization.js';
import { maxPool2d } from '../../src/nn/functional/pooling.js';
import { BatchNorm2d } from '../../src/nn/layers/normalization.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { Sequential } from '../../src/nn/containers.js';
import { add, linear, matmul } from '../../src/tensor/ops/index.js';
import { zeros } from '../../src/tensor/tensor.js';

/** One LosslabError naming the function, the argument, the value and the rule. */
function expectProblem(f: () => unknown, message: string): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(LosslabError);
  expect((error as LosslabError).message).toBe(message);
}

describe('bad input gives one message naming the function, argument, value and rule', () => {
  it('conv input channels that do not match the weight', () => {
    expectProblem(
      () => conv2d(zeros([2, 3, 8, 8]), zeros([4, 2, 3, 3])),
      "conv2d: argument 'input' is of shape [2, 3, 8, 8], but its 3 channels must equal weight's in-channels per group × groups = 2 × 1 = 2 (weight [4, 2, 3, 3]).",
    );
  });

  it('a kernel larger than the padded input', () => {
    expectProblem(
      () => conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 5, 5]), null, { padding: 0 }),
      "conv2d: argument 'weight' is a 5×5 kernel, but the kernel must fit in the padded input, which is 4×4 (input 4×4 plus padding).",
    );
    expectProblem(
      () => maxPool2d(zeros([1, 1, 2, 2]), 3),
      "maxPool2d: argument 'kernelSize' is 3 (span 3), but the window must fit in the padded input (2 + 2·0 = 2).",
    );
  });

  it('wrong dtypes', () => {
    expectProblem(
      () => conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3], 'float64')),
      "conv2d: argument 'weight' is float64, but it must have the input's dtype float32; losslab does not promote dtypes. Convert it with .to('float32') or .to('float64').",
    );
    expectProblem(() => conv2d(zeros([1, 1, 4, 4], 'int32'), zeros([1, 1, 3, 3])), "conv2d: argument 'input' is int32, but it must be float32 or float64.");
    expectProblem(
      () => add(zeros([2]), zeros([2], 'float64')),
      "add: argument 'other' is float64, but it must have the same dtype as 'input' (float32); losslab does not promote dtypes. Convert one with .to('float32') or .to('float64').",
    );
    expectProblem(() => new Linear(2, 2, { dtype: 'float16' as 'float32' }), "Linear: argument 'dtype' is \"float16\", but it must be 'float32' or 'float64'.");
  });

  it('an empty batch', () => {
    expectProblem(
      () => conv2d(zeros([0, 1, 4, 4]), zeros([1, 1, 3, 3])),
      "conv2d: argument 'input' is of shape [0, 1, 4, 4], but the batch is empty; it needs at least one image.",
    );
    expectProblem(
      () => batchNorm(zeros([0, 3]), null, null, { training: true }),
      "batchNorm: argument 'input' is of shape [0, 3], but the batch is empty; it needs at least one sample.",
    );
    expectProblem(
      () => groupNorm(zeros([0, 4, 2]), 2),
      "groupNorm: argument 'input' is of shape [0, 4, 2], but the batch is empty; it needs at least one sample.",
    );
    expectProblem(
      () => new BatchNorm2d(3).forward(zeros([1, 3, 1, 1])),
      "batchNorm: argument 'input' is of shape [1, 3, 1, 1], but training needs more than one value per channel to compute a variance.",
    );
  });

  it('a state dict with a missing or mis-shaped key', () => {
    const model = new Sequential(new Linear(3, 2));
    const state = model.stateDict();
    expectProblem(
      () => model.loadStateDict({ '0.weight': state['0.weight'] }),
      "Module.loadStateDict: argument 'state' is a state dict with 1 keys, but its keys must be exactly the model's (missing '0.bias'). Pass { strict: false } to load the keys that match.",
    );
    expectProblem(
      () => model.loadStateDict({ ...state, extra: zeros([1]) }),
      "Module.loadStateDict: argument 'state' is a state dict with 3 keys, but its keys must be exactly the model's (unexpected 'extra'). Pass { strict: false } to load the keys that match.",
    );
    expectProblem(
      () => model.loadStateDict({ ...state, '0.bias': zeros([3]) }),
      "Module.loadStateDict: argument 'state['0.bias']' is of shape [3], but it must have the model's shape [2].",
    );
  });

  it('shape mismatches in products and layers', () => {
    expectProblem(
      () => matmul(zeros([2, 3]), zeros([4, 5])),
      "matmul: argument 'other' is a float32 tensor of shape [4, 5], but its rows must match the input's columns: (2×3) · (4×5) cannot be multiplied (input [2, 3]).",
    );
    expectProblem(
      () => linear(zeros([2, 5]), zeros([3, 4])),
      "linear: argument 'input' is a float32 tensor of shape [2, 5], but its last dimension must be weight's inFeatures 4 (weight [3, 4]).",
    );
    expectProblem(
      () => new BatchNorm2d(3).forward(zeros([2, 4, 2, 2])),
      "BatchNorm2d: argument 'input' is of shape [2, 4, 2, 2], but its channel dimension (1) must be numFeatures = 3.",
    );
  });
});
