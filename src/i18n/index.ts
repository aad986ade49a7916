// Public API of src/i18n/ — explicit exports only.
export type { Lang } from './lang.js';
export { LANGS, isLang, checkLang } from './lang.js';
export type { MessageKey, Catalogue } from './en.js';
export { en } from './en.js';
export { zh } from './zh.js';
export type { MessageParams } from './translate.js';
export { t, catalogue, placeholders, isMessageKey, messageKey } from './translate.js';
export { formatNumber, formatList } from './format.js';
