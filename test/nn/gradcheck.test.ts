import { describe, expect, it } from 'vitest';
import { bceWithLogits } from '../../src/functional/bceWithLogits.js';
import { crossEntropy } from '../../src/functional/crossEntropy.js';
import { logSoftmax } from '../../src/functional/logSoftmax.js';
import { softmax } from '../../src/functional/softmax.js';
import { Sequential } from '../../src/nn/containers.js';
import * as F from '../../src/nn/functional/index.js';
import { Flatten, GELU, GradientReversal, LeakyReLU, ReLU, Sigmoid, Tanh } from '../../src/nn/layers/activation.js';
import { Conv2d } from '../../src/nn/layers/conv.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm } from '../../src/nn/layers/normalization.js';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from '../../src/nn/layers/pooling.js';
import type { Module } from '../../src/nn/module.js';
import { gradcheck, gradgradcheck } from '../../src/tensor/gradcheck.js';
import * as ops from '../../src/tensor/ops/index.js';
import { RandomState } from '../../src/tensor/random.js';
import { fromTypedArray, type Tensor } from '../../src/tensor/tensor.js';

function rnd(shape: number[], seed: number, low = -2, high = 2): Tensor {
  const rs = new RandomState(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return fromTypedArray(
    Float64Array.from({ length: n }, () => rs.uniform(low, high)),
    shape,
    { requiresGrad: true },
  );
}
const ints = (values: number[], shape: number[]): Tensor => fromTypedArray(Int32Array.from(values), shape);
const ok = (r: { ok: boolean }): void => expect(r.ok).toBe(true);

describe('gradcheck (float64 finite differences) for every tensor operation', () => {
  const a = () => rnd([2, 3, 4], 1);
  const b = () => rnd([3, 1], 2);
  const pos = () => rnd([2, 3], 3, 0.3, 2);
  it('elementwise, with broadcasting', () => {
    for (const f of [ops.add, ops.sub, ops.mul]) ok(gradcheck((x, y) => f(x, y), [a(), b()]));
    ok(gradcheck((x, y) => ops.div(x, y), [a(), rnd([4], 4, 0.5, 2)]));
    ok(gradcheck((x, y) => ops.pow(x, y), [pos(), rnd([3], 5)]));
    ok(gradcheck((x) => ops.pow(x, 2.5), [pos()]));
    for (const f of [ops.neg, ops.exp, ops.abs, ops.sigmoid, ops.tanh, ops.erf, ops.relu]) ok(gradcheck((x) => f(x), [a()]));
    for (const f of [ops.log, ops.log1p, ops.sqrt, ops.rsqrt]) ok(gradcheck((x) => f(x), [pos()]));
    ok(gradcheck((x) => ops.leakyRelu(x, 0.2), [a()]));
    ok(gradcheck((x) => ops.clamp(x, -0.5, 0.7), [a()]));
    ok(gradcheck((x, y) => ops.where(ops.gt(x, 0), x, y), [a(), rnd([4], 6)]));
  });
  it('reductions', () => {
    for (const dim of [undefined, 1, [0, 2]]) {
      ok(gradcheck((x) => ops.sum(x, dim, true), [a()]));
      ok(gradcheck((x) => ops.mean(x, dim), [a()]));
      ok(gradcheck((x) => ops.variance(x, dim), [a()]));
      ok(gradcheck((x) => ops.std(x, dim, { correction: 0 }), [a()]));
    }
    ok(gradcheck((x) => ops.max(x, 1).values, [a()]));
    ok(gradcheck((x) => ops.min(x, -1, true).values, [a()]));
    ok(gradcheck((x) => ops.amax(x, 0), [a()]));
    ok(gradcheck((x) => ops.max(x), [a()]));
  });
  it('shapes and indexing', () => {
    ok(gradcheck((x) => ops.reshape(x, [4, -1]), [a()]));
    ok(gradcheck((x) => ops.flatten(x, 1), [a()]));
    ok(gradcheck((x) => ops.squeeze(ops.unsqueeze(x, 1), 1), [a()]));
    ok(gradcheck((x) => ops.permute(x, [2, 0, 1]), [a()]));
    ok(gradcheck((x) => ops.transpose(x, 0, 2), [a()]));
    ok(gradcheck((x) => ops.broadcastTo(x, [2, 3, 5]), [b()]));
    ok(gradcheck((x) => ops.slice(x, 2, 1, undefined, 2), [a()]));
    ok(gradcheck((x) => ops.narrow(x, 1, 1, 2), [a()]));
    ok(gradcheck((x) => ops.select(x, 0, 1), [a()]));
    ok(gradcheck((x) => ops.indexSelect(x, 2, ints([3, 0, 3], [3])), [a()]));
    ok(gradcheck((x) => ops.gather(x, 1, ints([0, 2, 1, 1, 0, 0, 2, 2], [2, 1, 4])), [a()]));
    ok(gradcheck((x, s) => ops.scatterAdd(x, 1, ints([0, 2, 1, 1, 0, 0, 2, 2], [2, 1, 4]), s), [a(), rnd([2, 1, 4], 7)]));
    ok(gradcheck((x, y) => ops.cat([x, y], 1), [a(), rnd([2, 2, 4], 8)]));
    ok(gradcheck((x, y) => ops.stack([x, y], 1), [a(), a()]));
    ok(gradcheck((x) => ops.split(x, 3, 2)[1], [a()]));
  });
  it('matrix products', () => {
    ok(gradcheck((x, y) => ops.matmul(x, y), [rnd([4], 1), rnd([4], 2)]));
    ok(gradcheck((x, y) => ops.matmul(x, y), [rnd([4], 1), rnd([4, 3], 2)]));
    ok(gradcheck((x, y) => ops.matmul(x, y), [rnd([2, 1, 3, 4], 1), rnd([3, 4, 2], 2)]));
    for (const [ta, tb] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ]) {
      ok(gradcheck((x, y) => ops.mmT(x, y, ta, tb), [rnd(ta ? [4, 3] : [3, 4], 1), rnd(tb ? [2, 4] : [4, 2], 2)]));
    }
    ok(gradcheck((x, w, c) => ops.linear(x, w, c), [rnd([2, 3, 4], 1), rnd([5, 4], 2), rnd([5], 3)]));
  });
});

describe('gradcheck for every nn functional form and module (float64)', () => {
  it('conv2d in every configuration of the golden cases', () => {
    ok(
      gradcheck(
        (x, w, c) => F.conv2d(x, w, c, { stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2 }),
        [rnd([2, 4, 5, 6], 1), rnd([6, 2, 3, 2], 2), rnd([6], 3)],
      ),
    );
    ok(gradcheck((x, w) => F.conv2d(x, w, null, { padding: 'same' }), [rnd([1, 2, 4, 5], 4), rnd([3, 2, 2, 3], 5)]));
    ok(gradcheck((x, w) => F.conv2d(x, w, null, { stride: 3 }), [rnd([1, 2, 7, 7], 4), rnd([2, 2, 2, 2], 5)]));
    ok(gradcheck((x, w) => F.conv2d(x, w, null, { groups: 3 }), [rnd([3, 3], 4).reshape(1, 3, 3, 1), rnd([3, 1, 2, 1], 5)]));
  });
  it('pooling, normalisation, activations', () => {
    const x = rnd([2, 3, 5, 6], 6);
    ok(gradcheck((t) => F.maxPool2d(t, [3, 2], { stride: 2, padding: 1, ceilMode: true }), [x]));
    ok(gradcheck((t) => F.avgPool2d(t, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), [x]));
    ok(gradcheck((t) => F.adaptiveAvgPool2d(t, [2, 4]), [x]));
    ok(gradcheck((t, w, c) => F.batchNorm(t, null, null, { weight: w, bias: c, training: true }), [rnd([3, 4, 2, 2], 7), rnd([4], 8), rnd([4], 9)]));
    ok(gradcheck((t, w, c) => F.groupNorm(t, 2, w, c), [rnd([2, 4, 3], 7), rnd([4], 8), rnd([4], 9)]));
    ok(gradcheck((t, w, c) => F.layerNorm(t, [3], w, c), [rnd([2, 3], 7), rnd([3], 8), rnd([3], 9)]));
    ok(gradcheck((t) => F.gelu(t), [x]));
    ok(gradcheck((t) => F.gelu(t, { approximate: 'tanh' }), [x]));
  });
  const cases: [string, () => Module, number[]][] = [
    ['Linear', () => new Linear(4, 3, { dtype: 'float64' }), [2, 4]],
    ['Conv2d', () => new Conv2d(2, 3, 3, { stride: 2, padding: 1, dtype: 'float64' }), [1, 2, 5, 4]],
    ['BatchNorm1d', () => new BatchNorm1d(3, { dtype: 'float64' }), [4, 3]],
    ['BatchNorm2d', () => new BatchNorm2d(2, { dtype: 'float64' }), [3, 2, 2, 2]],
    ['GroupNorm', () => new GroupNorm(2, 4, { dtype: 'float64' }), [2, 4, 3]],
    ['LayerNorm', () => new LayerNorm([3], { dtype: 'float64' }), [2, 3]],
    ['MaxPool2d', () => new MaxPool2d(2), [1, 2, 4, 4]],
    ['AvgPool2d', () => new AvgPool2d(2, { stride: 1 }), [1, 2, 3, 3]],
    ['AdaptiveAvgPool2d', () => new AdaptiveAvgPool2d(1), [2, 2, 3, 3]],
    ['activations', () => new Sequential(new ReLU(), new LeakyReLU(0.1), new GELU(), new Tanh(), new Sigmoid(), new Flatten()), [2, 3, 2]],
  ];
  for (const [name, make, shape] of cases) {
    it(`${name}: gradients w.r.t. the input and every parameter`, () => {
      const m = make();
      const params = m.parameters();
      const x = rnd(shape, 11);
      // the module's own parameters are passed through gradcheck's fresh leaves
      ok(
        gradcheck(
          (input, ...ps) => {
            for (const [i, p] of params.entries()) p.data.set(ps[i].data);
            return withParams(m, ps, () => m.forward(input));
          },
          [x, ...params.map((p) => fromTypedArray(Float64Array.from(p.data), p.shape, { requiresGrad: true }))],
        ),
      );
    });
  }
});

/** Runs `f` with the module's parameters replaced by `ps` (so gradcheck can vary them). */
function withParams<T>(m: Module, ps: Tensor[], f: () => T): T {
  const named = m.namedModules().flatMap(([, mod]) =>
    Object.entries(mod)
      .filter(([, v]) => m.parameters().includes(v))
      .map(([k]) => [mod, k] as const),
  );
  const saved = named.map(([mod, k]) => Reflect.get(mod, k));
  for (const [i, [mod, k]] of named.entries()) Reflect.set(mod, k, ps[i]);
  try {
    return f();
  } finally {
    for (const [i, [mod, k]] of named.entries()) Reflect.set(mod, k, saved[i]);
  }
}

describe('gradient reversal (DANN): identity forward, −λ·gradient backward — deliberately not the derivative', () => {
  it('reverses and scales by the λ of each forward pass', () => {
    const layer = new GradientReversal(0.5);
    const x = rnd([3], 1);
    for (const lambda of [0.5, 2]) {
      layer.lambda = lambda;
      x.grad = null;
      const y = layer.forward(x);
      expect(Array.from(y.data)).toEqual(Array.from(x.data));
      ops.sum(ops.mul(y, 3)).backward();
      expect(Array.from((x.grad as Tensor | null)?.data ?? [])).toEqual([-3 * lambda, -3 * lambda, -3 * lambda]);
    }
    expect(gradcheck((t) => F.gradientReversal(t, 0.3), [rnd([2], 2)], { raiseException: false }).ok).toBe(false);
  });
});

describe('second-order checks (gradgradcheck) for the operations IRM-style penalties differentiate twice', () => {
  it('elementwise ops, matmul / linear, relu', () => {
    ok(gradgradcheck((x, y) => ops.div(ops.mul(ops.sigmoid(x), ops.tanh(x)), ops.add(ops.exp(y), 1)), [rnd([2, 3], 1), rnd([3], 2)]));
    ok(gradgradcheck((x) => ops.mul(ops.log(x), ops.sqrt(x)), [rnd([4], 3, 0.5, 2)]));
    ok(gradgradcheck((x, y) => ops.pow(x, y), [rnd([3], 3, 0.5, 2), rnd([3], 4)]));
    ok(gradgradcheck((x, y) => ops.matmul(x, y), [rnd([2, 3, 4], 1), rnd([4, 2], 2)]));
    ok(gradgradcheck((x, w, c) => ops.relu(ops.linear(x, w, c)), [rnd([3, 4], 1), rnd([2, 4], 2), rnd([2], 3)]));
    ok(gradgradcheck((x) => ops.mul(ops.leakyRelu(x, 0.1), x), [rnd([5], 4)]));
    ok(gradgradcheck((x) => ops.variance(x, 1), [rnd([2, 4], 5)]));
  });
  it('log-softmax, softmax, cross-entropy and BCE-with-logits', () => {
    ok(gradgradcheck((x) => logSoftmax(x, 1), [rnd([2, 4], 1)]));
    ok(gradgradcheck((x) => softmax(x, 0), [rnd([3, 2], 2)]));
    ok(gradgradcheck((x) => crossEntropy(x, ints([1, 0, 3], [3])), [rnd([3, 4], 3)]));
    ok(gradgradcheck((x) => crossEntropy(x, ints([1, -100, 3], [3]), { labelSmoothing: 0.1, reduction: 'sum' }), [rnd([3, 4], 3)]));
    const t = fromTypedArray(Float64Array.from([0, 1, 1, 0.3]), [4]);
    ok(gradgradcheck((x) => bceWithLogits(x, t), [rnd([4], 4)]));
  });
  it('conv2d, pooling and normalisation', () => {
    ok(gradgradcheck((x, w) => F.conv2d(x, w, null, { stride: 2, padding: 1 }), [rnd([1, 2, 4, 4], 4), rnd([2, 2, 3, 3], 5)]));
    ok(gradgradcheck((x) => F.maxPool2d(x, 2), [rnd([1, 1, 4, 4], 3)]));
    ok(gradgradcheck((x) => F.avgPool2d(x, 2, { stride: 1 }), [rnd([1, 1, 3, 3], 3)]));
    ok(gradgradcheck((x) => F.groupNorm(x, 2), [rnd([2, 4, 2], 3)]));
    ok(gradgradcheck((x, w, b) => F.groupNorm(x, 2, w, b), [rnd([2, 4, 3], 3), rnd([4], 4), rnd([4], 5)]));
  });
});
