import { crossEntropy } from '../../functional/crossEntropy.js';
import { softmax } from '../../functional/softmax.js';
import { naiveSoftmaxRows } from '../../figures/softmaxFigure.js';
import { tensor } from '../../tensor/tensor.js';
import { probabilitiesAsLogits } from '../../explain/logitsMistake.js';

export type PlaygroundDType = 'float32' | 'float64';

export interface SoftmaxInputs {
  readonly logits: readonly number[];
  readonly temperature: number;
  readonly trueClass: number;
  /** `false` computes the textbook exp(z) / Σ exp(z) without subtracting the max, to show where it overflows. */
  readonly stable: boolean;
  readonly dtype: PlaygroundDType;
  /** `true` passes the probabilities ŷ to cross-entropy as if they were logits (the classic mistake): softmax applied twice. */
  readonly mistake?: boolean;
}

export interface SoftmaxResult {
  /** exp(z_i / T) as the naive formula computes it in the chosen dtype (Infinity once it overflows). */
  readonly exps: number[];
  /** ŷ = softmax(z / T). */
  readonly probabilities: number[];
  /** Cross-entropy −log ŷ_c of the true class. */
  readonly crossEntropy: number;
  /** ∂CE/∂(z/T) = ŷ − y (one-hot y); with `mistake`, the gradient of crossEntropy(ŷ) back through the softmax. */
  readonly gradient: number[];
  /** The right cross-entropy −log ŷ_c (equal to `crossEntropy` unless `mistake`). */
  readonly rightCrossEntropy: number;
}

/**
 * The playground's numbers. Stable: losslab's `softmax(z, -1, { temperature })` (`torch.softmax`,
 * max subtracted) and `crossEntropy` (`F.cross_entropy`, via log-sum-exp) with the gradient ŷ − y
 * from losslab's autograd. Naive: the figures' `naiveSoftmaxRows` — exp(z/T) / Σ exp(z/T) in the
 * chosen dtype's arithmetic (float32 rounds every step), so exp overflows to Infinity above
 * z ≈ 88.72 (float32) or 709.78 (float64) and Infinity / Infinity gives NaN; the naive
 * cross-entropy is −log of that probability and the naive gradient ŷ − y inherits the NaN.
 * With `mistake`, the probabilities (either way) go to `crossEntropy` as logits
 * (`probabilitiesAsLogits` from src/explain): the loss and gradient of softmax applied twice.
 */
export function softmaxNumbers(inputs: SoftmaxInputs): SoftmaxResult {
  const right = rightNumbers(inputs);
  if (!inputs.mistake) return right;
  const mistaken = probabilitiesAsLogits(right.probabilities, inputs.trueClass, inputs.dtype);
  return { ...right, crossEntropy: mistaken.loss, gradient: mistaken.gradLogits };
}

function rightNumbers(inputs: SoftmaxInputs): SoftmaxResult {
  const { logits, temperature, trueClass, stable, dtype } = inputs;
  const naive = naiveSoftmaxRows({ logits, temperature }).rows;
  const exps = naive.map((row) => (dtype === 'float32' ? row.expFloat32 : row.expFloat64));
  if (!stable) {
    const round = dtype === 'float32' ? Math.fround : (v: number) => v;
    const probabilities = naive.map((row) => (dtype === 'float32' ? row.naiveFloat32 : row.naiveFloat64));
    const gradient = probabilities.map((q, i) => round(q - (i === trueClass ? 1 : 0)));
    const crossEntropy = round(-Math.log(probabilities[trueClass]));
    return { exps, probabilities, crossEntropy, gradient, rightCrossEntropy: crossEntropy };
  }
  const z = tensor([...logits], { dtype });
  const probabilities = Array.from(softmax(z, -1, { temperature }).data);
  const scaled = tensor([logits.map((v) => v / temperature)], { dtype, requiresGrad: true });
  const loss = crossEntropy(scaled, tensor([trueClass], { dtype: 'int32' }));
  loss.backward();
  const gradient = Array.from(scaled.grad?.data ?? [], (v) => v);
  return { exps, probabilities, crossEntropy: loss.item(), gradient, rightCrossEntropy: loss.item() };
}
