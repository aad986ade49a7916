import { fail, formatShape, formatValue } from '../errors.js';
import type { FloatDType } from '../tensor/dtype.js';
import { shapesEqual, stridesOf, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Input and target checks shared by the classification losses (crossEntropy, nllLoss), with
 * PyTorch's layout: the class dimension is 0 for a `[C]` input and 1 for `[N, C]` or
 * `[N, C, d1, …, dk]`, and class-index targets have the input's shape without it.
 */

/** The class dimension of a classification input, after checking it has ≥ 1 dimension. */
export function classDimOf(input: Tensor, fn: string): number {
  if (input.ndim === 0) {
    fail({ fn, argument: 'input', value: 'a scalar (shape [])', rule: 'it must have a class dimension: shape [C], [N, C] or [N, C, d1, …, dk]' });
  }
  return input.ndim === 1 ? 0 : 1;
}

/** The input's shape without the class dimension: the shape of index targets and of `reduction: 'none'`. */
export function withoutClassDim(shape: Shape, classDim: number): number[] {
  return shape.filter((_, i) => i !== classDim);
}

/** Multi-index of a flat position, for messages such as `12 at [3, 0]`. */
export function positionOf(flat: number, shape: Shape): string {
  const strides = stridesOf(shape);
  return `[${strides.map((s, i) => Math.floor(flat / s) % shape[i]).join(', ')}]`;
}

/** A class `weight` of shape [C] in the input's dtype (PyTorch: "a manual rescaling weight given to each class"). */
export function checkClassWeight(weight: Tensor | undefined, input: Tensor, classes: number, fn: string): Tensor | null {
  if (weight === undefined) return null;
  if (weight.dtype !== input.dtype) {
    fail({ fn, argument: 'weight', value: weight.dtype, rule: `it must have the input's dtype ${input.dtype}` });
  }
  if (weight.ndim !== 1 || weight.shape[0] !== classes) {
    fail({
      fn,
      argument: 'weight',
      value: `of shape ${formatShape(weight.shape)}`,
      rule: `it must have shape [${classes}], one weight per class (C = ${classes})`,
    });
  }
  return weight;
}

/** Checks `ignoreIndex` is an integer (PyTorch's default is -100). */
export function checkIgnoreIndex(value: number | undefined, fn: string): number {
  if (value === undefined) return -100;
  if (!Number.isInteger(value)) fail({ fn, argument: 'ignoreIndex', value: formatValue(value), rule: 'it must be an integer' });
  return value;
}

/**
 * Checks class-index targets: an int32 tensor shaped like the input without the class dimension,
 * every value in [0, C − 1] or equal to `ignoreIndex`. A float target gets a message that names
 * the first non-integer value, or says to convert it.
 */
export function checkIndexTargets(target: Tensor, input: Tensor, classDim: number, ignoreIndex: number, fn: string): Int32Array {
  const expected = withoutClassDim(input.shape, classDim);
  const classes = input.shape[classDim];
  if (!shapesEqual(target.shape, expected)) {
    fail({
      fn,
      argument: 'target',
      value: `of shape ${formatShape(target.shape)}`,
      rule: `for input of shape ${formatShape(input.shape)} it must have shape ${formatShape(expected)} (class indices)${
        fn === 'crossEntropy' ? ` or ${formatShape(input.shape)} (class probabilities)` : ''
      }`,
    });
  }
  if (target.dtype !== 'int32') {
    const data = target.data;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isInteger(data[i])) {
        fail({
          fn,
          argument: 'target',
          value: `${formatValue(data[i])} at ${positionOf(i, target.shape)}`,
          rule: 'class indices must be integers (an int32 tensor)',
        });
      }
    }
    fail({
      fn,
      argument: 'target',
      value: `a ${target.dtype} tensor of shape ${formatShape(target.shape)}`,
      rule: `class indices must be an int32 tensor${fn === 'crossEntropy' ? `, and class probabilities must have the input's shape ${formatShape(input.shape)}` : ''}`,
      fix: "Convert the indices with target.to('int32').",
    });
  }
  const labels = target.data as Int32Array;
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i];
    if ((t < 0 || t >= classes) && t !== ignoreIndex) {
      fail({
        fn,
        argument: 'target',
        value: `${t} at ${positionOf(i, target.shape)}`,
        rule: `class indices must lie in [0, ${classes - 1}] (C = ${classes}) or equal ignoreIndex (${ignoreIndex})`,
      });
    }
  }
  return labels;
}

/** Checks class-probability targets: same shape and dtype as the input. */
export function checkProbabilityTargets(target: Tensor, input: Tensor, fn: string): Tensor<FloatDType> {
  if (target.dtype !== input.dtype) {
    fail({ fn, argument: 'target', value: target.dtype, rule: `class probabilities must have the input's dtype ${input.dtype}` });
  }
  return target as Tensor<FloatDType>;
}

/** The parameters crossEntropy and nllLoss share (PyTorch's `weight` and `ignore_index`). */
export const CLASS_WEIGHT = { type: 'tensor', description: 'per-class weight [C]' } as const;
export const IGNORE_INDEX = { type: 'integer', description: 'class index to ignore', default: -100 } as const;
