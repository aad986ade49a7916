// Public API of src/functional/ — explicit exports only.

// Softmax family, classification losses (engineer numerics-softmax).
export type { Reduction, KlReduction } from './reduction.js';
export { checkReduction, REDUCTIONS } from './reduction.js';
export type { SoftmaxOptions } from './softmax.js';
export { softmax, softmaxBackward } from './softmax.js';
export { logSoftmax, logSoftmaxBackward } from './logSoftmax.js';
export type { LogSumExpOptions } from './logSumExp.js';
export { logSumExp, logSumExpBackward } from './logSumExp.js';
export type { CrossEntropyOptions } from './crossEntropy.js';
export { crossEntropy } from './crossEntropy.js';
export type { NllLossOptions } from './nllLoss.js';
export { nllLoss, nllLossBackward } from './nllLoss.js';
export type { KlDivOptions } from './klDiv.js';
export { klDiv, klDivBackward } from './klDiv.js';

// ---- Regression losses and pointwise likelihoods (engineer numerics-regression): append below. ----
