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
 * Turns catalogue text into nodes: `$$…$$` display and `$…$` inline formulas (KaTeX) and
 * backtick code spans (`F.cross_entropy`), so entries can mix prose, maths and API names in either
 * language.
 */
export function richText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const pattern = /\$\$([^$]+)\$\$|\$([^$]+)\$|`([^`]+)`/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const index = match.index ?? 0;
    if (index > last) fragment.appendChild(document.createTextNode(text.slice(last, index)));
    if (match[1] !== undefined) fragment.appendChild(tex(match[1], true));
    else if (match[2] !== undefined) fragment.appendChild(tex(match[2], false));
    else {
      const code = document.createElement('code');
      code.textContent = match[3] ?? '';
      fragment.appendChild(code);
    }
    last = index + match[0].length;
  }
  if (last < text.length) fragment.appendChild(document.createTextNode(text.slice(last)));
  return fragment;
}
