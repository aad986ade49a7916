import { describe, expect, it } from 'vitest';
import { gradcheck } from '../../src/tensor/gradcheck.js';
import { record } from '../../src/tensor/tensor.js';
import { Tensor, tensor } from '../../src/tensor/tensor.js';

/** y = x² elementwise, with a correct or a deliberately wrong backward. */
function square(x: Tensor, wrong = false): Tensor {
  const out = new Tensor(x.data.map((v) => v * v) as Float64Array, x.shape);
  return record(out, 'square', [x], (g) => [new Tensor(g.data.map((gv, i) => gv * (wrong ? 3 : 2) * x.data[i]) as Float64Array, x.shape)]);
}

describe('gradcheck', () => {
  it('accepts a correct backward', () => {
    const x = tensor(
      [
        [0.3, -1.2],
        [2.5, 0.7],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const r = gradcheck((a) => square(a), [x]);
    expect(r.ok).toBe(true);
    expect(r.maxAbsError).toBeLessThan(1e-8);
  });

  it('catches a wrong backward and names the element', () => {
    const x = tensor([0.3, -1.2, 2.5], { dtype: 'float64', requiresGrad: true });
    expect(() => gradcheck((a) => square(a, true), [x])).toThrow(/analytic gradient .* numerical/);
    expect(gradcheck((a) => square(a, true), [x], { raiseException: false }).ok).toBe(false);
  });

  it('refuses float32 inputs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => gradcheck((a) => a, [x])).toThrow(/must be float64/);
  });

  it("leaves the caller's tensors untouched", () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    gradcheck((a) => square(a), [x]);
    expect(x.grad).toBeNull();
    expect(Array.from(x.data)).toEqual([1, 2]);
  });
});
