import type { Matrix } from '../../src/shift/mmd.js';
import { RandomState } from '../../src/tensor/random.js';

/** Replays the golden script's clusters(seed, n, d, c): N(0, 1) rows plus centres 3·N(0, 1), row i in cluster i % c. */
export function clusters(seed: number, n: number, d: number, c: number): Matrix {
  const rs = new RandomState(seed);
  const data = new Float64Array(n * d);
  for (let t = 0; t < n * d; t++) data[t] = rs.standardNormal();
  const centres = new Float64Array(c * d);
  for (let t = 0; t < c * d; t++) centres[t] = rs.standardNormal() * 3;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] += centres[(i % c) * d + j];
  return { data, rows: n, cols: d };
}
