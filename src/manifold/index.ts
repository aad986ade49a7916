// Public API of src/manifold/ — t-SNE and embedding quality (scikit-learn's sklearn.manifold).
export { tsne, tsneSteps } from './tsne.js';
export type { TsneMetric, TsneOptions, TsneProgress, TsneResult } from './tsne.js';
export { trustworthiness } from './trustworthiness.js';
export { binarySearchPerplexity, jointProbabilities, jointProbabilitiesNn, MACHINE_EPSILON } from './affinities.js';
export type { CsrMatrix } from './affinities.js';
export { nearestNeighbors, squaredEuclideanDistances, cosineDistances } from './neighbors.js';
export type { Neighbors } from './neighbors.js';
export { pcaScores } from './pca.js';
export { QuadTree } from './quadTree.js';
