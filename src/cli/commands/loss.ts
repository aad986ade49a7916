import { fail, formatShape, formatValue, LosslabError } from '../../errors.js';
import { findLoss, LOSSES } from '../../functional/losses.js';
import { type LossArguments, type LossParameter, type LossSpec, optionName } from '../../functional/lossSpec.js';
import { isReduction, type KlReduction, type Reduction } from '../../functional/reduction.js';
import type { FloatDType } from '../../tensor/dtype.js';
import { shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type OptionSpec, type OptionSpecs, type OptionValues, optFlag, optGiven, optionValues, optNumber, optString, type ParsedArgs } from '../args.js';
import type { Command, CommandIO } from '../command.js';
import { parameterUsage } from '../lossOptions.js';
import { t } from '../../i18n/translate.js';
import { formatNumber, formatTensorTable, readTensorFile, tensorToJson } from '../tensorFile.js';

/**
 * `losslab loss <name> --input FILE --target FILE [...]`: the value of a loss and the gradient of
 * the sum of its value with respect to the input, for tensors in .npy or .json files — the numbers
 * `torch.nn.functional.<loss>(input, target, …)` and `.sum().backward()` give. The losses, their
 * options and which option applies to which loss all come from the loss registry
 * (src/functional/losses.ts).
 */

const FN = 'losslab loss';

/** Each loss parameter as its option: (library name, parameter) pairs per option name, in registry order. */
function parametersByOption(): Map<string, { spec: LossSpec; name: string; parameter: LossParameter }[]> {
  const byOption = new Map<string, { spec: LossSpec; name: string; parameter: LossParameter }[]>();
  for (const spec of LOSSES as readonly LossSpec[]) {
    for (const [name, parameter] of Object.entries(spec.parameters)) {
      const option = optionName(name, parameter);
      byOption.set(option, [...(byOption.get(option) ?? []), { spec, name, parameter }]);
    }
  }
  return byOption;
}
const BY_OPTION = parametersByOption();

/** One option for a parameter several losses share: descriptions grouped by loss, bounds and default kept when they agree. */
function optionOf(users: { spec: LossSpec; parameter: LossParameter }[]): OptionSpec {
  const first = users[0].parameter;
  const agree = <K extends string>(key: K): boolean =>
    users.every((u) => (u.parameter as Partial<Record<K, unknown>>)[key] === (first as Partial<Record<K, unknown>>)[key]);
  const groups = new Map<string, string[]>();
  for (const { spec, parameter } of users) {
    const defaultText = !agree('default') && 'default' in parameter && parameter.default !== undefined ? `, default ${String(parameter.default)}` : '';
    const key = `${parameter.description}\u0000${defaultText}`;
    groups.set(key, [...(groups.get(key) ?? []), spec.id]);
  }
  const description = [...groups].map(([key, ids]) => {
    const [text, defaultText] = key.split('\u0000');
    return `${text} (${ids.join(', ')}${defaultText})`;
  });
  if (first.type === 'tensor') return { type: 'string', description: description.join(' or ') };
  if (first.type === 'boolean')
    return { type: 'boolean', description: description.join(' or '), ...(agree('default') && first.default === true ? { default: true } : {}) };
  const bounds = agree('min') && agree('exclusiveMin') && agree('max') ? { min: first.min, exclusiveMin: first.exclusiveMin, max: first.max } : {};
  return { type: first.type, description: description.join(' or '), ...bounds, ...(agree('default') ? { default: first.default } : {}) };
}

function reductionDescription(): string {
  const extra = new Map<string, string[]>();
  const defaults = new Map<string, string[]>();
  for (const spec of LOSSES as readonly LossSpec[]) {
    for (const r of spec.reductions) if (!isReduction(r)) extra.set(r, [...(extra.get(r) ?? []), spec.id]);
    if (spec.defaultReduction !== 'mean') defaults.set(spec.defaultReduction, [...(defaults.get(spec.defaultReduction) ?? []), spec.id]);
  }
  const extras = [...extra].map(([r, ids]) => ` (and ${r} for ${ids.join(', ')})`).join('');
  const notMean = [...defaults].map(([r, ids]) => `; ${ids.join(', ')}'s default is ${r}`).join('');
  return `how to reduce: none, mean, sum${extras}${notMean}`;
}

/** The options every loss takes (one per loss parameter, from the registry, goes between target and reduction). */
const own = {
  input: { type: 'string', description: 'the input tensor (.npy or .json): logits, log-probabilities or predictions' },
  target: { type: 'string', description: 'the target tensor (.npy or .json); for cross-entropy and nll class indices without the class dimension' },
  reduction: {
    type: 'string',
    description: reductionDescription(),
    choices: [...new Set((LOSSES as readonly LossSpec[]).flatMap((spec) => spec.reductions))],
    default: 'mean',
  },
  dtype: {
    type: 'string',
    description: "compute in float32 or float64 (default: the .npy input's dtype, float32 for JSON as in PyTorch)",
    choices: ['float32', 'float64'],
  },
  json: { type: 'boolean', description: 'print {"value": …, "grad": …} as JSON (non-finite numbers as strings)' },
} as const satisfies OptionSpecs;

type LossOptions = OptionValues<typeof own>;

const options: OptionSpecs = {
  input: own.input,
  target: own.target,
  ...Object.fromEntries([...BY_OPTION].map(([option, users]) => [option, optionOf(users)])),
  reduction: own.reduction,
  dtype: own.dtype,
  json: own.json,
};

/** The reduction given, or undefined (each loss has its own default: `spec.defaultReduction`; the spec's default is the usual one). */
function givenReduction(args: ParsedArgs, o: LossOptions): string | undefined {
  return optGiven(args, own, 'reduction') ? o.reduction : undefined;
}

/** The option a library argument comes from, so errors name what the user typed. */
function optionOfArgument(spec: LossSpec, argument: string): string {
  if (argument === 'input' || argument === 'target' || argument === 'reduction') return `--${argument}`;
  const parameter = spec.parameters[argument];
  return parameter ? `--${optionName(argument, parameter)}` : argument;
}

const usageOptions = [...BY_OPTION]
  .map(([option, users]) => (users[0].parameter.type === 'tensor' ? `[--${option} FILE]` : parameterUsage({ [option]: optionOf(users) })))
  .join(' ');

export const command: Command = {
  name: 'loss',
  summary: 'a loss value and its gradient for tensors in .npy/.json files',
  usage: `loss <${LOSSES.map((s) => s.id).join('|')}> --input FILE --target FILE ${usageOptions} [--reduction R] [--dtype float32|float64] [--json]`,
  options,
  async run(args, io) {
    const names = LOSSES.map((s) => s.id).join(', ');
    if (args.positionals.length !== 1) {
      fail({
        fn: FN,
        argument: '<name>',
        value: args.positionals.length === 0 ? undefined : formatValue(args.positionals),
        rule: `exactly one loss name is needed, one of ${names}`,
      });
    }
    const spec = findLoss(args.positionals[0]);
    if (!spec) return fail({ fn: FN, argument: '<name>', value: formatValue(args.positionals[0]), rule: `it must be one of ${names}` });
    const name = spec.id;
    const o = optionValues(args, own);
    checkOptionsApply(spec, args, o);

    const read = readerFor(spec, args, o, io);
    const input = read.float('input');
    const target = read.target(input);
    const tensors = new Map<string, Tensor<FloatDType> | undefined>();
    for (const [parameterName, parameter] of Object.entries(spec.parameters)) {
      if (parameter.type === 'tensor') tensors.set(parameterName, read.optionalFloat(optionName(parameterName, parameter)));
    }
    const warning = (spec as LossSpec).inputWarning?.(input);
    if (warning) io.stderr(`${t('en', warning, { fn: `${FN} ${spec.id}` })}\n`);
    let value: Tensor;
    try {
      value = spec.call(lossArguments(spec, input, target, tensors, args, o));
    } catch (error) {
      throw error instanceof LosslabError ? asCliError(error, spec) : error;
    }
    if (value.requiresGrad) {
      const ones = value.clone();
      ones.data.fill(1);
      value.backward(ones);
    }
    const grad = input.grad ?? input.clone();
    if (!input.grad) grad.data.fill(0);
    // losslab's rule is no silent NaN: a mean over zero elements is NaN (as in PyTorch), so say why
    if (value.data.some(Number.isNaN) && !input.data.some(Number.isNaN) && !target.data.some(Number.isNaN)) {
      io.stderr(
        `warning: ${FN} ${spec.id}: the value is NaN because ${input.size === 0 ? `the input ${formatShape(input.shape)} has no elements` : 'no element counts (every target is the ignore index, or the weights sum to 0)'}, and a mean over zero elements is 0/0 (PyTorch returns NaN too); use --reduction sum for 0.\n`,
      );
    }

    if (o.json === true) {
      io.stdout(`${JSON.stringify({ value: tensorToJson(value), grad: tensorToJson(grad) })}\n`);
      return 0;
    }
    const reduction = givenReduction(args, o) ?? spec.defaultReduction;
    const lines = [
      `${name} (reduction ${reduction}, ${input.dtype}) of input ${formatShape(input.shape)}`,
      value.ndim === 0 ? `value  ${formatNumber(value.item())}` : `value ${formatShape(value.shape)}:\n${formatTensorTable(value)}`,
      `gradient of sum(value) w.r.t. input ${formatShape(grad.shape)}:`,
      formatTensorTable(grad),
    ];
    io.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};

/** The parsed options as the loss's arguments, by library name. */
function lossArguments(
  spec: LossSpec,
  input: Tensor<FloatDType>,
  target: Tensor,
  tensors: Map<string, Tensor<FloatDType> | undefined>,
  args: ParsedArgs,
  o: LossOptions,
): LossArguments {
  const option = (name: string): string => {
    const parameter = spec.parameters[name];
    if (!parameter) throw new Error(`${spec.id} reads '${name}', which is not among its parameters`);
    return optionName(name, parameter);
  };
  const reduction = givenReduction(args, o);
  return {
    input,
    target,
    number: (name) => optNumber(args, option(name)),
    flag: (name) => (args.options[option(name)] === undefined ? undefined : optFlag(args, option(name))),
    tensor: (name) => tensors.get(name),
    reduction: (): Reduction | undefined => (reduction !== undefined && isReduction(reduction) ? reduction : undefined),
    klReduction: (): KlReduction | undefined =>
      reduction === 'batchmean' ? 'batchmean' : reduction !== undefined && isReduction(reduction) ? reduction : undefined,
  };
}

/** Refuses options that do nothing for this loss (scikit-learn's rule: reject, don't ignore), and asks for the required ones. */
function checkOptionsApply(spec: LossSpec, args: ParsedArgs, o: LossOptions): void {
  const fn = `${FN} ${spec.id}`;
  const parameterOptions = new Set(Object.entries(spec.parameters).map(([name, parameter]) => optionName(name, parameter)));
  for (const [option, value] of Object.entries(args.options)) {
    if (value === undefined || option in own || parameterOptions.has(option)) continue;
    const users = (BY_OPTION.get(option) ?? []).map((u) => u.spec.id);
    fail({
      fn,
      argument: `--${option}`,
      value: typeof value === 'boolean' ? undefined : formatValue(value),
      rule: `it does not apply to '${spec.id}' (only to ${users.join(', ')})`,
      fix: 'Leave it out.',
    });
  }
  const reduction = givenReduction(args, o);
  const accepts = (s: LossSpec): boolean => reduction === undefined || (s.reductions as readonly string[]).includes(reduction);
  if (!accepts(spec)) {
    const users = (LOSSES as readonly LossSpec[]).filter(accepts).map((s) => s.id);
    const own = spec.reductions.map(String);
    fail({
      fn,
      argument: '--reduction',
      value: formatValue(reduction),
      rule: `${reduction} applies only to ${users.join(', ')}; use ${own.slice(0, -1).join(', ')} or ${own[own.length - 1]}`,
    });
  }
  for (const required of ['input', 'target'] as const) {
    if (o[required] === undefined) fail({ fn, argument: `--${required}`, rule: 'it is required: a .npy or .json file' });
  }
  for (const [name, parameter] of Object.entries(spec.parameters)) {
    const option = optionName(name, parameter);
    if (parameter.type === 'tensor' && parameter.required && optString(args, option) === undefined) {
      fail({ fn, argument: `--${option}`, rule: `it is required: a .npy or .json file with the ${parameter.description}` });
    }
  }
}

/** Reads the tensors of one call, converting floats to the chosen dtype. */
function readerFor(spec: LossSpec, args: ParsedArgs, o: LossOptions, io: CommandIO) {
  const fn = `${FN} ${spec.id}`;
  let dtype: FloatDType | undefined = o.dtype;
  const floatOf = (t: Tensor, option: string, path: string): Tensor<FloatDType> => {
    if (t.dtype === 'int32') {
      fail({
        fn,
        argument: `--${option}`,
        value: `${JSON.stringify(path)} (int32 data)`,
        rule: `it must hold floating-point numbers for '${spec.id}'`,
        fix: 'Save it as float32 or float64.',
      });
    }
    return t.dtype === dtype ? (t as Tensor<FloatDType>) : t.to(dtype ?? 'float32');
  };
  const readFloat = (option: string): Tensor<FloatDType> => {
    const path = optString(args, option) ?? '';
    const t = readTensorFile(path, { fn, argument: `--${option}`, cwd: io.cwd, jsonDType: () => dtype ?? 'float32' });
    if (dtype === undefined && t.dtype !== 'int32') dtype = t.dtype;
    return floatOf(t, option, path);
  };
  const indexTargets = spec.classTargets !== undefined;
  return {
    float: (option: string): Tensor<FloatDType> => {
      const t = readFloat(option);
      t.requiresGrad_(true);
      return t;
    },
    optionalFloat: (option: string): Tensor<FloatDType> | undefined => (optString(args, option) === undefined ? undefined : readFloat(option)),
    target: (input: Tensor<FloatDType>): Tensor => {
      const path = o.target ?? '';
      const t = readTensorFile(path, {
        fn,
        argument: '--target',
        cwd: io.cwd,
        jsonDType: (shape) => (indexTargets && !(spec.classTargets === 'indices-or-probabilities' && shapesEqual(shape, input.shape)) ? 'int32' : input.dtype),
      });
      if (indexTargets && (t.dtype === 'int32' || !shapesEqual(t.shape, input.shape))) return t; // indices: the loss checks them
      return floatOf(t, 'target', path);
    },
  };
}

/** Re-labels a library error with the command and the option the user typed. */
function asCliError(error: LosslabError, spec: LossSpec): LosslabError {
  return new LosslabError({ fn: `${FN} ${spec.id}`, argument: optionOfArgument(spec, error.argument), value: error.value, rule: error.rule, fix: error.fix });
}
