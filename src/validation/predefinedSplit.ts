import { fail, formatValue } from '../errors.js';
import {
  defaultWarningHandler,
  splitFromFolds,
  warnIgnoredGroups,
  type CrossValidator,
  type Labels,
  type SampleSource,
  type TrainTest,
  type WarningHandler,
  type WarningOptions,
} from './core.js';

/**
 * A split given in advance, as scikit-learn's `PredefinedSplit(test_fold)`: `testFold[i]` is the
 * split in which sample i is a test sample, or -1 to keep it in every training set. One split per
 * distinct fold number, in ascending order.
 */
export class PredefinedSplit implements CrossValidator {
  readonly testFold: Int32Array;
  private readonly uniqueFolds: number[];
  private readonly onWarning: WarningHandler;

  constructor(testFold: ArrayLike<number>, options: WarningOptions = {}) {
    this.onWarning = options.onWarning ?? defaultWarningHandler;
    this.testFold = new Int32Array(testFold.length);
    const seen = new Set<number>();
    for (let i = 0; i < testFold.length; i++) {
      const v = testFold[i];
      if (!Number.isInteger(v))
        fail({
          fn: 'PredefinedSplit',
          argument: 'testFold',
          value: `${formatValue(v)} at [${i}]`,
          rule: 'fold numbers must be integers (-1 = always in training)',
        });
      this.testFold[i] = v;
      if (v !== -1) seen.add(v);
    }
    this.uniqueFolds = [...seen].sort((a, b) => a - b);
  }

  getNSplits(): number {
    return this.uniqueFolds.length;
  }

  *split(_X?: SampleSource | null, _y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    warnIgnoredGroups(groups, 'PredefinedSplit', this.onWarning);
    for (const f of this.uniqueFolds) yield splitFromFolds(this.testFold, f);
  }
}
