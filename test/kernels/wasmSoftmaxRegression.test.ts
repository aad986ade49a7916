/**
 * Conformance of the fused softmax-regression step (src/kernels/softmaxRegression.ts, WebAssembly
 * SIMD in assembly/softmaxRegression.ts) with the composed TypeScript reference: gather the batch
 * rows, `linearForward`, first-maximum argmax, `softmaxCrossEntropyRows`, `linearBackwardParams`.
 * Runs on one thread and on a 2-thread pool that splits every batch of 2 rows or more.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { byteTable } from '../../src/kernels/byteTable.js';
import { typescriptBackend, wasmBackend, type KernelBackend } from '../../src/kernels/backend.js';
import { linearBackwardParams, linearForward } from '../../src/kernels/linear.js';
import { softmaxCrossEntropyRows } from '../../src/kernels/softmaxCrossEntropy.js';
import {
  FUSED_MAX_CLASSES,
  SPARSE_MAX_DENSITY,
  SPARSE_MAX_FEATURES,
  type SoftmaxRegressionKernel,
  type TrainingRows,
} from '../../src/kernels/softmaxRegression.js';
import { wasmFloat32Array, wasmHeap } from '../../src/kernels/wasm/heap.js';
import { wasmSoftmaxRegression } from '../../src/kernels/wasm/softmaxRegression.js';
import { argmaxRow } from '../../src/models/network.js';
import { startParallelKernels } from '../../src/node/parallel.js';
import { RandomState } from '../../src/tensor/random.js';
import { golden } from '../models/golden.js';
import { closeness } from './wasmBackends.js';

const single = wasmBackend();
// minStepRows 2: every batch of two rows or more is split between the main thread and the worker
const pool = startParallelKernels({ minStepRows: 2 });
if (!single || !pool) throw new Error('WebAssembly SIMD kernels unavailable in this Node (20+ has them)');
const heap = wasmHeap();
if (!heap) throw new Error('WebAssembly heap unavailable');
afterAll(() => pool.close());

const BACKENDS: readonly (readonly [string, KernelBackend, number])[] = [
  ['1 thread', single, 1],
  ['2 threads', pool.backend, 2],
];

// ---------------------------------------------------------------------------------------------
// data

/** Bytes with `zeroFraction` zeros (scale 1/255), as Fashion-MNIST pixels. */
function byteRows(n: number, features: number, c: number, seed: number, zeroFraction = 0.6): TrainingRows {
  const rs = new RandomState(seed);
  const x = new Uint8Array(n * features);
  for (let i = 0; i < x.length; i++) x[i] = rs.randomSample() < zeroFraction ? 0 : rs.randint(1, 256);
  return { x, scale: 1 / 255, y: randomLabels(rs, n, c), n, features };
}

/** float32 values in ±[0.05, 1.5]: no zeros, so the layout is dense. */
function floatRows(n: number, features: number, c: number, seed: number): TrainingRows {
  const rs = new RandomState(seed);
  const x = new Float32Array(n * features);
  for (let i = 0; i < x.length; i++) x[i] = (rs.randomSample() < 0.5 ? -1 : 1) * rs.uniform(0.05, 1.5);
  return { x, scale: 1, y: randomLabels(rs, n, c), n, features };
}

function randomLabels(rs: RandomState, n: number, c: number): Int32Array {
  return Int32Array.from({ length: n }, () => rs.randint(0, c));
}

/** Weights and bias scaled so the logits are of order 1 (losses and accuracies are not trivial). */
function randomParams(features: number, c: number, seed: number): { W: Float32Array; b: Float32Array } {
  const rs = new RandomState(seed);
  const bound = 3 / Math.sqrt(features);
  return {
    W: Float32Array.from({ length: features * c }, () => rs.uniform(-bound, bound)),
    b: Float32Array.from({ length: c }, () => rs.uniform(-0.5, 0.5)),
  };
}

/** `length` arbitrary valid row indices (repeats allowed), as an epoch order or a sampler's draw. */
function randomOrder(n: number, length: number, seed: number): Int32Array {
  const rs = new RandomState(seed);
  return Int32Array.from({ length }, () => rs.randint(0, n));
}

/** What the layout rules of src/kernels/softmaxRegression.ts choose for `data`. */
function expectedLayout(data: TrainingRows): 'sparse' | 'dense' {
  let nonzero = 0;
  for (let i = 0; i < data.n * data.features; i++) if (data.x[i] !== 0) nonzero++;
  return data.features <= SPARSE_MAX_FEATURES && nonzero <= SPARSE_MAX_DENSITY * data.n * data.features ? 'sparse' : 'dense';
}

// ---------------------------------------------------------------------------------------------
// the composed reference and the comparison

interface Outcome {
  readonly loss: number;
  readonly correct: number;
  readonly dW: Float32Array;
  readonly db: Float32Array;
}

interface Batch {
  readonly data: TrainingRows;
  readonly c: number;
  readonly order: ArrayLike<number>;
  readonly start: number;
  readonly m: number;
  readonly W: Float32Array;
  readonly b: Float32Array;
  readonly gradScale: number;
}

/**
 * The composed path with the TypeScript reference kernels. `ambiguous` counts rows whose two largest
 * logits are closer than float32 rounding can resolve (their argmax may differ legitimately).
 */
function composed({ data, c, order, start, m, W, b, gradScale }: Batch): Outcome & { ambiguous: number; magnitude: number } {
  const f = data.features;
  const table = byteTable(data.scale, 'float32');
  const X = new Float32Array(m * f);
  const labels = new Int32Array(m);
  let magnitude = 0;
  for (let r = 0; r < m; r++) {
    const row = order[start + r];
    let rowMax = 0;
    for (let k = 0; k < f; k++) {
      const v = data.x instanceof Uint8Array ? table[data.x[row * f + k]] : data.x[row * f + k];
      X[r * f + k] = v;
      rowMax = Math.max(rowMax, Math.abs(v));
    }
    labels[r] = data.y[row];
    magnitude += rowMax;
  }
  const logits = new Float32Array(m * c);
  linearForward(X, W, b, logits, m, f, c);
  let correct = 0;
  let ambiguous = 0;
  for (let r = 0; r < m; r++) {
    const best = argmaxRow(logits, r * c, c);
    if (best === labels[r]) correct++;
    for (let j = 0; j < c; j++) {
      if (j !== best && Math.abs(logits[r * c + j] - logits[r * c + best]) < 1e-4 * (1 + Math.abs(logits[r * c + best]))) {
        ambiguous++;
        break;
      }
    }
  }
  const G = new Float32Array(m * c);
  const loss = softmaxCrossEntropyRows(logits, labels, m, c, G, gradScale);
  const dW = new Float32Array(f * c);
  const db = new Float32Array(c);
  linearBackwardParams(X, G, dW, db, m, f, c);
  // |dW| and |db| are at most |gradScale| · Σ_rows max|x| (resp. |gradScale| · m): the scale of their rounding
  return { loss, correct, dW, db, ambiguous, magnitude: Math.abs(gradScale) * magnitude };
}

/** The fused step, with gradient buffers pre-filled with garbage (the step must overwrite them). */
function fused(kernel: SoftmaxRegressionKernel, { data, c, order, start, m, W, b, gradScale }: Batch, inHeap = false): Outcome {
  const alloc = (len: number): Float32Array => (inHeap ? wasmFloat32Array(len) : new Float32Array(len));
  const Wk = alloc(W.length);
  const bk = alloc(b.length);
  Wk.set(W);
  bk.set(b);
  const dW = alloc(data.features * c).fill(7);
  const db = alloc(c).fill(-7);
  const r = kernel.step(order, start, m, Wk, bk, dW, db, gradScale);
  expect(Array.from(Wk), 'W is read, not written').toEqual(Array.from(W));
  return { loss: r.loss, correct: r.correct, dW: Float32Array.from(dW), db: Float32Array.from(db) };
}

/** Float32 agreement: loss rtol 1e-5, dW/db rtol 1e-4 with atol 1e-6 of their scale, correct exact (up to near-ties). */
function expectAgrees(actual: Outcome, batch: Batch, label: string): void {
  const ref = composed(batch);
  expect(closeness([actual.loss], [ref.loss], 1e-5, 1e-7 * batch.m), `${label}: loss ${actual.loss} vs ${ref.loss}`).toBeLessThanOrEqual(1);
  if (ref.ambiguous === 0) expect(actual.correct, `${label}: correct`).toBe(ref.correct);
  else expect(Math.abs(actual.correct - ref.correct), `${label}: correct (${ref.ambiguous} near-ties)`).toBeLessThanOrEqual(ref.ambiguous);
  const atolW = 1e-6 * Math.max(ref.magnitude, 1e-30);
  const atolB = 1e-6 * Math.abs(batch.gradScale) * batch.m;
  expect(closeness(actual.dW, ref.dW, 1e-4, atolW), `${label}: dW`).toBeLessThanOrEqual(1);
  expect(closeness(actual.db, ref.db, 1e-4, atolB), `${label}: db`).toBeLessThanOrEqual(1);
}

function kernelFor(backend: KernelBackend, data: TrainingRows, c: number): SoftmaxRegressionKernel {
  const kernel = backend.softmaxRegression?.(data, c) ?? null;
  if (!kernel) throw new Error(`no fused step for ${data.features} features, ${c} classes`);
  return kernel;
}

// ---------------------------------------------------------------------------------------------

const FEATURES = [1, 3, 7, 784] as const;
const BATCHES = [1, 7, 13, 256] as const;

/** Every c in 1…12 with every feature count, the batch sizes cycling so each (features, batch) pair occurs. */
function grid(): { c: number; features: number; m: number; seed: number }[] {
  const cases: { c: number; features: number; m: number; seed: number }[] = [];
  for (let c = 1; c <= FUSED_MAX_CLASSES; c++) {
    FEATURES.forEach((features, fi) => {
      cases.push({ c, features, m: BATCHES[(c + fi) % BATCHES.length], seed: c * 100 + fi });
    });
  }
  return cases;
}

describe.each(BACKENDS)('fused softmax-regression step on %s', (_name, backend, threads) => {
  /** One data set, one kernel, a batch window in the middle of an arbitrary order. */
  function checkCase(data: TrainingRows, c: number, m: number, seed: number, layout: 'sparse' | 'dense'): void {
    const label = `${layout} ${data.n}×${data.features}, c=${c}, m=${m}`;
    const kernel = kernelFor(backend, data, c);
    expect(kernel.layout, label).toBe(layout);
    expect(kernel.layout, label).toBe(expectedLayout(data));
    expect(kernel.threads).toBe(threads);
    const { W, b } = randomParams(data.features, c, seed + 1);
    const order = randomOrder(data.n, data.n, seed + 2);
    const start = data.n - m > 0 ? 1 + ((seed * 7) % (data.n - m)) : 0;
    const batch: Batch = { data, c, order, start, m, W, b, gradScale: 1 / m };
    expectAgrees(fused(kernel, batch), batch, label);
  }

  it('sparse bytes (scale 1/255, 60% zeros): c = 1…12, features 1/3/7/784, batches 1/7/13/256 inside an arbitrary order', () => {
    for (const { c, features, m, seed } of grid()) {
      // enough rows that the 60% zeros give a density ≤ 0.5 even for 1 feature
      const data = byteRows(Math.max(m + 37, 200), features, c, seed);
      checkCase(data, c, m, seed, 'sparse');
    }
  });

  it('dense float32 (no zeros): c = 1…12, features 1/3/7/784, batches 1/7/13/256 inside an arbitrary order', () => {
    for (const { c, features, m, seed } of grid()) {
      const data = floatRows(m + 9, features, c, seed);
      checkCase(data, c, m, seed, 'dense');
    }
  });

  it('more than 1365 features use the dense layout even when most inputs are zero (bytes and float32)', () => {
    for (const [c, m] of [
      [10, 256],
      [3, 5],
      [12, 1],
    ] as const) {
      const bytes = byteRows(m + 3, SPARSE_MAX_FEATURES + 35, c, 50 + c, 0.8);
      checkCase(bytes, c, m, 51 + c, 'dense');
      const floats = floatRows(m + 3, SPARSE_MAX_FEATURES + 1, c, 60 + c);
      for (let i = 0; i < floats.x.length; i += 3) floats.x[i] = 0;
      checkCase(floats, c, m, 61 + c, 'dense');
    }
  });

  it('layout boundaries: density exactly 0.5 is sparse, one more nonzero dense; 1365 features sparse, 1366 dense', () => {
    const n = 4;
    const half = byteRows(n, 10, 3, 70, 0);
    for (let i = 0; i < half.x.length; i++) half.x[i] = i % 2 === 0 ? 0 : 200; // 20 of 40 nonzero
    checkCase(half, 3, 3, 71, 'sparse');
    const more = { ...half, x: Uint8Array.from(half.x) };
    more.x[0] = 1; // 21 of 40
    checkCase(more, 3, 3, 72, 'dense');
    const widest = byteRows(6, SPARSE_MAX_FEATURES, 4, 73, 0.9);
    checkCase(widest, 4, 5, 74, 'sparse');
    const wider = byteRows(6, SPARSE_MAX_FEATURES + 1, 4, 75, 0.9);
    checkCase(wider, 4, 5, 76, 'dense');
  });

  it('repeated steps on one kernel: windows of one order, a new order, gradScale 1 / 0.37 / −2, arrays inside or outside the heap', () => {
    for (const data of [byteRows(300, 784, 10, 80), floatRows(300, 50, 10, 81)]) {
      const kernel = kernelFor(backend, data, 10);
      const { W, b } = randomParams(data.features, 10, 82);
      const first = randomOrder(data.n, data.n, 83);
      const second = Int32Array.from(new RandomState(84).permutation(data.n));
      const steps: [Int32Array, number, number, number, boolean][] = [
        [first, 0, 256, 1 / 256, false],
        [first, 256, 44, 1 / 44, true],
        [first, 100, 31, 1, false],
        [second, 17, 200, 0.37, true],
        [first, 3, 2, -2, false],
        [second, 299, 1, 1, true],
      ];
      for (const [order, start, m, gradScale, inHeap] of steps) {
        const batch: Batch = { data, c: 10, order, start, m, W, b, gradScale };
        expectAgrees(fused(kernel, batch, inHeap), batch, `${kernel.layout} start=${start} m=${m} gradScale=${gradScale} inHeap=${inHeap}`);
      }
    }
  });

  it('an empty batch gives zero loss and zero gradients', () => {
    const data = byteRows(20, 7, 4, 90);
    const kernel = kernelFor(backend, data, 4);
    const { W, b } = randomParams(7, 4, 91);
    const out = fused(kernel, { data, c: 4, order: randomOrder(20, 20, 92), start: 5, m: 0, W, b, gradScale: 1 });
    expect(out.loss).toBe(0);
    expect(out.correct).toBe(0);
    expect(Array.from(out.dW).every((v) => v === 0)).toBe(true);
    expect(Array.from(out.db).every((v) => v === 0)).toBe(true);
  });

  it('agrees with the reference on small random data sets (property: both layouts, any c ≤ 12, windows, gradScale)', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 24 }),
          features: fc.integer({ min: 1, max: 20 }),
          c: fc.integer({ min: 1, max: FUSED_MAX_CLASSES }),
          bytes: fc.boolean(),
          zeroFraction: fc.double({ min: 0, max: 0.9, noNaN: true }),
          window: fc.tuple(fc.nat(), fc.nat()),
          gradScale: fc.constantFrom(1, 0.5, 1 / 3, -1),
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        }),
        ({ n, features, c, bytes, zeroFraction, window, gradScale, seed }) => {
          const data = bytes ? byteRows(n, features, c, seed, zeroFraction) : floatRows(n, features, c, seed);
          if (!bytes) for (let i = 0; i < data.x.length; i++) if (new RandomState(seed + i).randomSample() < zeroFraction) data.x[i] = 0;
          const m = 1 + (window[0] % n);
          const start = window[1] % (n - m + 1);
          const { W, b } = randomParams(features, c, seed + 1);
          const batch: Batch = { data, c, order: randomOrder(n, n, seed + 2), start, m, W, b, gradScale };
          fc.pre(composed(batch).ambiguous === 0);
          const kernel = kernelFor(backend, data, c);
          expect(kernel.layout).toBe(expectedLayout(data));
          expectAgrees(fused(kernel, batch), batch, `${kernel.layout} ${n}×${features} c=${c}`);
        },
      ),
      { numRuns: 150, seed: 20240611 },
    );
  });

  const softmaxRegressionGolden = golden.loss.filter((g) => g.sizes.length === 2);

  it('there is a softmax-regression case in the PyTorch golden data', () => {
    expect(softmaxRegressionGolden.length).toBeGreaterThan(0);
  });

  for (const g of softmaxRegressionGolden) {
    it(`gives PyTorch's mean loss and gradients for ${g.name} ${JSON.stringify(g.sizes)} (training.json, float32)`, () => {
      const [features, c] = g.sizes;
      const n = g.y.length;
      const data: TrainingRows = { x: Float32Array.from(g.X), scale: 1, y: Int32Array.from(g.y), n, features };
      const kernel = kernelFor(backend, data, c);
      expect(kernel.layout).toBe(expectedLayout(data));
      // training.json stores W as [in, out] (nn.Linear.weight transposed), losslab's layout
      const W = Float32Array.from(g.params[0]);
      const b = Float32Array.from(g.params[1]);
      for (const order of [Int32Array.from({ length: n }, (_, i) => i), new RandomState(5).permutation(n)]) {
        const out = fused(kernel, { data, c, order, start: 0, m: n, W, b, gradScale: 1 / n });
        expect(closeness([out.loss / n], [g.loss], 1e-5, 1e-6)).toBeLessThanOrEqual(1);
        expect(closeness(out.dW, g.grads[0], 1e-5, 1e-6), 'dW').toBeLessThanOrEqual(1);
        expect(closeness(out.db, g.grads[1], 1e-5, 1e-6), 'db').toBeLessThanOrEqual(1);
      }
    });
  }

  it('Propagates NaNs: a NaN input gives a NaN loss for batches with its row, like the composed path, and leaves other batches alone', () => {
    const withZeros = (seed: number): TrainingRows => {
      const d = floatRows(12, 9, 5, seed);
      for (let i = 0; i < d.x.length; i += 4) d.x[i] = 0; // 25% zeros: still dense
      return d;
    };
    const variants: [string, TrainingRows, boolean][] = [
      ['dense', floatRows(12, 9, 5, 100), true],
      ['sparse', byteRows(12, 9, 5, 100, 0.8), true],
      ['dense', withZeros(100), false],
    ];
    const nanMask = (a: Float32Array): boolean[] => Array.from(a, Number.isNaN);
    for (const [layout, base, exactNaNs] of variants) {
      const x = Float32Array.from({ length: base.x.length }, (_, i) => (base.x instanceof Uint8Array ? base.x[i] / 255 : base.x[i]));
      x[4 * 9 + 5] = NaN; // row 4, column 5
      const data: TrainingRows = { ...base, x, scale: 1 };
      const kernel = kernelFor(backend, data, 5);
      expect(kernel.layout).toBe(layout);
      const { W, b } = randomParams(9, 5, 101);
      const order = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      for (const [start, m] of [
        [0, 12],
        [4, 1],
        [2, 5],
      ] as const) {
        const batch: Batch = { data, c: 5, order, start, m, W, b, gradScale: 1 / m };
        const label = `${kernel.layout} start=${start} m=${m}`;
        const out = fused(kernel, batch);
        const ref = composed(batch);
        expect(ref.loss).toBeNaN();
        expect(out.loss, label).toBeNaN();
        expect(nanMask(out.db), `${label}: db`).toEqual(nanMask(ref.db));
        if (exactNaNs) {
          expect(nanMask(out.dW), `${label}: dW`).toEqual(nanMask(ref.dW));
        } else {
          // the dense kernel multiplies the row's zero inputs too (0 · NaN = NaN, as PyTorch's X^T·G);
          // the reference skips them, so it leaves those dW entries finite: only require its NaNs
          for (let i = 0; i < ref.dW.length; i++) if (Number.isNaN(ref.dW[i])) expect(out.dW[i], `${label}: dW[${i}]`).toBeNaN();
        }
      }
      for (const [start, m] of [
        [0, 4],
        [5, 7],
      ] as const) {
        const batch: Batch = { data, c: 5, order, start, m, W, b, gradScale: 1 / m };
        const out = fused(kernel, batch);
        expect(Number.isFinite(out.loss), `${kernel.layout} start=${start} m=${m}`).toBe(true);
        expectAgrees(out, batch, `${kernel.layout} without the NaN row`);
      }
    }
  });

  it('ties: the argmax is the first maximum (lanes in different vectors, all-equal logits, zero rows)', () => {
    for (const data of [byteRows(40, 5, 12, 180, 0.5), floatRows(40, 5, 12, 181)]) {
      const order = randomOrder(40, 40, 182);
      // W = 0: every row's logits are b, whose maximum 0.75 is at classes 2, 5 and 9
      const W = new Float32Array(5 * 12);
      const b = Float32Array.from([0.1, 0.2, 0.75, -1, 0.3, 0.75, 0, 0.5, 0.6, 0.75, 0.74, 0.1]);
      for (let m = 1; m <= 40; m += 13) {
        const kernel = kernelFor(backend, data, 12);
        const batch: Batch = { data, c: 12, order, start: 0, m, W, b, gradScale: 1 };
        const out = fused(kernel, batch);
        let label2 = 0;
        for (let r = 0; r < m; r++) if (data.y[order[r]] === 2) label2++;
        expect(out.correct, `${kernel.layout} m=${m}`).toBe(label2);
        expect(out.correct).toBe(composed(batch).correct);
      }
      // all logits equal: class 0 is the first maximum
      const flat = fused(kernelFor(backend, data, 12), { data, c: 12, order, start: 0, m: 40, W, b: new Float32Array(12).fill(0.25), gradScale: 1 });
      expect(flat.correct).toBe(Array.from(order).filter((i) => data.y[i] === 0).length);
      expect(flat.loss).toBeCloseTo(40 * Math.log(12), 4);
    }
  });

  it('overflow: logits of ±3·10⁴ give the reference loss (finite), gradients and argmax', () => {
    const data = floatRows(40, 6, 7, 110);
    for (let i = 0; i < data.x.length; i++) data.x[i] *= 1000;
    const kernel = kernelFor(backend, data, 7);
    const { W, b } = randomParams(6, 7, 111);
    for (let i = 0; i < W.length; i++) W[i] *= 20;
    const batch: Batch = { data, c: 7, order: randomOrder(40, 40, 112), start: 3, m: 33, W, b, gradScale: 1 / 33 };
    const out = fused(kernel, batch);
    expect(Number.isFinite(out.loss)).toBe(true);
    expect(out.loss).toBeGreaterThan(1e4);
    expectAgrees(out, batch, 'overflow');
  });

  it('underflow: probabilities below float32 range (loss ≈ 0 for confident right rows) match the reference', () => {
    const n = 16;
    const base = floatRows(n, 2, 3, 120);
    for (let r = 0; r < n; r++) {
      base.x[2 * r] = 1;
      base.x[2 * r + 1] = 0.5;
    }
    // the logit of class j is 200 above the others: their softmax is e^-200 (0 in float32)
    const b = Float32Array.from([0, 0, 0]);
    const order = Int32Array.from({ length: n }, (_, i) => i);
    for (let j = 0; j < 3; j++) {
      const data: TrainingRows = { ...base, y: new Int32Array(n).fill(j) };
      const kernel = kernelFor(backend, data, 3);
      const W = new Float32Array(6);
      W[j] = 200; // W[0, j]
      const batch: Batch = { data, c: 3, order, start: 0, m: n, W, b, gradScale: 1 / n };
      const out = fused(kernel, batch);
      expect(out.correct).toBe(n);
      expect(out.loss).toBeGreaterThanOrEqual(0);
      expect(out.loss).toBeLessThan(1e-30);
      expectAgrees(out, batch, `underflow class ${j}`);
    }
  });
});

describe('2-thread pool', () => {
  it('really splits batches of 2 rows or more between the main thread and the worker (both layouts)', () => {
    const spy = vi.spyOn(pool, 'start');
    try {
      for (const [data, name] of [
        [byteRows(50, 30, 4, 130), 'softmaxRegressionSparse'],
        [floatRows(50, 30, 4, 131), 'softmaxRegressionDense'],
      ] as const) {
        const kernel = kernelFor(pool.backend, data, 4);
        const { W, b } = randomParams(30, 4, 132);
        spy.mockClear();
        const order = randomOrder(50, 50, 133);
        fused(kernel, { data, c: 4, order, start: 0, m: 1, W, b, gradScale: 1 });
        expect(spy, 'a single row stays on the main thread').not.toHaveBeenCalled();
        fused(kernel, { data, c: 4, order, start: 10, m: 9, W, b, gradScale: 1 });
        expect(spy).toHaveBeenCalledTimes(1);
        expect(spy.mock.calls[0][0]).toBe(name);
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('gives the same result as one thread up to float32 summation order', () => {
    const data = byteRows(500, 784, 10, 140);
    const { W, b } = randomParams(784, 10, 141);
    const batch: Batch = { data, c: 10, order: randomOrder(500, 500, 142), start: 200, m: 256, W, b, gradScale: 1 / 256 };
    const one = fused(kernelFor(single, data, 10), batch);
    const two = fused(kernelFor(pool.backend, data, 10), batch);
    expect(closeness([two.loss], [one.loss], 1e-6, 0)).toBeLessThanOrEqual(1);
    expect(two.correct).toBe(one.correct);
    expect(closeness(two.dW, one.dW, 1e-4, 1e-6)).toBeLessThanOrEqual(1);
  });
});

describe('where the fused step does not apply', () => {
  it('returns null for more than 12 classes, labels ≥ c, no rows or no classes', () => {
    const data = byteRows(30, 5, 12, 150);
    for (const [, backend] of BACKENDS) {
      expect(backend.softmaxRegression?.(data, FUSED_MAX_CLASSES)).not.toBeNull();
      expect(backend.softmaxRegression?.(data, FUSED_MAX_CLASSES + 1)).toBeNull();
      expect(backend.softmaxRegression?.(data, 0)).toBeNull();
      expect(backend.softmaxRegression?.({ ...data, n: 0, y: new Int32Array(0) }, 3)).toBeNull();
      const small = byteRows(30, 5, 4, 151);
      expect(backend.softmaxRegression?.(small, 4)).not.toBeNull();
      small.y[17] = 4;
      const relabelled = { ...small, y: Int32Array.from(small.y) };
      expect(backend.softmaxRegression?.(relabelled, 4), 'label 4 with c = 4').toBeNull();
      expect(backend.softmaxRegression?.(relabelled, 5)).not.toBeNull();
      const negative = { ...small, y: Int32Array.from(small.y, (v, i) => (i === 3 ? -1 : v % 4)) };
      expect(backend.softmaxRegression?.(negative, 5), 'label −1').toBeNull();
    }
  });

  it('the TypeScript backend has no fused step (the trainer composes its kernels)', () => {
    expect(typescriptBackend.softmaxRegression).toBeUndefined();
    expect('softmaxRegression' in typescriptBackend).toBe(false);
  });
});

describe('the per-data-set layout cache', () => {
  it('a second call on the same data gives the same layout and bit-identical results', () => {
    for (const data of [byteRows(120, 40, 6, 160), floatRows(120, 40, 6, 161)]) {
      const { W, b } = randomParams(40, 6, 162);
      const batch: Batch = { data, c: 6, order: randomOrder(120, 120, 163), start: 11, m: 100, W, b, gradScale: 1 / 100 };
      const first = wasmSoftmaxRegression(heap, data, 6);
      const second = wasmSoftmaxRegression(heap, data, 6);
      if (!first || !second) throw new Error('no fused step');
      expect(second.layout).toBe(first.layout);
      expect(second).not.toBe(first);
      const a = fused(first, batch);
      const b2 = fused(second, batch);
      expect(b2.loss).toBe(a.loss);
      expect(b2.correct).toBe(a.correct);
      expect(Array.from(b2.dW)).toEqual(Array.from(a.dW));
      expect(Array.from(b2.db)).toEqual(Array.from(a.db));
    }
  });

  it('new labels (a new data.y array on the same x) are picked up', () => {
    for (const data of [byteRows(80, 20, 5, 170), floatRows(80, 20, 5, 171)]) {
      const { W, b } = randomParams(20, 5, 172);
      const order = randomOrder(80, 80, 173);
      const before = wasmSoftmaxRegression(heap, data, 5);
      if (!before) throw new Error('no fused step');
      const relabelled: TrainingRows = { ...data, y: Int32Array.from(data.y, (v) => (v + 1) % 5) };
      const after = wasmSoftmaxRegression(heap, relabelled, 5);
      if (!after) throw new Error('no fused step');
      const batchBefore: Batch = { data, c: 5, order, start: 0, m: 80, W, b, gradScale: 1 / 80 };
      const batchAfter: Batch = { ...batchBefore, data: relabelled };
      const lossBefore = fused(before, batchBefore).loss;
      const out = fused(after, batchAfter);
      expect(out.loss).not.toBe(lossBefore);
      expectAgrees(out, batchAfter, `${after.layout} relabelled`);
      // the kernel made before still trains on the labels it was made for
      expectAgrees(fused(before, batchBefore), batchBefore, `${before.layout} original labels`);
    }
  });

  it('a kernel keeps the labels it was made with when data.y is rewritten in place', () => {
    const data = byteRows(60, 12, 4, 180);
    const { W, b } = randomParams(12, 4, 181);
    const batch: Batch = { data: { ...data, y: Int32Array.from(data.y) }, c: 4, order: randomOrder(60, 60, 182), start: 0, m: 60, W, b, gradScale: 1 / 60 };
    const kernel = wasmSoftmaxRegression(heap, data, 4);
    if (!kernel) throw new Error('no fused step');
    data.y.set(data.y.map((v) => (v + 1) % 4));
    expectAgrees(fused(kernel, batch), batch, 'labels as made');
  });

  it('the same x with another scale, or changed in place, gets a fresh layout', () => {
    for (const data of [byteRows(90, 30, 5, 190), floatRows(90, 30, 5, 191)]) {
      const { W, b } = randomParams(30, 5, 192);
      const order = randomOrder(90, 90, 193);
      const first = wasmSoftmaxRegression(heap, data, 5);
      if (!first) throw new Error('no fused step');
      const batch: Batch = { data, c: 5, order, start: 0, m: 90, W, b, gradScale: 1 / 90 };
      expectAgrees(fused(first, batch), batch, 'original');
      if (data.x instanceof Uint8Array) {
        const rescaled: TrainingRows = { ...data, scale: 1 / 100 };
        const k = wasmSoftmaxRegression(heap, rescaled, 5);
        if (!k) throw new Error('no fused step');
        expectAgrees(fused(k, { ...batch, data: rescaled }), { ...batch, data: rescaled }, 'rescaled');
      }
      // change one value in place (same array objects): the next kernel must see it
      const copy = data.x.slice();
      const i = data.x.findIndex((v) => v !== 0);
      data.x[i] = data.x instanceof Uint8Array ? (data.x[i] + 7) % 256 : data.x[i] * 3 + 1;
      const changed = wasmSoftmaxRegression(heap, data, 5);
      if (!changed) throw new Error('no fused step');
      expectAgrees(fused(changed, batch), batch, 'changed in place');
      data.x.set(copy);
    }
  });
});
