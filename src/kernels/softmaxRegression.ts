/**
 * The fused training step of softmax regression: one linear layer `Y = X·W + b` followed by softmax
 * cross-entropy, forward and backward in one pass per row (see assembly/softmaxRegression.ts).
 *
 * This file holds the platform-free contract. The step computes exactly what the composed path
 * computes — gather the minibatch, `linearForward`, `softmaxCrossEntropyRows`, `linearBackwardParams`
 * (src/models/trainer.ts does that for every other network) — and the conformance tests hold it to
 * that composition with the TypeScript reference kernels. A backend that has no fused step (the
 * TypeScript one, or float64 networks) makes the trainer compose the kernels instead.
 */

/** The training rows as the fused step reads them (a `Dataset` of src/data/dataset.ts is one). */
export interface TrainingRows {
  /** Row-major `[n, features]`: bytes (times `scale`) or float32. */
  readonly x: Uint8Array | Float32Array;
  readonly scale: number;
  /** Class index per row. */
  readonly y: Int32Array;
  readonly n: number;
  readonly features: number;
}

/** What one minibatch step reports. */
export interface StepResult {
  /** Summed cross-entropy of the batch rows (before the update). */
  readonly loss: number;
  /** Rows whose logits have their first maximum at the label (before the update). */
  readonly correct: number;
}

/** The fused step bound to one training set (its rows already laid out for the kernel). */
export interface SoftmaxRegressionKernel {
  /** `sparse`: only the nonzero inputs are stored and used (CSR); `dense`: every input. */
  readonly layout: 'sparse' | 'dense';
  /**
   * Threads the step runs on (1, or 2 with src/node/parallel.ts). Only the speed depends on it: the
   * batch is always reduced as two fixed halves, so every thread count gives the same bits.
   */
  readonly threads: number;
  /**
   * One minibatch: the rows `order[start], …, order[start + m − 1]`. Overwrites `dW [in, c]` and
   * `db [c]` with the gradient of `gradScale · Σ_rows loss` (like `zero_grad()` + `backward()`) and
   * returns the batch's summed loss and correct count. `order` must list valid row indices (the
   * trainer checks it); a new `order` array is copied into the kernel's memory once.
   */
  step(order: ArrayLike<number>, start: number, m: number, W: Float32Array, b: Float32Array, dW: Float32Array, db: Float32Array, gradScale: number): StepResult;
}

/** Most classes the fused step handles (three 4-lane vectors of logits per row). */
export const FUSED_MAX_CLASSES = 12;
/** Widest input the sparse layout handles (each column is stored as its weight row's byte offset, 48·k < 2¹⁶). */
export const SPARSE_MAX_FEATURES = 1365;
/**
 * The sparse layout is chosen when at most this fraction of the inputs is nonzero. Measured: a
 * nonzero costs the sparse kernel about twice what one input costs the dense kernel.
 */
export const SPARSE_MAX_DENSITY = 0.5;
