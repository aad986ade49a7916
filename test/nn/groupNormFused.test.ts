import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupNorm } from '../../src/nn/functional/normalization.js';
import { add, mean, mul, rsqrt, sub, sum, variance } from '../../src/tensor/ops/index.js';
import { RandomState } from '../../src/tensor/random.js';
import { fromTypedArray, type Tensor } from '../../src/tensor/tensor.js';

// F.groupNorm with weight and bias runs one fused kernel (y = x·a + b per sample and channel, and a
// two-pass backward); here it is checked against the same operation composed of recorded
// primitives — mean, variance, rsqrt, mul, add — in float64, including data far from zero (the
// backward's sums are taken around the group mean, so a large offset costs no precision).

function tensorOf(values: Float64Array | Float32Array, shape: number[]): Tensor {
  return fromTypedArray(values, shape, { requiresGrad: true });
}

function composed(x: Tensor, groups: number, w: Tensor, b: Tensor, eps: number): Tensor {
  const [n, c] = x.shape;
  const x3 = x.reshape(n, groups, x.size / (n * groups));
  const xhat = mul(sub(x3, mean(x3, [2], true)), rsqrt(add(variance(x3, [2], { correction: 0, keepDim: true }), eps))).reshape(...x.shape);
  const shape = x.shape.map((_, i) => (i === 1 ? c : 1));
  return add(mul(xhat, w.reshape(...shape)), b.reshape(...shape));
}

function gradsOf(f: (x: Tensor, w: Tensor, b: Tensor) => Tensor, x: Tensor, w: Tensor, b: Tensor, gy: Tensor): { y: Tensor; grads: Tensor[] } {
  for (const t of [x, w, b]) t.grad = null;
  const y = f(x, w, b);
  sum(mul(y, gy)).backward();
  return { y, grads: [x.grad as Tensor, w.grad as Tensor, b.grad as Tensor] };
}

function worst(a: Tensor, b: Tensor): number {
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]) / (1 + Math.abs(b.data[i])));
  return m;
}

describe('fused groupNorm (weight and bias) against the composed operation', () => {
  it('float64: outputs and the gradients of input, weight and bias agree to float64 rounding, for random shapes and offsets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom(0, 10, 1e4),
        fc.integer({ min: 0, max: 1000 }),
        (n, groups, cpg, s, offset, seed) => {
          const c = groups * cpg;
          const rng = new RandomState(seed);
          const draw = (len: number, o = 0): Float64Array => Float64Array.from({ length: len }, () => o + rng.uniform(-2, 2));
          const x = tensorOf(draw(n * c * s, offset), [n, c, s]);
          const w = tensorOf(draw(c), [c]);
          const b = tensorOf(draw(c), [c]);
          const gy = fromTypedArray(draw(n * c * s), [n, c, s]);
          const fused = gradsOf((xx, ww, bb) => groupNorm(xx, groups, ww, bb, 1e-5), x, w, b, gy);
          const ref = gradsOf((xx, ww, bb) => composed(xx, groups, ww, bb, 1e-5), x, w, b, gy);
          // x − μ is exact only to an ulp of the offset: 1e4 · 2⁻⁵² ≈ 2e-12
          expect(worst(fused.y, ref.y)).toBeLessThan(1e-12 * (1 + offset));
          for (let k = 0; k < 3; k++) expect(worst(fused.grads[k], ref.grads[k]), ['input', 'weight', 'bias'][k]).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('float32 on MNIST_CNN-like activations (64 channels, 8 groups, 7×7): within float32 rounding of the composed float64 values', () => {
    const rng = new RandomState(5);
    const [n, c, s] = [4, 64, 49];
    const x64 = Float64Array.from({ length: n * c * s }, () => Math.max(0, rng.normal(0.3, 1)));
    const w64 = Float64Array.from({ length: c }, () => rng.uniform(0.5, 1.5));
    const b64 = Float64Array.from({ length: c }, () => rng.uniform(-0.5, 0.5));
    const g64 = Float64Array.from({ length: n * c * s }, () => rng.uniform(-1, 1));
    const f32 = (a: Float64Array): Float32Array => Float32Array.from(a);
    // the float64 reference sees the float32-rounded inputs
    const ref = gradsOf(
      (xx, ww, bb) => composed(xx, 8, ww, bb, 1e-5),
      tensorOf(Float64Array.from(f32(x64)), [n, c, s]),
      tensorOf(Float64Array.from(f32(w64)), [c]),
      tensorOf(Float64Array.from(f32(b64)), [c]),
      fromTypedArray(Float64Array.from(f32(g64)), [n, c, s]),
    );
    const fused = gradsOf(
      (xx, ww, bb) => groupNorm(xx, 8, ww, bb, 1e-5),
      tensorOf(f32(x64), [n, c, s]),
      tensorOf(f32(w64), [c]),
      tensorOf(f32(b64), [c]),
      fromTypedArray(f32(g64), [n, c, s]),
    );
    expect(fused.y.dtype).toBe('float32');
    expect(worst(fused.y, ref.y)).toBeLessThan(1e-6);
    expect(worst(fused.grads[0], ref.grads[0])).toBeLessThan(1e-6);
    // weight and bias gradients sum n·s = 196 products each
    expect(worst(fused.grads[1], ref.grads[1])).toBeLessThan(1e-5);
    expect(worst(fused.grads[2], ref.grads[2])).toBeLessThan(1e-5);
  });
});
