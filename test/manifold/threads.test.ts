/**
 * t-SNE on the WebAssembly kernels (assembly/tsne.ts): the neighbour search, the tree build and the
 * tree walk give the same bits as the TypeScript reference, and the same bits on one thread or two
 * (src/node/parallel.ts): each row's neighbours and each point's force are computed alone, the
 * normaliser Z is summed in point order and the KL estimate on one thread.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { jointProbabilitiesNn } from '../../src/manifold/affinities.js';
import { barnesHutObjective } from '../../src/manifold/barnesHut.js';
import { nearestNeighbors } from '../../src/manifold/neighbors.js';
import { tsne } from '../../src/manifold/tsne.js';
import { kernelBackend, setKernelBackend, wasmBackend, type KernelBackend } from '../../src/kernels/backend.js';
import { startParallelKernels } from '../../src/node/parallel.js';
import { RandomState } from '../../src/tensor/random.js';
import { clusters } from './replay.js';

const single = wasmBackend();
const pool = startParallelKernels();
if (!single || !pool) throw new Error('WebAssembly SIMD kernels unavailable in this Node (20+ has them)');
const initial = kernelBackend();
afterAll(async () => {
  setKernelBackend(initial);
  await pool.close();
});

function on<T>(backend: KernelBackend | 'ts', f: () => T): T {
  const previous = kernelBackend();
  setKernelBackend(backend);
  try {
    return f();
  } finally {
    setKernelBackend(previous);
  }
}

// 1,100 rows: more than the 2 × 512 rows the two threads search per round and the 1,024 points from which the walk is split
const X = clusters(11, 1100, 30, 6);

describe('exact neighbour search on WebAssembly', () => {
  it('equals the TypeScript search, on one thread and on two', () => {
    const k = 91;
    const ts = on('ts', () => nearestNeighbors(X, k));
    const one = on(single, () => nearestNeighbors(X, k));
    const progress: number[] = [];
    const two = on(pool.backend, () => nearestNeighbors(X, k, (done) => progress.push(done)));
    expect(one.indices).toEqual(ts.indices);
    expect(one.sqdistances).toEqual(ts.sqdistances);
    expect(two.indices).toEqual(one.indices);
    expect(two.sqdistances).toEqual(one.sqdistances);
    expect(progress).toEqual([1024, 1100]);
    // nearest first, itself excluded
    for (let i = 0; i < X.rows; i++) {
      expect(one.indices.subarray(i * k, (i + 1) * k)).not.toContain(i);
      for (let t = 1; t < k; t++) expect(one.sqdistances[i * k + t]).toBeGreaterThanOrEqual(one.sqdistances[i * k + t - 1]);
    }
  });
});

describe('Barnes–Hut objective on WebAssembly', () => {
  const k = 40;
  const nn = on(single, () => nearestNeighbors(X, k));
  const P = () => jointProbabilitiesNn(nn.indices, nn.sqdistances, X.rows, k, 13);

  function evaluate(backend: KernelBackend | 'ts', Y: Float64Array, computeError: boolean, scale = 1): { grad: Float64Array; kl: number } {
    return on(backend, () => {
      const f = barnesHutObjective(P(), 2, 1, 0.5);
      f.scaleP(scale);
      const grad = new Float64Array(Y.length);
      const kl = f.evaluate(Y, grad, computeError);
      f.dispose();
      return { grad, kl };
    });
  }

  it('builds and walks the TypeScript tree’s bits, duplicates and near-duplicates included; same bits on one thread and on two', () => {
    const rs = new RandomState(5);
    const Y = Float64Array.from({ length: 2 * X.rows }, () => rs.standardNormal() * 10);
    // exact duplicates share a leaf; points within 1e-6 count as duplicates; points 1e-5 apart split deep
    Y.copyWithin(20, 0, 10);
    Y[40] = Y[0] + 5e-7;
    Y[41] = Y[1];
    Y[60] = Y[0] + 1e-5;
    Y[61] = Y[1] - 1e-5;
    // P scaled to 0: the gradient is the repulsion alone, −4·F_rep/Z, bit for bit the TypeScript walk's
    expect(evaluate(single, Y, false, 0).grad).toEqual(evaluate('ts', Y, false, 0).grad);
    for (const computeError of [true, false]) {
      const ts = evaluate('ts', Y, computeError);
      const one = evaluate(single, Y, computeError);
      const two = evaluate(pool.backend, Y, computeError);
      // the attractive term rounds 1 + dx² + dy² in another order than the TypeScript loop over dimensions
      for (let t = 0; t < Y.length; t++) expect(Math.abs(one.grad[t] - ts.grad[t])).toBeLessThan(1e-12 * Math.abs(ts.grad[t]));
      if (computeError) expect(Math.abs(one.kl - ts.kl)).toBeLessThan(1e-12 * ts.kl);
      expect(two.grad).toEqual(one.grad);
      expect(Object.is(two.kl, one.kl)).toBe(true);
    }
  });

  it('grows its tree when the cells outnumber the first guess (two points 1e-5 apart, 70 apart from a third: ~23 levels, 16 cells guessed)', () => {
    const Q = jointProbabilitiesNn(Int32Array.from([1, 2, 0, 2, 0, 1]), Float64Array.from([1, 2, 1, 3, 2, 3]), 3, 2, 1.5);
    const Y = Float64Array.from([0, 0, 1e-5, 1e-5, 50, -20]);
    const run = (backend: KernelBackend | 'ts') =>
      on(backend, () => {
        const f = barnesHutObjective({ ...Q, data: Q.data.slice() }, 2, 1, 0.5);
        const grad = new Float64Array(6);
        const kl = f.evaluate(Y, grad, true);
        f.dispose();
        return { grad, kl };
      });
    const ts = run('ts');
    const wasm = run(single);
    for (let t = 0; t < 6; t++) expect(Math.abs(wasm.grad[t] - ts.grad[t])).toBeLessThan(1e-12 * Math.abs(ts.grad[t]));
    expect(Math.abs(wasm.kl - ts.kl)).toBeLessThan(1e-12 * Math.abs(ts.kl));
    expect(wasm.grad.every(Number.isFinite)).toBe(true);
  });
});

describe('t-SNE gives the same embedding on one thread and on two', () => {
  it('1,200 points, 300 iterations: same bits, same KL', () => {
    const data = clusters(3, 1200, 20, 5);
    const options = { nIter: 300, perplexity: 20, randomState: 1 } as const;
    const one = on(single, () => tsne(data, options));
    const two = on(pool.backend, () => tsne(data, options));
    expect(two.embedding).toEqual(one.embedding);
    expect(two.klDivergence).toBe(one.klDivergence);
  });
});
