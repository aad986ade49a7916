import type { Predicate } from '../../mistakes/predicates.js';

/**
 * Messages between the Train page and its Web Worker (structured-clone data only).
 * The page sends `start` / `pause` / `resume`; `reset` is done by terminating the worker.
 */
export type ModelChoice = 'softmax' | 'mlp' | 'cnn';
export type OptimizerChoice = 'sgd' | 'adam';

export interface TrainConfig {
  readonly model: ModelChoice;
  readonly hidden: number;
  readonly lr: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly optimizer: OptimizerChoice;
  readonly momentum: number;
  readonly weightDecay: number;
  /** Number of training images: a seeded random subset of the 60,000 (all when 60000). */
  readonly trainSize: number;
  readonly seed: number;
}

export type ToWorker =
  | { readonly type: 'start'; readonly config: TrainConfig; readonly dataUrl: string }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' };

export interface EpochRow {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly seconds: number;
}

export interface WrongImage {
  readonly pixels: Uint8Array;
  readonly label: number;
  readonly predicted: number;
  readonly confidence: number;
}

/** A slice of the test set where the model errs significantly more often (see src/mistakes). */
export interface ErrorSlice {
  /** Conditions on `class` (a class index as text) and the image features (ink, brightness, centre_row, centre_col, height, width). */
  readonly predicates: readonly Predicate[];
  readonly size: number;
  readonly errorRate: number;
  /** Wilson 95 % interval of the error rate. */
  readonly ci: readonly [number, number];
  readonly restErrorRate: number;
  readonly pvalueAdjusted: number;
}

export interface TrainResults {
  /** `[10, 784]` template per class: the column of W for softmax regression, W0·W1 for the MLP, the gradient of each class score at the average training image for LeNet-5. */
  readonly templates: Float32Array;
  readonly confusion: number[][];
  readonly wrong: WrongImage[];
  /** The top error slices of the test set (at most 5; none when no slice is significant). */
  readonly slices: ErrorSlice[];
}

export type FromWorker =
  | { readonly type: 'loading' }
  | { readonly type: 'loaded'; readonly nTrain: number; readonly nTest: number }
  | { readonly type: 'initial'; readonly testAccuracy: number }
  /** How the trainer steps (`Trainer.stepKind`) and with which kernels (`ts`, `wasm`). */
  | { readonly type: 'step'; readonly kind: string; readonly kernels: string }
  | {
      readonly type: 'batch';
      readonly epoch: number;
      readonly epochs: number;
      readonly batch: number;
      readonly batches: number;
      readonly loss: number;
      readonly accuracy: number;
    }
  | { readonly type: 'epoch'; readonly row: EpochRow; readonly results: TrainResults }
  | { readonly type: 'paused'; readonly epoch: number; readonly batch: number }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string };
