import { fail, formatValue } from '../errors.js';
import { allocate, type FloatDType } from '../tensor/dtype.js';
import { Tensor, record } from '../tensor/tensor.js';
import { recomputedBackward } from '../tensor/grad.js';
import { broadcastOption } from './broadcastOption.js';
import { composedBceWithLogits } from './composed.js';
import { checkFloatTensor, checkInputTarget, checkNoGrad, checkSameDType } from './elementwiseLoss.js';
import { floatTarget, type LossSpec, type PointwiseLoss, REDUCTION_NAMES } from './lossSpec.js';
import { checkReduction, reduceValues, reductionGradient, type Reduction } from './reduction.js';

export interface BceWithLogitsOptions<D extends FloatDType = FloatDType> {
  /** Rescales each element's loss; broadcast to the input's shape (PyTorch's `weight`). */
  weight?: Tensor<D>;
  /** Weight of the positive term per class: shape `[C]` for an input `[..., C]` (PyTorch's `pos_weight`). */
  posWeight?: Tensor<D>;
  /**
   * 'none' | 'mean' | 'sum' (default 'mean': divides by the number of elements, not by the weights). An empty input gives NaN for 'mean'
   * (0/0, as in PyTorch) and 0 for 'sum'.
   */
  reduction?: Reduction;
}

/** softplus(−x) = log(1 + e^(−x)) = −log σ(x), without overflow for any x (PyTorch's `-log_sigmoid`). */
export function softplusOfNegative(x: number): number {
  return Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** The logistic sigmoid σ(x) = 1/(1 + e^(−x)), evaluated without overflow on either side. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * One element of the loss before `weight`: l = (1 − t)·x + w₊·softplus(−x), w₊ = 1 + (p − 1)·t.
 * For x < 0 it uses the equal form −p·t·x + w₊·softplus(x), so no large terms cancel (PyTorch's
 * form loses relative precision there, e.g. t = 0, x = −7). For x = −∞ and NaN it evaluates
 * PyTorch's form, to return what PyTorch returns (NaN from ∞ − ∞ or 0·∞).
 */
export function bceElement(x: number, t: number, p: number): number {
  const positiveWeight = 1 + (p - 1) * t;
  if (x >= 0) return (1 - t) * x + positiveWeight * Math.log1p(Math.exp(-x));
  if (x > -Infinity) return -p * t * x + positiveWeight * Math.log1p(Math.exp(x));
  return (1 - t) * x + positiveWeight * softplusOfNegative(x);
}

interface BceParts {
  weight: Float64Array | null;
  posWeight: Float64Array | null;
}

function checkOptions<D extends FloatDType>(
  input: Tensor<D>,
  target: Tensor<D>,
  options: BceWithLogitsOptions<D>,
  fn: string,
): BceParts & { reduction: Reduction } {
  checkInputTarget(input, target, fn);
  const expand = (t: Tensor<D> | undefined, argument: string, hint: string): Float64Array | null => {
    if (t === undefined) return null;
    checkFloatTensor(t, fn, argument);
    checkSameDType(input, t, fn, argument);
    checkNoGrad(t, fn, argument);
    return broadcastOption(t, input.shape, fn, argument, hint);
  };
  return {
    weight: expand(options.weight, 'weight', 'Give one weight per element, per row ([N, 1]) or per class ([C]).'),
    posWeight: expand(options.posWeight, 'posWeight', 'Give one positive weight per class: shape [C] for an input [..., C].'),
    reduction: checkReduction(options.reduction, fn, 'mean'),
  };
}

/**
 * Binary cross-entropy on logits, like `torch.nn.functional.binary_cross_entropy_with_logits(input,
 * target, weight, pos_weight=posWeight, reduction)`, from the logits without forming σ(x):
 *   l = w · [(1 − t)·x + (1 + (p − 1)·t) · softplus(−x)],  softplus(−x) = −log σ(x),
 * i.e. w·[−p·t·log σ(x) − (1 − t)·log(1 − σ(x))], finite for every finite logit. This is PyTorch's
 * log-sigmoid formula; for x < 0 losslab evaluates an equal form without cancellation (see
 * `bceElement`), so small losses keep their relative precision.
 * `weight` broadcasts to the input's shape; `posWeight` broadcasts the same way, so a `[C]` tensor
 * weighs the classes of the last dimension. `target` must have the input's shape (as in PyTorch)
 * and may hold probabilities in [0, 1]. Infinite logits give what PyTorch gives (NaN where
 * 0·∞ appears, e.g. x = +∞ with t = 1). Records the gradient w.r.t. `input` and `target`;
 * `weight`/`posWeight` take no gradient (PyTorch has none for them either).
 */
export function bceWithLogits<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, options?: BceWithLogitsOptions<D>): Tensor<D>;
export function bceWithLogits(input: Tensor, target: Tensor, options?: BceWithLogitsOptions): Tensor;
export function bceWithLogits<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, options: BceWithLogitsOptions<D> = {}): Tensor<D> {
  const fn = 'bceWithLogits';
  const { weight, posWeight, reduction } = checkOptions(input, target, options, fn);
  const values = new Float64Array(input.size);
  for (let i = 0; i < values.length; i++) {
    const l = bceElement(input.data[i], target.data[i], posWeight ? posWeight[i] : 1);
    values[i] = weight ? l * weight[i] : l;
  }
  const out = reduceValues(values, input.shape, input.dtype, reduction, values.length, fn);
  return record(
    out,
    fn,
    [input, target],
    (gradOutput) => [
      gradientOf(input, target, { weight, posWeight }, gradOutput, reduction),
      target.requiresGrad ? targetGradientOf(input, { weight, posWeight }, gradOutput, reduction) : null,
    ],
    recomputedBackward([input, target], () => composedBceWithLogits(input, target, weight, posWeight, reduction)),
  );
}

function gradientOf<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, parts: BceParts, gradOutput: Tensor, reduction: Reduction): Tensor<D> {
  // l = w[(1−t)x + (1 + (p−1)t)·softplus(−x)]
  // d softplus(−x)/dx = −σ(−x) = σ(x) − 1
  // dl/dx = w[(1−t) + (1 + (p−1)t)(σ(x) − 1)] = w[(p·t + 1 − t)·σ(x) − p·t]   (p = 1: w[σ(x) − t])
  const upstream = reductionGradient(gradOutput, reduction, input.size);
  const grad = allocate(input.dtype, input.size);
  for (let i = 0; i < grad.length; i++) {
    const x = input.data[i];
    const t = target.data[i];
    const s = sigmoid(x);
    let g: number;
    if (parts.posWeight) {
      const pt = parts.posWeight[i] * t;
      g = (pt + 1 - t) * s - pt;
    } else {
      g = s - t;
    }
    if (parts.weight) g *= parts.weight[i];
    grad[i] = g * upstream(i);
  }
  return new Tensor<D>(grad, input.shape);
}

function targetGradientOf<D extends FloatDType>(input: Tensor<D>, parts: BceParts, gradOutput: Tensor, reduction: Reduction): Tensor<D> {
  // dl/dt = w[−x + (p − 1)·softplus(−x)] = w[log(1 − σ(x)) − p·log σ(x)]
  const upstream = reductionGradient(gradOutput, reduction, input.size);
  const grad = allocate(input.dtype, input.size);
  for (let i = 0; i < grad.length; i++) {
    const x = input.data[i];
    let g = parts.posWeight ? -x + (parts.posWeight[i] - 1) * softplusOfNegative(x) : -x;
    if (parts.weight) g *= parts.weight[i];
    grad[i] = g * upstream(i);
  }
  return new Tensor<D>(grad, input.shape);
}

/**
 * ∂/∂input of `bceWithLogits` given the gradient of its output
 * (PyTorch's `binary_cross_entropy_with_logits_backward`).
 */
export function bceWithLogitsBackward<D extends FloatDType>(
  input: Tensor<D>,
  target: Tensor<D>,
  gradOutput: Tensor,
  options: BceWithLogitsOptions<D> = {},
): Tensor<D> {
  const { weight, posWeight, reduction } = checkOptions(input, target, options, 'bceWithLogitsBackward');
  return gradientOf(input, target, { weight, posWeight }, gradOutput, reduction);
}

function checkBinaryLabel(y: number): void {
  if (y !== 0 && y !== 1) {
    fail({ fn: 'bce.density', argument: 'y', value: formatValue(y), rule: 'the Bernoulli likelihood is a probability mass on the labels y ∈ {0, 1}' });
  }
}

/**
 * BCE of one label y and one logit z (y′ = z): l = −[y·log σ(z) + (1 − y)·log(1 − σ(z))],
 * gradient σ(z) − y, and the Bernoulli likelihood σ(z)^y·(1 − σ(z))^(1−y) = exp(−l), already
 * normalised over y ∈ {0, 1} (value and gradient also accept soft labels in [0, 1]).
 */
export const bcePointwise = {
  kind: 'probability',
  params: {},
  target: {
    default: 1,
    control: { min: 0, max: 1, step: 0.01 },
    label: 'loss.targetProbability',
    check: (y, fn) => {
      if (!(y >= 0 && y <= 1)) fail({ fn, argument: 'target', value: formatValue(y), rule: 'it must be a probability in [0, 1]' });
      return y;
    },
  },
  labels: [0, 1],
  example: 0.5,
  range: () => [-6, 6],
  value: (y, z) => bceElement(z, y, 1),
  gradient: (y, z) => sigmoid(z) - y,
  density: (y, z) => {
    checkBinaryLabel(y);
    return y === 1 ? sigmoid(z) : sigmoid(-z);
  },
  formulas: () => ({
    loss: { text: 'l(y, z) = −y log σ(z) − (1 − y) log(1 − σ(z))', tex: 'l(y, z) = -y \\log \\sigma(z) - (1 - y) \\log\\big(1 - \\sigma(z)\\big)' },
    likelihood: { text: 'P(y | z) = σ(z)^y (1 − σ(z))^(1 − y)', tex: 'P(y \\mid z) = \\sigma(z)^{y} \\big(1 - \\sigma(z)\\big)^{1 - y}' },
    nll: {
      text: '−log P(y | z) = l(y, z) = max(z, 0) − z·y + log(1 + e^(−|z|))',
      tex: '-\\log P(y \\mid z) = l(y, z) = \\max(z, 0) - z y + \\log\\big(1 + e^{-|z|}\\big)',
    },
    gradient: {
      text: '∂l/∂z = (∂l/∂p)(dp/dz) = σ(z) − y',
      tex: '\\frac{\\partial l}{\\partial z} = \\frac{\\partial l}{\\partial p}\\frac{dp}{dz} = \\sigma(z) - y',
    },
  }),
} satisfies PointwiseLoss;

export const bceWithLogitsSpec = {
  id: 'bce-with-logits',
  figureId: 'bce',
  pytorch: 'nn.BCEWithLogitsLoss',
  parameters: {
    weight: { type: 'tensor', description: 'per-element weight' },
    posWeight: { type: 'tensor', description: 'weight of positive examples per class' },
  },
  reductions: REDUCTION_NAMES,
  defaultReduction: 'mean',
  call: (a) =>
    bceWithLogits(a.input, floatTarget(a, 'bceWithLogits'), { weight: a.tensor('weight'), posWeight: a.tensor('posWeight'), reduction: a.reduction() }),
  pointwise: bcePointwise,
} as const satisfies LossSpec;
