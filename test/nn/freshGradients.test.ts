import { describe, expect, it } from 'vitest';
import { grad } from '../../src/tensor/grad.js';
import { linear, mul, sum } from '../../src/tensor/ops/index.js';
import { Tensor } from '../../src/tensor/tensor.js';

// backward() takes the weight and bias gradients of `linear` as the parameters' .grad without a
// copy (they are new arrays only the engine holds); these tests pin what must not change with it.

const f32 = (v: number[], shape: number[], g = true): Tensor => new Tensor(Float32Array.from(v), shape, g);
const values = (t: Tensor | null): number[] => Array.from(t?.data ?? []);

function layer() {
  const W = f32([1, 2, 3, -1, 0.5, 2], [2, 3]);
  const b = f32([0.25, -0.5], [2]);
  const x = f32([1, -2, 0.5, 3, 0, 1], [2, 3], false);
  return { W, b, x };
}

describe('linear: gradients adopted as .grad', () => {
  it('.grad values equal the products Gᵀ·X and Σ_rows G, and two passes accumulate', () => {
    const { W, b, x } = layer();
    const c = f32([1, 2, -1, 0.5], [2, 2], false);
    const loss = () => sum(mul(linear(x, W, b), c));
    loss().backward();
    // dW[j, p] = Σ_i c[i, j] x[i, p]; db[j] = Σ_i c[i, j]
    const dW = [1 * 1 + -1 * 3, 1 * -2 + -1 * 0, 1 * 0.5 + -1 * 1, 2 * 1 + 0.5 * 3, 2 * -2 + 0.5 * 0, 2 * 0.5 + 0.5 * 1];
    expect(values(W.grad)).toEqual(dW);
    expect(values(b.grad)).toEqual([0, 2.5]);
    loss().backward();
    expect(values(W.grad)).toEqual(dW.map((v) => 2 * v));
    expect(values(b.grad)).toEqual([0, 5]);
  });

  it('writing into one .grad changes no other gradient (no aliasing, one row included)', () => {
    for (const rows of [1, 2]) {
      const { W, b } = layer();
      const x = f32([1, -2, 0.5, 3, 0, 1].slice(0, rows * 3), [rows, 3]);
      const y = linear(x, W, b);
      sum(mul(y, y)).backward();
      const before = [values(b.grad), values(x.grad)];
      W.grad?.data.fill(7);
      expect([values(b.grad), values(x.grad)]).toEqual(before);
      b.grad?.data.fill(9);
      expect(values(x.grad)).toEqual(before[1]);
    }
  });

  it('a gradient returned by grad() is never adopted, even when passed back as a seed', () => {
    const { W, b, x } = layer();
    const [gW] = grad(sum(linear(x, W, b)), [W]);
    const kept = values(gW);
    const V = new Tensor(new Float32Array(6), [2, 3], true);
    V.backward(gW);
    V.backward(gW);
    expect(values(gW)).toEqual(kept);
    expect(values(V.grad)).toEqual(kept.map((v) => 2 * v));
    sum(linear(x, W, b)).backward();
    expect(values(gW)).toEqual(kept);
  });
});
