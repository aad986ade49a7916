/**
 * User-facing errors. A `LosslabError` names the function (or command), the argument, the value it
 * got and the rule it broke, and optionally the fix — in the style of scikit-learn and tfjs:
 *
 *   crossEntropy: argument 'target' has value 12 at [3], but class indices must lie in [0, 9] (C = 10).
 *
 * The CLI catches `LosslabError` in one place, prints its message without a stack trace and exits 2.
 * Anything else is a bug and is printed in full.
 */
export interface ArgumentProblem {
  /** The function or command that was called, e.g. `crossEntropy` or `losslab loss`. */
  readonly fn: string;
  /** The argument (parameter, option, file or column) that is wrong, e.g. `target` or `--lr`. */
  readonly argument: string;
  /** The offending value, already formatted for display (use `formatValue`). */
  readonly value?: string;
  /** The rule that was broken, phrased so it reads after "but". */
  readonly rule: string;
  /** Optional advice on how to fix it. */
  readonly fix?: string;
}

export class LosslabError extends Error {
  readonly fn: string;
  readonly argument: string;
  readonly value: string | undefined;
  readonly rule: string;
  readonly fix: string | undefined;

  constructor(problem: ArgumentProblem) {
    super(formatProblem(problem));
    this.name = 'LosslabError';
    this.fn = problem.fn;
    this.argument = problem.argument;
    this.value = problem.value;
    this.rule = problem.rule;
    this.fix = problem.fix;
  }
}

function formatProblem(p: ArgumentProblem): string {
  const got = p.value === undefined ? `argument '${p.argument}'` : `argument '${p.argument}' is ${p.value}`;
  const fix = p.fix ? ` ${p.fix}` : '';
  return `${p.fn}: ${got}, but ${p.rule}.${fix}`;
}

/** Throws a `LosslabError`; a convenience for one-line checks. */
export function fail(problem: ArgumentProblem): never {
  throw new LosslabError(problem);
}

/** Formats a value for an error message: numbers as JS prints them, strings quoted, arrays shortened. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (Array.isArray(value)) {
    const shown = value.slice(0, 8).map(formatValue).join(', ');
    return value.length > 8 ? `[${shown}, … (${value.length} items)]` : `[${shown}]`;
  }
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object' && 'shape' in value && Array.isArray((value as { shape: unknown }).shape)) {
    return `a tensor of shape [${(value as { shape: number[] }).shape.join(', ')}]`;
  }
  return String(value);
}

/** Formats a shape as `[N, C]` for messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
