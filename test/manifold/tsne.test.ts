import { describe, expect, it } from 'vitest';
import { jointProbabilities, jointProbabilitiesNn } from '../../src/manifold/affinities.js';
import { nearestNeighbors, squaredEuclideanDistances } from '../../src/manifold/neighbors.js';
import { tsne, type TsneProgress } from '../../src/manifold/tsne.js';
import { trustworthiness } from '../../src/manifold/trustworthiness.js';
import { RandomState } from '../../src/tensor/random.js';
import { readGolden } from '../shift/goldenHelpers.js';
import { clusters } from './replay.js';

interface Golden {
  joint_probabilities: { seed: number; n: number; d: number; c: number; perplexity: number; distances_sample: number[]; P: number[] }[];
  joint_probabilities_nn: { seed: number; n: number; d: number; c: number; perplexity: number; row: number[]; col: number[]; P: number[] }[];
  trustworthiness: { seed: number; n: number; d: number; c: number; n_neighbors: number; metric: 'euclidean' | 'cosine'; value: number }[];
  tsne: {
    data: { seed: number; n: number; d: number; c: number };
    runs: { method: 'barnes_hut' | 'exact'; init: 'pca' | 'random'; seed: number; kl_divergence: number; n_iter: number; trustworthiness: number }[];
  };
}
const golden = readGolden<Golden>('sklearn_tsne.json');

const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;

describe('t-SNE input affinities match scikit-learn', () => {
  for (const g of golden.joint_probabilities) {
    it(`_joint_probabilities to 1e-10 (n = ${g.n}, perplexity ${g.perplexity})`, () => {
      const X = clusters(g.seed, g.n, g.d, g.c);
      const D = squaredEuclideanDistances(X);
      // the distances themselves (scikit-learn's euclidean_distances(squared=True))
      let s = 0;
      for (let i = 0; i < g.n; i++)
        for (let j = i + 1; j < g.n; j++) {
          if (s % 97 === 0) expect(Math.abs(D[i * g.n + j] - g.distances_sample[s / 97])).toBeLessThan(1e-12 * g.distances_sample[s / 97]);
          s++;
        }
      const P = jointProbabilities(D, g.n, g.perplexity);
      let k = 0;
      let worst = 0;
      for (let i = 0; i < g.n; i++)
        for (let j = i + 1; j < g.n; j++) {
          worst = Math.max(worst, Math.abs(P[i * g.n + j] - g.P[k]));
          expect(P[j * g.n + i]).toBe(P[i * g.n + j]);
          k++;
        }
      expect(k).toBe(g.P.length);
      expect(worst).toBeLessThan(1e-10);
    });
  }

  for (const g of golden.joint_probabilities_nn) {
    it(`_joint_probabilities_nn on the k nearest neighbours, same pattern and values to 1e-10 (n = ${g.n}, perplexity ${g.perplexity})`, () => {
      const X = clusters(g.seed, g.n, g.d, g.c);
      const k = Math.min(g.n - 1, Math.floor(3 * g.perplexity + 1));
      const nn = nearestNeighbors(X, k);
      const P = jointProbabilitiesNn(nn.indices, nn.sqdistances, g.n, k, g.perplexity);
      const rows: number[] = [];
      const cols: number[] = [];
      const values: number[] = [];
      for (let i = 0; i < g.n; i++)
        for (let t = P.indptr[i]; t < P.indptr[i + 1]; t++) {
          rows.push(i);
          cols.push(P.indices[t]);
          values.push(P.data[t]);
        }
      expect(rows).toEqual(g.row);
      expect(cols).toEqual(g.col);
      const worst = Math.max(...values.map((v, t) => Math.abs(v - g.P[t])));
      expect(worst).toBeLessThan(1e-10);
    });
  }
});

describe('trustworthiness equals sklearn.manifold.trustworthiness', () => {
  for (const g of golden.trustworthiness) {
    it(`n_neighbors = ${g.n_neighbors}, metric ${g.metric}`, () => {
      const X = clusters(g.seed, g.n, g.d, g.c);
      // Y = X[:, :2] + RandomState(seed + 1).standard_normal((n, 2))
      const rs = new RandomState(g.seed + 1);
      const Y = new Float64Array(g.n * 2);
      for (let i = 0; i < g.n; i++) for (let a = 0; a < 2; a++) Y[i * 2 + a] = X.data[i * g.d + a] + rs.standardNormal();
      expect(trustworthiness(X, { data: Y, rows: g.n, cols: 2 }, { nNeighbors: g.n_neighbors, metric: g.metric })).toBeCloseTo(g.value, 12);
    });
  }
  it('is 1 for an embedding that keeps every neighbourhood and rejects k ≥ n/2', () => {
    const X = clusters(1, 40, 2, 2);
    expect(trustworthiness(X, X)).toBe(1);
    expect(() => trustworthiness(X, X, { nNeighbors: 20 })).toThrow(/nNeighbors.*less than n_samples \/ 2 \(20\)/);
  });
});

describe('t-SNE against scikit-learn TSNE on the same data (300 points, 5 clusters in 20-D)', () => {
  const g = golden.tsne;
  const X = clusters(g.data.seed, g.data.n, g.data.d, g.data.c);
  for (const [method, init, seeds] of [
    ['barnes_hut', 'random', [0, 1, 2]],
    ['exact', 'pca', [0, 1]],
  ] as const) {
    it(`${method}, init ${init}: final KL within 5 % of scikit-learn's and trustworthiness within 0.01 (means over seeds)`, () => {
      const ref = g.runs.filter((r) => r.method === method && r.init === init);
      const kl: number[] = [];
      const tw: number[] = [];
      for (const seed of seeds) {
        const r = tsne(X, { method, init, randomState: seed });
        expect(r.nIter).toBe(999);
        kl.push(r.klDivergence);
        tw.push(trustworthiness(X, { data: r.embedding, rows: X.rows, cols: 2 }));
      }
      const refKl = mean(ref.map((r) => r.kl_divergence));
      const refTw = mean(ref.map((r) => r.trustworthiness));
      expect(Math.abs(mean(kl) / refKl - 1)).toBeLessThan(0.05);
      expect(Math.abs(mean(tw) - refTw)).toBeLessThan(0.01);
    }, 60_000);
  }

  it('reports progress through both phases and is reproducible for a seed', () => {
    const small = clusters(3, 60, 4, 3);
    const seen: TsneProgress[] = [];
    const a = tsne(small, { perplexity: 10, randomState: 4, init: 'random', onProgress: (p) => seen.push(p) });
    const b = tsne(small, { perplexity: 10, randomState: 4, init: 'random' });
    expect(Array.from(a.embedding)).toEqual(Array.from(b.embedding));
    expect(seen.some((p) => p.phase === 'neighbors')).toBe(true);
    expect(seen.filter((p) => p.phase === 'exaggeration')).toHaveLength(250);
    expect(seen.at(-1)).toMatchObject({ phase: 'optimize', done: a.nIter + 1, total: 1000 });
    expect(a.learningRate).toBe(50); // 'auto' = max(60 / 12 / 4, 50)
  });
});

describe('t-SNE input checks name the argument and the rule', () => {
  const X = clusters(2, 20, 3, 2);
  it.each([
    [{ perplexity: 20 }, /argument 'perplexity' is 20, but it must be less than the number of samples \(20\)/],
    [{ nIter: 100 }, /argument 'nIter' is 100, but it must be an integer of at least 250/],
    [{ angle: 1.5 }, /argument 'angle' is 1.5, but it must lie in \[0, 1\]/],
    [{ nComponents: 4 }, /Barnes–Hut method works in at most 3 dimensions/],
    [{ metric: 'precomputed' as const }, /argument 'X' is 20 × 3, but with metric 'precomputed', X must be a square distance matrix/],
    [{ learningRate: -1 }, /argument 'learningRate' is -1/],
  ])('%o', (options, message) => {
    expect(() => tsne(X, { perplexity: 5, ...options })).toThrow(message);
  });
  it("rejects init 'pca' with precomputed distances", () => {
    const D = { data: new Float64Array(400).map((_, t) => (Math.floor(t / 20) === t % 20 ? 0 : 1)), rows: 20, cols: 20 };
    expect(() => tsne(D, { perplexity: 5, metric: 'precomputed' })).toThrow(/argument 'init' is 'pca', but PCA initialisation needs features/);
    expect(tsne(D, { perplexity: 5, metric: 'precomputed', init: 'random', nIter: 250 }).embedding).toHaveLength(40);
  });
  it('rejects NaN input', () => {
    const bad = clusters(2, 20, 3, 2);
    bad.data[7] = Number.NaN;
    expect(() => tsne(bad, { perplexity: 5 })).toThrow(/argument 'X' is NaN at row 2, but every value must be finite/);
  });
});

describe('Barnes–Hut gradient: WebAssembly and TypeScript walks agree, and θ = 0 gives the exact gradient', () => {
  it('same gradient and KL estimate from both kernels; with angle 0 the gradient equals the exact one', async () => {
    const { barnesHutObjective } = await import('../../src/manifold/barnesHut.js');
    const { kernelBackend, setKernelBackend } = await import('../../src/kernels/backend.js');
    const X = clusters(7, 80, 5, 3);
    const k = 31;
    const nn = nearestNeighbors(X, k);
    const rs = new RandomState(8);
    const Y = Float64Array.from({ length: 160 }, () => rs.standardNormal() * 3);
    const previous = kernelBackend();
    const run = (backend: 'ts' | 'wasm', angle: number): { grad: Float64Array; kl: number } => {
      setKernelBackend(backend);
      const f = barnesHutObjective(jointProbabilitiesNn(nn.indices, nn.sqdistances, 80, k, 10), 2, 1, angle);
      const grad = new Float64Array(160);
      const kl = f.evaluate(Y, grad, true);
      f.dispose();
      return { grad, kl };
    };
    try {
      const a = run('ts', 0.5);
      const b = run('wasm', 0.5);
      for (let t = 0; t < 160; t++) expect(Math.abs(a.grad[t] - b.grad[t])).toBeLessThan(1e-12 * (1 + Math.abs(a.grad[t])));
      expect(b.kl).toBeCloseTo(a.kl, 12);
      // θ = 0 opens every cell: the repulsion is exact, so the gradient equals scikit-learn's exact formula on the same sparse P
      const exact = run('wasm', 0);
      const P = jointProbabilitiesNn(nn.indices, nn.sqdistances, 80, k, 10);
      const dense = new Float64Array(80 * 80);
      for (let i = 0; i < 80; i++) for (let t = P.indptr[i]; t < P.indptr[i + 1]; t++) dense[i * 80 + P.indices[t]] = P.data[t];
      let Z = 0;
      for (let i = 0; i < 80; i++) for (let j = 0; j < 80; j++) if (i !== j) Z += 1 / (1 + (Y[2 * i] - Y[2 * j]) ** 2 + (Y[2 * i + 1] - Y[2 * j + 1]) ** 2);
      for (let i = 0; i < 80; i++)
        for (let a2 = 0; a2 < 2; a2++) {
          let g = 0;
          for (let j = 0; j < 80; j++) {
            if (j === i) continue;
            const w = 1 / (1 + (Y[2 * i] - Y[2 * j]) ** 2 + (Y[2 * i + 1] - Y[2 * j + 1]) ** 2);
            g += 4 * (dense[i * 80 + j] - w / Z) * w * (Y[2 * i + a2] - Y[2 * j + a2]);
          }
          expect(Math.abs(exact.grad[2 * i + a2] - g)).toBeLessThan(1e-12 * (1 + Math.abs(g)));
        }
    } finally {
      setKernelBackend(previous);
    }
  });
});
