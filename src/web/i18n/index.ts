import { catalogue, isLang, isMessageKey, type Lang, type MessageKey, type MessageParams, messageKey, t as translate } from '../../i18n/index.js';

/**
 * The lab's language: the page's current `Lang`, switched by the shell, with `t(key, params)`
 * binding the library's one translation function (`src/i18n`, one catalogue per language shared
 * with `losslab plot` / `losslab explain`) to it.
 */
export type { Lang, MessageKey };
export { isLang, isMessageKey, messageKey };

let current: Lang = 'en';
const listeners = new Set<(lang: Lang) => void>();

export function language(): Lang {
  return current;
}

/** Switches the language and tells every listener (the shell re-renders the page). */
export function setLanguage(next: Lang): void {
  if (next === current) return;
  current = next;
  for (const listener of listeners) listener(next);
}

export function onLanguageChange(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The message for `key` in the page's language (see `src/i18n/translate.ts`: a missing placeholder throws). */
export function t(key: MessageKey, params: MessageParams = {}): string {
  return translate(current, key, params);
}

/** The catalogue entry as written, without filling placeholders (TeX formulas, whose braces are not placeholders). */
export function raw(key: MessageKey): string {
  return catalogue(current)[key];
}
