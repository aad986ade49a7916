import { expect, it } from 'vitest';
import { conv2d, maxPool2d, avgPool2d, adaptiveAvgPool2d, batchNorm, groupNorm, layerNorm, gelu } from '../../src/nn/functional/index.js';
import { gradcheck, gradgradcheck } from '../../src/tensor/gradcheck.js';
import { RandomState } from '../../src/tensor/random.js';
import { fromTypedArray, type Tensor } from '../../src/tensor/tensor.js';
import * as ops from '../../src/tensor/ops/index.js';

function rnd(shape: number[], seed: number, grad = true): Tensor {
  const rs = new RandomState(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return fromTypedArray(Float64Array.from({ length: n }, () => rs.standardNormal()), shape, { requiresGrad: grad });
}

it('conv gradcheck', () => {
  const x = rnd([2, 4, 5, 6], 1), w = rnd([6, 2, 3, 2], 2), b = rnd([6], 3);
  expect(gradcheck((a, c, d) => conv2d(a, c, d, { stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2 }), [x, w, b]).ok).toBe(true);
  expect(gradcheck((a, c) => conv2d(a, c, null, { padding: 'same' }), [rnd([1, 2, 4, 4], 4), rnd([3, 2, 2, 3], 5)]).ok).toBe(true);
  expect(gradgradcheck((a, c) => conv2d(a, c, null, { stride: 2, padding: 1 }), [rnd([1, 2, 4, 4], 4), rnd([2, 2, 3, 3], 5)]).ok).toBe(true);
});
it('pool gradcheck', () => {
  const x = rnd([2, 3, 5, 7], 6);
  expect(gradcheck((a) => maxPool2d(a, [3, 2], { stride: 2, padding: 1, ceilMode: true }), [x]).ok).toBe(true);
  expect(gradcheck((a) => avgPool2d(a, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), [x]).ok).toBe(true);
  expect(gradcheck((a) => adaptiveAvgPool2d(a, [2, 3]), [x]).ok).toBe(true);
  expect(gradgradcheck((a) => maxPool2d(a, 2), [rnd([1, 1, 4, 4], 3)]).ok).toBe(true);
  expect(gradgradcheck((a) => avgPool2d(a, 2), [rnd([1, 1, 4, 4], 3)]).ok).toBe(true);
});
it('norm gradcheck', () => {
  const x = rnd([3, 4, 2, 2], 7), w = rnd([4], 8), b = rnd([4], 9);
  expect(gradcheck((a, c, d) => batchNorm(a, null, null, { weight: c, bias: d, training: true }), [x, w, b]).ok).toBe(true);
  expect(gradcheck((a, c, d) => groupNorm(a, 2, c, d), [x, w, b]).ok).toBe(true);
  expect(gradcheck((a) => layerNorm(a, [2, 2]), [x]).ok).toBe(true);
  expect(gradgradcheck((a) => groupNorm(a, 2), [rnd([2, 4, 2], 3)]).ok).toBe(true);
});
it('ops gradcheck', () => {
  const x = rnd([3, 4], 1), y = rnd([4, 5], 2), z = rnd([2, 3, 4], 3);
  expect(gradcheck((a, c) => ops.matmul(a, c), [x, y]).ok).toBe(true);
  expect(gradgradcheck((a, c) => ops.matmul(a, c), [x, y]).ok).toBe(true);
  expect(gradcheck((a, c) => ops.matmul(a, c), [z, rnd([2, 4, 2], 4)]).ok).toBe(true);
  expect(gradcheck((a) => ops.variance(a, 1), [z]).ok).toBe(true);
  expect(gradcheck((a) => ops.std(a, [0, 2]), [z]).ok).toBe(true);
  expect(gradcheck((a) => ops.max(a, 1).values, [z]).ok).toBe(true);
  expect(gradcheck((a) => ops.max(a), [z]).ok).toBe(true);
  expect(gradcheck((a) => ops.permute(a, [2, 0, 1]), [z]).ok).toBe(true);
  expect(gradcheck((a) => ops.slice(a, 2, 1, 4, 2), [z]).ok).toBe(true);
  expect(gradcheck((a, c) => ops.cat([a, c], 1), [z, rnd([2, 1, 4], 5)]).ok).toBe(true);
  expect(gradcheck((a) => ops.gather(a, 1, fromTypedArray(Int32Array.from([0, 2, 1, 1, 0, 0, 2, 2]), [2, 1, 4])), [z]).ok).toBe(true);
  expect(gradcheck((a) => ops.indexSelect(a, 2, fromTypedArray(Int32Array.from([3, 0, 3]), [3])), [z]).ok).toBe(true);
  expect(gradcheck((a) => ops.clamp(a, -0.5, 0.5), [z]).ok).toBe(true);
  expect(gradcheck((a) => ops.pow(ops.abs(a), 1.5), [z]).ok).toBe(true);
  expect(gradcheck((a) => gelu(a), [z]).ok).toBe(true);
  expect(gradgradcheck((a) => gelu(a, { approximate: 'tanh' }), [z]).ok).toBe(true);
  expect(gradgradcheck((a, c) => ops.div(ops.mul(ops.sigmoid(a), ops.tanh(a)), ops.add(ops.exp(c), 1)), [z, rnd([4], 9)]).ok).toBe(true);
});
