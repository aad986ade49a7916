import { fail } from '../errors.js';
import { en, type Catalogue, type MessageKey } from './en.js';
import { zh } from './zh.js';
import { checkLang, type Lang } from './lang.js';
import { formatNumber } from './format.js';

/** Named values for a template: strings are inserted as they are, numbers with `formatNumber`. */
export type MessageParams = Readonly<Record<string, string | number>>;

const CATALOGUES: Readonly<Record<Lang, Catalogue>> = { en, zh };

/** The whole catalogue of a language (the web lab ships it to the browser). */
export function catalogue(lang: Lang): Catalogue {
  return CATALOGUES[checkLang(lang, 'catalogue')];
}

/**
 * The message `key` in `lang` with its `{name}` placeholders filled from `params`, like i18next's
 * `t(key, params)`. A placeholder without a value is a `LosslabError` (never a silent `{name}` left
 * in a figure), naming the key and the missing parameter.
 */
export function t(lang: Lang, key: MessageKey, params: MessageParams = {}): string {
  const template = catalogue(lang)[key];
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) {
      return fail({ fn: 't', argument: 'params', value: JSON.stringify(Object.keys(params)), rule: `message '${key}' needs a value for {${name}}` });
    }
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

/** The placeholder names a template uses, e.g. `['target']` for `'figure.axis.prediction'`. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]);
}
