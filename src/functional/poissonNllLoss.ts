import { fail, formatValue } from '../errors.js';
import { logGamma } from '../special/gamma.js';
import { allocate, type FloatDType } from '../tensor/dtype.js';
import { Tensor, record } from '../tensor/tensor.js';
import { checkInputTarget, checkNumberOption } from './elementwiseLoss.js';
import { flagValue, floatTarget, type LossSpec, type PointwiseLoss, type PointwiseValues, REDUCTION_NAMES } from './lossSpec.js';
import { checkReduction, reduceValues, reductionGradient, type Reduction } from './reduction.js';

/** The parameters of PyTorch's `PoissonNLLLoss(log_input=True, full=False, eps=1e-8)`. */
const LOG_INPUT = {
  type: 'boolean',
  description: 'the input is the log of the rate (--no-log-input: the rate itself)',
  default: true,
  label: 'loss.logInput',
} as const;
const FULL = { type: 'boolean', description: "add Stirling's approximation of log y! where y > 1", default: false, label: 'loss.full' } as const;
const EPS = { type: 'number', description: 'added to the rate inside the log when the input is the rate', default: 1e-8, min: 0 } as const;

export interface PoissonNllLossOptions {
  /** The input is log λ (default true); false: the input is the rate λ ≥ 0 itself. */
  logInput?: boolean;
  /** Add Stirling's approximation of log(y!), y log y − y + ½ log(2πy), where y > 1 (default false). */
  full?: boolean;
  /** Keeps log(λ + eps) finite at λ = 0 when `logInput` is false (default 1e-8). */
  eps?: number;
  /** 'none' | 'mean' | 'sum' (default 'mean'). An empty input gives NaN for 'mean' (0/0, as in PyTorch). */
  reduction?: Reduction;
}

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Stirling's log(y!) ≈ y log y − y + ½ log(2πy), which PyTorch adds with `full` except where y ≤ 1
 * (`masked_fill(target <= 1, 0)`: a NaN count keeps its NaN), and its derivative written as PyTorch's
 * autograd evaluates it (log y + y·(1/y) − 1 + 1/(2y), NaN at y = ∞ as there).
 */
function stirling(y: number): number {
  return y <= 1 ? 0 : y * Math.log(y) - y + 0.5 * Math.log(y) + HALF_LOG_TWO_PI;
}

function stirlingSlope(y: number): number {
  return y <= 1 ? 0 : Math.log(y) + y * (1 / y) - 1 + 0.5 / y;
}

/** One element's loss, ∂l/∂x and ∂l/∂y, for the options. */
function poissonElement(x: number, y: number, logInput: boolean, full: boolean, eps: number): { value: number; dx: number; dy: number } {
  // log_input: l = exp(x) − y·x,          ∂l/∂x = exp(x) − y = λ − y,   ∂l/∂y = −x
  // rate:      l = x − y·log(x + eps),    ∂l/∂x = 1 − y/(x + eps),      ∂l/∂y = −log(x + eps)
  // full adds  y log y − y + ½ log(2πy) where y > 1,                    ∂/∂y = log y + 1/(2y)
  const extra = full ? stirling(y) : 0;
  const extraSlope = full ? stirlingSlope(y) : 0;
  if (logInput) return { value: Math.exp(x) - y * x + extra, dx: Math.exp(x) - y, dy: -x + extraSlope };
  const log = Math.log(x + eps);
  return { value: x - y * log + extra, dx: 1 - y / (x + eps), dy: -log + extraSlope };
}

interface Checked {
  logInput: boolean;
  full: boolean;
  eps: number;
  reduction: Reduction;
}

function check<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, options: PoissonNllLossOptions, fn: string): Checked {
  checkInputTarget(input, target, fn);
  const logInput = options.logInput ?? LOG_INPUT.default;
  const full = options.full ?? FULL.default;
  for (const [argument, value] of [
    ['logInput', logInput],
    ['full', full],
  ] as const) {
    if (typeof value !== 'boolean') fail({ fn, argument, value: formatValue(value), rule: 'it must be true or false' });
  }
  const eps = checkNumberOption(options.eps ?? EPS.default, fn, 'eps', { min: 0, minInclusive: true, allowInfinity: false, why: 'it is added to the rate' });
  for (let i = 0; i < target.size; i++) {
    if (target.data[i] < 0) {
      fail({ fn, argument: 'target', value: `${formatValue(target.data[i])} at flat index ${i}`, rule: 'targets are Poisson counts, so they must be ≥ 0' });
    }
    if (!logInput && input.data[i] < 0) {
      fail({
        fn,
        argument: 'input',
        value: `${formatValue(input.data[i])} at flat index ${i}`,
        rule: 'with logInput false the input is the rate λ, which must be ≥ 0 (PyTorch returns NaN)',
        fix: 'Pass the log of the rate with logInput true (the default), or keep the rate non-negative (softplus, exp).',
      });
    }
  }
  return { logInput, full, eps, reduction: checkReduction(options.reduction, fn, 'mean') };
}

/**
 * Poisson negative log-likelihood, like `torch.nn.functional.poisson_nll_loss(input, target,
 * log_input=True, full=False, eps=1e-8, reduction='mean')`: with `logInput` the input is log λ and
 * l = exp(x) − y·x; otherwise the input is λ and l = x − y·log(x + eps); `full` adds Stirling's
 * y log y − y + ½ log(2πy) where y > 1. −log Poisson(y; λ) = λ − y log λ + log y!, so l drops log y!.
 * Records the gradient w.r.t. `input` and `target` (computed in float64, stored in the input dtype).
 * Deliberate differences from PyTorch, which computes NaN or a meaningless number instead: a negative
 * target, and a negative rate with `logInput` false, are errors. Shapes must match.
 */
export function poissonNllLoss<D extends FloatDType>(input: Tensor<D>, target: Tensor<D>, options: PoissonNllLossOptions = {}): Tensor<D> {
  const fn = 'poissonNllLoss';
  const { logInput, full, eps, reduction } = check(input, target, options, fn);
  const values = new Float64Array(input.size);
  for (let i = 0; i < values.length; i++) values[i] = poissonElement(input.data[i], target.data[i], logInput, full, eps).value;
  const out = reduceValues(values, input.shape, input.dtype, reduction, values.length, fn);
  return record(out, fn, [input, target], (g) => {
    const upstream = reductionGradient(g, reduction, input.size);
    const gradInput = allocate(input.dtype, input.size);
    const gradTarget = allocate(input.dtype, input.size);
    for (let i = 0; i < input.size; i++) {
      const e = poissonElement(input.data[i], target.data[i], logInput, full, eps);
      gradInput[i] = e.dx * upstream(i);
      gradTarget[i] = e.dy * upstream(i);
    }
    return [new Tensor<D>(gradInput, input.shape), target.requiresGrad ? new Tensor<D>(gradTarget, target.shape) : null];
  });
}

const optionsOf = (p: PointwiseValues | undefined) => ({ logInput: flagValue(p, 'logInput', LOG_INPUT), full: flagValue(p, 'full', FULL) });

/**
 * The Poisson likelihood of a count y at the rate λ = exp(y′) (or y′ + eps): P(y | λ) = λ^y e^(−λ) / y!
 * = exp(−l − c(y)) with c(y) = log Γ(y + 1) (+ eps for a rate input), less Stirling's term when
 * `full` — so −log P = l + c, a constant in y′.
 */
export const poissonNllPointwise = {
  kind: 'density',
  params: { logInput: LOG_INPUT, full: FULL },
  target: {
    default: 3,
    control: { min: 0, max: 10, step: 1 },
    label: 'loss.targetCount',
    check: (y, fn) => {
      if (!(y >= 0 && Number.isFinite(y))) fail({ fn, argument: 'target', value: formatValue(y), rule: 'it must be a count, a finite number ≥ 0' });
      return y;
    },
  },
  example: 2,
  range: (y, p) => {
    const center = Math.max(y, 1);
    return optionsOf(p).logInput ? [Math.log(center) - 3, Math.log(center) + 2] : [center / 20, 3 * center + 2];
  },
  value: (y, x, p) => {
    const o = optionsOf(p);
    return poissonElement(x, y, o.logInput, o.full, EPS.default).value;
  },
  gradient: (y, x, p) => {
    const o = optionsOf(p);
    return poissonElement(x, y, o.logInput, o.full, EPS.default).dx;
  },
  density: (y, x, p) => {
    const o = optionsOf(p);
    const constant = logGamma(y + 1) - (o.full ? stirling(y) : 0) + (o.logInput ? 0 : EPS.default);
    return Math.exp(-poissonElement(x, y, o.logInput, o.full, EPS.default).value - constant);
  },
  formulas: (p) => {
    const { logInput, full } = optionsOf(p);
    const stirlingText = full ? ' + y log y − y + ½ log(2πy)' : '';
    const stirlingTex = full ? ' + y\\log y - y + \\tfrac{1}{2}\\log(2\\pi y)' : '';
    const rate = logInput ? { text: 'λ = exp(y′)', tex: "\\lambda = e^{y'}" } : { text: 'λ = y′', tex: "\\lambda = y'" };
    return {
      loss: logInput
        ? { text: `l(y, y′) = exp(y′) − y·y′${stirlingText}`, tex: `l(y, y') = e^{y'} - y\\,y'${stirlingTex}` }
        : { text: `l(y, y′) = y′ − y·log(y′ + ε)${stirlingText}`, tex: `l(y, y') = y' - y\\log(y' + \\varepsilon)${stirlingTex}` },
      likelihood: {
        text: `P(y | λ) = λ^y e^(−λ) / y!,  ${rate.text}`,
        tex: `P(y \\mid \\lambda) = \\frac{\\lambda^{y} e^{-\\lambda}}{y!}, \\quad ${rate.tex}`,
      },
      nll: full
        ? {
            text: '−log P(y | λ) = λ − y log λ + log y! = l(y, y′) + (log y! − Stirling(y))',
            tex: "-\\log P(y \\mid \\lambda) = \\lambda - y\\log\\lambda + \\log y! = l(y, y') + \\big(\\log y! - \\operatorname{Stirling}(y)\\big)",
          }
        : {
            text: '−log P(y | λ) = λ − y log λ + log y! = l(y, y′) + log y!',
            tex: "-\\log P(y \\mid \\lambda) = \\lambda - y\\log\\lambda + \\log y! = l(y, y') + \\log y!",
          },
      gradient: logInput
        ? { text: '∂l/∂y′ = exp(y′) − y = λ − y', tex: "\\frac{\\partial l}{\\partial y'} = e^{y'} - y = \\lambda - y" }
        : { text: '∂l/∂y′ = 1 − y / (y′ + ε)', tex: "\\frac{\\partial l}{\\partial y'} = 1 - \\frac{y}{y' + \\varepsilon}" },
    };
  },
  describe: (p) => {
    const { logInput, full } = optionsOf(p);
    return { logInput: logInput ? 'True' : 'False', full: full ? 'True' : 'False', rate: logInput ? 'exp(y′)' : 'y′' };
  },
} satisfies PointwiseLoss;

export const poissonNllSpec = {
  id: 'poisson-nll',
  pytorch: 'nn.PoissonNLLLoss',
  parameters: { logInput: LOG_INPUT, full: FULL, eps: EPS },
  reductions: REDUCTION_NAMES,
  defaultReduction: 'mean',
  call: (a) =>
    poissonNllLoss(a.input, floatTarget(a, 'poissonNllLoss'), {
      logInput: a.flag('logInput'),
      full: a.flag('full'),
      eps: a.number('eps'),
      reduction: a.reduction(),
    }),
  pointwise: poissonNllPointwise,
} as const satisfies LossSpec;
