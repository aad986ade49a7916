import { fail, formatShape, formatValue, LosslabError } from '../../errors.js';
import type { FloatDType } from '../../tensor/dtype.js';
import { shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { optFlag, optNumber, optString, type OptionSpecs, type ParsedArgs } from '../args.js';
import type { Command, CommandIO } from '../command.js';
import { formatNumber, formatTensorTable, readTensorFile, tensorToJson } from '../tensorFile.js';

/** The tensors and options one loss receives, already read and converted to one float dtype. */
interface LossCall {
  readonly input: Tensor<FloatDType>;
  readonly target: Tensor;
  readonly weight?: Tensor<FloatDType>;
  readonly posWeight?: Tensor<FloatDType>;
  readonly variance?: Tensor<FloatDType>;
  readonly args: ParsedArgs;
}

type Reduction = 'none' | 'mean' | 'sum';

/** One loss: the options that apply to it and how to call it (loaded on demand). */
interface LossEntry {
  readonly options: readonly string[];
  /** Class-index targets: a JSON target without the class dimension loads as int32. */
  readonly indexTargets?: boolean;
  readonly run: (c: LossCall) => Promise<Tensor>;
}

const reductionOf = (args: ParsedArgs): Reduction | undefined => optString(args, 'reduction') as Reduction | undefined;

/** The losses, by CLI name, with the PyTorch function each matches. */
const LOSSES: Readonly<Record<string, LossEntry>> = {
  'cross-entropy': {
    options: ['weight', 'ignore-index', 'label-smoothing'],
    indexTargets: true,
    run: async ({ input, target, weight, args }) =>
      (await import('../../functional/crossEntropy.js')).crossEntropy(input, target, {
        weight,
        ignoreIndex: optNumber(args, 'ignore-index'),
        labelSmoothing: optNumber(args, 'label-smoothing'),
        reduction: reductionOf(args),
      }),
  },
  nll: {
    options: ['weight', 'ignore-index'],
    indexTargets: true,
    run: async ({ input, target, weight, args }) =>
      (await import('../../functional/nllLoss.js')).nllLoss(input, target, {
        weight,
        ignoreIndex: optNumber(args, 'ignore-index'),
        reduction: reductionOf(args),
      }),
  },
  mse: {
    options: [],
    run: async ({ input, target, args }) => (await import('../../functional/mseLoss.js')).mseLoss(input, floatTarget(target), { reduction: reductionOf(args) }),
  },
  l2: {
    options: [],
    run: async ({ input, target, args }) => (await import('../../functional/l2Loss.js')).l2Loss(input, floatTarget(target), { reduction: reductionOf(args) }),
  },
  l1: {
    options: [],
    run: async ({ input, target, args }) => (await import('../../functional/l1Loss.js')).l1Loss(input, floatTarget(target), { reduction: reductionOf(args) }),
  },
  huber: {
    options: ['delta'],
    run: async ({ input, target, args }) =>
      (await import('../../functional/huberLoss.js')).huberLoss(input, floatTarget(target), { delta: optNumber(args, 'delta'), reduction: reductionOf(args) }),
  },
  'smooth-l1': {
    options: ['beta'],
    run: async ({ input, target, args }) =>
      (await import('../../functional/smoothL1Loss.js')).smoothL1Loss(input, floatTarget(target), {
        beta: optNumber(args, 'beta'),
        reduction: reductionOf(args),
      }),
  },
  'bce-with-logits': {
    options: ['weight', 'pos-weight'],
    run: async ({ input, target, weight, posWeight, args }) =>
      (await import('../../functional/bceWithLogits.js')).bceWithLogits(input, floatTarget(target), { weight, posWeight, reduction: reductionOf(args) }),
  },
  'gaussian-nll': {
    options: ['var', 'full', 'eps'],
    run: async ({ input, target, variance, args }) => {
      if (!variance)
        return fail({ fn: 'losslab loss gaussian-nll', argument: '--var', rule: 'it is required: a .npy or .json file with the predicted variances' });
      return (await import('../../functional/gaussianNllLoss.js')).gaussianNllLoss(input, floatTarget(target), variance, {
        full: optFlag(args, 'full'),
        eps: optNumber(args, 'eps'),
        reduction: reductionOf(args),
      });
    },
  },
  'kl-div': {
    options: ['log-target'],
    run: async ({ input, target, args }) =>
      (await import('../../functional/klDiv.js')).klDiv(input, target, {
        logTarget: optFlag(args, 'log-target'),
        reduction: optString(args, 'reduction') as Reduction | 'batchmean' | undefined,
      }),
  },
};

/** Targets of regression losses are read as floats (see `readFloat`); this narrows the type. */
function floatTarget(t: Tensor): Tensor<FloatDType> {
  return t as Tensor<FloatDType>;
}

const options: OptionSpecs = {
  input: { type: 'string', description: 'the input tensor (.npy or .json): logits, log-probabilities or predictions' },
  target: { type: 'string', description: 'the target tensor (.npy or .json); for cross-entropy and nll class indices without the class dimension' },
  weight: { type: 'string', description: 'per-class weight [C] (cross-entropy, nll) or per-element weight (bce-with-logits)' },
  'ignore-index': { type: 'integer', description: 'class index to ignore (cross-entropy, nll)', default: -100 },
  'label-smoothing': { type: 'number', description: 'label smoothing ε in [0, 1] (cross-entropy)', min: 0, max: 1, default: 0 },
  reduction: {
    type: 'string',
    description: "how to reduce: none, mean, sum (and batchmean for kl-div); l2's default is none",
    choices: ['none', 'mean', 'sum', 'batchmean'],
    default: 'mean',
  },
  delta: { type: 'number', description: 'threshold δ of the Huber loss', min: 0, exclusiveMin: true, default: 1 },
  beta: { type: 'number', description: 'threshold β of the smooth L1 loss', min: 0, default: 1 },
  var: { type: 'string', description: 'predicted variances (gaussian-nll)' },
  full: { type: 'boolean', description: 'add the constant ½·log(2π) (gaussian-nll)' },
  eps: { type: 'number', description: 'variance clamp (gaussian-nll)', min: 0, default: 1e-6 },
  'pos-weight': { type: 'string', description: 'weight of positive examples per class (bce-with-logits)' },
  'log-target': { type: 'boolean', description: 'the target holds log-probabilities (kl-div)' },
  dtype: {
    type: 'string',
    description: "compute in float32 or float64 (default: the .npy input's dtype, float32 for JSON as in PyTorch)",
    choices: ['float32', 'float64'],
  },
  json: { type: 'boolean', description: 'print {"value": …, "grad": …} as JSON (non-finite numbers as strings)' },
};

/** CLI names of the library functions' arguments, so errors name what the user typed. */
const ARGUMENT_OPTION: Readonly<Record<string, string>> = {
  input: '--input',
  target: '--target',
  weight: '--weight',
  posWeight: '--pos-weight',
  variance: '--var',
  var: '--var',
  ignoreIndex: '--ignore-index',
  labelSmoothing: '--label-smoothing',
  reduction: '--reduction',
  delta: '--delta',
  beta: '--beta',
  eps: '--eps',
};

/**
 * `losslab loss <name> --input FILE --target FILE [...]`: the value of a loss and the gradient of
 * the sum of its value with respect to the input, for tensors in .npy or .json files — the numbers
 * `torch.nn.functional.<loss>(input, target, …)` and `.sum().backward()` give.
 */
export const command: Command = {
  name: 'loss',
  summary: 'a loss value and its gradient for tensors in .npy/.json files',
  usage: `loss <${Object.keys(LOSSES).join('|')}> --input FILE --target FILE [--weight FILE] [--ignore-index N] [--label-smoothing S] [--reduction R] [--delta D] [--beta B] [--var FILE] [--full] [--eps E] [--pos-weight FILE] [--log-target] [--dtype float32|float64] [--json]`,
  options,
  async run(args, io) {
    const fn = 'losslab loss';
    const names = Object.keys(LOSSES).join(', ');
    if (args.positionals.length !== 1) {
      fail({
        fn,
        argument: '<name>',
        value: args.positionals.length === 0 ? undefined : formatValue(args.positionals),
        rule: `exactly one loss name is needed, one of ${names}`,
      });
    }
    const name = args.positionals[0];
    const entry = LOSSES[name];
    if (!entry) return fail({ fn, argument: '<name>', value: formatValue(name), rule: `it must be one of ${names}` });
    checkOptionsApply(name, entry, args);

    const read = readerFor(name, entry, args, io);
    const input = read.float('input');
    const target = read.target(input);
    const call: LossCall = {
      input,
      target,
      weight: read.optionalFloat('weight'),
      posWeight: read.optionalFloat('pos-weight'),
      variance: read.optionalFloat('var'),
      args,
    };
    let value: Tensor;
    try {
      value = await entry.run(call);
    } catch (error) {
      throw error instanceof LosslabError ? asCliError(error, `${fn} ${name}`) : error;
    }
    if (value.requiresGrad) {
      const ones = value.clone();
      ones.data.fill(1);
      value.backward(ones);
    }
    const grad = input.grad ?? input.clone();
    if (!input.grad) grad.data.fill(0);

    if (optFlag(args, 'json')) {
      io.stdout(`${JSON.stringify({ value: tensorToJson(value), grad: tensorToJson(grad) })}\n`);
      return 0;
    }
    const reduction = optString(args, 'reduction') ?? (name === 'l2' ? 'none' : 'mean');
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

/** Refuses options that do nothing for this loss (scikit-learn's rule: reject, don't ignore). */
function checkOptionsApply(name: string, entry: LossEntry, args: ParsedArgs): void {
  const common = new Set(['input', 'target', 'reduction', 'dtype', 'json']);
  for (const [option, value] of Object.entries(args.options)) {
    if (value === undefined || common.has(option) || entry.options.includes(option)) continue;
    const users = Object.entries(LOSSES)
      .filter(([, e]) => e.options.includes(option))
      .map(([n]) => n);
    fail({
      fn: `losslab loss ${name}`,
      argument: `--${option}`,
      value: typeof value === 'boolean' ? undefined : formatValue(value),
      rule: `it does not apply to '${name}' (only to ${users.join(', ')})`,
      fix: 'Leave it out.',
    });
  }
  if (optString(args, 'reduction') === 'batchmean' && name !== 'kl-div') {
    fail({ fn: `losslab loss ${name}`, argument: '--reduction', value: '"batchmean"', rule: 'batchmean applies only to kl-div; use none, mean or sum' });
  }
  for (const required of ['input', 'target']) {
    if (optString(args, required) === undefined) {
      fail({ fn: `losslab loss ${name}`, argument: `--${required}`, rule: 'it is required: a .npy or .json file' });
    }
  }
}

/** Reads the tensors of one call, converting floats to the chosen dtype. */
function readerFor(name: string, entry: LossEntry, args: ParsedArgs, io: CommandIO) {
  const fn = `losslab loss ${name}`;
  let dtype = optString(args, 'dtype') as FloatDType | undefined;
  const floatOf = (t: Tensor, option: string, path: string): Tensor<FloatDType> => {
    if (t.dtype === 'int32') {
      fail({
        fn,
        argument: `--${option}`,
        value: `${JSON.stringify(path)} (int32 data)`,
        rule: `it must hold floating-point numbers for '${name}'`,
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
  return {
    float: (option: string): Tensor<FloatDType> => {
      const t = readFloat(option);
      t.requiresGrad_(true);
      return t;
    },
    optionalFloat: (option: string): Tensor<FloatDType> | undefined => (optString(args, option) === undefined ? undefined : readFloat(option)),
    target: (input: Tensor<FloatDType>): Tensor => {
      const path = optString(args, 'target') ?? '';
      const t = readTensorFile(path, {
        fn,
        argument: '--target',
        cwd: io.cwd,
        jsonDType: (shape) => (entry.indexTargets && !(name === 'cross-entropy' && shapesEqual(shape, input.shape)) ? 'int32' : input.dtype),
      });
      if (entry.indexTargets && (t.dtype === 'int32' || !shapesEqual(t.shape, input.shape))) return t; // indices: the loss checks them
      return floatOf(t, 'target', path);
    },
  };
}

/** Re-labels a library error with the command and the option the user typed. */
function asCliError(error: LosslabError, fn: string): LosslabError {
  return new LosslabError({
    fn,
    argument: ARGUMENT_OPTION[error.argument] ?? error.argument,
    value: error.value,
    rule: error.rule,
    fix: error.fix,
  });
}
