import type { Explanation } from './types.js';

/**
 * Markdown: `#` title, `##` sections, paragraphs as they are, formulas as `$$…$$` display maths
 * (KaTeX / GitHub / Jupyter render them).
 */
export function explanationToMarkdown(explanation: Explanation): string {
  const lines = [`# ${explanation.title}`, ''];
  for (const section of explanation.sections) {
    lines.push(`## ${section.heading}`, '');
    for (const block of section.blocks) {
      if (block.kind === 'markdown') lines.push(block.markdown, '');
      else if (block.kind === 'formula') lines.push('$$', block.tex, '$$', '');
      else for (const version of block.versions) lines.push(`**${version.label}**`, '', `\`\`\`${version.language}`, version.code, '```', '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Every line indented by four spaces (empty lines stay empty). */
function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '' : `    ${line}`))
    .join('\n');
}

/** Terminal columns of a string: East Asian wide characters (CJK, fullwidth forms) take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
  return width;
}

/**
 * Plain text for a terminal: the title and headings underlined, paragraphs without markdown code
 * marks, formulas in Unicode and code indented (each version of a piece of code under its library's
 * name).
 */
export function explanationToText(explanation: Explanation): string {
  const underline = (text: string, char: string) => char.repeat(Math.max(4, displayWidth(text)));
  const lines = [explanation.title, underline(explanation.title, '='), ''];
  for (const section of explanation.sections) {
    lines.push(section.heading, underline(section.heading, '-'), '');
    for (const block of section.blocks) {
      if (block.kind === 'markdown') lines.push(block.markdown.replace(/`([^`]*)`/g, '$1'), '');
      else if (block.kind === 'formula') lines.push(indent(block.text), '');
      else for (const version of block.versions) lines.push(`  ${version.label}:`, indent(version.code), '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
