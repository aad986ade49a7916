/**
 * The library's warning channel: for results that are valid but most likely not what the caller
 * meant, where PyTorch returns the same number without a word (a mean over zero elements is NaN).
 * A warning never changes a result. Subscribe to receive them; while no one is subscribed, each
 * kind of warning is printed once per function with `console.warn` (as Python's default warnings
 * filter prints each warning once per location), so a loop does not flood the console.
 *
 *   const stop = onWarning((w) => log.push(w));   // w.code 'empty-mean', w.fn 'klDiv', w.message
 *   klDiv(logp, p);                               // NaN, and one warning in log
 *   stop();
 */
export type WarningCode = 'empty-mean';

export interface LosslabWarning {
  /** What kind of warning: `empty-mean` — a `'mean'` (or `'batchmean'`) over zero elements is NaN. */
  readonly code: WarningCode;
  /** The function that warned, e.g. `klDiv`. */
  readonly fn: string;
  /** The whole message, e.g. "klDiv: the mean over zero elements is NaN (0/0, as in PyTorch) …". */
  readonly message: string;
}

export type WarningListener = (warning: LosslabWarning) => void;

const listeners = new Set<WarningListener>();
const printed = new Set<string>();

/** Subscribes `listener` to every warning; returns the function that unsubscribes it. */
export function onWarning(listener: WarningListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Sends a warning to the subscribers, or prints it once (per code and function) when there are none. */
export function emitWarning(warning: LosslabWarning): void {
  if (listeners.size > 0) {
    for (const listener of [...listeners]) listener(warning);
    return;
  }
  const key = `${warning.code}:${warning.fn}`;
  if (printed.has(key)) return;
  printed.add(key);
  globalThis.console?.warn(`losslab warning: ${warning.message}`);
}

/** The warning for a mean over zero elements (an empty input, or every target ignored / weighted 0). */
export function warnEmptyMean(fn: string): void {
  emitWarning({
    code: 'empty-mean',
    fn,
    message: `${fn}: the mean over zero elements is NaN (0/0, as in PyTorch): the input is empty, or every element is ignored or has weight 0. Use reduction 'sum' to get 0.`,
  });
}
