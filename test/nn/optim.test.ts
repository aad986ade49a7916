import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Linear } from '../../src/nn/layers/linear.js';
import { Adam, AdamW } from '../../src/optim/adam.js';
import { CosineAnnealingLR, LambdaLR, StepLR } from '../../src/optim/lrScheduler.js';
import { SGD } from '../../src/optim/sgd.js';
import type { FloatDType } from '../../src/tensor/dtype.js';
import { mean, mul } from '../../src/tensor/ops/index.js';
import { fromTypedArray, type Tensor } from '../../src/tensor/tensor.js';
import { expectCloseTo, makeTensor, type JsonNumber } from './goldenData.js';

interface OptimCase {
  name: string;
  kind: 'SGD' | 'Adam' | 'AdamW';
  dtype: FloatDType;
  options: Record<string, never>;
  secondGroupLr: number;
  initial: JsonNumber[][];
  shapes: number[][];
  grads: JsonNumber[][][];
  trajectory: JsonNumber[][][];
}
interface SchedCase {
  name: string;
  kind: 'StepLR' | 'CosineAnnealingLR' | 'LambdaLR';
  stepSize: number;
  gamma: number;
  tMax: number;
  etaMin: number;
  base: number;
  lrs: number[][];
}
const golden = JSON.parse(readFileSync(new URL('../golden/torch_optim.json', import.meta.url), 'utf8')) as { optimizers: OptimCase[]; schedulers: SchedCase[] };

function makeOptimizer(c: OptimCase, params: Tensor[]): SGD | Adam | AdamW {
  const groups = [{ params: [params[0]] }, { params: [params[1]], lr: c.secondGroupLr }];
  const o = c.options;
  const args = { lr: o.lr, momentum: o.momentum, dampening: o.dampening, weightDecay: o.weightDecay, nesterov: o.nesterov, maximize: o.maximize };
  const defined = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
  if (c.kind === 'SGD') return new SGD(groups, defined);
  const adam = { ...defined, betas: o.betas as [number, number] | undefined, eps: o.eps, amsgrad: o.amsgrad };
  const clean = Object.fromEntries(Object.entries(adam).filter(([, v]) => v !== undefined));
  return c.kind === 'Adam' ? new Adam(groups, clean) : new AdamW(groups, clean);
}

describe('optimizers against torch.optim (two parameter groups, 5 steps, float32 and float64)', () => {
  for (const c of golden.optimizers) {
    it(`${c.name} (${c.dtype})`, () => {
      const params = c.initial.map((v, i) => makeTensor(v, c.shapes[i], c.dtype, true));
      const opt = makeOptimizer(c, params);
      c.trajectory.forEach((expected, s) => {
        params.forEach((p, i) => {
          p.grad = makeTensor(c.grads[s][i], c.shapes[i], c.dtype);
        });
        opt.step();
        for (const [i, p] of params.entries()) expectCloseTo(p.data, expected[i], c.dtype, `${c.name} step ${s + 1} param ${i}`);
      });
    });
  }

  it('state dicts resume a run exactly', () => {
    const c = golden.optimizers.find((x) => x.kind === 'Adam' && x.dtype === 'float64' && x.options.amsgrad) as OptimCase;
    const run = (split: boolean): Float64Array[] => {
      let params = c.initial.map((v, i) => makeTensor(v, c.shapes[i], c.dtype, true));
      let opt = makeOptimizer(c, params);
      c.grads.forEach((gs, s) => {
        if (split && s === 2) {
          const state = JSON.parse(JSON.stringify(opt.stateDict()));
          const copies = params.map((p) => fromTypedArray(Float64Array.from(p.data), p.shape, { requiresGrad: true }));
          params = copies;
          opt = makeOptimizer(c, params);
          opt.loadStateDict(state);
        }
        params.forEach((p, i) => {
          p.grad = makeTensor(gs[i], c.shapes[i], c.dtype);
        });
        opt.step();
      });
      return params.map((p) => Float64Array.from(p.data));
    };
    expect(run(true)).toEqual(run(false));
  });

  it('optimizes a module: parameters(), zeroGrad, step', () => {
    const layer = new Linear(3, 1, { dtype: 'float64' });
    const opt = new SGD(layer.parameters(), { lr: 0.05 });
    const x = fromTypedArray(Float64Array.from([1, 2, 3, -1, 0, 1]), [2, 3]);
    const loss = () => mean(mul(layer.forward(x), layer.forward(x)));
    const before = loss().item();
    for (let i = 0; i < 200; i++) {
      opt.zeroGrad();
      loss().backward();
      opt.step();
    }
    expect(loss().item()).toBeLessThan(before * 0.01);
    opt.zeroGrad();
    expect(layer.weight.grad).toBeNull();
  });

  it('refuses bad settings and parameters', () => {
    const p = fromTypedArray(new Float64Array(2), [2], { requiresGrad: true });
    expect(() => new SGD([p], { lr: -1 })).toThrow("SGD: argument 'lr' is -1, but it must be a finite number ≥ 0.");
    expect(() => new SGD([p], { nesterov: true })).toThrow(/Nesterov momentum requires a momentum > 0/);
    expect(() => new Adam([p], { betas: [1, 0.9] })).toThrow("Adam: argument 'betas[0]' is 1, but it must lie in [0, 1).");
    expect(() => new SGD([])).toThrow(/empty parameter list/);
    expect(() => new SGD([p, p])).toThrow(/only one group/);
    expect(() => new SGD([fromTypedArray(new Float64Array(2), [2])])).toThrow(/leaf tensors that require grad/);
  });
});

describe('learning-rate schedulers against torch.optim.lr_scheduler (two groups, 15 epochs)', () => {
  for (const c of golden.schedulers) {
    it(c.name, () => {
      const w = fromTypedArray(new Float64Array(2), [2], { requiresGrad: true });
      const v = fromTypedArray(new Float64Array(2), [2], { requiresGrad: true });
      const opt = new SGD([{ params: [w] }, { params: [v], lr: 0.3 }], { lr: 0.1 });
      const sched =
        c.kind === 'StepLR'
          ? new StepLR(opt, c.stepSize, c.gamma)
          : c.kind === 'CosineAnnealingLR'
            ? new CosineAnnealingLR(opt, c.tMax, c.etaMin)
            : new LambdaLR(opt, (e) => c.base ** e);
      const lrs = [opt.paramGroups.map((g) => g.lr)];
      for (let e = 0; e < 15; e++) {
        opt.step();
        sched.step();
        lrs.push(opt.paramGroups.map((g) => g.lr));
      }
      for (const [e, row] of lrs.entries()) {
        for (const [i, lr] of row.entries()) expect(Math.abs(lr - c.lrs[e][i]), `epoch ${e} group ${i}`).toBeLessThanOrEqual(1e-15 * Math.max(1, c.lrs[e][i]));
      }
      expect(sched.getLastLr()).toEqual(lrs[15]);
    });
  }
});
