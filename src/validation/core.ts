import { fail, formatValue } from '../errors.js';
import { RandomState } from '../tensor/random.js';

/**
 * The shared vocabulary of the splitters, after scikit-learn's `BaseCrossValidator`: every splitter
 * has `split(X, y?, groups?)`, which yields `{ train, test }` index arrays, and `getNSplits()`.
 */

/** What a splitter needs to know about X: only the number of samples. */
export type SampleSource = { readonly n: number } | { readonly length: number } | { readonly shape: readonly number[] };

/** Class labels or group labels: numbers or strings, one per sample (a typed array is fastest). */
export type Labels = ArrayLike<number> | ArrayLike<string>;

/** One train/test split: row indices into the samples, in scikit-learn's order. */
export interface TrainTest {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** The family API, as scikit-learn's `split` / `get_n_splits`. */
export interface CrossValidator {
  /** Yields the splits, like `cv.split(X, y, groups)` in scikit-learn. */
  split(X: SampleSource, y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined>;
  /** The number of splits `split` yields, like `cv.get_n_splits(X, y, groups)`. */
  getNSplits(X?: SampleSource | null, y?: Labels | null, groups?: Labels | null): number;
}

/**
 * Where splitter warnings go (scikit-learn's `UserWarning`s, e.g. "The least populated class in y
 * has only 1 members, which is less than n_splits=3."). Defaults to `console.warn`; the CLI prints
 * them to stderr; pass `() => {}` to silence them.
 */
export type WarningHandler = (message: string) => void;

export interface WarningOptions {
  readonly onWarning?: WarningHandler;
}

export const defaultWarningHandler: WarningHandler = (message) => console.warn(`warning: ${message}`);

/** The seed argument of the shuffling splitters: an integer seed, a generator to share, or none. */
export type RandomStateLike = number | RandomState | null | undefined;

/** `_num_samples(X)`: the number of rows of X. */
export function numSamples(X: SampleSource | null | undefined, fn: string): number {
  let n: number | undefined;
  if (X !== null && X !== undefined) {
    if ('n' in X && typeof X.n === 'number') n = X.n;
    else if ('shape' in X && Array.isArray(X.shape) && X.shape.length > 0) n = X.shape[0];
    else if ('length' in X && typeof X.length === 'number') n = X.length;
  }
  if (n === undefined || !Number.isInteger(n) || n < 0) {
    return fail({
      fn,
      argument: 'X',
      value: n === undefined ? formatValue(X) : formatValue(n),
      rule: 'it must be { n } with a non-negative integer n, an array of samples or a tensor',
    });
  }
  return n;
}

/** Checks that labels (y or groups) have one entry per sample. */
export function checkLength(labels: Labels, n: number, fn: string, argument: string): void {
  if (labels.length !== n) {
    fail({ fn, argument, value: `of length ${labels.length}`, rule: `it must have one entry per sample (${n}), like X` });
  }
}

/** `_BaseKFold.__init__`'s checks of `n_splits`, with scikit-learn's wording. */
export function checkNSplits(nSplits: number, fn: string): void {
  if (!Number.isInteger(nSplits)) {
    fail({ fn, argument: 'nSplits', value: formatValue(nSplits), rule: 'the number of folds must be an integer' });
  }
  if (nSplits <= 1) {
    fail({
      fn,
      argument: 'nSplits',
      value: formatValue(nSplits),
      rule: `k-fold cross-validation requires at least one train/test split by setting n_splits=2 or more, got n_splits=${nSplits}`,
      fix: 'Use nSplits >= 2.',
    });
  }
}

/** scikit-learn rejects a seed that does nothing: "Setting a random_state has no effect since shuffle is False." */
export function checkShuffleSeed(shuffle: boolean, randomState: RandomStateLike, fn: string): void {
  if (!shuffle && randomState !== undefined && randomState !== null) {
    fail({
      fn,
      argument: 'randomState',
      value: randomState instanceof RandomState ? 'a RandomState' : formatValue(randomState),
      rule: 'setting a random_state has no effect since shuffle is False',
      fix: 'You should leave random_state to its default (None), or set shuffle=True.',
    });
  }
}

/** `n_splits > n_samples` check of `_BaseKFold.split`. */
export function checkSplitsVsSamples(nSplits: number, n: number, fn: string): void {
  if (nSplits > n) {
    fail({
      fn,
      argument: 'nSplits',
      value: String(nSplits),
      rule: `cannot have number of splits n_splits=${nSplits} greater than the number of samples: n_samples=${n}`,
      fix: 'Use fewer folds or more samples.',
    });
  }
}

/** 0, 1, …, n-1. */
export function arange(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * Train and test indices (both ascending) from a per-sample fold assignment: test = samples whose
 * fold is `fold`, train = every other sample — `BaseCrossValidator.split` over test masks.
 */
export function splitFromFolds(folds: Int32Array, fold: number, testSize?: number): TrainTest {
  const n = folds.length;
  let size = testSize;
  if (size === undefined) {
    size = 0;
    for (let i = 0; i < n; i++) if (folds[i] === fold) size++;
  }
  const test = new Int32Array(size);
  const train = new Int32Array(n - size);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (folds[i] === fold) test[a++] = i;
    else train[b++] = i;
  }
  return { train, test };
}

/** Train and test indices (ascending) from a test mask. */
export function splitFromMask(mask: Uint8Array): TrainTest {
  let size = 0;
  for (let i = 0; i < mask.length; i++) size += mask[i];
  const test = new Int32Array(size);
  const train = new Int32Array(mask.length - size);
  let a = 0;
  let b = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i]) test[a++] = i;
    else train[b++] = i;
  }
  return { train, test };
}

/** Warns like scikit-learn 1.5+ when groups are passed to a splitter that ignores them. */
export function warnIgnoredGroups(groups: Labels | null | undefined, name: string, onWarning: WarningHandler): void {
  if (groups !== null && groups !== undefined) onWarning(`The groups parameter is ignored by ${name}`);
}
