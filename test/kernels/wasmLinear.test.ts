import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as ref from '../../src/kernels/linear.js';
import { wasmFloat32Array } from '../../src/kernels/wasm/heap.js';
import { backends, closeness, closeTestPool } from './wasmBackends.js';

afterAll(closeTestPool);

interface GoldenLoss {
  name: string;
  sizes: number[];
  X: number[];
  y: number[];
  params: number[][];
  loss: number;
  grads: number[][];
}
const golden = JSON.parse(readFileSync(new URL('../golden/training.json', import.meta.url), 'utf8')) as { loss: GoldenLoss[] };

function randomArray(n: number, seed: number, zeros = 0): Float32Array {
  let s = seed >>> 0;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32;
    a[i] = u < zeros ? 0 : (u - 0.5) * 4;
  }
  return a;
}

describe.each(backends().map((b) => [b.name, b] as const))('linear kernels, %s backend', (_name, backend) => {
  it('agree with the TypeScript reference for skinny and odd shapes (784×10, out < 4, tails)', () => {
    const shapes: [number, number, number][] = [
      [256, 784, 10],
      [96, 784, 10],
      [7, 13, 6],
      [5, 3, 2],
      [3, 2, 17],
      [1, 1, 1],
      [9, 5, 4],
      [6, 31, 12],
      [2, 17, 13],
    ];
    for (const [n, inF, out] of shapes) {
      const X = randomArray(n * inF, n * 7 + inF, 0.4);
      const W = randomArray(inF * out, out * 3 + 1);
      const b = randomArray(out, 5);
      const G = randomArray(n * out, 11);
      const Y = new Float32Array(n * out),
        Yr = new Float32Array(n * out);
      backend.linearForward(X, W, b, Y, n, inF, out);
      ref.linearForward(X, W, b, Yr, n, inF, out);
      const atol = 1e-6 * Math.sqrt(inF) * 4;
      expect(closeness(Y, Yr, 1e-5, atol), `forward ${n}×${inF}×${out}`).toBeLessThanOrEqual(1);
      const dW = new Float32Array(inF * out).fill(9),
        db = new Float32Array(out).fill(9);
      const dWr = new Float32Array(inF * out),
        dbr = new Float32Array(out);
      backend.linearBackwardParams(X, G, dW, db, n, inF, out);
      ref.linearBackwardParams(X, G, dWr, dbr, n, inF, out);
      expect(closeness(dW, dWr, 1e-5, 1e-6 * Math.sqrt(n) * 4), `dW ${n}×${inF}×${out}`).toBeLessThanOrEqual(1);
      expect(closeness(db, dbr, 1e-5, 1e-6 * Math.sqrt(n) * 4), `db ${n}×${inF}×${out}`).toBeLessThanOrEqual(1);
      const dX = new Float32Array(n * inF),
        dXr = new Float32Array(n * inF);
      backend.linearBackwardInput(G, W, dX, n, inF, out);
      ref.linearBackwardInput(G, W, dXr, n, inF, out);
      expect(closeness(dX, dXr, 1e-5, 1e-6 * Math.sqrt(out) * 4), `dX ${n}×${inF}×${out}`).toBeLessThanOrEqual(1);
    }
  });

  it('agree with the reference on random shapes, with arrays in the WebAssembly heap or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 15 }),
        fc.boolean(),
        fc.nat(),
        (n, inF, out, inHeap, seed) => {
          const alloc = (len: number, s: number): Float32Array => {
            const a = inHeap ? wasmFloat32Array(len) : new Float32Array(len);
            a.set(randomArray(len, s));
            return a;
          };
          const X = alloc(n * inF, seed),
            W = alloc(inF * out, seed + 1),
            b = alloc(out, seed + 2);
          const Y = alloc(n * out, 0),
            Yr = new Float32Array(n * out);
          backend.linearForward(X, W, b, Y, n, inF, out);
          ref.linearForward(X, W, b, Yr, n, inF, out);
          expect(closeness(Y, Yr, 1e-5, 1e-5)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('leave float64 to the reference (bit-identical results)', () => {
    const X = Float64Array.from(randomArray(12, 1)),
      W = Float64Array.from(randomArray(12, 2)),
      b = Float64Array.from([1, 2, 3]);
    const Y = new Float64Array(12),
      Yr = new Float64Array(12);
    backend.linearForward(X, W, b, Y, 4, 3, 3);
    ref.linearForward(X, W, b, Yr, 4, 3, 3);
    expect(Array.from(Y)).toEqual(Array.from(Yr));
  });

  for (const g of golden.loss) {
    it(`give PyTorch's loss and gradients for ${g.name} ${JSON.stringify(g.sizes)} in float32 (training.json)`, () => {
      const sizes = g.sizes;
      const n = g.y.length;
      const layers = sizes.length - 1;
      const W = g.params.filter((_, i) => i % 2 === 0).map((p) => Float32Array.from(p));
      const B = g.params.filter((_, i) => i % 2 === 1).map((p) => Float32Array.from(p));
      const acts: Float32Array[] = [Float32Array.from(g.X)];
      for (let l = 0; l < layers; l++) {
        const z = new Float32Array(n * sizes[l + 1]);
        backend.linearForward(acts[l], W[l], B[l], z, n, sizes[l], sizes[l + 1]);
        if (l < layers - 1) for (let i = 0; i < z.length; i++) z[i] = Math.max(0, z[i]);
        acts.push(z);
      }
      const G = new Float32Array(n * sizes[layers]);
      const loss = backend.softmaxCrossEntropyRows(acts[layers], Int32Array.from(g.y), n, sizes[layers], G, 1 / n) / n;
      expect(Math.abs(loss - g.loss) / g.loss).toBeLessThan(1e-5);
      let upstream = G;
      for (let l = layers - 1; l >= 0; l--) {
        const dW = new Float32Array(sizes[l] * sizes[l + 1]);
        const db = new Float32Array(sizes[l + 1]);
        backend.linearBackwardParams(acts[l], upstream, dW, db, n, sizes[l], sizes[l + 1]);
        expect(closeness(dW, g.grads[2 * l], 1e-5, 1e-6), `dW${l}`).toBeLessThanOrEqual(1);
        expect(closeness(db, g.grads[2 * l + 1], 1e-5, 1e-6), `db${l}`).toBeLessThanOrEqual(1);
        if (l > 0) {
          const dX = new Float32Array(n * sizes[l]);
          backend.linearBackwardInput(upstream, W[l], dX, n, sizes[l], sizes[l + 1]);
          for (let i = 0; i < dX.length; i++) if (acts[l][i] <= 0) dX[i] = 0; // ReLU
          upstream = dX;
        }
      }
    });
  }
});
