import { afterAll, describe, expect, it } from 'vitest';
import type { Module } from '../../src/nn/module.js';
import type { FloatDType } from '../../src/tensor/dtype.js';
import { noGrad } from '../../src/autograd/gradMode.js';
import { buildModule } from './models.js';
import { decode, expectCloseTo, loadNnGolden, makeTensor, worstError, type GradSummary, type JsonNumber, type ModuleCase } from './goldenData.js';

/** The script's deterministic weights: w[i] = s·sin(1.3·i + 0.7·t) for the t-th parameter tensor. */
function formulaInit(m: Module): void {
  noGrad(() => {
    m.namedParameters().forEach(([, p], t) => {
      const s = p.ndim > 1 ? 1 / Math.sqrt(p.size / p.shape[0]) : 0.1;
      for (let i = 0; i < p.size; i++) p.data[i] = s * Math.sin(1.3 * i + 0.7 * t);
    });
  });
}

function checkGrad(actual: ArrayLike<number>, expected: JsonNumber[] | GradSummary, dtype: FloatDType, what: string): void {
  if (Array.isArray(expected)) {
    expectCloseTo(actual, expected, dtype, what);
    return;
  }
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < actual.length; i++) {
    s += actual[i];
    s2 += actual[i] * actual[i];
  }
  const tol = dtype === 'float64' ? 1e-10 : 1e-4;
  expect(Math.abs(s - decode(expected.sum)), `${what} sum`).toBeLessThanOrEqual(tol * (1 + Math.abs(decode(expected.sum))) * 10);
  expect(Math.abs(s2 - decode(expected.sumSq)), `${what} sum of squares`).toBeLessThanOrEqual(tol * (1 + decode(expected.sumSq)));
  expectCloseTo(
    expected.samples.map(([i]) => actual[i]),
    expected.samples.map(([, v]) => v),
    dtype,
    `${what} samples`,
  );
}

function runModuleCase(c: ModuleCase): void {
  const m = buildModule(c);
  if (c.formulaInit) formulaInit(m);
  else if (c.state) {
    m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, makeTensor(v.values, v.shape, v.dtype)])));
  }
  m.train();
  const params = Object.fromEntries(m.namedParameters());
  for (const [s, step] of c.steps.entries()) {
    const x = makeTensor(step.input, c.inputShape, c.dtype, true);
    const y = m.forward(x);
    expect(y.shape).toEqual(step.outputShape);
    expectCloseTo(y.data, step.output, c.dtype, `${c.name} step ${s} output`);
    m.zeroGrad();
    y.backward(makeTensor(step.gradOutput, y.shape, c.dtype));
    expectCloseTo(x.grad?.data ?? [], step.inputGrad, c.dtype, `${c.name} step ${s} input grad`);
    expect(Object.keys(params).sort()).toEqual(Object.keys(step.paramGrads).sort());
    for (const [name, expected] of Object.entries(step.paramGrads))
      checkGrad(params[name].grad?.data ?? [], expected, c.dtype, `${c.name} step ${s} grad of ${name}`);
  }
  if (c.stateAfter) {
    const state = m.stateDict();
    for (const [k, v] of Object.entries(c.stateAfter)) {
      if (state[k].dtype === 'int32') expect(Array.from(state[k].data), `${c.name} ${k}`).toEqual(v);
      else expectCloseTo(state[k].data, v, c.dtype, `${c.name} ${k} after training`);
    }
  }
  if (c.eval) {
    m.eval();
    const y = noGrad(() => m.forward(makeTensor(c.eval?.input ?? [], c.inputShape, c.dtype)));
    expectCloseTo(y.data, c.eval.output, c.dtype, `${c.name} eval output`);
  }
}

describe('nn modules against PyTorch: outputs, input and parameter gradients, running statistics', () => {
  for (const c of loadNnGolden().modules) it(`${c.name} (${c.dtype})`, () => runModuleCase(c));
});

afterAll(() => {
  console.log(
    `modules: worst |losslab − PyTorch| / (1 + |PyTorch|): float32 ${worstError.float32.toExponential(2)}, float64 ${worstError.float64.toExponential(2)}`,
  );
});
