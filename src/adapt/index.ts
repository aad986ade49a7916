/** Domain adaptation and generalisation: label-shift correction, importance weights, target-free validators, DomainBed model selection. */
export { bbse, emLabelShift, adjustPosteriors } from './labelShift.js';
export type { BbseResult as BbseEstimate, EmResult, LabelShiftEstimate } from './labelShift.js';
export { importanceWeightsFromProbabilities, domainClassifierWeights } from './importanceWeights.js';
export type { ImportanceWeights, DomainClassifierWeights } from './importanceWeights.js';
export { iwcvRisk, devRisk, meanPredictionEntropy, softNeighborhoodDensity, VALIDATORS } from './validators.js';
export type { ValidatorName, ValidatorScore } from './validators.js';
export { selectModel, SELECTION_RULES } from './modelSelection.js';
export type { CheckpointRecord, Selection, SelectionRule } from './modelSelection.js';
export {
  irmPenaltyBinary,
  irmPenalty,
  vrexPenalty,
  groupDroWeights,
  coralPenalty,
  mmdPenalty,
  mkMmdPenalty,
  ganinLambda,
  DOMAINBED_MMD_GAMMAS,
} from './penalties.js';
export type { PenaltyValue } from './penalties.js';
export { irmPenaltyTensor, coralTensor, mmdTensor, mkMmdTensor, gradientReversal } from './ops.js';
