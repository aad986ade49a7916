import { fail, formatValue } from '../errors.js';

/** The languages of losslab's figures, explanations and web lab. */
export type Lang = 'en' | 'zh';

export const LANGS: readonly Lang[] = ['en', 'zh'];

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** Checks a `lang` argument (`undefined` gives English), naming the function when it is wrong. */
export function checkLang(value: unknown, fn: string, argument = 'lang'): Lang {
  if (value === undefined) return 'en';
  if (!isLang(value)) return fail({ fn, argument, value: formatValue(value), rule: `it must be one of ${LANGS.join(', ')}` });
  return value;
}
