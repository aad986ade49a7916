import { fail, formatValue } from '../errors.js';
import { checkRandomState } from '../tensor/random.js';
import {
  defaultWarningHandler,
  numSamples,
  warnIgnoredGroups,
  type CrossValidator,
  type Labels,
  type RandomStateLike,
  type SampleSource,
  type TrainTest,
  type WarningHandler,
  type WarningOptions,
} from './core.js';

/**
 * A train or test size: an integer is a number of samples (≥ 1), a non-integer number in (0, 1) a
 * fraction. JavaScript has one number type, so `1` is always one sample and `1.0` cannot mean 100%
 * (scikit-learn rejects the float 1.0 anyway).
 */
export type SplitSize = number | null | undefined;

export interface ShuffleSplitOptions extends WarningOptions {
  /** Number of re-shuffling and splitting iterations (default 10; 5 for GroupShuffleSplit). */
  readonly nSplits?: number;
  /** Test size: fraction or count (default 0.1; 0.2 for GroupShuffleSplit; complement of trainSize when only that is given). */
  readonly testSize?: SplitSize;
  /** Train size: fraction or count (default: the complement of the test size). */
  readonly trainSize?: SplitSize;
  /** Seed or generator. */
  readonly randomState?: RandomStateLike;
}

function checkSize(value: SplitSize, name: 'testSize' | 'trainSize', n: number, fn: string): void {
  if (value === null || value === undefined) return;
  const snake = name === 'testSize' ? 'test_size' : 'train_size';
  if (typeof value !== 'number' || Number.isNaN(value)) fail({ fn, argument: name, value: formatValue(value), rule: 'it must be a number' });
  if (Number.isInteger(value) ? value >= n || value <= 0 : value <= 0 || value >= 1) {
    fail({
      fn,
      argument: name,
      value: formatValue(value),
      rule: `${snake}=${value} should be either positive and smaller than the number of samples ${n} or a float in the (0, 1) range`,
    });
  }
}

/**
 * scikit-learn's `_validate_shuffle_split(n_samples, test_size, train_size, default_test_size)`:
 * turns sizes into `[nTrain, nTest]`. A fractional test size rounds UP (`ceil(test_size · n)`), a
 * fractional train size rounds DOWN (`floor(train_size · n)`), each in float64 — so
 * `testSize: 0.1` of 30 samples gives 4 test samples, since 0.1 · 30 = 3.0000000000000004.
 */
export function validateShuffleSplit(n: number, testSize: SplitSize, trainSize: SplitSize, defaultTestSize: number, fn: string): [number, number] {
  let test = testSize ?? null;
  const train = trainSize ?? null;
  if (test === null && train === null) test = defaultTestSize;
  checkSize(test, 'testSize', n, fn);
  checkSize(train, 'trainSize', n, fn);
  const isFraction = (v: number | null): v is number => v !== null && !Number.isInteger(v);
  if (isFraction(train) && isFraction(test) && train + test > 1) {
    fail({
      fn,
      argument: 'trainSize',
      value: formatValue(train),
      rule: `the sum of test_size and train_size = ${train + test} should be in the (0, 1) range`,
      fix: 'Reduce testSize and/or trainSize.',
    });
  }
  let nTest = test === null ? NaN : isFraction(test) ? Math.ceil(test * n) : test;
  let nTrain = train === null ? NaN : isFraction(train) ? Math.floor(train * n) : train;
  if (train === null) nTrain = n - nTest;
  else if (test === null) nTest = n - nTrain;
  if (nTrain + nTest > n) {
    fail({
      fn,
      argument: 'trainSize',
      value: formatValue(train),
      rule: `the sum of train_size and test_size = ${nTrain + nTest} should be smaller than the number of samples ${n}`,
      fix: 'Reduce testSize and/or trainSize.',
    });
  }
  if (nTrain === 0) {
    fail({
      fn,
      argument: 'testSize',
      value: formatValue(test),
      rule: `with n_samples=${n}, test_size=${test === null ? 'None' : test} and train_size=${train === null ? 'None' : train}, the resulting train set would be empty`,
      fix: 'Adjust any of the aforementioned parameters.',
    });
  }
  return [nTrain, nTest];
}

/** Checks `nSplits` of the shuffle splitters: a positive integer. */
export function checkShuffleNSplits(nSplits: number, fn: string): void {
  if (!Number.isInteger(nSplits) || nSplits < 1) fail({ fn, argument: 'nSplits', value: formatValue(nSplits), rule: 'it must be a positive integer' });
}

/**
 * What the shuffle splitters share, as scikit-learn's `BaseShuffleSplit`: `nSplits` (a positive
 * integer), `testSize`, `trainSize`, `randomState`, and `getNSplits() = nSplits`. Subclasses decide
 * what is drawn (samples, per-class samples, or groups).
 */
export abstract class BaseShuffleSplit implements CrossValidator {
  readonly nSplits: number;
  readonly testSize: SplitSize;
  readonly trainSize: SplitSize;
  readonly randomState: RandomStateLike;
  protected readonly onWarning: WarningHandler;

  protected constructor(options: ShuffleSplitOptions, name: string, defaultNSplits: number) {
    this.nSplits = options.nSplits ?? defaultNSplits;
    this.testSize = options.testSize;
    this.trainSize = options.trainSize;
    this.randomState = options.randomState;
    this.onWarning = options.onWarning ?? defaultWarningHandler;
    checkShuffleNSplits(this.nSplits, name);
  }

  getNSplits(): number {
    return this.nSplits;
  }

  abstract split(X: SampleSource, y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined>;
}

/**
 * Random permutation cross-validation, as scikit-learn's `ShuffleSplit(n_splits=10, test_size=None,
 * train_size=None, random_state=None)`: each split draws `permutation(n)` and takes its first
 * `nTest` entries as the test set and the next `nTrain` as the training set — in permutation order,
 * not sorted, exactly as scikit-learn returns them. Test sets of different splits may overlap.
 */
export class ShuffleSplit extends BaseShuffleSplit {
  constructor(options: ShuffleSplitOptions = {}) {
    super(options, 'ShuffleSplit', 10);
  }

  *split(X: SampleSource, _y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    warnIgnoredGroups(groups, 'ShuffleSplit', this.onWarning);
    yield* shuffleIndices(numSamples(X, 'ShuffleSplit.split'), this.nSplits, this.testSize, this.trainSize, 0.1, this.randomState, 'ShuffleSplit.split');
  }
}

/** `BaseShuffleSplit._iter_indices`: the permutation-prefix splits of n items. */
export function* shuffleIndices(
  n: number,
  nSplits: number,
  testSize: SplitSize,
  trainSize: SplitSize,
  defaultTestSize: number,
  randomState: RandomStateLike,
  fn: string,
): Generator<TrainTest, void, undefined> {
  const [nTrain, nTest] = validateShuffleSplit(n, testSize, trainSize, defaultTestSize, fn);
  const rng = checkRandomState(randomState);
  for (let s = 0; s < nSplits; s++) {
    const permutation = rng.permutation(n);
    yield { test: permutation.slice(0, nTest), train: permutation.slice(nTest, nTest + nTrain) };
  }
}
