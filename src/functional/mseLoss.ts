import type { FloatDType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInputTarget, residualBackward, residualLoss, type ResidualLoss } from './elementwiseLoss.js';
import { aroundTarget, floatTarget, type LossSpec, type PointwiseLoss, REAL_TARGET, REDUCTION_NAMES } from './lossSpec.js';
import { checkReduction, type Reduction } from './reduction.js';

export interface MseLossOptions {
  /**
   * 'none' | 'mean' | 'sum' (default 'mean', as `torch.nn.functional.mse_loss`). An empty input gives NaN for 'mean'
   * (0/0, as in PyTorch) and 0 for 'sum'.
   */
  reduction?: Reduction;
}

/** The squared error of the residual d = input − target. */
export const squaredError: ResidualLoss = {
  // l = d²,  d = x − t
  // dl/dd = 2d                                  (power rule)
  // dl/dx = 2d·ḡ,  dl/dt = −2d·ḡ                (chain rule through d = x − t; ḡ = upstream gradient)
  value: (d) => d * d,
  slope: (d) => 2 * d,
};

/**
 * Mean squared error (x − t)², like `torch.nn.functional.mse_loss(input, target, reduction)`:
 * `'mean'` divides by the number of elements (an empty input gives NaN, as in PyTorch), `'sum'`
 * adds them, `'none'` keeps the input's shape. Records the gradient w.r.t. `input` (and `target`).
 *
 * Deliberate difference: PyTorch warns and broadcasts when the shapes differ; losslab throws a
 * `LosslabError` naming both shapes. float32 sums accumulate in float64.
 */
export function mseLoss<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, options: MseLossOptions = {}): Tensor<D> {
  checkInputTarget(input, target, 'mseLoss');
  const reduction = checkReduction(options.reduction, 'mseLoss', 'mean');
  return residualLoss('mseLoss', input, target, reduction, squaredError);
}

/** ∂/∂input of `mseLoss` given the gradient of its output (PyTorch's `mse_loss_backward`). */
export function mseLossBackward<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, gradOutput: Tensor, options: MseLossOptions = {}): Tensor<D> {
  checkInputTarget(input, target, 'mseLossBackward');
  return residualBackward(input, target, gradOutput, checkReduction(options.reduction, 'mseLossBackward', 'mean'), squaredError);
}

/**
 * MSE as the negative log-likelihood of a Gaussian with variance ½:
 * −log N(y; y′, ½) = (y − y′)² + ½·log π, so the density is exp(−l)/√π.
 */
export const msePointwise = {
  kind: 'density',
  params: {},
  target: REAL_TARGET,
  example: 2,
  range: aroundTarget,
  value: (y, yHat) => squaredError.value(yHat - y),
  gradient: (y, yHat) => squaredError.slope(yHat - y),
  density: (y, yHat) => Math.exp(-squaredError.value(yHat - y)) / Math.sqrt(Math.PI),
  formulas: () => ({
    loss: { text: 'l(y, y′) = (y − y′)²', tex: "l(y, y') = (y - y')^2" },
    likelihood: { text: 'p(y | y′) = 1/√π · exp(−(y − y′)²)', tex: "p(y \\mid y') = \\frac{1}{\\sqrt{\\pi}} \\exp\\!\\left(-(y - y')^2\\right)" },
    nll: { text: '−log p(y | y′) = ½ log π + (y − y′)²', tex: "-\\log p(y \\mid y') = \\tfrac{1}{2}\\log\\pi + (y - y')^2" },
    gradient: { text: '∂l/∂y′ = 2(y′ − y)', tex: "\\frac{\\partial l}{\\partial y'} = 2(y' - y)" },
  }),
} satisfies PointwiseLoss;

export const mseSpec = {
  id: 'mse',
  pytorch: 'nn.MSELoss',
  parameters: {},
  reductions: REDUCTION_NAMES,
  defaultReduction: 'mean',
  call: (a) => mseLoss(a.input, floatTarget(a, 'mseLoss'), { reduction: a.reduction() }),
  pointwise: msePointwise,
} as const satisfies LossSpec;
