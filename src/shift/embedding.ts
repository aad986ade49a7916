import { UMAP } from 'umap-js';
import { RandomState } from '../tensor/random.js';
import type { Matrix } from './mmd.js';

export interface EmbeddingPoint {
  readonly x: number;
  readonly y: number;
  readonly set: 'train' | 'valid';
}

/**
 * A 2-D UMAP embedding (umap-js, McInnes et al.) of standardised train and validation rows, for
 * the report's scatter plot and the web lab. Reproducible: umap-js draws all its randomness from
 * RandomState(seed).randomSample. Pass already subsampled rows (a few hundred per set).
 */
export function umapEmbedding(train: Matrix, valid: Matrix, options: { seed?: number; nNeighbors?: number } = {}): EmbeddingPoint[] {
  const rows: number[][] = [];
  for (const m of [train, valid]) for (let i = 0; i < m.rows; i++) rows.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  if (rows.length < 3) return [];
  const rs = new RandomState(options.seed ?? 0);
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(options.nNeighbors ?? 15, rows.length - 1),
    minDist: 0.1,
    nEpochs: 200,
    random: () => rs.randomSample(),
  });
  const coordinates = umap.fit(rows);
  return coordinates.map(([x, y], i) => ({ x, y, set: i < train.rows ? 'train' : 'valid' }));
}
