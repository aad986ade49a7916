import { fail, formatValue } from '../errors.js';
import type { Matrix } from './matrix.js';
import { cosineDistances, nearestNeighbors, squaredEuclideanDistances } from './neighbors.js';

/**
 * How well an embedding keeps local neighbourhoods (Venna & Kaski 2001), exactly as scikit-learn's
 * `sklearn.manifold.trustworthiness(X, X_embedded, n_neighbors=5, metric='euclidean')`:
 *
 *   T(k) = 1 − 2 / (n·k·(2n − 3k − 1)) · Σᵢ Σ_{j ∈ N_i^k} max(0, r(i, j) − k)
 *
 * where N_i^k are the k nearest neighbours of i in the embedding and r(i, j) is the rank of j among
 * i's neighbours in the input space (1 = nearest). 1 means every embedded neighbour is a true
 * neighbour. Input ranks are by the Euclidean (or cosine) distance, ties broken by index (NumPy's
 * argsort leaves ties in an unspecified order). O(n²·d) time, O(n²) memory.
 */
export function trustworthiness(X: Matrix, embedded: Matrix, options: { nNeighbors?: number; metric?: 'euclidean' | 'cosine' } = {}): number {
  const fn = 'trustworthiness';
  const k = options.nNeighbors ?? 5;
  const n = X.rows;
  if (embedded.rows !== n) fail({ fn, argument: 'embedded', value: `${embedded.rows} rows`, rule: `it must have one row per row of X (${n})` });
  if (!(Number.isInteger(k) && k >= 1)) fail({ fn, argument: 'nNeighbors', value: formatValue(k), rule: 'it must be a positive integer' });
  if (k >= n / 2) fail({ fn, argument: 'nNeighbors', value: formatValue(k), rule: `it must be less than n_samples / 2 (${n / 2})` });
  const D = options.metric === 'cosine' ? cosineDistances(X) : squaredEuclideanDistances(X);
  // rank[i·n + j] = position of j in i's input-space ordering (1-based; i itself excluded)
  const rank = new Int32Array(n * n);
  const order = new Int32Array(n - 1);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < n; j++) if (j !== i) order[m++] = j;
    const row = i * n;
    order.sort((a, b) => D[row + a] - D[row + b] || a - b);
    for (let r = 0; r < n - 1; r++) rank[row + order[r]] = r + 1;
  }
  const neighbors = nearestNeighbors(embedded, k);
  let t = 0;
  for (let i = 0; i < n; i++)
    for (let s = 0; s < k; s++) {
      const excess = rank[i * n + neighbors.indices[i * k + s]] - k;
      if (excess > 0) t += excess;
    }
  return 1 - t * (2 / (n * k * (2 * n - 3 * k - 1)));
}
