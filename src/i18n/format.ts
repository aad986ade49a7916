/**
 * Formats a number for figures and explanations: `digits` significant digits with trailing zeros
 * dropped (`3.989`, `12.5`, `1.234e-7`), and the non-finite values spelled as JavaScript and our
 * JSON files spell them: `Infinity`, `-Infinity`, `NaN`. Uses the ASCII minus, so a reader (or a
 * test) can parse the text back with `Number()`.
 */
export function formatNumber(value: number, digits = 4): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return '0';
  return String(Number(value.toPrecision(digits)));
}

/** Formats a list of numbers as `[a, b, c]` with `formatNumber`. */
export function formatList(values: ArrayLike<number>, digits = 4): string {
  return `[${Array.from(values, (v) => formatNumber(v, digits)).join(', ')}]`;
}
