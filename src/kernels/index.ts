// Public API of src/kernels/ — hand-fused hot paths.
export { softmaxCrossEntropyRows } from './softmaxCrossEntropy.js';
export {
  FUSED_MAX_CLASSES,
  SPARSE_MAX_DENSITY,
  SPARSE_MAX_FEATURES,
  type SoftmaxRegressionKernel,
  type StepResult,
  type TrainingRows,
} from './softmaxRegression.js';
export { byteTable } from './byteTable.js';
