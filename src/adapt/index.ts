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
export { DomainAlgorithm, classLoss, logitMetrics, predictLogits, predictFeatures, defaultOptimizer } from './algorithm.js';
export type { Minibatch, UpdateResult, DomainBatchMetrics, AlgorithmParts, OptimizerFactory, StepOptimizer } from './algorithm.js';
export {
  createAlgorithm,
  ERM,
  ImportanceWeightedERM,
  IRM,
  VREx,
  GroupDRO,
  Mixup,
  MLDG,
  CORAL,
  MMD,
  DAN,
  DANN,
  randomPairsOfMinibatches,
  splitMetaTrainTest,
} from './algorithms/index.js';
export { ALGORITHM_NAMES, ALGORITHM_TITLES, hparamSpecs, defaultHparams, randomHparams, resolveHparams } from './hparams.js';
export type { AlgorithmName, HparamSpec, HparamValue, HparamValues } from './hparams.js';
export { mlp, mlpFeaturizer, mnistCnn, linearClassifier, featureCount } from './networks.js';
export type { MlpOptions } from './networks.js';
export { DomainTrainer, domainInputs, inputImportanceWeights } from './trainer.js';
export type { DomainTrainerOptions, ModelSpec, StepRecord, TrainerCheckpoint } from './trainer.js';
export { runExperiment, resolveMethod, meanSd, METHODS, METHOD_ALIASES, ADAPTATION_METHODS, TARGET_FREE_RULES } from './experiment.js';
export type { ExperimentOptions, ExperimentProgress, ExperimentRun, ExperimentResult, CompletedRun, RunKey, Summary } from './experiment.js';
export { runIrmColored, irmColoredTrainer, irmColoredInit, grayscaleDomainDataset, IRM_PAPER_HPARAMS } from './irmProtocol.js';
export type { IrmProtocolMethod, IrmProtocolResult } from './irmProtocol.js';
export { CrossDomainClassifier } from './estimator.js';
export type { CrossDomainClassifierOptions, EstimatorInput, EstimatorSelect, CrossDomainFitOptions } from './estimator.js';
export { beta as betaSample, standardGamma } from './sampling.js';
export { umapFeatures } from './embedding.js';
