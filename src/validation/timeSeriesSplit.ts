import { fail, formatValue } from '../errors.js';
import {
  checkNSplits,
  defaultWarningHandler,
  numSamples,
  warnIgnoredGroups,
  type CrossValidator,
  type Labels,
  type SampleSource,
  type TrainTest,
  type WarningHandler,
  type WarningOptions,
} from './core.js';

export interface TimeSeriesSplitOptions extends WarningOptions {
  /** Number of splits, at least 2 (default 5). */
  readonly nSplits?: number;
  /** Keep at most this many of the latest training samples (default: all). */
  readonly maxTrainSize?: number | null;
  /** Test samples per split (default `⌊n / (nSplits + 1)⌋`). */
  readonly testSize?: number | null;
  /** Samples dropped between the end of training and the start of the test set (default 0). */
  readonly gap?: number;
}

function range(start: number, stop: number): Int32Array {
  const out = new Int32Array(Math.max(0, stop - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}

/**
 * Time-series cross-validation, as scikit-learn's `TimeSeriesSplit(n_splits=5, max_train_size=None,
 * test_size=None, gap=0)`: samples must be in time order; split i tests on the block
 * `[n - (nSplits - i) · testSize, … + testSize)` and trains on everything before it, minus `gap`
 * samples next to the test block, keeping only the last `maxTrainSize` when given. Training never
 * sees the future.
 */
export class TimeSeriesSplit implements CrossValidator {
  readonly nSplits: number;
  readonly maxTrainSize: number | null;
  readonly testSize: number | null;
  readonly gap: number;
  private readonly onWarning: WarningHandler;

  constructor(options: TimeSeriesSplitOptions = {}) {
    const fn = 'TimeSeriesSplit';
    this.nSplits = options.nSplits ?? 5;
    this.maxTrainSize = options.maxTrainSize ?? null;
    this.testSize = options.testSize ?? null;
    this.gap = options.gap ?? 0;
    this.onWarning = options.onWarning ?? defaultWarningHandler;
    checkNSplits(this.nSplits, fn);
    for (const [name, value, min] of [
      ['maxTrainSize', this.maxTrainSize, 1],
      ['testSize', this.testSize, 1],
      ['gap', this.gap, 0],
    ] as const) {
      if (value !== null && (!Number.isInteger(value) || value < min)) {
        fail({ fn, argument: name, value: formatValue(value), rule: `it must be an integer of at least ${min}` });
      }
    }
  }

  getNSplits(): number {
    return this.nSplits;
  }

  *split(X: SampleSource, _y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    const fn = 'TimeSeriesSplit.split';
    warnIgnoredGroups(groups, 'TimeSeriesSplit', this.onWarning);
    const n = numSamples(X, fn);
    const k = this.nSplits;
    const nFolds = k + 1;
    const gap = this.gap;
    const testSize = this.testSize ?? Math.floor(n / nFolds);
    if (nFolds > n) {
      fail({
        fn,
        argument: 'nSplits',
        value: String(k),
        rule: `cannot have number of folds=${nFolds} greater than the number of samples=${n}`,
        fix: 'Use fewer splits.',
      });
    }
    if (n - gap - testSize * k <= 0) {
      fail({
        fn,
        argument: gap > 0 ? 'gap' : 'testSize',
        value: String(gap > 0 ? gap : testSize),
        rule: `too many splits=${k} for number of samples=${n} with test_size=${testSize} and gap=${gap}: the first training set would be empty`,
        fix: 'Reduce nSplits, testSize or gap.',
      });
    }
    for (let testStart = n - k * testSize; testStart < n; testStart += testSize) {
      const trainEnd = testStart - gap;
      const trainStart = this.maxTrainSize && this.maxTrainSize < trainEnd ? trainEnd - this.maxTrainSize : 0;
      yield { train: range(trainStart, trainEnd), test: range(testStart, Math.min(testStart + testSize, n)) };
    }
  }
}
