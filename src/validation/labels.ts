import { fail, formatValue } from '../errors.js';
import type { Labels } from './core.js';

/** Labels encoded as `np.unique(values, return_inverse=True, return_counts=True)` gives them. */
export interface EncodedLabels {
  /** The distinct values, sorted (numbers numerically, strings by code unit). */
  readonly classes: readonly (number | string)[];
  /** For each sample, the index of its value in `classes`. */
  readonly codes: Int32Array;
  /** Samples per class. */
  readonly counts: Int32Array;
}

function checkValue(v: unknown, i: number, fn: string, argument: string): void {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) fail({ fn, argument, value: `NaN at [${i}]`, rule: 'labels must not be missing (NaN)', fix: 'Drop or fill the missing rows first.' });
  } else if (typeof v !== 'string') {
    fail({ fn, argument, value: `${formatValue(v)} at [${i}]`, rule: 'labels must be numbers or strings' });
  }
}

/**
 * `np.unique(values, return_inverse=True)`: sorted distinct values and each sample's code.
 * Integer labels in a compact range (the usual case, and the 10-million-row benchmark) are counted
 * in O(n + range); other labels go through a hash map and a sort of the distinct values only.
 */
export function encodeLabels(values: Labels, fn: string, argument: string): EncodedLabels {
  const n = values.length;
  if (n === 0) return { classes: [], codes: new Int32Array(0), counts: new Int32Array(0) };
  const first = values[0];
  checkValue(first, 0, fn, argument);
  if (typeof first === 'number') return encodeNumbers(values as ArrayLike<number>, fn, argument);
  return encodeGeneric(values, fn, argument);
}

function encodeNumbers(values: ArrayLike<number>, fn: string, argument: string): EncodedLabels {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== 'number') fail({ fn, argument, value: `${formatValue(v)} at [${i}]`, rule: 'labels must be all numbers or all strings, not a mix' });
    if (v !== v) checkValue(v, i, fn, argument);
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && !Number.isInteger(v)) integers = false;
  }
  const range = max - min + 1;
  if (!integers || range > Math.max(4 * n, 1 << 16)) return encodeGeneric(values, fn, argument);
  const counts = new Int32Array(range);
  for (let i = 0; i < n; i++) counts[values[i] - min]++;
  const rank = new Int32Array(range);
  const classes: number[] = [];
  for (let v = 0; v < range; v++) {
    if (counts[v] > 0) {
      rank[v] = classes.length;
      classes.push(v + min);
    }
  }
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = rank[values[i] - min];
  const classCounts = new Int32Array(classes.length);
  for (let v = 0; v < range; v++) if (counts[v] > 0) classCounts[rank[v]] = counts[v];
  return { classes, codes, counts: classCounts };
}

function encodeGeneric(values: Labels, fn: string, argument: string): EncodedLabels {
  const n = values.length;
  const kind = typeof values[0];
  const seen = new Map<number | string, number>();
  const provisional = new Int32Array(n);
  const distinct: (number | string)[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== kind) fail({ fn, argument, value: `${formatValue(v)} at [${i}]`, rule: 'labels must be all numbers or all strings, not a mix' });
    checkValue(v, i, fn, argument);
    let code = seen.get(v);
    if (code === undefined) {
      code = distinct.length;
      seen.set(v, code);
      distinct.push(v);
    }
    provisional[i] = code;
  }
  const order = distinct.map((_, i) => i);
  if (kind === 'number') order.sort((a, b) => (distinct[a] as number) - (distinct[b] as number));
  else order.sort((a, b) => (distinct[a] < distinct[b] ? -1 : distinct[a] > distinct[b] ? 1 : 0));
  const rank = new Int32Array(distinct.length);
  for (const [r, d] of order.entries()) rank[d] = r;
  const codes = new Int32Array(n);
  const counts = new Int32Array(distinct.length);
  for (let i = 0; i < n; i++) {
    const c = rank[provisional[i]];
    codes[i] = c;
    counts[c]++;
  }
  return { classes: order.map((d) => distinct[d]), codes, counts };
}

/**
 * Checks that y is a classification target, as scikit-learn's `type_of_target(y)` in
 * ('binary', 'multiclass'): numbers must be integers (strings are always fine).
 */
export function checkClassTarget(y: Labels, fn: string): void {
  if (y instanceof Int32Array || y instanceof Int16Array || y instanceof Int8Array || y instanceof Uint8Array || y instanceof Uint16Array) return;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (typeof v === 'number' && !Number.isInteger(v) && !Number.isNaN(v)) {
      fail({
        fn,
        argument: 'y',
        value: `${formatValue(v)} at [${i}]`,
        rule: "supported target types are ('binary', 'multiclass'), got 'continuous' instead",
        fix: 'Stratify on class labels (integers or strings), not on a continuous target.',
      });
    }
  }
}
