// Public API of src/kernels/ — hand-fused hot paths.
export { softmaxCrossEntropyRows } from './softmaxCrossEntropy.js';
