import { setFlagsFromString } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWasmBackend, type KernelBackend } from '../../src/kernels/backend.js';
import { conv2dBackwardInput, conv2dBackwardWeight, conv2dForward, type Conv2dGeometry } from '../../src/kernels/conv.js';
import { gemm as referenceGemm, type GemmShape } from '../../src/kernels/gemm.js';
import { WasmHeap } from '../../src/kernels/wasm/heap.js';
import { compileWasmKernels } from '../../src/kernels/wasm/module.js';
import { directApplies, setConv2dAlgorithm } from '../../src/kernels/wasm/conv.js';
import { RandomState } from '../../src/tensor/random.js';
import { backends, closeTestPool, closeness } from './wasmBackends.js';

// both builds: 128-bit SIMD, and relaxed SIMD (fused multiply-add; Node 20 needs the flag)
setFlagsFromString('--experimental-wasm-relaxed-simd');
const relaxed = compileWasmKernels('relaxed-simd');
const plain = compileWasmKernels('simd');

function contenders(): [string, KernelBackend][] {
  const [, wasm, twoThreads] = backends();
  const out: [string, KernelBackend][] = [
    ['wasm (default build)', wasm],
    ['wasm, 2 threads', twoThreads],
  ];
  if (plain) out.push(['wasm simd', makeWasmBackend(new WasmHeap(plain), 'simd')]);
  if (relaxed) out.push(['wasm relaxed-simd', makeWasmBackend(new WasmHeap(relaxed), 'relaxed')]);
  return out;
}

function random(n: number, rng: RandomState): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

afterAll(closeTestPool);

describe('WebAssembly GEMM against the TypeScript reference (every transpose case, edges, batches, accumulate)', () => {
  it('the relaxed-SIMD build validates with the V8 flag (Node 20) and the plain one everywhere', () => {
    expect(plain).not.toBeNull();
    expect(relaxed).not.toBeNull();
  });
  const shapes = [
    [1, 1, 1, 1],
    [3, 5, 7, 1],
    [4, 8, 512, 1],
    [13, 17, 513, 1],
    [97, 65, 40, 1],
    [5, 2050, 3, 1],
    [6, 9, 11, 3],
  ];
  for (const [m, n, k, batch] of shapes) {
    it(`[${m}×${k}]·[${k}×${n}] × ${batch}`, () => {
      const rng = new RandomState(m * 1000 + n + k);
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const accumulate of [false, true]) {
            for (const strideB of [k * n, 0]) {
              if (batch === 1 && strideB === 0) continue;
              const s: GemmShape = { batch, m, n, k, transA, transB, strideA: m * k, strideB, accumulate };
              const A = random(batch * m * k, rng);
              const B = random(batch * k * n, rng);
              const C0 = random(batch * m * n, rng);
              const expected = C0.slice();
              referenceGemm(s, A, B, expected);
              for (const [name, be] of contenders()) {
                const C = C0.slice();
                be.gemm(s, A, B, C);
                // float32 sums of up to 513 products in another order: a few ulps of the sum of |terms|
                expect(
                  closeness(C, expected, 1e-5, 2e-5 * Math.sqrt(k)),
                  `${name} ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'} acc=${accumulate} strideB=${strideB}`,
                ).toBeLessThanOrEqual(1);
              }
            }
          }
        }
      }
    });
  }
  it('float64 and plain arrays go to the reference', () => {
    const s: GemmShape = { batch: 1, m: 2, n: 2, k: 2, transA: false, transB: false, strideA: 0, strideB: 0, accumulate: false };
    const C = new Float64Array(4);
    for (const [, be] of contenders()) {
      be.gemm(s, Float64Array.from([1, 2, 3, 4]), Float64Array.from([1, 0, 0, 1]), C);
      expect(Array.from(C)).toEqual([1, 2, 3, 4]);
    }
  });
});

function geometry(g: Omit<Conv2dGeometry, 'oh' | 'ow'>, padBottom = g.padTop, padRight = g.padLeft): Conv2dGeometry {
  return {
    ...g,
    oh: Math.floor((g.h + g.padTop + padBottom - g.dilationH * (g.kh - 1) - 1) / g.strideH) + 1,
    ow: Math.floor((g.w + g.padLeft + padRight - g.dilationW * (g.kw - 1) - 1) / g.strideW) + 1,
  };
}

/** Forward, input and weight gradients of every WebAssembly contender against the reference. */
function checkConv(g: Conv2dGeometry): void {
  const rng = new RandomState(g.n * 100 + g.c);
  const x = random(g.n * g.c * g.h * g.w, rng);
  const w = random(g.outC * (g.c / g.groups) * g.kh * g.kw, rng);
  const b = random(g.outC, rng);
  const gy = random(g.n * g.outC * g.oh * g.ow, rng);
  const y0 = new Float32Array(gy.length);
  const dx0 = new Float32Array(x.length);
  const dw0 = new Float32Array(w.length);
  conv2dForward(referenceGemm, g, x, w, b, y0);
  conv2dBackwardInput(referenceGemm, g, gy, w, dx0);
  conv2dBackwardWeight(referenceGemm, g, x, gy, dw0);
  for (const [label, be] of contenders()) {
    const y = new Float32Array(gy.length).fill(Number.NaN);
    const dx = new Float32Array(x.length).fill(Number.NaN);
    const dw = new Float32Array(w.length).fill(Number.NaN);
    be.conv2dForward(g, x, w, b, y);
    be.conv2dBackwardInput(g, gy, w, dx);
    be.conv2dBackwardWeight(g, x, gy, dw);
    expect(closeness(y, y0, 1e-5, 1e-5), `${label} forward`).toBeLessThanOrEqual(1);
    expect(closeness(dx, dx0, 1e-5, 1e-5), `${label} input gradient`).toBeLessThanOrEqual(1);
    expect(closeness(dw, dw0, 1e-5, 1e-4), `${label} weight gradient`).toBeLessThanOrEqual(1);
  }
}

describe('WebAssembly direct convolution (stride 1, assembly/convDirect.ts) against the TypeScript reference', () => {
  const base = { strideH: 1, strideW: 1, padTop: 0, padLeft: 0, dilationH: 1, dilationW: 1, groups: 1 };
  const cases: [string, Conv2dGeometry][] = [
    ['LeNet conv1 (1 → 6, 5×5, padding 2)', geometry({ ...base, n: 3, c: 1, h: 28, w: 28, outC: 6, kh: 5, kw: 5, padTop: 2, padLeft: 2 })],
    ['LeNet conv2 (6 → 16, 5×5, no padding: 10×10 out)', geometry({ ...base, n: 4, c: 6, h: 14, w: 14, outC: 16, kh: 5, kw: 5 })],
    [
      'MNIST_CNN conv1 (2 → 64, 3×3, padding 1), an odd channel count',
      geometry({ ...base, n: 3, c: 2, h: 28, w: 28, outC: 7, kh: 3, kw: 3, padTop: 1, padLeft: 1 }),
    ],
    ["'same' with an even kernel (one more at the end)", geometry({ ...base, n: 2, c: 2, h: 5, w: 7, outC: 3, kh: 2, kw: 4, padTop: 0, padLeft: 1 }, 1, 2)],
    ['rectangular kernel and padding, a batch of one', geometry({ ...base, n: 1, c: 3, h: 11, w: 6, outC: 5, kh: 3, kw: 6, padTop: 2, padLeft: 1 })],
    ['1×1 kernel, one output channel', geometry({ ...base, n: 2, c: 4, h: 3, w: 5, outC: 1, kh: 1, kw: 1 })],
    ['kernel as large as the input (1×1 output)', geometry({ ...base, n: 2, c: 2, h: 4, w: 5, outC: 3, kh: 4, kw: 5 })],
  ];
  for (const [name, g] of cases) {
    it(name, () => {
      expect(directApplies(g)).toBe(true);
      const previous = setConv2dAlgorithm('direct');
      try {
        checkConv(g);
      } finally {
        setConv2dAlgorithm(previous);
      }
    });
  }
  it('stride 2, dilation, groups and padding of a whole kernel are not direct (im2col runs them even when direct is forced)', () => {
    const g0 = { ...base, n: 2, c: 2, h: 7, w: 7, outC: 2, kh: 3, kw: 3 };
    const others = [
      geometry({ ...g0, strideH: 2 }),
      geometry({ ...g0, dilationW: 2 }),
      geometry({ ...g0, groups: 2 }),
      geometry({ ...g0, padTop: 3, padLeft: 1 }),
    ];
    const previous = setConv2dAlgorithm('direct');
    try {
      for (const g of others) {
        expect(directApplies(g)).toBe(false);
        checkConv(g);
      }
    } finally {
      setConv2dAlgorithm(previous);
    }
  });
});

describe('WebAssembly convolution against the TypeScript reference (forward, input and weight gradients)', () => {
  const base = { strideH: 1, strideW: 1, padTop: 0, padLeft: 0, dilationH: 1, dilationW: 1, groups: 1 };
  const cases: [string, Conv2dGeometry][] = [
    ['LeNet conv1 (5×5, padding 2)', geometry({ ...base, n: 3, c: 1, h: 28, w: 28, outC: 6, kh: 5, kw: 5, padTop: 2, padLeft: 2 })],
    ['stride larger than the kernel', geometry({ ...base, n: 2, c: 2, h: 9, w: 10, outC: 3, kh: 2, kw: 2, strideH: 3, strideW: 3 })],
    [
      'padding larger than half the kernel, dilation',
      geometry({ ...base, n: 2, c: 3, h: 5, w: 6, outC: 4, kh: 3, kw: 3, padTop: 2, padLeft: 3, dilationH: 2, dilationW: 1 }),
    ],
    ['groups equal to channels (depthwise)', geometry({ ...base, n: 2, c: 4, h: 6, w: 6, outC: 8, kh: 3, kw: 3, padTop: 1, padLeft: 1, groups: 4 })],
    [
      'stride 2 with padding (MNIST_CNN conv2)',
      geometry({ ...base, n: 2, c: 8, h: 14, w: 14, outC: 16, kh: 3, kw: 3, strideH: 2, strideW: 2, padTop: 1, padLeft: 1 }),
    ],
    ["'same' with an even kernel (one more at the end)", geometry({ ...base, n: 1, c: 2, h: 5, w: 7, outC: 3, kh: 2, kw: 4, padTop: 0, padLeft: 1 }, 1, 2)],
    [
      'a batch of one, rectangular stride',
      geometry({ ...base, n: 1, c: 3, h: 11, w: 7, outC: 5, kh: 3, kw: 2, strideH: 2, strideW: 1, padTop: 1, padLeft: 0 }),
    ],
  ];
  for (const [name, g] of cases) {
    it(`${name} (im2col + GEMM)`, () => {
      const previous = setConv2dAlgorithm('im2col');
      try {
        checkConv(g);
      } finally {
        setConv2dAlgorithm(previous);
      }
    });
  }
});
