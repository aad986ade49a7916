import { afterAll, describe, expect, it } from 'vitest';
import { wasmFloat32Array, wasmInt32Array } from '../../src/kernels/wasm/heap.js';
import { backends, closeness, closeTestPool } from './wasmBackends.js';

afterAll(closeTestPool);

function data(n: number, d: number, seed: number): { X: Float32Array; y: Float32Array; w: Float32Array } {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const X = new Float32Array(n * d).map(() => (next() - 0.5) * 4);
  const y = new Float32Array(n).map(() => (next() < 0.4 ? 1 : 0));
  const w = new Float32Array(d).map(() => (next() - 0.5) * 0.5);
  return { X, y, w };
}

/** The same quantities in float64 from the float32 inputs. */
function reference(
  X: Float32Array,
  d: number,
  rows: Int32Array,
  y: Float32Array,
  w: Float32Array,
  b: number,
): { loss: number; grad: Float64Array; scores: Float64Array } {
  const grad = new Float64Array(d + 1);
  const scores = new Float64Array(rows.length);
  let loss = 0;
  rows.forEach((row, k) => {
    let z = b;
    for (let j = 0; j < d; j++) z += X[row * d + j] * w[j];
    scores[k] = z;
    const ys = y[row] === 1 ? 1 : -1;
    loss += Math.log1p(Math.exp(-ys * z));
    const r = 1 / (1 + Math.exp(-z)) - y[row];
    for (let j = 0; j < d; j++) grad[j] += r * X[row * d + j];
    grad[d] += r;
  });
  return { loss, grad, scores };
}

describe.each(backends().map((b) => [b.name, b] as const))('logistic kernels, %s backend', (_name, backend) => {
  it('loss, gradient and scores match a float64 reference on row subsets, for widths with SIMD tails (d = 784, 13, 3, 1)', () => {
    for (const [n, d] of [
      [300, 784],
      [50, 13],
      [20, 3],
      [9, 1],
    ] as const) {
      const { X, y, w } = data(n, d, n + d);
      const rows = Int32Array.from({ length: Math.floor(n / 2) }, (_, k) => (k * 7 + 3) % n);
      const ref = reference(X, d, rows, y, w, 0.3);
      for (const inWasm of [false, true]) {
        // arrays in the kernels' memory are read in place; others are copied in
        const X2 = inWasm ? wasmFloat32Array(X.length) : X;
        const rows2 = inWasm ? wasmInt32Array(rows.length) : rows;
        if (inWasm) {
          X2.set(X);
          rows2.set(rows);
        }
        const grad = new Float32Array(d + 1);
        const loss = backend.logisticLossGrad(X2, d, rows2, y, w, 0.3, grad);
        expect(closeness([loss], [ref.loss], 1e-5, 1e-6)).toBeLessThanOrEqual(1);
        expect(closeness(grad, ref.grad, 1e-4, 1e-4)).toBeLessThanOrEqual(1);
        const scores = new Float64Array(rows.length);
        backend.linearScores(X2, d, rows2, w, 0.3, scores);
        expect(closeness(scores, ref.scores, 1e-5, 1e-5)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('adds into the gradient (the caller zeroes it) and is stable for huge scores', () => {
    const X = Float32Array.of(1000, -1000);
    const y = Float32Array.of(0, 1);
    const w = Float32Array.of(1);
    const grad = new Float32Array(2).fill(1);
    const loss = backend.logisticLossGrad(X, 1, Int32Array.of(0, 1), y, w, 0, grad);
    // both rows are wrong by a margin of 1000: loss 2000, σ − y = ±1
    expect(loss).toBeCloseTo(2000, 6);
    expect(grad[0]).toBeCloseTo(1 + 1000 + 1000, 3);
    expect(grad[1]).toBeCloseTo(1 + 1 - 1, 6);
  });
});
