import { afterAll, describe, expect, it } from 'vitest';
import { bceWithLogits } from '../../src/functional/bceWithLogits.js';
import { crossEntropy } from '../../src/functional/crossEntropy.js';
import { logSoftmax } from '../../src/functional/logSoftmax.js';
import { nllLoss } from '../../src/functional/nllLoss.js';
import * as F from '../../src/nn/functional/index.js';
import { grad } from '../../src/tensor/grad.js';
import * as ops from '../../src/tensor/ops/index.js';
import { fromTypedArray, type Tensor } from '../../src/tensor/tensor.js';
import { expectCloseTo, loadNnGolden, makeTensor, worstError, type OpCase } from './goldenData.js';

type Call = (inputs: Tensor[], o: Record<string, never>) => Tensor | Tensor[];

/** losslab's call for each golden `fn`, with PyTorch's keyword arguments as losslab options. */
const CALLS: Record<string, Call> = {
  add: ([a, b]) => ops.add(a, b),
  sub: ([a, b]) => ops.sub(a, b),
  mul: ([a, b], o) => ops.mul(a, b ?? o.other),
  div: ([a, b]) => ops.div(a, b),
  rsub: ([a], o) => ops.sub(o.input, a),
  pow: ([a, b], o) => ops.pow(a, b ?? o.exponent),
  neg: ([a]) => ops.neg(a),
  exp: ([a]) => ops.exp(a),
  log: ([a]) => ops.log(a),
  log1p: ([a]) => ops.log1p(a),
  sqrt: ([a]) => ops.sqrt(a),
  rsqrt: ([a]) => ops.rsqrt(a),
  abs: ([a]) => ops.abs(a),
  sigmoid: ([a]) => ops.sigmoid(a),
  tanh: ([a]) => ops.tanh(a),
  erf: ([a]) => ops.erf(a),
  relu: ([a]) => ops.relu(a),
  leakyRelu: ([a], o) => ops.leakyRelu(a, o.negativeSlope),
  clamp: ([a], o) => ops.clamp(a, o.min, o.max),
  where: ([c, a, b]) => ops.where(c, a, b),
  sum: ([a], o) => ops.sum(a, o.dim ?? undefined, o.keepDim),
  mean: ([a], o) => ops.mean(a, o.dim ?? undefined, o.keepDim),
  variance: ([a], o) => ops.variance(a, o.dim ?? undefined, { correction: o.correction }),
  std: ([a], o) => ops.std(a, o.dim ?? undefined, { correction: o.correction }),
  maxDim: ([a], o) => {
    const r = ops.max(a, o.dim, o.keepDim);
    return [r.values, r.indices];
  },
  minDim: ([a], o) => {
    const r = ops.min(a, o.dim, o.keepDim);
    return [r.values, r.indices];
  },
  max: ([a]) => ops.max(a),
  amax: ([a], o) => ops.amax(a, o.dim),
  reshape: ([a], o) => ops.reshape(a, o.shape),
  flatten: ([a], o) => ops.flatten(a, o.startDim),
  permute: ([a], o) => ops.permute(a, o.dims),
  transpose: ([a], o) => ops.transpose(a, o.dim0, o.dim1),
  broadcastTo: ([a], o) => ops.broadcastTo(a, o.shape),
  slice: ([a], o) => ops.slice(a, o.dim, o.start, o.end, o.step),
  narrow: ([a], o) => ops.narrow(a, o.dim, o.start, o.length),
  select: ([a], o) => ops.select(a, o.dim, o.index),
  indexSelect: ([a, i], o) => ops.indexSelect(a, o.dim, i),
  gather: ([a, i], o) => ops.gather(a, o.dim, i),
  scatterAdd: ([a, i, s], o) => ops.scatterAdd(a, o.dim, i, s),
  cat: (ts, o) => ops.cat(ts, o.dim),
  stack: (ts, o) => ops.stack(ts, o.dim),
  matmul: ([a, b]) => ops.matmul(a, b),
  bmm: ([a, b]) => ops.bmm(a, b),
  linear: ([x, w, b]) => ops.linear(x, w, b),
  conv2d: ([x, w, b], o) => F.conv2d(x, w, b ?? null, o),
  maxPool2d: ([x], o) => F.maxPool2d(x, o.kernelSize, o),
  maxPool2dWithIndices: ([x], o) => {
    const r = F.maxPool2dWithIndices(x, o.kernelSize, o);
    return [r.values, r.indices];
  },
  avgPool2d: ([x], o) => F.avgPool2d(x, o.kernelSize, o),
  adaptiveAvgPool2d: ([x], o) => F.adaptiveAvgPool2d(x, o.outputSize),
  batchNorm: ([x, w, b], o) => F.batchNorm(x, null, null, { weight: w, bias: b, training: o.training }),
  batchNormEval: ([x, m, v, w, b]) => F.batchNorm(x, m, v, { weight: w, bias: b, training: false }),
  groupNorm: ([x, w, b], o) => F.groupNorm(x, o.numGroups, w, b),
  layerNorm: ([x, w, b], o) => F.layerNorm(x, o.normalizedShape, w, b),
  gelu: ([x], o) => F.gelu(x, { approximate: o.approximate }),
  gradientReversal: ([x], o) => F.gradientReversal(x, o.lambda),
};

function runCase(c: OpCase): void {
  const inputs = c.inputs.map((i) => makeTensor(i.values, i.shape, i.dtype, i.requiresGrad));
  const call = CALLS[c.fn];
  expect(call, `no losslab call for ${c.fn}`).toBeDefined();
  const result = call(inputs, c.options as Record<string, never>);
  const outs = Array.isArray(result) ? result : [result];
  expect(outs.length).toBe(c.outputs.length);
  outs.forEach((o, k) => {
    expect(o.shape, `${c.name} output ${k} shape`).toEqual(c.outputs[k].shape);
    if (o.dtype === 'int32') expect(Array.from(o.data), `${c.name} indices`).toEqual(c.outputs[k].values);
    else expectCloseTo(o.data, c.outputs[k].values, c.dtype, `${c.name} (${c.dtype}) output ${k}`);
  });
  const wanted = inputs.filter((t) => t.requiresGrad);
  if (wanted.length === 0 || c.grads.every((g) => g === null)) return;
  const first = outs[0];
  const grads = grad(first, wanted, { gradOutputs: makeTensor(c.gradOutput, first.shape, c.dtype), allowUnused: true });
  let k = 0;
  c.inputs.forEach((inp, i) => {
    if (!inp.requiresGrad) return;
    const g = grads[k++];
    const expected = c.grads[i];
    if (expected === null) {
      expect(g, `${c.name}: PyTorch has no gradient for input ${i}`).toBeNull();
      return;
    }
    expectCloseTo(g?.data ?? new Float64Array(expected.length), expected, c.dtype, `${c.name} (${c.dtype}) grad of input ${i}`);
  });
}

describe('tensor operations and nn functional forms against PyTorch (forward and gradients, float32 and float64)', () => {
  const golden = loadNnGolden();
  for (const c of golden.cases) it(`${c.name} (${c.dtype})`, () => runCase(c));
});

describe('double backward against PyTorch: penalties on the gradient w.r.t. a scale (IRM)', () => {
  const golden = loadNnGolden();
  for (const c of golden.double) {
    it(`${c.name} (${c.dtype})`, () => {
      const t = (k: string, g: boolean, dtype: 'int32' | typeof c.dtype = c.dtype) => makeTensor(c.tensors[k].values, c.tensors[k].shape, dtype, g);
      const params = Object.keys(c.grads);
      const p = Object.fromEntries(params.map((k) => [k, t(k, true)]));
      const x = t('x', false);
      const scale = fromTypedArray(c.dtype === 'float32' ? new Float32Array([1]) : new Float64Array([1]), [], { requiresGrad: true });
      let loss: Tensor;
      if (c.kind === 'bce') {
        loss = bceWithLogits(ops.mul(ops.linear(ops.relu(ops.linear(x, p.W1, p.b1)), p.W2, p.b2), scale), t('y', false));
      } else if (c.kind === 'ce') {
        loss = crossEntropy(ops.mul(ops.linear(ops.relu(ops.linear(x, p.W1, p.b1)), p.W2, p.b2), scale), t('labels', false, 'int32'));
      } else {
        loss = nllLoss(logSoftmax(ops.mul(ops.tanh(ops.linear(x, p.W1, p.b1)), scale), 1), t('labels', false, 'int32'));
      }
      expectCloseTo([loss.item()], [c.loss], c.dtype, `${c.name} loss`);
      const [g] = grad(loss, [scale], { createGraph: true });
      const penalty = ops.sum(ops.mul(g, g));
      expectCloseTo([penalty.item()], [c.penalty], c.dtype, `${c.name} penalty`);
      const grads = grad(
        penalty,
        params.map((k) => p[k]),
      );
      for (const [i, k] of params.entries()) expectCloseTo(grads[i].data, c.grads[k], c.dtype, `${c.name} d penalty / d ${k}`);
    });
  }
});

afterAll(() => {
  console.log(`worst |losslab − PyTorch| / (1 + |PyTorch|): float32 ${worstError.float32.toExponential(2)}, float64 ${worstError.float64.toExponential(2)}`);
});
