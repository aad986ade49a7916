import type { ExplainBlock, Explanation } from '../../explain/types.js';
import { h } from '../dom.js';
import { richText, tex } from './math.js';

/**
 * Renders a derivation from src/explain (the texts `losslab explain` prints) as a panel: one
 * heading per section, paragraphs with inline code and `$…$` maths, display formulas with KaTeX.
 * `omit` drops sections by id (e.g. the CLI figure's description, replaced by the page's own).
 */
export function explanationView(explanation: Explanation, id: string, omit: readonly string[] = []): HTMLElement {
  const titleId = `${id}-title`;
  const panel = h('section', { class: 'panel explain', id, 'aria-labelledby': titleId }, h('h2', { id: titleId }, explanation.title));
  for (const section of explanation.sections) {
    if (omit.includes(section.id)) continue;
    panel.appendChild(h('h3', { id: `${id}-${section.id}` }, section.heading));
    for (const block of section.blocks) panel.appendChild(blockView(block));
  }
  return panel;
}

/** A paragraph, a KaTeX formula, or the versions of a piece of code side by side (one column each). */
function blockView(block: ExplainBlock): HTMLElement {
  if (block.kind === 'formula') return tex(block.tex, true);
  if (block.kind === 'markdown') return h('p', {}, richText(block.markdown));
  return h(
    'div',
    { class: 'code-compare' },
    ...block.versions.map((version) =>
      h('figure', {}, h('figcaption', {}, version.label), h('pre', {}, h('code', { class: `language-${version.language}` }, version.code))),
    ),
  );
}
