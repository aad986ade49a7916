import { fail, formatValue } from '../errors.js';
import { checkFloatTensor } from './elementwiseLoss.js';
import type { MessageKey } from '../i18n/en.js';
import type { FloatDType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { KlReduction, Reduction } from './reduction.js';

/**
 * What a loss is, once, for every surface: its id, the tensor function and its parameters
 * (`losslab loss`), and — for a loss of one target and one prediction — the pointwise form with
 * its likelihood, parameters, formulas and worked example (`losslab plot`, `losslab explain`, the
 * web lab's loss explorer). Each loss file exports its spec next to the function; `losses.ts` lists
 * them. The texts live in the message catalogues under keys named by the loss id, and `losses.ts`
 * does not compile when one is missing.
 */

/** A formula as plain Unicode (figure titles, terminals) and as TeX (KaTeX in the web lab, `$$…$$` in markdown). */
export interface Formula {
  readonly text: string;
  readonly tex: string;
}

/** A number parameter with its default and bounds (the CLI checks them; the library checks them again). */
export interface NumberParameter {
  readonly type: 'number' | 'integer';
  /** For `--help` (English, like the rest of the command line's help). */
  readonly description: string;
  readonly default?: number;
  readonly min?: number;
  readonly exclusiveMin?: boolean;
  readonly max?: number;
  /** The command-line option when it is not the kebab-case name (e.g. `var` for `variance`). */
  readonly option?: string;
}

export interface FlagParameter {
  readonly type: 'boolean';
  readonly description: string;
  readonly default?: boolean;
  readonly option?: string;
}

/** A tensor argument besides input and target (class weights, variances): a file on the command line. */
export interface TensorParameter {
  readonly type: 'tensor';
  readonly description: string;
  readonly option?: string;
  /** The loss cannot be computed without it (gaussian-nll's variances). */
  readonly required?: boolean;
}

export type LossParameter = NumberParameter | FlagParameter | TensorParameter;

/** A slider of the web lab: its range and step (the parameter's bounds still apply). */
export interface Control {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

/** A parameter of the pointwise form, with the web lab's control and label. */
export type PointwiseParameter =
  | (NumberParameter & { readonly control: Control; readonly label: MessageKey })
  | (FlagParameter & { readonly label: MessageKey });

/** Values of pointwise parameters by name (`{ delta: 2 }`); a missing one takes its default. */
export type PointwiseValues = Readonly<Record<string, number | boolean | undefined>>;

/** The likelihood story of a loss: the loss, the likelihood it is the negative log of, that negative log, the gradient. */
export interface LossFormulas {
  readonly loss: Formula;
  readonly likelihood: Formula;
  readonly nll: Formula;
  readonly gradient: Formula;
}

/**
 * A loss of one target y and one prediction y′, with its gradient and the likelihood it comes from
 * (d2l's "L2 Loss" figure: loss blue, likelihood green, gradient orange).
 * - `density`: y is a value; the figure's green curve is exp(−l) normalised over the plotted range
 *   (d2l's scaling), and `density` is the normalised p(y | y′) whose −log is l up to a constant.
 * - `probability`: y is a binary label and y′ a logit; `density(y, z)` is the probability P(y | z),
 *   whose −log is exactly l, and the green curve is the probability of the positive class.
 */
export interface PointwiseLoss {
  readonly kind: 'density' | 'probability';
  readonly params: Readonly<Record<string, PointwiseParameter>>;
  /** The target of the figure and the worked example: its default, its rule and the web lab's control. */
  readonly target: {
    readonly default: number;
    readonly control: Control;
    readonly label: MessageKey;
    /** Returns y, or throws a `LosslabError` naming `fn` when it breaks the loss's rule. */
    readonly check: (y: number, fn: string) => number;
  };
  /** `probability` kind: the negative and the positive label (the likelihood is a mass on these two). */
  readonly labels?: readonly [number, number];
  /** The prediction y′ (or logit z) of the worked example in `losslab explain`. */
  readonly example: number;
  /** The prediction range [from, to) the figure shows by default for target y. */
  range(y: number, p: PointwiseValues): readonly [number, number];
  /** The loss l(y, y′). */
  value(y: number, yHat: number, p?: PointwiseValues): number;
  /** Its derivative ∂l/∂y′. */
  gradient(y: number, yHat: number, p?: PointwiseValues): number;
  /** `density`: the normalised p(y | y′) ∝ exp(−l); `probability`: P(y | z) = exp(−l). */
  density(y: number, yHat: number, p?: PointwiseValues): number;
  formulas(p: PointwiseValues): LossFormulas;
  /** Words or symbols the loss's texts quote besides the numbers (e.g. which rate y′ stands for). */
  describe?(p: PointwiseValues): Readonly<Record<string, string>>;
}

/** What a loss receives from a surface: input, target and its parameters by name, read with their types. */
export interface LossArguments {
  readonly input: Tensor<FloatDType>;
  readonly target: Tensor;
  number(name: string): number | undefined;
  flag(name: string): boolean | undefined;
  tensor(name: string): Tensor<FloatDType> | undefined;
  reduction(): Reduction | undefined;
  /** The reduction of a loss that also has `'batchmean'` (KL divergence). */
  klReduction(): KlReduction | undefined;
}

export interface LossSpec {
  /** The name on the command line (`losslab loss huber`). */
  readonly id: string;
  /** The name of its figure and explanation when it differs (`bce` for `bce-with-logits`); both names are accepted everywhere. */
  readonly figureId?: string;
  /** The PyTorch module it matches, e.g. `nn.HuberLoss`. */
  readonly pytorch: string;
  /** The parameters of the tensor function (its options and extra tensors), by library name. */
  readonly parameters: Readonly<Record<string, LossParameter>>;
  /** The reductions it accepts and the one it uses by default. */
  readonly reductions: readonly KlReduction[];
  readonly defaultReduction: Reduction;
  /** Targets hold class indices (a JSON target without the class dimension loads as int32). */
  readonly classTargets?: 'indices' | 'indices-or-probabilities';
  /** Calls the tensor function, like `torch.nn.functional.<loss>(input, target, …)`. */
  readonly call: (args: LossArguments) => Tensor;
  readonly pointwise?: PointwiseLoss;
  /**
   * A warning for an input that is valid but most likely a mistake (cross-entropy given
   * probabilities instead of logits): the catalogue key of the message (placeholder `{fn}`), or
   * undefined. The command line prints it on stderr and goes on.
   */
  readonly inputWarning?: (input: Tensor) => MessageKey | undefined;
}

/** The target as a float tensor (a regression loss reads its target as floats); a `LosslabError` otherwise. */
export function floatTarget(args: LossArguments, fn: string): Tensor<FloatDType> {
  const target: unknown = args.target;
  checkFloatTensor(target, fn, 'target');
  return target;
}

/** The command-line option of a parameter: its `option`, or the kebab-case name (`ignoreIndex` → `ignore-index`). */
export function optionName(name: string, parameter: { readonly option?: string }): string {
  return parameter.option ?? name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** A number parameter's value: the given one or its default. */
export function numberValue(p: PointwiseValues | undefined, name: string, parameter: NumberParameter): number {
  const value = p?.[name];
  if (typeof value === 'number') return value;
  if (parameter.default === undefined) throw new Error(`pointwise parameter '${name}' has no default`);
  return parameter.default;
}

/** A flag parameter's value: the given one or its default (false when it has none). */
export function flagValue(p: PointwiseValues | undefined, name: string, parameter: FlagParameter): boolean {
  const value = p?.[name];
  return typeof value === 'boolean' ? value : (parameter.default ?? false);
}

/** The rule of a number parameter in words, e.g. `a finite number greater than 0`. */
export function numberRule(parameter: NumberParameter): string {
  const kind = parameter.type === 'integer' ? 'an integer' : 'a finite number';
  const bounds: string[] = [];
  if (parameter.min !== undefined) bounds.push(`${parameter.exclusiveMin ? 'greater than' : 'at least'} ${parameter.min}`);
  if (parameter.max !== undefined) bounds.push(`at most ${parameter.max}`);
  return bounds.length === 0 ? kind : `${kind} ${bounds.join(' and ')}`;
}

function fitsNumber(value: number, parameter: NumberParameter): boolean {
  if (!Number.isFinite(value) || (parameter.type === 'integer' && !Number.isInteger(value))) return false;
  if (parameter.min !== undefined && (parameter.exclusiveMin ? value <= parameter.min : value < parameter.min)) return false;
  return parameter.max === undefined || value <= parameter.max;
}

/**
 * Every pointwise parameter of a loss with the given value or its default, checked against its
 * type and bounds (a `LosslabError` naming `fn` and the parameter otherwise, also for a name the
 * loss does not have).
 */
export function resolvePointwiseValues(pointwise: PointwiseLoss, given: PointwiseValues, fn: string): Readonly<Record<string, number | boolean>> {
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined && !Object.hasOwn(pointwise.params, name)) {
      const names = Object.keys(pointwise.params);
      fail({
        fn,
        argument: name,
        value: formatValue(value),
        rule: names.length === 0 ? 'this loss has no parameters' : `the parameters of this loss are ${names.join(', ')}`,
      });
    }
  }
  const out: Record<string, number | boolean> = {};
  for (const [name, parameter] of Object.entries(pointwise.params)) {
    const value = given[name];
    if (parameter.type === 'boolean') {
      if (value !== undefined && typeof value !== 'boolean') fail({ fn, argument: name, value: formatValue(value), rule: 'it must be true or false' });
      out[name] = flagValue(given, name, parameter);
    } else {
      if (value !== undefined && (typeof value !== 'number' || !fitsNumber(value, parameter))) {
        fail({ fn, argument: name, value: formatValue(value), rule: `it must be ${numberRule(parameter)}` });
      }
      out[name] = numberValue(given, name, parameter);
    }
  }
  return out;
}

/** The target of a regression loss: any finite number, 0 by default. */
export const REAL_TARGET: PointwiseLoss['target'] = {
  default: 0,
  control: { min: -3, max: 3, step: 0.1 },
  label: 'loss.target',
  check: (y, fn) => {
    if (!Number.isFinite(y)) fail({ fn, argument: 'target', value: formatValue(y), rule: 'it must be a finite number' });
    return y;
  },
};

/** d2l's range for a regression loss: the target ± 5 (`arange(-5, 5, 0.01)` at y = 0). */
export function aroundTarget(y: number): readonly [number, number] {
  return [y - 5, y + 5];
}

/** The default reductions of a loss: `none`, `mean` and `sum`, as PyTorch's. */
export const REDUCTION_NAMES: readonly Reduction[] = ['none', 'mean', 'sum'];
