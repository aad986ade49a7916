import { crossEntropy } from '../../functional/crossEntropy.js';
import { softmax } from '../../functional/softmax.js';
import { tensor } from '../../tensor/tensor.js';

export type PlaygroundDType = 'float32' | 'float64';

export interface SoftmaxInputs {
  readonly logits: readonly number[];
  readonly temperature: number;
  readonly trueClass: number;
  /** `false` computes the textbook exp(z) / Σ exp(z) without subtracting the max, to show where it overflows. */
  readonly stable: boolean;
  readonly dtype: PlaygroundDType;
}

export interface SoftmaxResult {
  /** exp(z_i / T) as the naive formula computes it in the chosen dtype (Infinity once it overflows). */
  readonly exps: number[];
  /** ŷ = softmax(z / T). */
  readonly probabilities: number[];
  /** Cross-entropy −log ŷ_c of the true class. */
  readonly crossEntropy: number;
  /** ∂CE/∂(z/T) = ŷ − y (one-hot y). */
  readonly gradient: number[];
}

/**
 * The playground's numbers. Stable: losslab's `softmax(z, -1, { temperature })` (`torch.softmax`,
 * max subtracted) and `crossEntropy` (`F.cross_entropy`, via log-sum-exp) with the gradient ŷ − y
 * from losslab's autograd. Naive: the textbook formula exp(z/T) / Σ exp(z/T) evaluated in the
 * chosen dtype (float32 rounds every step, like `torch.exp(z) / torch.exp(z).sum()` on a float32
 * tensor), so exp overflows to Infinity above z ≈ 88.72 (float32) or 709.78 (float64) and
 * Infinity / Infinity gives NaN; the naive cross-entropy is −log of that probability.
 */
export function softmaxNumbers(inputs: SoftmaxInputs): SoftmaxResult {
  const { logits, temperature, trueClass, stable, dtype } = inputs;
  const exps = naiveExps(logits, temperature, dtype);
  if (!stable) {
    const round = dtype === 'float32' ? Math.fround : (v: number) => v;
    const sum = exps.reduce((a, b) => round(a + b), 0);
    const probabilities = exps.map((e) => round(e / sum));
    const gradient = probabilities.map((q, i) => round(q - (i === trueClass ? 1 : 0)));
    return { exps, probabilities, crossEntropy: round(-Math.log(probabilities[trueClass])), gradient };
  }
  const z = tensor([...logits], { dtype });
  const probabilities = Array.from(softmax(z, -1, { temperature }).data);
  const scaled = tensor([logits.map((v) => v / temperature)], { dtype, requiresGrad: true });
  const loss = crossEntropy(scaled, tensor([trueClass], { dtype: 'int32' }));
  loss.backward();
  const gradient = Array.from(scaled.grad?.data ?? [], (v) => v);
  return { exps, probabilities, crossEntropy: loss.item(), gradient };
}

/** exp(z_i / T) in the dtype's precision: float32 overflows to Infinity above ≈ 88.72. */
export function naiveExps(logits: readonly number[], temperature: number, dtype: PlaygroundDType): number[] {
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  return logits.map((z) => round(Math.exp(round(round(z) / temperature))));
}
