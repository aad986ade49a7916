// Public API of src/models/ — explicit exports only.

export type { BundleArray, BundleDType, BundleEntry, EncodedBundle } from './bundle.js';
export { checksumOf, decodeBundle, encodeBundle } from './bundle.js';
export type { CheckpointContents, DataSummary, JsonObject, JsonValue, TrainingCheckpoint } from './checkpoint.js';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  checkSameRun,
  decodeCheckpointFile,
  decodeTrainingCheckpoint,
  encodeCheckpointFile,
  encodeTrainingCheckpoint,
  summarizeData,
} from './checkpoint.js';
export type { ClassifierOptions, FitOptions, MLPOptions } from './estimators.js';
export { MLP, NeuralClassifier, SoftmaxRegression } from './estimators.js';
export { accuracyOn, argmaxRows, datasetLogits, predictDataset, probabilitiesFromLogits, topK } from './inference.js';
export { networkLoss } from './loss.js';
export type { ClassScores } from './metrics.js';
export { accuracy, classScores, confusionMatrix } from './metrics.js';
export type { InitScheme, ModelDType, Parameter as NetworkParameter } from './network.js';
export { argmaxRow, Network } from './network.js';
export type { Optimizer as NetworkOptimizer, OptimizerName, OptimizerSpec, OptimizerState } from './optimizers.js';
// the torch-style SGD / Adam / AdamW over tensors are src/optim's; these drive the softmax-regression Trainer's buffers
export { createOptimizer } from './optimizers.js';
export type { ModelKind, SavedModel } from './serialize.js';
export { decodeModel, encodeModel, MODEL_HEADER_FILE, MODEL_WEIGHTS_FILE } from './serialize.js';
export type { BatchProgress, EpochResult, TrainerOptions, TrainerSnapshot, TrainOutcome } from './trainer.js';
export { cosineLr, Trainer, trainEpochs } from './trainer.js';
