import { fail, formatValue } from '../errors.js';
import type { FigureRequest } from '../explain/lossExplanation.js';
import type { CrossEntropyAxis } from '../figures/classification.js';
import type { Lang } from '../i18n/lang.js';
import { POINTWISE_LOSSES, type PointwiseEntry } from '../functional/losses.js';
import { optionName, type PointwiseParameter, type PointwiseValues } from '../functional/lossSpec.js';
import type { OptionSpec, OptionSpecs, ParsedArgs } from './args.js';

/**
 * The command-line side of the loss registry for `losslab plot` and `losslab explain`: one option
 * per pointwise parameter (`--delta` for huber, …), which loss each applies to, and the
 * `losslab plot` command that draws the figure an explanation describes.
 */

interface ParameterUse {
  readonly name: string;
  readonly parameter: PointwiseParameter;
  readonly ids: string[];
}

function parameterUses(): Map<string, ParameterUse> {
  const uses = new Map<string, ParameterUse>();
  for (const { id, pointwise } of POINTWISE_LOSSES) {
    for (const [name, parameter] of Object.entries(pointwise.params)) {
      const option = optionName(name, parameter);
      const use = uses.get(option);
      if (use) use.ids.push(id);
      else uses.set(option, { name, parameter, ids: [id] });
    }
  }
  return uses;
}
const USES = parameterUses();

/** The options of every pointwise parameter, e.g. `--delta` ("huber: threshold δ …", default 1, > 0). */
export function pointwiseParameterOptions(): OptionSpecs {
  const options: Record<string, OptionSpec> = {};
  for (const [option, { parameter, ids }] of USES) {
    const description = `${ids.join(', ')}: ${parameter.description}`;
    options[option] =
      parameter.type === 'boolean'
        ? { type: 'boolean', description, default: parameter.default }
        : { type: parameter.type, description, default: parameter.default, min: parameter.min, exclusiveMin: parameter.exclusiveMin, max: parameter.max };
  }
  return options;
}

/** The loss ids each pointwise-parameter option applies to. */
export function pointwiseParameterUsers(): ReadonlyMap<string, readonly string[]> {
  return new Map([...USES].map(([option, use]) => [option, use.ids]));
}

/** The values of the loss's parameters given on the command line (by library name). */
export function pointwiseValues(args: ParsedArgs, entry: PointwiseEntry): PointwiseValues {
  const values: Record<string, number | boolean> = {};
  for (const [name, parameter] of Object.entries(entry.pointwise.params)) {
    const value = args.options[optionName(name, parameter)];
    if (typeof value === 'number' || typeof value === 'boolean') values[name] = value;
  }
  return values;
}

/** Refuses a parameter option given for a loss that does not have it (`--delta` with l2). */
export function checkParametersApply(args: ParsedArgs, entry: PointwiseEntry, fn: string, what: string): void {
  for (const [option, { ids }] of USES) {
    const value = args.options[option];
    if (value === undefined || ids.includes(entry.id)) continue;
    fail({
      fn,
      argument: `--${option}`,
      value: formatValue(value),
      rule: `it only applies to ${ids.join(', ')}, and the ${what} is ${entry.id}`,
      fix: `Leave --${option} out.`,
    });
  }
}

/** The option a library argument of a pointwise loss comes from (`delta` → `--delta`), or undefined. */
export function optionOfParameter(argument: string): string | undefined {
  for (const [option, use] of USES) if (use.name === argument) return `--${option}`;
  return undefined;
}

/** `losslab plot <loss> [--param value …] [--target y] [--lang zh] --out <loss>.svg`: the command that draws `figure`. */
export function plotCommand(figure: FigureRequest): string {
  const parts = ['losslab plot', figure.loss];
  const entry = POINTWISE_LOSSES.find((e) => e.id === figure.loss);
  for (const [name, value] of Object.entries(figure.params)) {
    const parameter = entry?.pointwise.params[name];
    const option = parameter ? optionName(name, parameter) : name;
    parts.push(typeof value === 'boolean' ? (value ? `--${option}` : `--no-${option}`) : `--${option} ${value}`);
  }
  if (!figure.defaultTarget) parts.push(`--target ${figure.target}`);
  if (figure.lang !== 'en') parts.push(`--lang ${figure.lang}`);
  parts.push(`--out ${figure.loss}.svg`);
  return parts.join(' ');
}

/** `losslab plot cross-entropy [--against probability] [--lang zh] --out …`: the command that draws cross-entropy's figure. */
export function plotCrossEntropyCommand(against: CrossEntropyAxis, lang: Lang): string {
  const parts = ['losslab plot cross-entropy'];
  if (against === 'probability') parts.push('--against probability');
  if (lang !== 'en') parts.push(`--lang ${lang}`);
  parts.push(`--out ${against === 'probability' ? 'cross-entropy-probability' : 'cross-entropy'}.svg`);
  return parts.join(' ');
}

/** Usage words for options, e.g. `[--delta D] [--full]` (numbers by their first letter). */
export function parameterUsage(options: OptionSpecs): string {
  return Object.entries(options)
    .map(([option, spec]) => (spec.type === 'boolean' ? `[--${option}]` : `[--${option} ${option.charAt(0).toUpperCase()}]`))
    .join(' ');
}
