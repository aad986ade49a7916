import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { softmaxCrossEntropyRows as reference } from '../../src/kernels/softmaxCrossEntropy.js';
import { wasmFloat32Array, wasmInt32Array } from '../../src/kernels/wasm/heap.js';
import { decode, loadGolden, TOLERANCE } from '../functional/golden.js';
import { backends, closeness, closeTestPool, hashedLogits } from './wasmBackends.js';

afterAll(closeTestPool);

const golden = loadGolden();
// plain [N, C] cross-entropy with class indices: what the fused kernel computes
const cases = golden.cases.filter(
  (c) =>
    c.fn === 'crossEntropy' &&
    c.shape.length === 2 &&
    c.targetKind === 'indices' &&
    !c.weight &&
    c.options.labelSmoothing === undefined &&
    c.options.ignoreIndex === undefined &&
    (c.target ?? []).every((t) => t !== -100),
);

describe.each(backends().map((b) => [b.name, b] as const))('softmaxCrossEntropyRows, %s backend', (_name, backend) => {
  it('has the golden cases to check', () => {
    expect(cases.filter((c) => c.dtype === 'float32').length).toBeGreaterThanOrEqual(10);
  });

  for (const c of cases) {
    it(`matches PyTorch: ${c.dtype} ${c.name} (${c.options.reduction})`, () => {
      const [n, k] = c.shape;
      const f32 = c.dtype === 'float32';
      const logits = f32 ? Float32Array.from(c.input, decode) : Float64Array.from(c.input, decode);
      const labels = Int32Array.from(c.target ?? [], decode);
      const grad = f32 ? new Float32Array(n * k) : new Float64Array(n * k);
      const { rtol, atol } = TOLERANCE[c.dtype];
      if (c.options.reduction === 'none') {
        // one call per row gives the per-row losses; the gradient of their sum has gradScale 1
        const perRow = Array.from({ length: n }, (_, i) =>
          backend.softmaxCrossEntropyRows(logits.subarray(i * k, (i + 1) * k), labels.subarray(i, i + 1), 1, k, grad.subarray(i * k, (i + 1) * k), 1),
        );
        expect(closeness(perRow, c.value.map(decode), rtol, atol)).toBeLessThanOrEqual(1);
      } else {
        const mean = c.options.reduction === 'mean';
        const total = backend.softmaxCrossEntropyRows(logits, labels, n, k, grad, mean ? 1 / n : 1);
        expect(closeness([mean ? total / n : total], c.value.map(decode), rtol, atol)).toBeLessThanOrEqual(1);
      }
      expect(closeness(grad, c.grad.map(decode), rtol, atol)).toBeLessThanOrEqual(1);
    });
  }

  it('matches the TypeScript reference on random float32 rows of every width (tails, c < 4, blocks of 16)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 0.001, max: 10, noNaN: true }),
        fc.boolean(),
        (n, k, seed, scale, inHeap) => {
          let s = seed;
          const rnd = (): number => {
            s = (Math.imul(s, 1103515245) + 12345) >>> 0;
            return s / 2 ** 32;
          };
          const x = inHeap ? wasmFloat32Array(n * k) : new Float32Array(n * k);
          const y = inHeap ? wasmInt32Array(n) : new Int32Array(n);
          for (let i = 0; i < n * k; i++) x[i] = (rnd() - 0.5) * 60;
          for (let i = 0; i < n; i++) y[i] = Math.floor(rnd() * k);
          const g = inHeap ? wasmFloat32Array(n * k) : new Float32Array(n * k);
          const gRef = new Float32Array(n * k);
          const loss = backend.softmaxCrossEntropyRows(x, y, n, k, g, scale);
          const lossRef = reference(x, y, n, k, gRef, scale);
          expect(closeness([loss], [lossRef], 1e-6, 1e-6)).toBeLessThanOrEqual(1);
          // absolute slack near p ≈ 1 (g = p − 1 cancels): the exp polynomial's bound of 1.9e-7 relative error
          // plus one float32 rounding (6e-8) of the probability; 1e-7 failed about once in 2,000 random cases
          expect(closeness(g, gRef, 1e-5, 2.5e-7 * scale)).toBeLessThanOrEqual(1);
          expect(backend.softmaxCrossEntropyRows(x, y, n, k, null, scale)).toBeCloseTo(loss, 9);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('matches the reference on the benchmark inputs, also when plain arrays go through the heap in chunks', () => {
    // plain arrays are staged ~2^18 values at a time: [300, 1000] and [10, 32000] take two chunks
    for (const [n, k] of [
      [300, 1000],
      [2, 32000],
      [10, 32000],
      [4099, 10],
    ]) {
      const [x, y] = hashedLogits(n, k);
      const g = new Float32Array(n * k);
      const gRef = new Float32Array(n * k);
      const loss = backend.softmaxCrossEntropyRows(x, y, n, k, g, 1 / n);
      const lossRef = reference(x, y, n, k, gRef, 1 / n);
      expect(Math.abs(loss - lossRef) / lossRef).toBeLessThan(1e-7);
      expect(closeness(g, gRef, 1e-5, 1e-9 / n)).toBeLessThanOrEqual(1);
    }
  });

  it('gives the same results for any mix of heap and plain arrays', () => {
    const [n, k] = [40, 8000];
    const [x, y] = hashedLogits(n, k);
    const xHeap = wasmFloat32Array(n * k);
    xHeap.set(x);
    const gPlain = new Float32Array(n * k),
      gHeap = wasmFloat32Array(n * k),
      gRef = new Float32Array(n * k);
    const lossRef = backend.softmaxCrossEntropyRows(x, y, n, k, gRef, 0.5);
    expect(backend.softmaxCrossEntropyRows(xHeap, y, n, k, gPlain, 0.5)).toBe(lossRef);
    expect(backend.softmaxCrossEntropyRows(x, y, n, k, gHeap, 0.5)).toBe(lossRef);
    expect(Array.from(gPlain)).toEqual(Array.from(gRef));
    expect(Array.from(gHeap)).toEqual(Array.from(gRef));
  });

  it('overflow: float32 extremes stay finite where PyTorch is finite', () => {
    const x = Float32Array.from([3.4028234663852886e38, 1.7014117331926443e38, -3.4028234663852886e38, 88, 89, 90]);
    const g = new Float32Array(6);
    const gRef = new Float32Array(6);
    const loss = backend.softmaxCrossEntropyRows(x, Int32Array.from([1, 0]), 2, 3, g, 1);
    expect(loss).toBe(reference(x, Int32Array.from([1, 0]), 2, 3, gRef, 1));
    expect(Array.from(g)).toEqual(Array.from(gRef));
  });

  it('underflow and masked logits: −∞ entries get exactly zero gradient; a fully masked row gives NaN as in PyTorch', () => {
    const x = Float32Array.from([0, -Infinity, 1, -Infinity, -1000, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity]);
    const g = new Float32Array(10);
    const partial = backend.softmaxCrossEntropyRows(x.subarray(0, 5), Int32Array.from([2]), 1, 5, g.subarray(0, 5), 1);
    expect(partial).toBeCloseTo(Math.log(Math.E + 1) - 1, 6);
    expect(g[1]).toBe(0);
    expect(g[3]).toBe(0);
    expect(g[4]).toBe(0);
    const masked = backend.softmaxCrossEntropyRows(x.subarray(5), Int32Array.from([0]), 1, 5, g.subarray(5), 1);
    expect(masked).toBeNaN();
    expect(Array.from(g.subarray(5)).every(Number.isNaN)).toBe(true);
  });

  it('propagates NaNs to the loss and to the gradient of that row only', () => {
    const x = Float32Array.from([1, 2, NaN, 4, 5, 1, 2, 3, 4, 5]);
    const g = new Float32Array(10);
    expect(backend.softmaxCrossEntropyRows(x, Int32Array.from([0, 1]), 2, 5, g, 1)).toBeNaN();
    expect(Array.from(g.subarray(0, 5)).every(Number.isNaN)).toBe(true);
    expect(Array.from(g.subarray(5)).some(Number.isNaN)).toBe(false);
  });

  it('handles an empty batch and a [1, 1] input', () => {
    expect(backend.softmaxCrossEntropyRows(new Float32Array(0), new Int32Array(0), 0, 3, new Float32Array(0), 1)).toBe(0);
    const g = new Float32Array(1);
    expect(backend.softmaxCrossEntropyRows(Float32Array.from([7]), Int32Array.from([0]), 1, 1, g, 1)).toBe(0);
    expect(g[0]).toBe(0);
  });

  it("rejects labels out of range with the reference's message", () => {
    expect(() => backend.softmaxCrossEntropyRows(new Float32Array(6), Int32Array.from([0, 3]), 2, 3, null, 1)).toThrow(
      "softmaxCrossEntropyRows: argument 'labels' is 3 at [1], but class indices must lie in [0, 2] (C = 3).",
    );
    expect(() => backend.softmaxCrossEntropyRows(new Float32Array(6), Int32Array.from([-1, 0]), 2, 3, null, 1)).toThrow(/class indices must lie in \[0, 2\]/);
    expect(() => backend.softmaxCrossEntropyRows(new Float32Array(5), Int32Array.from([0, 1]), 2, 3, null, 1)).toThrow(/must hold n·c values/);
  });
});
