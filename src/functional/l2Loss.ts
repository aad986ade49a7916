import type { FloatDType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInputTarget, residualBackward, residualLoss, type ResidualLoss } from './elementwiseLoss.js';
import { aroundTarget, floatTarget, type LossSpec, type PointwiseLoss, REAL_TARGET, REDUCTION_NAMES } from './lossSpec.js';
import { checkReduction, type Reduction } from './reduction.js';

export interface L2LossOptions {
  /**
   * 'none' | 'mean' | 'sum' (default 'none': d2l's `squared_loss` returns one value per element). An empty input gives NaN for 'mean'
   * (0/0, as in PyTorch) and 0 for 'sum'.
   */
  reduction?: Reduction;
}

/** Half the squared error of the residual d = input − target. */
export const halfSquaredError: ResidualLoss = {
  // l = ½d²,  d = x − t
  // dl/dd = d                                   (the ½ cancels the 2 of the power rule)
  // dl/dx = d·ḡ,  dl/dt = −d·ḡ                  (chain rule through d = x − t)
  value: (d) => 0.5 * d * d,
  slope: (d) => d,
};

/**
 * d2l's L2 loss ½(y′ − y)² (`d2l.squared_loss(y_hat, y)` = `(y_hat - y.reshape(y_hat.shape)) ** 2 / 2`),
 * with `input` = y′ and `target` = y. Unlike `mseLoss` the default reduction is `'none'`, because
 * d2l's `squared_loss` returns the per-element losses and the training loop sums or averages them.
 * Half of `mseLoss` element-wise; its gradient is the plain residual y′ − y.
 * Shapes must match (d2l reshapes y to y′'s shape; losslab asks you to do that explicitly).
 */
export function l2Loss<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, options: L2LossOptions = {}): Tensor<D> {
  checkInputTarget(input, target, 'l2Loss');
  const reduction = checkReduction(options.reduction, 'l2Loss', 'none');
  return residualLoss('l2Loss', input, target, reduction, halfSquaredError);
}

/** ∂/∂input of `l2Loss` given the gradient of its output. */
export function l2LossBackward<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, gradOutput: Tensor, options: L2LossOptions = {}): Tensor<D> {
  checkInputTarget(input, target, 'l2LossBackward');
  return residualBackward(input, target, gradOutput, checkReduction(options.reduction, 'l2LossBackward', 'none'), halfSquaredError);
}

/**
 * L2 as the negative log-likelihood of a unit Gaussian: −log N(y; y′, 1) = ½(y − y′)² + ½·log 2π,
 * so the density is exp(−l)/√(2π) (d2l's "minimising squared error is maximum likelihood under
 * Gaussian noise").
 */
export const l2Pointwise = {
  kind: 'density',
  params: {},
  target: REAL_TARGET,
  example: 2,
  range: aroundTarget,
  value: (y, yHat) => halfSquaredError.value(yHat - y),
  gradient: (y, yHat) => halfSquaredError.slope(yHat - y),
  density: (y, yHat) => Math.exp(-halfSquaredError.value(yHat - y)) / Math.sqrt(2 * Math.PI),
  formulas: () => ({
    loss: { text: 'l(y, y′) = ½(y − y′)²', tex: "l(y, y') = \\tfrac{1}{2}(y - y')^2" },
    likelihood: {
      text: 'p(y | y′) = 1/√(2πσ²) · exp(−(y − y′)² / (2σ²))',
      tex: "p(y \\mid y') = \\frac{1}{\\sqrt{2\\pi\\sigma^2}} \\exp\\!\\left(-\\frac{(y - y')^2}{2\\sigma^2}\\right)",
    },
    nll: {
      text: '−log p(y | y′) = ½ log(2πσ²) + (y − y′)² / (2σ²)  =  ½ log 2π + l(y, y′)  for σ = 1',
      tex: "-\\log p(y \\mid y') = \\tfrac{1}{2}\\log(2\\pi\\sigma^2) + \\frac{(y - y')^2}{2\\sigma^2} \\overset{\\sigma = 1}{=} \\tfrac{1}{2}\\log 2\\pi + l(y, y')",
    },
    gradient: {
      text: '∂l/∂y′ = (∂l/∂u)(∂u/∂y′) = u · (−1) = y′ − y,  u = y − y′',
      tex: "\\frac{\\partial l}{\\partial y'} = \\frac{\\partial l}{\\partial u}\\frac{\\partial u}{\\partial y'} = u \\cdot (-1) = y' - y, \\quad u = y - y'",
    },
  }),
} satisfies PointwiseLoss;

/** d2l's L2 loss in the registry (`losslab loss l2`, its figure and explanation). */
export const l2Spec = {
  id: 'l2',
  pytorch: '0.5 * nn.MSELoss(reduction="none")',
  parameters: {},
  reductions: REDUCTION_NAMES,
  defaultReduction: 'none',
  call: (a) => l2Loss(a.input, floatTarget(a, 'l2Loss'), { reduction: a.reduction() }),
  pointwise: l2Pointwise,
} as const satisfies LossSpec;
