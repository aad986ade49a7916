import type { FloatDType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInputTarget, residualBackward, residualLoss, type ResidualLoss } from './elementwiseLoss.js';
import { aroundTarget, floatTarget, type LossSpec, type PointwiseLoss, REAL_TARGET, REDUCTION_NAMES } from './lossSpec.js';
import { checkReduction, type Reduction } from './reduction.js';

export interface L1LossOptions {
  /**
   * 'none' | 'mean' | 'sum' (default 'mean', as `torch.nn.functional.l1_loss`). An empty input gives NaN for 'mean'
   * (0/0, as in PyTorch) and 0 for 'sum'.
   */
  reduction?: Reduction;
}

/** sign(d) as PyTorch's `torch.sign`: 0 at 0, and 0 for NaN (so a NaN residual gets gradient 0). */
export function torchSign(d: number): number {
  return d > 0 ? 1 : d < 0 ? -1 : 0;
}

/** The absolute error of the residual d = input − target. */
export const absoluteError: ResidualLoss = {
  // l = |d|,  d = x − t
  // dl/dd = sign(d)                             (subgradient 0 at d = 0, as PyTorch's abs backward)
  // dl/dx = sign(d)·ḡ,  dl/dt = −sign(d)·ḡ      (chain rule through d = x − t)
  value: (d) => Math.abs(d),
  slope: torchSign,
};

/**
 * Mean absolute error |x − t|, like `torch.nn.functional.l1_loss(input, target, reduction)`.
 * Gradient sign(x − t), 0 where x = t; like PyTorch (`sign(NaN) = 0`) a NaN residual has value NaN
 * but gradient 0. Shapes must match (PyTorch warns and broadcasts; losslab throws).
 */
export function l1Loss<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, options: L1LossOptions = {}): Tensor<D> {
  checkInputTarget(input, target, 'l1Loss');
  const reduction = checkReduction(options.reduction, 'l1Loss', 'mean');
  return residualLoss('l1Loss', input, target, reduction, absoluteError);
}

/** ∂/∂input of `l1Loss` given the gradient of its output. */
export function l1LossBackward<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, gradOutput: Tensor, options: L1LossOptions = {}): Tensor<D> {
  checkInputTarget(input, target, 'l1LossBackward');
  return residualBackward(input, target, gradOutput, checkReduction(options.reduction, 'l1LossBackward', 'mean'), absoluteError);
}

/** L1 as the negative log-likelihood of a Laplace density with scale b = 1: ½·exp(−|y − y′|). */
export const l1Pointwise = {
  kind: 'density',
  params: {},
  target: REAL_TARGET,
  example: 2,
  range: aroundTarget,
  value: (y, yHat) => absoluteError.value(yHat - y),
  gradient: (y, yHat) => absoluteError.slope(yHat - y),
  density: (y, yHat) => 0.5 * Math.exp(-absoluteError.value(yHat - y)),
  formulas: () => ({
    loss: { text: 'l(y, y′) = |y − y′|', tex: "l(y, y') = |y - y'|" },
    likelihood: { text: 'p(y | y′) = ½ exp(−|y − y′|)', tex: "p(y \\mid y') = \\tfrac{1}{2}\\exp(-|y - y'|)" },
    nll: { text: '−log p(y | y′) = log 2 + |y − y′|', tex: "-\\log p(y \\mid y') = \\log 2 + |y - y'|" },
    gradient: { text: '∂l/∂y′ = sign(y′ − y)', tex: "\\frac{\\partial l}{\\partial y'} = \\operatorname{sign}(y' - y)" },
  }),
} satisfies PointwiseLoss;

export const l1Spec = {
  id: 'l1',
  pytorch: 'nn.L1Loss',
  parameters: {},
  reductions: REDUCTION_NAMES,
  defaultReduction: 'mean',
  call: (a) => l1Loss(a.input, floatTarget(a, 'l1Loss'), { reduction: a.reduction() }),
  pointwise: l1Pointwise,
} as const satisfies LossSpec;
