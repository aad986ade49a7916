import { UMAP } from 'umap-js';
import { tsneSteps } from '../manifold/tsne.js';
import { RandomState } from '../tensor/random.js';
import type { Matrix } from './mmd.js';

export interface EmbeddingPoint {
  readonly x: number;
  readonly y: number;
  readonly set: 'train' | 'valid';
}

/** The 2-D embeddings the shift report offers: UMAP (umap-js) or t-SNE (src/manifold, scikit-learn's TSNE). */
export const EMBEDDING_METHODS = ['umap', 'tsne'] as const;
export type EmbeddingMethod = (typeof EMBEDDING_METHODS)[number];

/** Where an embedding is: `done` of `total` epochs (UMAP) or iterations (t-SNE). */
export interface EmbeddingProgress {
  readonly method: EmbeddingMethod;
  readonly done: number;
  readonly total: number;
}

export interface EmbeddingOptions {
  readonly method?: EmbeddingMethod;
  readonly seed?: number;
  /** UMAP's `nNeighbors` (default 15). */
  readonly nNeighbors?: number;
  /** t-SNE's perplexity (default 30, lowered to (rows − 1)/3 for few rows). */
  readonly perplexity?: number;
}

function stack(train: Matrix, valid: Matrix): Matrix {
  const cols = train.cols;
  const data = new Float64Array((train.rows + valid.rows) * cols);
  data.set(train.data.subarray(0, train.rows * cols));
  data.set(valid.data.subarray(0, valid.rows * cols), train.rows * cols);
  return { rows: train.rows + valid.rows, cols, data };
}

/**
 * A 2-D embedding of standardised train and validation rows, for the report's scatter plot and the
 * web lab, one step at a time (a progress record per UMAP epoch or t-SNE iteration; the points at
 * the end). Reproducible from `seed`:
 * - `umap`: umap-js (McInnes et al.), `nNeighbors` 15, `minDist` 0.1, 200 epochs, all randomness
 *   from `RandomState(seed).randomSample`;
 * - `tsne`: losslab's `tsne` with scikit-learn's defaults (Barnes–Hut, PCA initialisation,
 *   perplexity 30, 1000 iterations, `randomState: seed`).
 */
export function* embeddingSteps(train: Matrix, valid: Matrix, options: EmbeddingOptions = {}): Generator<EmbeddingProgress, EmbeddingPoint[], void> {
  const method = options.method ?? 'umap';
  const seed = options.seed ?? 0;
  const n = train.rows + valid.rows;
  if (n < 3) return [];
  const label = (i: number): 'train' | 'valid' => (i < train.rows ? 'train' : 'valid');
  if (method === 'tsne') {
    const steps = tsneSteps(stack(train, valid), { perplexity: Math.min(options.perplexity ?? 30, (n - 1) / 3), randomState: seed });
    let step = steps.next();
    while (!step.done) {
      if (step.value.phase !== 'neighbors') yield { method, done: step.value.done, total: step.value.total };
      step = steps.next();
    }
    const Y = step.value.embedding;
    return Array.from({ length: n }, (_, i) => ({ x: Y[2 * i], y: Y[2 * i + 1], set: label(i) }));
  }
  const rows: number[][] = [];
  for (const m of [train, valid]) for (let i = 0; i < m.rows; i++) rows.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  const rs = new RandomState(seed);
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(options.nNeighbors ?? 15, n - 1),
    minDist: 0.1,
    nEpochs: 200,
    random: () => rs.randomSample(),
  });
  const total = umap.initializeFit(rows);
  for (let epoch = 0; epoch < total; ) {
    epoch = umap.step();
    yield { method, done: epoch, total };
  }
  return umap.getEmbedding().map(([x, y], i) => ({ x, y, set: label(i) }));
}

/** Runs `embeddingSteps` to the end, reporting each step to `onProgress`. */
export function embedRows(train: Matrix, valid: Matrix, options: EmbeddingOptions = {}, onProgress?: (p: EmbeddingProgress) => void): EmbeddingPoint[] {
  const steps = embeddingSteps(train, valid, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    onProgress?.(step.value);
  }
}

/** The UMAP embedding (`embedRows` with method 'umap'). */
export function umapEmbedding(train: Matrix, valid: Matrix, options: { seed?: number; nNeighbors?: number } = {}): EmbeddingPoint[] {
  return embedRows(train, valid, { ...options, method: 'umap' });
}
