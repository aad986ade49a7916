import { crossEntropy } from '../functional/crossEntropy.js';
import { logSoftmax } from '../functional/logSoftmax.js';
import { softmax, softmaxBackward } from '../functional/softmax.js';
import { fromTypedArray } from '../tensor/tensor.js';

/**
 * Numbers for two questions about softmax and cross-entropy, from the library's softmax family and
 * autograd: the softmax Jacobian and the quotient-rule route to ŷ − y, and self-information and
 * entropy before cross-entropy.
 */

const vector = (values: readonly number[]) => fromTypedArray(Float64Array.from(values), [values.length]);
const label = (c: number) => fromTypedArray(Int32Array.of(c), []);

/**
 * The softmax Jacobian J[k][i] = ∂ŷ_k/∂z_i of one logit vector: row k is the vector–Jacobian
 * product of the one-hot e_k, computed by the library's backward pass `softmaxBackward`. It equals
 * diag(ŷ) − ŷŷᵀ.
 */
export function softmaxJacobian(logits: readonly number[]): number[][] {
  const output = softmax(vector(logits));
  return logits.map((_, k) => {
    const oneHot = new Float64Array(logits.length);
    oneHot[k] = 1;
    return Array.from(softmaxBackward(output, fromTypedArray(oneHot, [logits.length])).data);
  });
}

/** ŷ − y by the quotient rule, beside the log-sum-exp route (the library's cross-entropy backward). */
export interface QuotientRuleNumbers {
  readonly probs: number[];
  /** The softmax Jacobian diag(ŷ) − ŷŷᵀ. */
  readonly jacobian: number[][];
  /** Row c of the Jacobian: ∂ŷ_c/∂z_i = ŷ_c(1 − ŷ_c) at i = c, −ŷ_c ŷ_i elsewhere. */
  readonly row: number[];
  /** ∂ŷ_c/∂z_c = ŷ_c(1 − ŷ_c). */
  readonly diagonal: number;
  /** ∂l/∂ŷ_c = −1/ŷ_c for l = −log ŷ_c. */
  readonly outer: number;
  /** The chain rule: (−1/ŷ_c) · row c, which is ŷ − y. */
  readonly viaQuotient: number[];
  /** The gradient of crossEntropy(z, c) from the library's backward (logsumexp(z) − z_c). */
  readonly viaLogSumExp: number[];
}

export function quotientRuleNumbers(logits: readonly number[], target: number): QuotientRuleNumbers {
  const jacobian = softmaxJacobian(logits);
  const probs = Array.from(softmax(vector(logits)).data);
  const row = jacobian[target];
  const outer = -1 / probs[target];
  const input = fromTypedArray(Float64Array.from(logits), [logits.length], { requiresGrad: true });
  crossEntropy(input, label(target)).backward();
  if (!input.grad) throw new Error('crossEntropy recorded no gradient');
  return {
    probs,
    jacobian,
    row,
    diagonal: row[target],
    outer,
    viaQuotient: row.map((j) => outer * j),
    viaLogSumExp: Array.from(input.grad.data),
  };
}

/** Self-information and entropy of the softmax example, before cross-entropy. */
export interface InformationNumbers {
  readonly probs: number[];
  /** I(i) = −log ŷ_i in nats (−logSoftmax) and in bits. */
  readonly information: number[];
  readonly informationBits: number[];
  /** H(ŷ) = Σ ŷ_i I(i): the cross-entropy of ŷ with itself, crossEntropy(z, softmax(z)). */
  readonly entropy: number;
  /** The entropy of the uniform distribution over the C classes, log C (crossEntropy of equal logits and a uniform target). */
  readonly uniform: number;
  /** A fair coin: log 2 nats, 1 bit. */
  readonly coin: number;
  readonly classes: number;
  /** The cross-entropy with the one-hot label c: I(c), since H(one-hot) = 0. */
  readonly crossEntropy: number;
  readonly target: number;
}

export function informationNumbers(logits: readonly number[], target: number): InformationNumbers {
  const z = vector(logits);
  const probs = softmax(z);
  const information = Array.from(logSoftmax(z).data, (v) => -v);
  const c = logits.length;
  const uniform = (classes: number) => crossEntropy(vector(new Array<number>(classes).fill(0)), vector(new Array<number>(classes).fill(1 / classes))).item();
  return {
    probs: Array.from(probs.data),
    information,
    informationBits: information.map((v) => v / Math.LN2),
    entropy: crossEntropy(z, probs).item(),
    uniform: uniform(c),
    coin: uniform(2),
    classes: c,
    crossEntropy: crossEntropy(z, label(target)).item(),
    target,
  };
}
