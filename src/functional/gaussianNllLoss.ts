import { fail, formatShape, formatValue } from '../errors.js';
import { allocate, type FloatDType } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import { Tensor, record } from '../tensor/tensor.js';
import { checkFloatTensor, checkInputTarget, checkNumberOption, checkSameDType, negated, residualOf } from './elementwiseLoss.js';
import { aroundTarget, floatTarget, type LossSpec, numberValue, type PointwiseLoss, type PointwiseValues, REAL_TARGET, REDUCTION_NAMES } from './lossSpec.js';
import { checkReduction, reduceValues, reductionGradient, type Reduction } from './reduction.js';

/** The parameters of `gaussianNllLoss` (PyTorch `GaussianNLLLoss(full=False, eps=1e-6)`) besides its tensors. */
const VARIANCE = { type: 'tensor', description: 'predicted variances', option: 'var', required: true } as const;
const FULL = { type: 'boolean', description: 'add the constant ½·log(2π)', default: false } as const;
const EPS = { type: 'number', description: 'variance clamp', default: 1e-6, min: 0 } as const;
/** σ of the figure and the worked example: the standard deviation (variance σ²). */
const SIGMA = {
  type: 'number',
  description: 'the standard deviation σ (variance σ²)',
  default: 1,
  min: 0,
  exclusiveMin: true,
  control: { min: 0.2, max: 3, step: 0.1 },
  label: 'loss.sigma',
} as const;

export interface GaussianNllLossOptions {
  /** Add the constant ½·log(2π) to every element (default false, as PyTorch). */
  full?: boolean;
  /** Variances below `eps` are clamped to `eps` (default 1e-6). */
  eps?: number;
  /**
   * 'none' | 'mean' | 'sum' (default 'mean'). An empty input gives NaN for 'mean'
   * (0/0, as in PyTorch) and 0 for 'sum'.
   */
  reduction?: Reduction;
}

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Which variance each element uses, by PyTorch's rules: `variance` has the input's shape
 * (heteroscedastic), or the input's shape without its last dimension, or with the last dimension 1
 * (homoscedastic: one variance per row). Returns the number of input elements per variance.
 */
function varianceGroupSize(input: Tensor, variance: Tensor, fn: string): number {
  if (shapesEqual(variance.shape, input.shape)) return 1;
  const rows = input.shape.slice(0, -1);
  const last = input.ndim > 0 ? input.shape[input.ndim - 1] : 1;
  const oneShort = input.ndim > 0 && shapesEqual(variance.shape, rows);
  const lastIsOne = variance.ndim === input.ndim && input.ndim > 0 && shapesEqual(variance.shape.slice(0, -1), rows) && variance.shape[variance.ndim - 1] === 1;
  if (!oneShort && !lastIsOne) {
    fail({
      fn,
      argument: 'variance',
      value: `of shape ${formatShape(variance.shape)}`,
      rule: `it must have the shape of 'input' ${formatShape(input.shape)} (one variance per element)${input.ndim > 0 ? `, or ${formatShape(rows)} or ${formatShape([...rows, 1])} (one variance per row, homoscedastic)` : ''}, as in PyTorch's gaussian_nll_loss ("var is of incorrect size")`,
    });
  }
  return last;
}

function checkVariance<D extends FloatDType>(input: Tensor<D>, variance: unknown, fn: string): asserts variance is Tensor<D> {
  checkFloatTensor(variance, fn, 'variance');
  checkSameDType(input, variance, fn, 'variance');
  for (let i = 0; i < variance.size; i++) {
    if (variance.data[i] < 0) {
      fail({
        fn,
        argument: 'variance',
        value: `${formatValue(variance.data[i])} at flat index ${i}`,
        rule: 'variances must be non-negative (PyTorch: "var has negative entry/entries")',
        fix: 'Predict a variance through softplus or exp to keep it positive.',
      });
    }
  }
}

interface Checked {
  group: number;
  eps: number;
  full: boolean;
  reduction: Reduction;
}

function checkAll<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, variance: Tensor<D>, options: GaussianNllLossOptions, fn: string): Checked {
  checkInputTarget(input, target, fn);
  checkVariance(input, variance, fn);
  const group = varianceGroupSize(input, variance, fn);
  const eps = checkNumberOption(options.eps ?? EPS.default, fn, 'eps', {
    min: 0,
    minInclusive: true,
    allowInfinity: false,
    why: 'it is the smallest variance used',
  });
  const full = options.full ?? false;
  if (typeof full !== 'boolean') fail({ fn, argument: 'full', value: formatValue(full), rule: 'it must be true or false' });
  return { group, eps, full, reduction: checkReduction(options.reduction, fn, 'mean') };
}

/**
 * Gaussian negative log-likelihood, like `torch.nn.functional.gaussian_nll_loss(input, target, var,
 * full, eps, reduction)`: ½(log v + (x − t)²/v) [+ ½·log 2π when `full`], v = max(var, eps).
 * `variance` follows PyTorch's shape rules (see `varianceGroupSize`); a negative variance throws, as
 * in PyTorch. As in PyTorch the clamp is not differentiated (it runs under `no_grad` there): where
 * var < eps the gradient w.r.t. var is the formula's value at v = eps, not 0.
 * Records the gradient w.r.t. `input`, `target` and `variance`. Shapes of input and target must
 * match (PyTorch broadcasts them).
 */
export function gaussianNllLoss<D extends FloatDType>(
  input: Tensor<D>,
  target: Tensor<D>,
  variance: Tensor<D>,
  options: GaussianNllLossOptions = {},
): Tensor<D> {
  const fn = 'gaussianNllLoss';
  const checked = checkAll(input, target, variance, options, fn);
  const { group, eps, full, reduction } = checked;
  const residual = residualOf(input.dtype);
  const values = new Float64Array(input.size);
  for (let i = 0; i < values.length; i++) {
    const v = Math.max(variance.data[Math.floor(i / group)], eps);
    const d = residual(input.data[i], target.data[i]);
    values[i] = 0.5 * (Math.log(v) + (d * d) / v) + (full ? HALF_LOG_TWO_PI : 0);
  }
  const out = reduceValues(values, input.shape, input.dtype, reduction, values.length, fn);
  return record(out, fn, [input, target, variance], (gradOutput) => {
    const grads = gaussianNllGradients(input, target, variance, gradOutput, checked);
    return [grads.input, target.requiresGrad ? negated(grads.input) : null, grads.variance];
  });
}

function gaussianNllGradients<D extends FloatDType>(
  input: Tensor<D>,
  target: Tensor<D>,
  variance: Tensor<D>,
  gradOutput: Tensor,
  checked: Checked,
): { input: Tensor<D>; variance: Tensor<D> } {
  // l = ½(log v + d²/v),  d = x − t,  v = max(var, eps) with the clamp's derivative taken as 1
  // dl/dx = d/v,  dl/dt = −d/v                           (chain rule through d)
  // dl/dvar = ½(1/v − d²/v²), summed over the elements that share one variance
  const { group, eps, reduction } = checked;
  const residual = residualOf(input.dtype);
  const upstream = reductionGradient(gradOutput, reduction, input.size);
  const gradInput = allocate(input.dtype, input.size);
  const gradVariance = new Float64Array(variance.size);
  for (let i = 0; i < gradInput.length; i++) {
    const k = Math.floor(i / group);
    const v = Math.max(variance.data[k], eps);
    const d = residual(input.data[i], target.data[i]);
    const g = upstream(i);
    gradInput[i] = (d / v) * g;
    gradVariance[k] += 0.5 * (1 / v - (d * d) / (v * v)) * g;
  }
  const varianceGrad = allocate(input.dtype, variance.size);
  varianceGrad.set(gradVariance);
  return { input: new Tensor<D>(gradInput, input.shape), variance: new Tensor<D>(varianceGrad, variance.shape) };
}

/**
 * ∂/∂input and ∂/∂variance of `gaussianNllLoss` given the gradient of its output, as PyTorch's
 * autograd computes them.
 */
export function gaussianNllLossBackward<D extends FloatDType>(
  input: Tensor<D>,
  target: Tensor<D>,
  variance: Tensor<D>,
  gradOutput: Tensor,
  options: GaussianNllLossOptions = {},
): { input: Tensor<D>; variance: Tensor<D> } {
  return gaussianNllGradients(input, target, variance, gradOutput, checkAll(input, target, variance, options, 'gaussianNllLossBackward'));
}

function checkSigma(sigma: unknown): number {
  return checkNumberOption(sigma, 'gaussian-nll', 'sigma', {
    min: 0,
    minInclusive: false,
    allowInfinity: false,
    why: 'it is the standard deviation of the Gaussian',
  });
}

/**
 * Gaussian NLL of one target with standard deviation σ (`sigma`, default 1), `full = false`:
 * l = ½(log σ² + (y′ − y)²/σ²), gradient (y′ − y)/σ², density N(y; y′, σ²) = exp(−l)/√(2π).
 */
const sigmaOf = (p: PointwiseValues | undefined): number => checkSigma(numberValue(p, 'sigma', SIGMA));

export const gaussianNllPointwise = {
  kind: 'density',
  params: { sigma: SIGMA },
  target: REAL_TARGET,
  example: 2,
  range: aroundTarget,
  value: (y, yHat, p) => {
    const s2 = sigmaOf(p) ** 2;
    return 0.5 * (Math.log(s2) + (yHat - y) ** 2 / s2);
  },
  gradient: (y, yHat, p) => (yHat - y) / sigmaOf(p) ** 2,
  density: (y, yHat, p) => {
    const s = sigmaOf(p);
    const z = (y - yHat) / s;
    return Math.exp(-0.5 * z * z) / (s * Math.sqrt(2 * Math.PI));
  },
  formulas: () => ({
    loss: { text: 'l(y, y′) = ½(log σ² + (y − y′)²/σ²)', tex: "l(y, y') = \\tfrac{1}{2}\\left(\\log\\sigma^2 + \\frac{(y - y')^2}{\\sigma^2}\\right)" },
    likelihood: {
      text: 'p(y | y′, σ²) = 1/√(2πσ²) · exp(−(y − y′)² / (2σ²))',
      tex: "p(y \\mid y', \\sigma^2) = \\frac{1}{\\sqrt{2\\pi\\sigma^2}} \\exp\\!\\left(-\\frac{(y - y')^2}{2\\sigma^2}\\right)",
    },
    nll: {
      text: '−log p = ½ log 2π + ½(log σ² + (y − y′)²/σ²) = ½ log 2π + l(y, y′)',
      tex: "-\\log p = \\tfrac{1}{2}\\log 2\\pi + \\tfrac{1}{2}\\left(\\log\\sigma^2 + \\frac{(y - y')^2}{\\sigma^2}\\right) = \\tfrac{1}{2}\\log 2\\pi + l(y, y')",
    },
    gradient: { text: '∂l/∂y′ = (y′ − y) / σ²', tex: "\\frac{\\partial l}{\\partial y'} = \\frac{y' - y}{\\sigma^2}" },
  }),
} satisfies PointwiseLoss;

export const gaussianNllSpec = {
  id: 'gaussian-nll',
  pytorch: 'nn.GaussianNLLLoss',
  parameters: { variance: VARIANCE, full: FULL, eps: EPS },
  reductions: REDUCTION_NAMES,
  defaultReduction: 'mean',
  call: (a) => {
    const variance = a.tensor('variance');
    if (!variance) return fail({ fn: 'gaussianNllLoss', argument: 'variance', rule: 'it is required: the predicted variances' });
    return gaussianNllLoss(a.input, floatTarget(a, 'gaussianNllLoss'), variance, { full: a.flag('full'), eps: a.number('eps'), reduction: a.reduction() });
  },
  pointwise: gaussianNllPointwise,
} as const satisfies LossSpec;
