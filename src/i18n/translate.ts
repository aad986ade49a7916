import { fail } from '../errors.js';
import { en, type Catalogue, type MessageKey } from './en.js';
import { zh } from './zh.js';
import { checkLang, type Lang } from './lang.js';
import { formatNumber } from './format.js';

/** Named values for a template: strings are inserted as they are, integers exactly, other numbers with `formatNumber`. */
export type MessageParams = Readonly<Record<string, string | number>>;

const CATALOGUES: Readonly<Record<Lang, Catalogue>> = { en, zh };

/** The whole catalogue of a language (the web lab ships it to the browser). */
export function catalogue(lang: Lang): Catalogue {
  return CATALOGUES[checkLang(lang, 'catalogue')];
}

/**
 * The message `key` in `lang` with its `{name}` placeholders filled from `params`, like i18next's
 * `t(key, params)`: the one translation function of losslab (figures, explanations, shift advice,
 * the command line and the web lab, which binds `lang` to the page's language). A placeholder
 * without a value is a `LosslabError` naming the key and the placeholder, everywhere: never a silent
 * `{name}` left in a figure or a page.
 */
export function t(lang: Lang, key: MessageKey, params: MessageParams = {}): string {
  const template = catalogue(lang)[key];
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) {
      return fail({ fn: 't', argument: 'params', value: JSON.stringify(Object.keys(params)), rule: `message '${key}' needs a value for {${name}}` });
    }
    if (typeof value === 'string') return value;
    return Number.isInteger(value) ? String(value) : formatNumber(value);
  });
}

/** Whether `key` names a message (for keys built from ids, e.g. `loss.${id}.name`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/**
 * `key` as a `MessageKey`, for keys built from an id (`loss.${id}.name`) whose presence the
 * compiler checked elsewhere (src/functional/losses.ts); a missing one is a bug and throws.
 */
export function messageKey(key: string): MessageKey {
  if (!isMessageKey(key)) throw new Error(`the message catalogue has no key '${key}'`);
  return key;
}

/** The placeholder names a template uses, e.g. `['target']` for `'figure.axis.prediction'`. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]);
}
