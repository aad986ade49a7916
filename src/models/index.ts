// Public API of src/models/ — explicit exports only.
export { Network, argmaxRow } from './network.js';
export type { Parameter as NetworkParameter, InitScheme, ModelDType } from './network.js';
// the torch-style SGD / Adam / AdamW over tensors are src/optim's; these drive the softmax-regression Trainer's buffers
export { createOptimizer } from './optimizers.js';
export type { Optimizer as NetworkOptimizer, OptimizerState, OptimizerName, OptimizerSpec } from './optimizers.js';
export { Trainer, trainEpochs, cosineLr } from './trainer.js';
export type { TrainerOptions, TrainerSnapshot, TrainOutcome, EpochResult, BatchProgress } from './trainer.js';
export { SoftmaxRegression, MLP, NeuralClassifier } from './estimators.js';
export type { ClassifierOptions, MLPOptions, FitOptions } from './estimators.js';
export { accuracy, confusionMatrix, classScores } from './metrics.js';
export type { ClassScores } from './metrics.js';
export { datasetLogits, predictDataset, accuracyOn, argmaxRows, probabilitiesFromLogits, topK } from './inference.js';
export { networkLoss } from './loss.js';
export { encodeModel, decodeModel, MODEL_HEADER_FILE, MODEL_WEIGHTS_FILE } from './serialize.js';
export type { SavedModel, ModelKind } from './serialize.js';
export {
  encodeCheckpointFile,
  decodeCheckpointFile,
  encodeTrainingCheckpoint,
  decodeTrainingCheckpoint,
  checkSameRun,
  summarizeData,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
} from './checkpoint.js';
export type { CheckpointContents, TrainingCheckpoint, DataSummary, JsonObject, JsonValue } from './checkpoint.js';
export { encodeBundle, decodeBundle, checksumOf } from './bundle.js';
export type { BundleEntry, BundleArray, BundleDType, EncodedBundle } from './bundle.js';
