import { crossEntropy } from '../functional/crossEntropy.js';
import { softmax, softmaxBackward } from '../functional/softmax.js';
import { SGD } from '../optim/sgd.js';
import type { FloatDType } from '../tensor/dtype.js';
import { fromTypedArray, type Tensor } from '../tensor/tensor.js';

/**
 * "CrossEntropyLoss takes logits": what happens when softmax outputs are passed to cross-entropy,
 * which applies (log-)softmax itself — softmax applied twice. Every number comes from the library's
 * `softmax`, `crossEntropy`, autograd and `SGD`.
 */

/** Cross-entropy and its gradients when the probabilities ŷ = softmax(z) are passed as if they were logits. */
export interface MistakenCrossEntropy {
  /** crossEntropy(ŷ, c) = −log softmax(ŷ)_c (instead of −log ŷ_c). */
  readonly loss: number;
  /** Its gradient with respect to ŷ: softmax(ŷ) − y. */
  readonly gradProbabilities: number[];
  /** With respect to the logits z: the softmax Jacobian at ŷ applied to it, (diag ŷ − ŷŷᵀ)(softmax(ŷ) − y). */
  readonly gradLogits: number[];
}

/**
 * The cross-entropy of probabilities `probabilities` (one row, softmax outputs) fed to
 * `crossEntropy` as logits, and its gradient back through the softmax that made them (the library's
 * `softmaxBackward`). Non-finite probabilities (a naive softmax that overflowed) give NaN, as they
 * would in PyTorch.
 */
export function probabilitiesAsLogits(probabilities: readonly number[], target: number, dtype: FloatDType = 'float64'): MistakenCrossEntropy {
  const asLogits = floatVector(probabilities, dtype).requiresGrad_(true);
  const loss = crossEntropy(asLogits, fromTypedArray(Int32Array.of(target), []));
  loss.backward();
  const gradProbabilities = asLogits.grad;
  if (!gradProbabilities) throw new Error('crossEntropy recorded no gradient');
  const output = floatVector(probabilities, dtype);
  return {
    loss: loss.item(),
    gradProbabilities: Array.from(gradProbabilities.data),
    gradLogits: Array.from(softmaxBackward(output, gradProbabilities).data),
  };
}

function floatVector(values: readonly number[], dtype: FloatDType): Tensor<FloatDType> {
  return dtype === 'float32' ? fromTypedArray(Float32Array.from(values), [values.length]) : fromTypedArray(Float64Array.from(values), [values.length]);
}

/** The probability of the true class after each of a few SGD steps on the logits themselves. */
export interface TrainingSteps {
  readonly lr: number;
  /** The steps reported: 0 (the start) and the later ones. */
  readonly steps: readonly number[];
  /** softmax(z)_c after each reported step, passing the logits (right) or their softmax (the mistake). */
  readonly right: readonly number[];
  readonly mistaken: readonly number[];
  /** The real cross-entropy −log softmax(z)_c after the last step, both ways. */
  readonly rightLoss: number;
  readonly mistakenLoss: number;
}

/**
 * Runs plain SGD (`SGD`, the library's `torch.optim.SGD`) on the logits of one example, treating
 * them as the parameters, for `max(steps)` steps: once minimising `crossEntropy(z, c)` and once the
 * mistake `crossEntropy(softmax(z), c)`. Returns the true class's probability at the `steps` asked for.
 */
export function trainLogits(logits: readonly number[], target: number, options: { lr?: number; steps?: readonly number[] } = {}): TrainingSteps {
  const lr = options.lr ?? 1;
  const steps = [...new Set(options.steps ?? [0, 1, 10, 100])].sort((a, b) => a - b);
  const last = Math.max(...steps);
  const run = (mistake: boolean): { probabilities: number[]; loss: number } => {
    const z = fromTypedArray(Float64Array.from(logits), [logits.length], { requiresGrad: true });
    const label = fromTypedArray(Int32Array.of(target), []);
    const optimizer = new SGD([z], { lr });
    const probabilities: number[] = [];
    const record = (step: number): void => {
      if (steps.includes(step)) probabilities.push(softmax(z.detach()).data[target]);
    };
    record(0);
    for (let step = 1; step <= last; step++) {
      optimizer.zeroGrad();
      crossEntropy(mistake ? softmax(z) : z, label).backward();
      optimizer.step();
      record(step);
    }
    return { probabilities, loss: crossEntropy(z.detach(), label).item() };
  };
  const right = run(false);
  const mistaken = run(true);
  return { lr, steps, right: right.probabilities, mistaken: mistaken.probabilities, rightLoss: right.loss, mistakenLoss: mistaken.loss };
}

/**
 * The lowest value the mistaken loss can reach with C classes: even a one-hot ŷ (the most confident
 * prediction) gives crossEntropy(onehot(c), c) = log(1 + (C − 1)/e) > 0.
 */
export function mistakenLossFloor(classes: number, target = 0): number {
  const oneHot = new Float64Array(classes);
  oneHot[target] = 1;
  return crossEntropy(fromTypedArray(oneHot, [classes]), fromTypedArray(Int32Array.of(target), [])).item();
}
