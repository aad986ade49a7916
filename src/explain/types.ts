import type { Lang } from '../i18n/lang.js';

/** One version of a piece of code, e.g. the NumPy one beside the PyTorch and losslab ones. */
export interface CodeVersion {
  /** The library, as its users name it: NumPy, PyTorch, losslab. */
  readonly label: string;
  readonly language: 'python' | 'typescript';
  readonly code: string;
}

/**
 * A paragraph (markdown with inline code), a display formula (TeX for KaTeX, Unicode for terminals;
 * `text` may span lines) or the same code in several libraries, shown side by side.
 */
export type ExplainBlock =
  | { readonly kind: 'markdown'; readonly markdown: string }
  | { readonly kind: 'formula'; readonly tex: string; readonly text: string }
  | { readonly kind: 'code'; readonly versions: readonly CodeVersion[] };

export interface ExplainSection {
  /** A stable id (`likelihood`, `gradient`, `stable`, …) the web lab can link to. */
  readonly id: string;
  readonly heading: string;
  readonly blocks: readonly ExplainBlock[];
}

export type ExplainTopic = 'loss' | 'softmax' | 'cross-entropy';

/** A number an explanation quotes: a scalar, a vector or a matrix (nested lists). */
export type ExplainNumber = number | readonly ExplainNumber[];

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
  readonly numbers: Readonly<Record<string, ExplainNumber>>;
}

export function paragraph(markdown: string): ExplainBlock {
  return { kind: 'markdown', markdown };
}

export function formula(f: { readonly tex: string; readonly text: string }): ExplainBlock {
  return { kind: 'formula', tex: f.tex, text: f.text };
}

export function code(versions: readonly CodeVersion[]): ExplainBlock {
  return { kind: 'code', versions };
}
