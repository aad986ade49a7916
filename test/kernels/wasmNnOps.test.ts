import { setFlagsFromString } from 'node:v8';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type KernelBackend, makeWasmBackend, typescriptBackend, wasmFloat32Array } from '../../src/kernels/backend.js';
import type { GroupNormShape } from '../../src/kernels/groupNorm.js';
import { WasmHeap } from '../../src/kernels/wasm/heap.js';
import { compileWasmKernels } from '../../src/kernels/wasm/module.js';
import { RandomState } from '../../src/tensor/random.js';
import { backends, closeness, closeTestPool, testPool } from './wasmBackends.js';

// The nn layers' per-element kernels in WebAssembly (assembly/pool.ts, assembly/groupNorm.ts) against
// the TypeScript references (src/kernels/pool.ts, src/kernels/groupNorm.ts), on 1 thread, on 2 threads
// (the test pool splits even the smallest call) and in both builds. relu, max pooling and its backward
// keep the reference's order of operations, so they must give the same bits; group norm sums in float64
// in another order, so it agrees to float64 rounding before the float32 rounding — and its 1- and
// 2-thread results must be bit-identical (the halves share no sums).

setFlagsFromString('--experimental-wasm-relaxed-simd');
const relaxed = compileWasmKernels('relaxed-simd');
const plain = compileWasmKernels('simd');

function wasmContenders(): [string, KernelBackend][] {
  const [, wasm, twoThreads] = backends();
  const out: [string, KernelBackend][] = [
    ['wasm', wasm],
    ['wasm, 2 threads', twoThreads],
  ];
  if (plain) out.push(['wasm simd', makeWasmBackend(new WasmHeap(plain), 'simd')]);
  if (relaxed) out.push(['wasm relaxed-simd', makeWasmBackend(new WasmHeap(relaxed), 'relaxed')]);
  return out;
}

afterAll(closeTestPool);

/** Values with the edge cases mixed in: ±0, NaN of both signs, ±∞, subnormals, ties. */
function awkward(n: number, rng: RandomState): Float32Array {
  const special = [0, -0, Number.NaN, -Number.NaN, Infinity, -Infinity, 1e-42, -1e-42, 1, 1];
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(0, 1) < 0.15 ? special[Math.floor(rng.uniform(0, special.length))] : rng.uniform(-2, 2);
  // a NaN with the sign bit set (JavaScript's -NaN literal may lose it)
  if (n > 3) new Int32Array(out.buffer)[3] = 0xffc00000 | 0;
  return out;
}

function bits(a: Float32Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length);
}

describe('relu and its gradient in WebAssembly: the reference bits, on 1 and 2 threads', () => {
  for (const n of [0, 1, 3, 4, 7, 64, 1001]) {
    it(`${n} elements (signed zeros, NaNs of both signs, infinities, subnormals)`, () => {
      const rng = new RandomState(n + 1);
      const x = awkward(n, rng);
      const g = awkward(n, rng);
      const y0 = new Float32Array(n);
      typescriptBackend.relu(x, y0);
      const d0 = new Float32Array(n);
      typescriptBackend.reluBackward(g, y0, d0);
      for (const [name, be] of wasmContenders()) {
        const y = new Float32Array(n).fill(7);
        be.relu(x, y);
        expect(bits(y), `${name} relu`).toEqual(bits(y0));
        const d = new Float32Array(n).fill(7);
        be.reluBackward(g, y0, d);
        expect(bits(d), `${name} relu backward`).toEqual(bits(d0));
      }
    });
  }
  it('the reference: −0 → +0, a NaN of either sign stays, the gradient passes where the output is positive or NaN', () => {
    const x = Float32Array.of(-0, 0, -1, 2, Number.NaN);
    const y = new Float32Array(5);
    typescriptBackend.relu(x, y);
    expect(Array.from(bits(y).subarray(0, 4))).toEqual([0, 0, 0, bits(Float32Array.of(2))[0]]);
    expect(Number.isNaN(y[4])).toBe(true);
    const d = new Float32Array(5);
    typescriptBackend.reluBackward(Float32Array.of(1, 1, 1, 1, 1), y, d);
    expect(Array.from(d)).toEqual([0, 0, 0, 1, 1]);
  });
  it('arrays already in the WebAssembly memory are used in place', () => {
    const x = wasmFloat32Array(9);
    x.set([-1, 2, -3, 4, -5, 6, -7, 8, -9]);
    const y = wasmFloat32Array(9);
    for (const [, be] of wasmContenders().slice(0, 2)) {
      y.fill(0);
      be.relu(x, y);
      expect(Array.from(y)).toEqual([0, 2, 0, 4, 0, 6, 0, 8, 0]);
    }
  });
  it('float64 goes to the reference', () => {
    const x = Float64Array.of(-1, 0.5, Number.NaN);
    const y = new Float64Array(3);
    for (const [, be] of wasmContenders()) {
      be.relu(x, y);
      expect(y[1]).toBe(0.5);
      expect(y[0]).toBe(0);
      expect(Number.isNaN(y[2])).toBe(true);
    }
  });
});

describe('2×2 max pooling and the max-pooling backward in WebAssembly: the reference bits, on 1 and 2 threads', () => {
  for (const [planes, h, w] of [
    [1, 2, 2],
    [3, 5, 9],
    [6, 28, 28],
    [5, 10, 10],
    [2, 9, 17],
  ]) {
    it(`${planes} planes of ${h}×${w} (first maximum wins, a NaN takes over)`, () => {
      const rng = new RandomState(planes * 100 + h * 10 + w);
      const oh = Math.floor(h / 2);
      const ow = Math.floor(w / 2);
      const sh = { planes, h, w, oh, ow };
      const x = awkward(planes * h * w, rng);
      // ties: whole windows of one value pick their first element
      for (let k = 0; k < x.length; k += 7) x[k] = 1;
      const y0 = new Float32Array(planes * oh * ow);
      const i0 = new Int32Array(planes * oh * ow);
      typescriptBackend.maxPool2x2(sh, x, y0, i0);
      const g = awkward(planes * oh * ow, rng);
      const d0 = new Float32Array(planes * h * w);
      typescriptBackend.maxPoolBackward(g, i0, d0, planes, h * w, oh * ow);
      for (const [name, be] of wasmContenders()) {
        const y = new Float32Array(y0.length).fill(3);
        const idx = new Int32Array(i0.length).fill(-5);
        be.maxPool2x2(sh, x, y, idx);
        expect(bits(y), `${name} values`).toEqual(bits(y0));
        expect(idx, `${name} indices`).toEqual(i0);
        const d = new Float32Array(d0.length).fill(9);
        be.maxPoolBackward(g, i0, d, planes, h * w, oh * ow);
        expect(bits(d), `${name} backward`).toEqual(bits(d0));
      }
    });
  }
  it('the backward adds every output routed to one element (overlapping windows) and skips index −1', () => {
    const g = Float32Array.of(1, 2, 4, 8);
    const idx = Int32Array.of(0, 0, -1, 3);
    for (const [name, be] of [['ts', typescriptBackend] as [string, KernelBackend], ...wasmContenders()]) {
      const d = new Float32Array(4).fill(5);
      be.maxPoolBackward(g, idx, d, 1, 4, 4);
      expect(Array.from(d), name).toEqual([3, 0, 0, 8]);
    }
  });
});

function groupNormCase(sh: GroupNormShape, offset: number, seed: number) {
  const rng = new RandomState(seed);
  const len = sh.n * sh.c * sh.s;
  const x = Float32Array.from({ length: len }, () => offset + rng.normal() * 0.5);
  const g = Float32Array.from({ length: len }, () => rng.normal());
  const gamma = Float32Array.from({ length: sh.c }, () => rng.uniform(0.5, 1.5));
  const beta = Float32Array.from({ length: sh.c }, () => rng.uniform(-1, 1));
  return { x, g, gamma, beta };
}

function runGroupNorm(be: KernelBackend, sh: GroupNormShape, d: ReturnType<typeof groupNormCase>, withDx = true) {
  const len = sh.n * sh.c * sh.s;
  const y = new Float32Array(len).fill(3);
  const mean = new Float64Array(sh.n * sh.groups);
  const rstd = new Float64Array(sh.n * sh.groups);
  be.groupNormForward(sh, d.x, d.gamma, d.beta, 1e-5, y, mean, rstd);
  const dx = withDx ? new Float32Array(len).fill(3) : null;
  const sumG = new Float64Array(sh.n * sh.c);
  const sumGX = new Float64Array(sh.n * sh.c);
  be.groupNormBackward(sh, d.x, d.g, d.gamma, mean, rstd, dx, sumG, sumGX);
  return { y, mean, rstd, dx, sumG, sumGX };
}

describe('group norm in WebAssembly against the TypeScript reference', () => {
  const shapes: GroupNormShape[] = [
    { n: 1, c: 4, groups: 2, s: 1 },
    { n: 3, c: 6, groups: 3, s: 5 },
    { n: 4, c: 64, groups: 8, s: 49 },
    { n: 5, c: 16, groups: 8, s: 196 },
    { n: 2, c: 8, groups: 1, s: 7 },
    { n: 2, c: 4, groups: 4, s: 0 },
  ];
  for (const sh of shapes) {
    for (const offset of [0, 1000]) {
      it(`[${sh.n}, ${sh.c}, ${sh.s}] in ${sh.groups} groups, data around ${offset}: within float32 rounding; 1 and 2 threads the same bits`, () => {
        const d = groupNormCase(sh, offset, sh.n * 31 + sh.c + sh.s + offset);
        const want = runGroupNorm(typescriptBackend, sh, d);
        const results = wasmContenders().map(([name, be]) => [name, runGroupNorm(be, sh, d)] as const);
        for (const [name, got] of results) {
          // the statistics: float64 sums in another order
          expect(closeness(got.mean, want.mean, 1e-12, 1e-12), `${name} mean`).toBeLessThanOrEqual(1);
          expect(closeness(got.rstd, want.rstd, 1e-9, 0), `${name} 1/σ`).toBeLessThanOrEqual(1);
          // the outputs: float64 results that differ in the last float64 bits, rounded to float32
          expect(closeness(got.y, want.y, 2e-7, 2e-7), `${name} y`).toBeLessThanOrEqual(1);
          expect(closeness(got.sumG, want.sumG, 1e-12, 1e-10), `${name} Σg`).toBeLessThanOrEqual(1);
          expect(closeness(got.sumGX, want.sumGX, 1e-9, 1e-9), `${name} Σg(x − μ)`).toBeLessThanOrEqual(1);
          expect(closeness(got.dx as Float32Array, want.dx as Float32Array, 1e-6, 1e-6), `${name} dx`).toBeLessThanOrEqual(1);
        }
        const one = results[0][1];
        const two = results[1][1];
        expect(bits(two.y)).toEqual(bits(one.y));
        expect(bits(two.dx as Float32Array)).toEqual(bits(one.dx as Float32Array));
        expect(two.sumGX).toEqual(one.sumGX);
        expect(two.rstd).toEqual(one.rstd);
      });
    }
  }
  it('property: random shapes and groups agree with the reference; without dx only the sums are written', () => {
    const [, wasm] = backends();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 1000 }),
        (n, groups, cpg, s, seed) => {
          const sh = { n, c: groups * cpg, groups, s };
          const d = groupNormCase(sh, 0, seed);
          const want = runGroupNorm(typescriptBackend, sh, d, false);
          for (const be of [wasm, testPool().backend]) {
            const got = runGroupNorm(be, sh, d, false);
            expect(got.dx).toBeNull();
            expect(closeness(got.y, want.y, 2e-7, 2e-7)).toBeLessThanOrEqual(1);
            expect(closeness(got.sumGX, want.sumGX, 1e-9, 1e-9)).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
  it('float64 goes to the reference (the same bits)', () => {
    const sh = { n: 2, c: 4, groups: 2, s: 3 };
    const d = groupNormCase(sh, 0, 5);
    const x = Float64Array.from(d.x);
    const gamma = Float64Array.from(d.gamma);
    const beta = Float64Array.from(d.beta);
    const out = (be: KernelBackend) => {
      const y = new Float64Array(24);
      be.groupNormForward(sh, x, gamma, beta, 1e-5, y, new Float64Array(4), new Float64Array(4));
      return y;
    };
    const want = out(typescriptBackend);
    for (const [name, be] of wasmContenders()) expect(out(be), name).toEqual(want);
  });
});
