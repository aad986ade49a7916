import type { MessageKey } from './i18n/index.js';

/**
 * One page of the lab. `render` builds the page into `container` from the page's own state (kept
 * in its module, so a language switch re-renders without losing slider positions or a training
 * run) and returns a cleanup function.
 */
export interface Page {
  readonly id: string;
  readonly titleKey: MessageKey;
  render(container: HTMLElement): () => void;
}
