import { onWarning } from '../src/warnings.js';

/**
 * Library warnings (src/warnings.ts) are not printed while the tests run: with no subscriber each
 * kind is printed once with console.warn, which would only be noise here. Tests that check warnings
 * subscribe themselves; `unmuteWarnings` lets one test see the default printing.
 */
export const unmuteWarnings = onWarning(() => undefined);
