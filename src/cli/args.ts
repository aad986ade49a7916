import { TEXT_ENCODINGS } from '../data/textDecoding.js';
import { fail, formatValue } from '../errors.js';

/** One command-line option. Names are given without the leading `--` (e.g. `label-smoothing`). */
export interface OptionSpec {
  readonly type: 'string' | 'number' | 'integer' | 'boolean';
  readonly description: string;
  readonly choices?: readonly string[];
  /** Shown in help and filled in by `optionValues` (the parser itself leaves an option that was not given undefined). */
  readonly default?: string | number | boolean;
  /** Lower bound for numbers (inclusive unless `exclusiveMin`). */
  readonly min?: number;
  readonly exclusiveMin?: boolean;
  readonly max?: number;
  /** A single-letter alias, e.g. `o` for `-o`. */
  readonly alias?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;
export type OptionValue = string | number | boolean;

export interface ParsedArgs {
  readonly positionals: string[];
  readonly options: Record<string, OptionValue | undefined>;
}

/**
 * Parses `argv` against option specs: `--name value`, `--name=value`, `--flag`, `--no-flag`, and
 * negative numbers as values or positionals (`losslab softmax -1 2`). Unknown options, missing values
 * and values that break a rule are `LosslabError`s naming the option, the value and the rule.
 */
export function parseArgs(argv: readonly string[], specs: OptionSpecs, command: string): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, OptionValue | undefined> = {};
  const aliases = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) if (spec.alias) aliases.set(spec.alias, name);
  const fn = `losslab ${command}`;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    const isNumber = /^-\d|^-\.\d|^-Infinity$/.test(arg);
    if (!arg.startsWith('-') || isNumber || arg === '-') {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else {
      const short = arg.slice(1);
      name = aliases.get(short) ?? short;
    }
    const spec = specs[name];
    if (!spec && name.startsWith('no-') && specs[name.slice(3)]?.type === 'boolean' && inline === undefined) {
      options[name.slice(3)] = false;
      continue;
    }
    if (!spec) {
      const known = Object.keys(specs).map((k) => `--${k}`);
      const near = known.filter((k) => k.startsWith(`--${name.slice(0, 3)}`));
      return fail({
        fn,
        argument: arg,
        rule: `it is not an option of '${command}'`,
        fix:
          near.length > 0
            ? `Did you mean ${near.join(' or ')}? Run 'losslab ${command} --help' for the list.`
            : `Run 'losslab ${command} --help' for the list of options.`,
      });
    }
    if (spec.type === 'boolean') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') {
        fail({ fn, argument: `--${name}`, value: formatValue(inline), rule: 'a flag takes no value (or true/false)' });
      }
      options[name] = inline === undefined ? true : inline === 'true';
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      if (i + 1 >= argv.length) fail({ fn, argument: `--${name}`, rule: `it needs a value (${spec.description})` });
      raw = argv[++i];
    }
    options[name] = convert(raw, `--${name}`, spec, fn);
  }
  return { positionals, options };
}

function convert(raw: string, argument: string, spec: OptionSpec, fn: string): OptionValue {
  if (spec.type === 'string') {
    if (spec.choices && !spec.choices.includes(raw)) {
      fail({ fn, argument, value: formatValue(raw), rule: `it must be one of ${spec.choices.join(', ')}` });
    }
    return raw;
  }
  const value = Number(raw);
  if (raw.trim() === '' || Number.isNaN(value)) fail({ fn, argument, value: formatValue(raw), rule: 'it must be a number' });
  if (spec.type === 'integer' && !Number.isInteger(value)) fail({ fn, argument, value: formatValue(raw), rule: 'it must be an integer' });
  if (spec.min !== undefined && (spec.exclusiveMin ? value <= spec.min : value < spec.min)) {
    fail({ fn, argument, value: formatValue(value), rule: `it must be ${spec.exclusiveMin ? 'greater than' : 'at least'} ${spec.min}` });
  }
  if (spec.max !== undefined && value > spec.max) fail({ fn, argument, value: formatValue(value), rule: `it must be at most ${spec.max}` });
  return value;
}

/** Typed accessors for parsed options. */
export function optString(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  return typeof v === 'string' ? v : undefined;
}

export function optNumber(args: ParsedArgs, name: string): number | undefined {
  const v = args.options[name];
  return typeof v === 'number' ? v : undefined;
}

export function optFlag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true;
}

/** The value type an option spec gives: its choices as a union, a number, a string or a flag. */
export type OptionValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['type'] extends 'string'
    ? S extends { readonly choices: readonly (infer C extends string)[] }
      ? C
      : string
    : number;

/**
 * The options of a command, typed from its specs: an option with a `default` always has a value
 * (the default when not given), the others are `undefined` when not given. Declare the specs
 * `as const satisfies OptionSpecs` so the names, the choices and the defaults are known to the
 * compiler; the defaults are then stated once, in the spec (also shown by `--help`).
 */
export type OptionValues<S extends OptionSpecs> = {
  readonly [K in keyof S]: S[K] extends { readonly default: OptionValue } ? OptionValueOf<S[K]> : OptionValueOf<S[K]> | undefined;
};

/** The parsed options with the specs' defaults filled in, typed by `OptionValues`. */
export function optionValues<const S extends OptionSpecs>(args: ParsedArgs, specs: S): OptionValues<S> {
  const values: Record<string, OptionValue | undefined> = {};
  for (const [name, spec] of Object.entries(specs)) values[name] = args.options[name] ?? spec.default;
  return values as OptionValues<S>;
}

/** True when the option was given on the command line (a default does not count); `name` must be one of `specs`. */
export function optGiven<const S extends OptionSpecs>(args: ParsedArgs, _specs: S, name: keyof S & string): boolean {
  return args.options[name] !== undefined;
}

/** Renders the option list for `--help`. */
export function formatOptions(specs: OptionSpecs): string {
  return Object.entries(specs)
    .map(([name, s]) => {
      const value = s.type === 'boolean' ? '' : s.choices ? ` <${s.choices.join('|')}>` : ` <${s.type}>`;
      const def = s.default !== undefined ? ` (default ${String(s.default)})` : '';
      return `  --${name}${value}\n      ${s.description}${def}`;
    })
    .join('\n');
}

/** `--encoding` of the commands that read CSV files (split, shift). */
export const ENCODING_OPTION = {
  type: 'string',
  description: 'text encoding of the CSV files: utf8 (bytes that are not UTF-8 are an error) or latin1 (ISO-8859-1)',
  choices: TEXT_ENCODINGS,
  default: 'utf8',
} as const satisfies OptionSpec;
