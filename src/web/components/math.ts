import katex from 'katex';

/**
 * Typesets TeX with KaTeX (fonts and CSS are served by the lab itself, so formulas work offline).
 * `display` gives a centred block formula. Bad TeX shows in red instead of throwing.
 */
export function tex(source: string, display = false): HTMLElement {
  const element = document.createElement(display ? 'div' : 'span');
  element.className = display ? 'math math-display' : 'math';
  katex.render(source, element, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
  return element;
}

/**
 * Turns text with `$…$` (inline) and `$$…$$` (display) formulas into nodes, so catalogue entries can
 * mix prose and maths in either language.
 */
export function richText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const pattern = /\$\$([^$]+)\$\$|\$([^$]+)\$/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const index = match.index ?? 0;
    if (index > last) fragment.appendChild(document.createTextNode(text.slice(last, index)));
    fragment.appendChild(match[1] !== undefined ? tex(match[1], true) : tex(match[2] ?? '', false));
    last = index + match[0].length;
  }
  if (last < text.length) fragment.appendChild(document.createTextNode(text.slice(last)));
  return fragment;
}
