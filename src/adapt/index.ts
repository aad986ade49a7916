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
export { irmPenaltyTensor, coralTensor, mmdTensor, mkMmdTensor } from './ops.js';
export { MlpDomainTrainer, xavierUniform } from './mlpDomainTrainer.js';
export type { LogitMethod, MlpDomainTrainerOptions, DomainBatch, StepMetrics } from './mlpDomainTrainer.js';
export { runIrmColored, environmentBatch, irmColoredInit, IRM_PAPER_HPARAMS } from './irmProtocol.js';
export type { IrmProtocolMethod, IrmProtocolResult } from './irmProtocol.js';
export { runDomainExperiment, meanSd, EXPERIMENT_METHODS, DOMAINBED_DEFAULTS } from './experiment.js';
export type { ExperimentOptions, ExperimentProgress, ExperimentRun, ExperimentResult } from './experiment.js';
export { AdaptationTrainer, ADAPTATION_METHODS } from './adaptationTrainer.js';
export type { AdaptationMethod, AdaptationTrainerOptions, AdaptationStepMetrics } from './adaptationTrainer.js';
export { runAdaptation } from './adaptationExperiment.js';
export type { AdaptationRunResult, AdaptationExperimentResult } from './adaptationExperiment.js';
