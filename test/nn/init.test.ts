import { describe, expect, it } from 'vitest';
import { Conv2d } from '../../src/nn/layers/conv.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { Dropout } from '../../src/nn/layers/activation.js';
import * as init from '../../src/nn/init.js';
import { RandomState } from '../../src/tensor/random.js';
import { ones, zeros, type Tensor } from '../../src/tensor/tensor.js';

/** |actual / expected − 1| ≤ 1%: sample standard deviations of ≥ 10⁴ draws. */
function expectStd(actual: number, expected: number): void {
  expect(Math.abs(actual / expected - 1), `std ${actual} vs ${expected}`).toBeLessThan(0.01);
}

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  let s = 0;
  let s2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of t.data) {
    s += v;
    s2 += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / t.size;
  return { mean, std: Math.sqrt(s2 / t.size - mean * mean), min, max };
}

describe('initialisation (torch.nn.init, seeded)', () => {
  it('PyTorch’s defaults: Linear and Conv2d weights and biases ~ U(−1/√fanIn, 1/√fanIn)', () => {
    const lin = new Linear(400, 300, { generator: new RandomState(1) });
    const bound = 1 / Math.sqrt(400);
    const w = stats(lin.weight);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeLessThanOrEqual(bound);
    expectStd(w.std, bound / Math.sqrt(3)); // uniform: std = bound/√3
    const conv = new Conv2d(6, 16, 5, { generator: new RandomState(2) });
    const cb = 1 / Math.sqrt(6 * 25);
    expect(stats(conv.weight).max).toBeLessThanOrEqual(cb);
    expectStd(stats(conv.weight).std, cb / Math.sqrt(3));
    expect(stats(conv.bias as Tensor).max).toBeLessThanOrEqual(cb);
  });

  it('xavier, kaiming, normal: the variances of the papers; zeros_ / ones_', () => {
    const t = zeros([200, 300]);
    const g = { generator: new RandomState(3) };
    expectStd(stats(init.xavierUniform_(t, 1, g)).std, Math.sqrt(2 / 500));
    expectStd(stats(init.xavierNormal_(t, 2, g)).std, 2 * Math.sqrt(2 / 500));
    expectStd(stats(init.kaimingNormal_(t, { ...g, nonlinearity: 'relu' })).std, Math.sqrt(2 / 300));
    expectStd(stats(init.kaimingNormal_(t, { ...g, mode: 'fan_out', nonlinearity: 'relu' })).std, Math.sqrt(2 / 200));
    expect(stats(init.kaimingUniform_(t, { ...g, a: Math.sqrt(5) })).max).toBeLessThanOrEqual(1 / Math.sqrt(300));
    const n = stats(init.normal_(t, 1, 0.5, g));
    expect(n.mean).toBeCloseTo(1, 2);
    expect(n.std).toBeCloseTo(0.5, 2);
    expect(stats(init.zeros_(ones([3])))).toEqual({ mean: 0, std: 0, min: 0, max: 0 });
    expect(init.calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
    expect(init.calculateGain('tanh')).toBe(5 / 3);
  });

  it('the same generator seed gives the same weights; fans need 2 dimensions', () => {
    const a = init.normal_(zeros([10]), 0, 1, { generator: new RandomState(7) });
    const b = init.normal_(zeros([10]), 0, 1, { generator: new RandomState(7) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(() => init.xavierUniform_(zeros([5]))).toThrow(
      "xavierUniform_: argument 'tensor' is of shape [5], but fan in and fan out need at least 2 dimensions.",
    );
  });

  it('Dropout keeps about 1 − p of the elements, scaled by 1/(1 − p), and is the identity in eval', () => {
    const d = new Dropout(0.3, new RandomState(5));
    const y = d.forward(ones([10000]));
    let kept = 0;
    for (const v of y.data) {
      if (v !== 0) {
        kept++;
        expect(v).toBeCloseTo(1 / 0.7, 6);
      }
    }
    expect(kept / 10000).toBeGreaterThan(0.68);
    expect(kept / 10000).toBeLessThan(0.72);
    d.eval();
    expect(d.forward(ones([5])).data).toEqual(ones([5]).data);
    expect(Array.from(new Dropout(1).forward(ones([3])).data)).toEqual([0, 0, 0]);
  });
});
