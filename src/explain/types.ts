import type { Lang } from '../i18n/lang.js';

/** A paragraph (markdown with inline code) or a display formula (TeX for KaTeX, Unicode for terminals). */
export type ExplainBlock = { readonly kind: 'markdown'; readonly markdown: string } | { readonly kind: 'formula'; readonly tex: string; readonly text: string };

export interface ExplainSection {
  /** A stable id (`likelihood`, `gradient`, `stable`, …) the web lab can link to. */
  readonly id: string;
  readonly heading: string;
  readonly blocks: readonly ExplainBlock[];
}

export type ExplainTopic = 'loss' | 'softmax' | 'cross-entropy';

/**
 * A derivation as structured data: the web lab renders the sections with KaTeX, the CLI renders
 * them as text or markdown. `numbers` holds every number quoted in the text, computed by the library
 * (the web lab can show them live; tests compare them with PyTorch/SciPy).
 */
export interface Explanation {
  readonly topic: ExplainTopic;
  readonly lang: Lang;
  readonly title: string;
  readonly sections: readonly ExplainSection[];
  readonly numbers: Readonly<Record<string, number | readonly number[]>>;
}

export function paragraph(markdown: string): ExplainBlock {
  return { kind: 'markdown', markdown };
}

export function formula(f: { readonly tex: string; readonly text: string }): ExplainBlock {
  return { kind: 'formula', tex: f.tex, text: f.text };
}
