import type { FloatDType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInputTarget, checkNumberOption, residualBackward, residualLoss, type ResidualLoss } from './elementwiseLoss.js';
import { erf } from '../special/erf.js';
import { absoluteError } from './l1Loss.js';
import { aroundTarget, floatTarget, type LossSpec, numberValue, type PointwiseLoss, type PointwiseValues, REAL_TARGET, REDUCTION_NAMES } from './lossSpec.js';
import { checkReduction, type Reduction } from './reduction.js';

/** β, where the quadratic part turns linear (PyTorch `SmoothL1Loss(beta=1.0)`; 0 is the L1 loss). */
export const BETA = {
  type: 'number',
  description: 'threshold β of the smooth L1 loss (0 gives the L1 loss)',
  default: 1,
  min: 0,
  control: { min: 0.1, max: 3, step: 0.1 },
  label: 'loss.beta',
} as const;

export interface SmoothL1LossOptions {
  /** Where the quadratic part turns linear: a finite number ≥ 0; 0 gives the L1 loss. Default 1. */
  beta?: number;
  /**
   * 'none' | 'mean' | 'sum' (default 'mean', as `torch.nn.functional.smooth_l1_loss`). An empty input gives NaN for 'mean'
   * (0/0, as in PyTorch) and 0 for 'sum'.
   */
  reduction?: Reduction;
}

/**
 * Smooth-L1 loss of the residual d = input − target, with PyTorch's branch order. β = 0 is exactly
 * the L1 loss, value and gradient: PyTorch 2.x's `F.smooth_l1_loss` dispatches β = 0 to `l1_loss`
 * (so the gradient is sign(d), 0 where x = t and for a NaN residual).
 */
export function smoothL1Residual(beta: number): ResidualLoss {
  if (beta === 0) return absoluteError;
  return {
    // l = ½d²/β for |d| < β,  |d| − ½β otherwise  (= huber_β(d)/β)
    // dl/dd = d/β inside, sign(d) outside
    // dl/dx = dl/dd·ḡ,  dl/dt = −dl/dd·ḡ
    value: (d) => {
      const z = Math.abs(d);
      return z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
    },
    slope: (d) => (d <= -beta ? -1 : d >= beta ? 1 : d / beta),
  };
}

/** Checks `beta` ("smooth_l1_loss does not support negative values for beta"); ∞ would make the loss 0. */
export function checkBeta(beta: unknown, fn: string): number {
  return checkNumberOption(beta, fn, 'beta', {
    min: 0,
    minInclusive: true,
    allowInfinity: false,
    why: 'β = 0 is the L1 loss, and β = Infinity would make the loss identically 0',
  });
}

/**
 * Smooth L1 loss, like `torch.nn.functional.smooth_l1_loss(input, target, reduction, beta)`:
 * ½(x − t)²/β where |x − t| < β, |x − t| − ½β elsewhere; β = 0 is `l1Loss`, value and gradient,
 * as in PyTorch 2.x (PyTorch 1.13's kernel gave −1 where x = t exactly).
 * Equals `huberLoss` with δ = β divided by β. Shapes must match (PyTorch warns and broadcasts).
 */
export function smoothL1Loss<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, options: SmoothL1LossOptions = {}): Tensor<D> {
  checkInputTarget(input, target, 'smoothL1Loss');
  const beta = checkBeta(options.beta ?? BETA.default, 'smoothL1Loss');
  const reduction = checkReduction(options.reduction, 'smoothL1Loss', 'mean');
  return residualLoss('smoothL1Loss', input, target, reduction, smoothL1Residual(beta));
}

/** ∂/∂input of `smoothL1Loss` given the gradient of its output (PyTorch's `smooth_l1_loss_backward`). */
export function smoothL1LossBackward<D extends FloatDType>(
  input: Tensor<D>,
  target: Tensor<D>,
  gradOutput: Tensor,
  options: SmoothL1LossOptions = {},
): Tensor<D> {
  checkInputTarget(input, target, 'smoothL1LossBackward');
  const beta = checkBeta(options.beta ?? BETA.default, 'smoothL1LossBackward');
  return residualBackward(input, target, gradOutput, checkReduction(options.reduction, 'smoothL1LossBackward', 'mean'), smoothL1Residual(beta));
}

/**
 * Z(β) = ∫ exp(−l_β(r)) dr = √(2πβ)·erf(√(β/2)) + 2·exp(−β/2): a Gaussian core of variance β over
 * |r| < β plus two tails ∫_β^∞ exp(−r + β/2) dr = exp(−β/2). Z(0) = 2, the Laplace constant.
 */
export function smoothL1Normalizer(beta: number): number {
  return Math.sqrt(2 * Math.PI * beta) * erf(Math.sqrt(beta / 2)) + 2 * Math.exp(-0.5 * beta);
}

/** Smooth-L1 loss and its density exp(−l_β(y′ − y))/Z(β) (`beta`, default 1; β = 0 is Laplace). */
const betaOf = (p: PointwiseValues | undefined): number => checkBeta(numberValue(p, 'beta', BETA), 'smooth-l1');

export const smoothL1Pointwise = {
  kind: 'density',
  params: { beta: BETA },
  target: REAL_TARGET,
  example: 2,
  range: aroundTarget,
  value: (y, yHat, p) => smoothL1Residual(betaOf(p)).value(yHat - y),
  gradient: (y, yHat, p) => smoothL1Residual(betaOf(p)).slope(yHat - y),
  density: (y, yHat, p) => {
    const beta = betaOf(p);
    return Math.exp(-smoothL1Residual(beta).value(yHat - y)) / smoothL1Normalizer(beta);
  },
  formulas: () => ({
    loss: {
      text: 'l = ½u²/β (|u| < β), |u| − ½β (|u| ≥ β), u = y − y′',
      tex: "l(y, y') = \\begin{cases} \\tfrac{1}{2}u^2/\\beta & |u| < \\beta \\\\ |u| - \\tfrac{1}{2}\\beta & |u| \\ge \\beta \\end{cases},\\quad u = y - y'",
    },
    likelihood: {
      text: 'p(y | y′) = exp(−l_β(y, y′)) / Z,  Z = √(2πβ) erf(√(β/2)) + 2 exp(−β/2)',
      tex: "p(y \\mid y') = \\frac{e^{-l_\\beta(y, y')}}{Z}, \\quad Z = \\sqrt{2\\pi\\beta}\\,\\operatorname{erf}\\big(\\sqrt{\\beta/2}\\big) + 2e^{-\\beta/2}",
    },
    nll: { text: '−log p(y | y′) = log Z + l_β(y, y′)', tex: "-\\log p(y \\mid y') = \\log Z + l_\\beta(y, y')" },
    gradient: { text: '∂l/∂y′ = clip((y′ − y)/β, −1, 1)', tex: "\\frac{\\partial l}{\\partial y'} = \\operatorname{clip}\\big((y' - y)/\\beta, -1, 1\\big)" },
  }),
} satisfies PointwiseLoss;

export const smoothL1Spec = {
  id: 'smooth-l1',
  pytorch: 'nn.SmoothL1Loss',
  parameters: { beta: BETA },
  reductions: REDUCTION_NAMES,
  defaultReduction: 'mean',
  call: (a) => smoothL1Loss(a.input, floatTarget(a, 'smoothL1Loss'), { beta: a.number('beta'), reduction: a.reduction() }),
  pointwise: smoothL1Pointwise,
} as const satisfies LossSpec;
