import { UMAP } from 'umap-js';
import { RandomState } from '../tensor/random.js';

/**
 * A 2-D UMAP embedding (umap-js, McInnes et al.; n_neighbors 15, min_dist 0.1, 200 epochs) of learned
 * features `[n, F]`, standardised per feature first. Reproducible: every random draw comes from
 * `RandomState(seed)`. Pass a subsample (a few hundred rows per domain): UMAP's neighbour search is
 * super-linear.
 */
export function umapFeatures(features: Float32Array, n: number, options: { seed?: number; nNeighbors?: number } = {}): { x: number; y: number }[] {
  if (n < 3) return [];
  const d = features.length / n;
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += features[i * d + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sd[j] += (features[i * d + j] - mean[j]) ** 2 / n;
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(d);
    for (let j = 0; j < d; j++) row[j] = sd[j] > 0 ? (features[i * d + j] - mean[j]) / Math.sqrt(sd[j]) : 0;
    rows.push(row);
  }
  const rs = new RandomState(options.seed ?? 0);
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(options.nNeighbors ?? 15, n - 1), minDist: 0.1, nEpochs: 200, random: () => rs.randomSample() });
  return umap.fit(rows).map(([x, y]) => ({ x, y }));
}
