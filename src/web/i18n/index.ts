import { en as libraryEn, t as libraryT, type MessageKey as LibraryKey } from '../../i18n/index.js';
import { en as webEn, type WebMessageKey } from './en.js';
import { zh as webZh } from './zh.js';

/**
 * The lab's text: the library's catalogues (`src/i18n`, figure labels and derivations shared with
 * `losslab plot` / `losslab explain`) extended with the web-only keys of `./en.ts` and `./zh.ts`
 * (`zh` typed against `en`, so a missing or extra key is a type error). One catalogue per
 * language; entries may hold `{name}` placeholders and `$…$` TeX.
 */
export type Language = 'en' | 'zh';
export type MessageKey = WebMessageKey | LibraryKey;
export type { WebMessageKey };

const webCatalogues: Record<Language, Record<WebMessageKey, string>> = { en: webEn, zh: webZh };

let current: Language = 'en';
const listeners = new Set<(language: Language) => void>();

export function language(): Language {
  return current;
}

export function isLanguage(value: unknown): value is Language {
  return value === 'en' || value === 'zh';
}

/** Switches the language and tells every listener (the shell re-renders the page). */
export function setLanguage(next: Language): void {
  if (next === current) return;
  current = next;
  for (const listener of listeners) listener(next);
}

export function onLanguageChange(listener: (language: Language) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function isWebKey(key: MessageKey): key is WebMessageKey {
  return Object.hasOwn(webEn, key);
}

/** Whether `key` names a message in either catalogue (for keys built from ids). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(webEn, key) || Object.hasOwn(libraryEn, key);
}

/** The message for `key` in the current language with its `{name}` placeholders filled in. */
export function t(key: MessageKey, values: Readonly<Record<string, string | number>> = {}): string {
  if (!isWebKey(key)) return libraryT(current, key, values);
  return webCatalogues[current][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
