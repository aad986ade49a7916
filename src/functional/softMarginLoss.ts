import { fail, formatValue } from '../errors.js';
import { allocate, type FloatDType } from '../tensor/dtype.js';
import { Tensor, record } from '../tensor/tensor.js';
import { sigmoid, softplusOfNegative } from './bceWithLogits.js';
import { checkInputTarget, checkNoGrad } from './elementwiseLoss.js';
import { floatTarget, type LossSpec, type PointwiseLoss, REDUCTION_NAMES } from './lossSpec.js';
import { checkReduction, reduceValues, reductionGradient, type Reduction } from './reduction.js';

export interface SoftMarginLossOptions {
  /** 'none' | 'mean' | 'sum' (default 'mean'). An empty input gives NaN for 'mean' (0/0, as in PyTorch). */
  reduction?: Reduction;
}

/** Checks a label of the soft margin loss: −1 or 1 (NaN propagates). */
function checkSign(y: number, fn: string, argument: string, at = ''): void {
  if (y !== 1 && y !== -1 && !Number.isNaN(y)) fail({ fn, argument, value: `${formatValue(y)}${at}`, rule: 'labels of the soft margin loss must be -1 or 1' });
}

/**
 * The two-class logistic loss, like `torch.nn.functional.soft_margin_loss(input, target, reduction)`:
 * l = log(1 + exp(−y·x)) for labels y ∈ {−1, 1}, the negative log of the logistic likelihood
 * P(y | x) = σ(y·x).
 *   l = softplus(−m), m = y·x          (evaluated without overflow for any margin)
 *   ∂l/∂x = −y·σ(−m)                  (chain rule through m)
 * Deliberate differences from PyTorch: PyTorch evaluates log1p(exp(−m)), which overflows to ∞ (and a
 * NaN gradient) for margins below about −88 in float32 (−709 in float64); losslab returns the finite
 * value −m and the gradient −y. Labels other than ±1 are an error. As in PyTorch there is no
 * gradient with respect to the target (a target that requires grad is refused). Shapes must match.
 */
export function softMarginLoss<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, options: SoftMarginLossOptions = {}): Tensor<D> {
  const fn = 'softMarginLoss';
  checkInputTarget(input, target, fn);
  checkNoGrad(target, fn, 'target');
  for (let i = 0; i < target.size; i++) checkSign(target.data[i], fn, 'target', ` at flat index ${i}`);
  const reduction = checkReduction(options.reduction, fn, 'mean');
  const values = new Float64Array(input.size);
  for (let i = 0; i < values.length; i++) values[i] = softplusOfNegative(target.data[i] * input.data[i]);
  const out = reduceValues(values, input.shape, input.dtype, reduction, values.length, fn);
  return record(out, fn, [input, target], (g) => {
    const upstream = reductionGradient(g, reduction, input.size);
    const grad = allocate(input.dtype, input.size);
    for (let i = 0; i < grad.length; i++) {
      const y = target.data[i];
      grad[i] = -y * sigmoid(-y * input.data[i]) * upstream(i);
    }
    return [new Tensor<D>(grad, input.shape), null];
  });
}

/** The soft margin loss of one label y = ±1 and one score z, with the logistic likelihood P(y | z) = σ(y·z) = exp(−l). */
export const softMarginPointwise = {
  kind: 'probability',
  params: {},
  target: {
    default: 1,
    control: { min: -1, max: 1, step: 2 },
    label: 'loss.targetSign',
    check: (y, fn) => {
      checkSign(y, fn, 'target');
      return y;
    },
  },
  labels: [-1, 1],
  example: 0.5,
  range: () => [-6, 6],
  value: (y, z) => softplusOfNegative(y * z),
  gradient: (y, z) => -y * sigmoid(-y * z),
  density: (y, z) => {
    checkSign(y, 'soft-margin.density', 'y');
    return sigmoid(y * z);
  },
  formulas: () => ({
    loss: { text: 'l(y, z) = log(1 + e^(−y·z)),  y ∈ {−1, 1}', tex: 'l(y, z) = \\log\\big(1 + e^{-y z}\\big), \\quad y \\in \\{-1, 1\\}' },
    likelihood: { text: 'P(y | z) = σ(y·z) = 1 / (1 + e^(−y·z))', tex: 'P(y \\mid z) = \\sigma(y z) = \\frac{1}{1 + e^{-y z}}' },
    nll: { text: '−log P(y | z) = log(1 + e^(−y·z)) = l(y, z)', tex: '-\\log P(y \\mid z) = \\log\\big(1 + e^{-y z}\\big) = l(y, z)' },
    gradient: { text: '∂l/∂z = −y·σ(−y·z)', tex: '\\frac{\\partial l}{\\partial z} = -y\\,\\sigma(-y z)' },
  }),
} satisfies PointwiseLoss;

export const softMarginSpec = {
  id: 'soft-margin',
  pytorch: 'nn.SoftMarginLoss',
  parameters: {},
  reductions: REDUCTION_NAMES,
  defaultReduction: 'mean',
  call: (a) => softMarginLoss(a.input, floatTarget(a, 'softMarginLoss'), { reduction: a.reduction() }),
  pointwise: softMarginPointwise,
} as const satisfies LossSpec;
