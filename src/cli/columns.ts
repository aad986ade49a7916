import { fail, formatValue } from '../errors.js';
import type { OptionSpec } from './args.js';

/** `--categorical a,b`: the option of the commands that read a CSV's columns by type (shift, errors). */
export const CATEGORICAL_OPTION = {
  type: 'string',
  description: 'columns to treat as categorical even if they hold numbers, comma-separated',
} as const satisfies OptionSpec;

/** The column names of a comma-separated option (`--features a,b,c`); undefined when it was not given. */
export function columnList(text: string | undefined, option: string, fn: string): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) fail({ fn, argument: option, value: formatValue(text), rule: 'it must list column names separated by commas' });
  return names;
}
