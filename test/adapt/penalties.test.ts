import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coralPairsTensor, coralTensor, irmPenaltyTensor, mkMmdTensor, mmdPairsTensor, mmdTensor } from '../../src/adapt/ops.js';
import {
  coralPenalty,
  coralPenaltyPairs,
  ganinLambda,
  groupDroWeights,
  irmPenalty,
  irmPenaltyBinary,
  mkMmdPenalty,
  mmdPenalty,
  mmdPenaltyPairs,
  vrexPenalty,
} from '../../src/adapt/penalties.js';
import { gradientReversal } from '../../src/nn/functional/activation.js';
import { gradcheck } from '../../src/tensor/gradcheck.js';
import { Tensor } from '../../src/tensor/tensor.js';

interface Pair {
  x: number[];
  y: number[];
  value: number;
  gradX: number[];
  gradY: number[];
}
interface Golden {
  irm_binary: { logits: number[]; targets: number[]; value: number; grad: number[] };
  irm: { logits: number[]; targets: number[]; k: number; value: number; grad: number[]; squared_value: number; squared_grad: number[] };
  vrex: { risks: number[]; value: number; grad: number[] };
  groupdro: { risks0: number[]; eta: number; growth: number; steps: number[][] };
  d: number;
  coral: Pair;
  mmd: Pair;
  mkmmd: { d: number; linear: boolean; zs: number[]; zt: number[]; value: number; gradS: number[]; gradT: number[] }[];
  ganin: { p: number; value: number }[];
}
const golden = JSON.parse(readFileSync(new URL('../golden/penalties.json', import.meta.url), 'utf8')) as Golden;

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol = 1e-10): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  expect(worst).toBeLessThanOrEqual(tol);
}

const t64 = (values: number[], shape: number[], requiresGrad = true) => new Tensor<'float64'>(Float64Array.from(values), shape, requiresGrad);

describe('penalties against PyTorch autograd (float64; IRM through double backward)', () => {
  it('IRMv1, binary logits (IRM paper): value and gradient', () => {
    const g = golden.irm_binary;
    const r = irmPenaltyBinary(g.logits, g.targets);
    expect(r.value).toBeCloseTo(g.value, 12);
    expectClose(r.grad, g.grad);
  });

  it('IRMv1, class logits: DomainBed split-batch form and the squared form', () => {
    const g = golden.irm;
    const r = irmPenalty(g.logits, g.targets, g.k);
    expect(r.value).toBeCloseTo(g.value, 12);
    expectClose(r.grad, g.grad);
    const s = irmPenalty(g.logits, g.targets, g.k, { variant: 'squared' });
    expect(s.value).toBeCloseTo(g.squared_value, 12);
    expectClose(s.grad, g.squared_grad);
  });

  it('V-REx variance of risks and GroupDRO weights', () => {
    const v = vrexPenalty(golden.vrex.risks);
    expect(v.value).toBeCloseTo(golden.vrex.value, 14);
    expectClose(v.grad, golden.vrex.grad);
    let q: ArrayLike<number> = [1, 1, 1];
    let risks = golden.groupdro.risks0;
    for (const want of golden.groupdro.steps) {
      q = groupDroWeights(q, risks, golden.groupdro.eta);
      expectClose(q, want, 1e-14);
      risks = risks.map((r) => r * golden.groupdro.growth);
    }
  });

  it('CORAL (mean + covariance) and Gaussian MMD (DomainBed kernels)', () => {
    const d = golden.d;
    const c = coralPenalty(golden.coral.x, golden.coral.y, d);
    expect(c.value).toBeCloseTo(golden.coral.value, 12);
    expectClose(c.gradX, golden.coral.gradX);
    expectClose(c.gradY, golden.coral.gradY);
    const m = mmdPenalty(golden.mmd.x, golden.mmd.y, d);
    expect(m.value).toBeCloseTo(golden.mmd.value, 10);
    expectClose(m.gradX, golden.mmd.gradX, 1e-9);
    expectClose(m.gradY, golden.mmd.gradY, 1e-9);
  });

  for (const g of golden.mkmmd) {
    it(`DAN multi-kernel MMD (tllib), ${g.linear ? 'linear' : 'quadratic'} estimate`, () => {
      const r = mkMmdPenalty(g.zs, g.zt, g.d, { linear: g.linear });
      expect(r.value).toBeCloseTo(g.value, 12);
      expectClose(r.gradS, g.gradS);
      expectClose(r.gradT, g.gradT);
    });
  }

  it("Ganin's λ schedule", () => {
    for (const { p, value } of golden.ganin) expect(ganinLambda(p)).toBeCloseTo(value, 15);
    expect(() => ganinLambda(1.5)).toThrow(/ganinLambda: argument 'progress' is 1.5, but it must lie in \[0, 1\]/);
  });
});

describe('penalty ops: gradcheck (finite differences, float64)', () => {
  it('IRM (class logits, binary logits), CORAL, MMD, MK-MMD and gradient reversal', () => {
    const g = golden.irm;
    const targets = new Tensor(Int32Array.from(g.targets), [g.targets.length]);
    expect(gradcheck((z) => irmPenaltyTensor(z as Tensor<'float64'>, targets), [t64(g.logits, [g.targets.length, g.k])]).ok).toBe(true);
    const b = golden.irm_binary;
    const yb = new Tensor(Float64Array.from(b.targets), [b.targets.length, 1]);
    expect(gradcheck((z) => irmPenaltyTensor(z as Tensor<'float64'>, yb), [t64(b.logits, [b.logits.length, 1])]).ok).toBe(true);
    const d = golden.d;
    const cx = t64(golden.coral.x, [golden.coral.x.length / d, d]);
    const cy = t64(golden.coral.y, [golden.coral.y.length / d, d]);
    expect(gradcheck((x, y) => coralTensor(x as Tensor<'float64'>, y as Tensor<'float64'>), [cx, cy]).ok).toBe(true);
    const mx = t64(golden.mmd.x, [golden.mmd.x.length / d, d]);
    const my = t64(golden.mmd.y, [golden.mmd.y.length / d, d]);
    expect(gradcheck((x, y) => mmdTensor(x as Tensor<'float64'>, y as Tensor<'float64'>), [mx, my]).ok).toBe(true);
    // MK-MMD holds σ² = α·mean(D) constant in backward (tllib detaches it), so finite differences of
    // the value are not its gradient; the gradient is checked against PyTorch above.
    const k = golden.mkmmd[1];
    expect(mkMmdTensor(t64(k.zs, [k.zs.length / k.d, k.d]), t64(k.zt, [k.zt.length / k.d, k.d])).item()).toBeCloseTo(k.value, 12);
    // gradient reversal: identity forward, −λ · gradient backward (finite differences see +1, so gradcheck must fail)
    const x = t64([1, -2, 3], [3]);
    const y = gradientReversal(x, 0.5);
    expect(Array.from(y.data)).toEqual([1, -2, 3]);
    y.backward(new Tensor(Float64Array.from([1, 2, 3]), [3]));
    expect(Array.from(x.grad?.data ?? [])).toEqual([-0.5, -1, -1.5]);
    expect(gradcheck((v) => gradientReversal(v as Tensor<'float64'>, 1), [t64([1, 2], [2])], { raiseException: false }).ok).toBe(false);
  });
});

describe('CORAL and MMD over every pair of domains from per-domain statistics', () => {
  const d = 3;
  const sample = (n: number, seed: number) => Float64Array.from({ length: n * d }, (_, i) => Math.sin(seed * 7.1 + i * 1.37) * (1 + (i % d)));
  const samples = [sample(5, 1), sample(4, 2), sample(6, 3), sample(5, 4)];

  it('is the mean of the pairwise penalties, gradients included (summed over the pairs each sample is in)', () => {
    const r = coralPenaltyPairs(samples, d);
    let value = 0;
    const grads = samples.map((s) => new Float64Array(s.length));
    const pairs = 6;
    for (let i = 0; i < 4; i++)
      for (let j = i + 1; j < 4; j++) {
        const p = coralPenalty(samples[i], samples[j], d);
        value += p.value / pairs;
        p.gradX.forEach((g, k) => {
          grads[i][k] += g / pairs;
        });
        p.gradY.forEach((g, k) => {
          grads[j][k] += g / pairs;
        });
      }
    expect(r.value).toBeCloseTo(value, 13);
    for (let e = 0; e < 4; e++) for (let k = 0; k < grads[e].length; k++) expect(r.grads[e][k]).toBeCloseTo(grads[e][k], 13);
  });

  it('MMD: the mean of the pairwise penalties, gradients included', () => {
    const r = mmdPenaltyPairs(samples, d);
    let value = 0;
    const grads = samples.map((s) => new Float64Array(s.length));
    for (let i = 0; i < 4; i++)
      for (let j = i + 1; j < 4; j++) {
        const p = mmdPenalty(samples[i], samples[j], d);
        value += p.value / 6;
        p.gradX.forEach((g, k) => {
          grads[i][k] += g / 6;
        });
        p.gradY.forEach((g, k) => {
          grads[j][k] += g / 6;
        });
      }
    expect(r.value).toBeCloseTo(value, 13);
    for (let e = 0; e < 4; e++) for (let k = 0; k < grads[e].length; k++) expect(r.grads[e][k]).toBeCloseTo(grads[e][k], 13);
    // unsorted bandwidths take no shortcut: the same numbers
    const reversed = mmdPenaltyPairs(samples, d, [1000, 100, 10, 1, 0.1, 0.01, 0.001]);
    expect(reversed.value).toBeCloseTo(r.value, 13);
  });

  it('pass gradcheck as ops (float64)', () => {
    const xs = samples.map((s) => t64(Array.from(s), [s.length / d, d]));
    expect(gradcheck((...ts) => coralPairsTensor(ts as Tensor<'float64'>[]), xs).ok).toBe(true);
    expect(gradcheck((...ts) => mmdPairsTensor(ts as Tensor<'float64'>[]), xs).ok).toBe(true);
  });
});
