import type { FloatDType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInputTarget, checkNumberOption, residualBackward, residualLoss, type ResidualLoss } from './elementwiseLoss.js';
import { erf } from '../special/erf.js';
import { aroundTarget, floatTarget, type LossSpec, numberValue, type PointwiseLoss, type PointwiseValues, REAL_TARGET, REDUCTION_NAMES } from './lossSpec.js';
import { checkReduction, type Reduction } from './reduction.js';

/** δ, where the quadratic part turns linear (PyTorch `HuberLoss(delta=1.0)`). */
export const DELTA = {
  type: 'number',
  description: 'threshold δ of the Huber loss between its quadratic and linear parts',
  default: 1,
  min: 0,
  exclusiveMin: true,
  control: { min: 0.1, max: 3, step: 0.1 },
  label: 'loss.delta',
} as const;

export interface HuberLossOptions {
  /** Where the quadratic part turns linear: a number > 0, Infinity allowed (= l2Loss). Default 1. */
  delta?: number;
  /**
   * 'none' | 'mean' | 'sum' (default 'mean', as `torch.nn.functional.huber_loss`). An empty input gives NaN for 'mean'
   * (0/0, as in PyTorch) and 0 for 'sum'.
   */
  reduction?: Reduction;
}

/** Huber's loss of the residual d = input − target, with PyTorch's branch order. */
export function huberResidual(delta: number): ResidualLoss {
  return {
    // l = ½d² for |d| < δ,  δ(|d| − ½δ) otherwise      (value and slope agree at |d| = δ)
    // dl/dd = d inside, δ·sign(d) outside = clamp(d, −δ, δ)
    // dl/dx = clamp(d, −δ, δ)·ḡ,  dl/dt = −clamp(d, −δ, δ)·ḡ
    value: (d) => {
      const z = Math.abs(d);
      return z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
    },
    slope: (d) => Math.max(-delta, Math.min(d, delta)),
  };
}

/** Checks `delta` as PyTorch does ("huber_loss does not support non-positive values for delta"). */
export function checkDelta(delta: unknown, fn: string): number {
  return checkNumberOption(delta, fn, 'delta', {
    min: 0,
    minInclusive: false,
    allowInfinity: true,
    why: 'Huber loss needs a positive threshold between its quadratic and linear parts',
  });
}

/**
 * Huber loss, like `torch.nn.functional.huber_loss(input, target, reduction, delta)`:
 * ½(x − t)² where |x − t| < δ and δ(|x − t| − ½δ) elsewhere; gradient clamp(x − t, −δ, δ).
 * Equals `smoothL1Loss` with β = δ times δ. Shapes must match (PyTorch warns and broadcasts).
 */
export function huberLoss<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, options: HuberLossOptions = {}): Tensor<D> {
  checkInputTarget(input, target, 'huberLoss');
  const delta = checkDelta(options.delta ?? DELTA.default, 'huberLoss');
  const reduction = checkReduction(options.reduction, 'huberLoss', 'mean');
  return residualLoss('huberLoss', input, target, reduction, huberResidual(delta));
}

/** ∂/∂input of `huberLoss` given the gradient of its output (PyTorch's `huber_loss_backward`). */
export function huberLossBackward<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, gradOutput: Tensor, options: HuberLossOptions = {}): Tensor<D> {
  checkInputTarget(input, target, 'huberLossBackward');
  const delta = checkDelta(options.delta ?? DELTA.default, 'huberLossBackward');
  return residualBackward(input, target, gradOutput, checkReduction(options.reduction, 'huberLossBackward', 'mean'), huberResidual(delta));
}

/**
 * Z(δ) = ∫ exp(−l_δ(r)) dr = √(2π)·erf(δ/√2) + (2/δ)·exp(−δ²/2): the Gaussian core over |r| < δ
 * plus two exponential tails ∫_δ^∞ exp(−δr + δ²/2) dr = exp(−δ²/2)/δ. Z(∞) = √(2π).
 */
export function huberNormalizer(delta: number): number {
  const tails = delta === Infinity ? 0 : (2 / delta) * Math.exp(-0.5 * delta * delta);
  return Math.sqrt(2 * Math.PI) * erf(delta / Math.SQRT2) + tails;
}

/** Huber's loss and Huber's least-favourable density exp(−l_δ(y′ − y))/Z(δ) (`delta`, default 1). */
const deltaOf = (p: PointwiseValues | undefined): number => checkDelta(numberValue(p, 'delta', DELTA), 'huber');

export const huberPointwise = {
  kind: 'density',
  params: { delta: DELTA },
  target: REAL_TARGET,
  example: 2,
  range: aroundTarget,
  value: (y, yHat, p) => huberResidual(deltaOf(p)).value(yHat - y),
  gradient: (y, yHat, p) => huberResidual(deltaOf(p)).slope(yHat - y),
  density: (y, yHat, p) => {
    const delta = deltaOf(p);
    return Math.exp(-huberResidual(delta).value(yHat - y)) / huberNormalizer(delta);
  },
  formulas: () => ({
    loss: {
      text: 'l = ½u² (|u| ≤ δ), δ(|u| − ½δ) (|u| > δ), u = y − y′',
      tex: "l(y, y') = \\begin{cases} \\tfrac{1}{2}u^2 & |u| \\le \\delta \\\\ \\delta\\,(|u| - \\tfrac{1}{2}\\delta) & |u| > \\delta \\end{cases},\\quad u = y - y'",
    },
    likelihood: {
      text: 'p(y | y′) = exp(−l_δ(y, y′)) / Z,  Z = √(2π) erf(δ/√2) + (2/δ) exp(−δ²/2)',
      tex: "p(y \\mid y') = \\frac{e^{-l_\\delta(y, y')}}{Z}, \\quad Z = \\sqrt{2\\pi}\\,\\operatorname{erf}(\\delta/\\sqrt{2}) + \\frac{2}{\\delta} e^{-\\delta^2/2}",
    },
    nll: { text: '−log p(y | y′) = log Z + l_δ(y, y′)', tex: "-\\log p(y \\mid y') = \\log Z + l_\\delta(y, y')" },
    gradient: { text: '∂l/∂y′ = clip(y′ − y, −δ, δ)', tex: "\\frac{\\partial l}{\\partial y'} = \\operatorname{clip}(y' - y, -\\delta, \\delta)" },
  }),
} satisfies PointwiseLoss;

export const huberSpec = {
  id: 'huber',
  pytorch: 'nn.HuberLoss',
  parameters: { delta: DELTA },
  reductions: REDUCTION_NAMES,
  defaultReduction: 'mean',
  call: (a) => huberLoss(a.input, floatTarget(a, 'huberLoss'), { delta: a.number('delta'), reduction: a.reduction() }),
  pointwise: huberPointwise,
} as const satisfies LossSpec;
