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
export { detachedMax } from './ops.js';
export { lanesLookLikeProbabilities } from './probabilityRows.js';

// ---- Regression losses and pointwise likelihoods (engineer numerics-regression): append below. ----
export type { MseLossOptions } from './mseLoss.js';
export { mseLoss, mseLossBackward } from './mseLoss.js';
export type { L2LossOptions } from './l2Loss.js';
export { l2Loss, l2LossBackward } from './l2Loss.js';
export type { L1LossOptions } from './l1Loss.js';
export { l1Loss, l1LossBackward } from './l1Loss.js';
export type { HuberLossOptions } from './huberLoss.js';
export { huberLoss, huberLossBackward, huberNormalizer } from './huberLoss.js';
export type { SmoothL1LossOptions } from './smoothL1Loss.js';
export { smoothL1Loss, smoothL1LossBackward, smoothL1Normalizer } from './smoothL1Loss.js';
export type { BceWithLogitsOptions } from './bceWithLogits.js';
export { bceWithLogits, bceWithLogitsBackward } from './bceWithLogits.js';
export type { GaussianNllLossOptions } from './gaussianNllLoss.js';
export { gaussianNllLoss, gaussianNllLossBackward } from './gaussianNllLoss.js';
export type { Formula, LossFormulas, LossParameter, LossSpec, PointwiseLoss, PointwiseValues } from './lossSpec.js';
export * from './losses.js';
