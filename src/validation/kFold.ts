import { BaseKFold, type KFoldOptions } from './baseKFold.js';
import { checkRandomState } from '../tensor/random.js';
import {
  arange,
  checkSplitsVsSamples,
  numSamples,
  splitFromFolds,
  warnIgnoredGroups,
  type CrossValidator,
  type Labels,
  type SampleSource,
  type TrainTest,
} from './core.js';

export type { KFoldOptions } from './baseKFold.js';

/**
 * Fold sizes of k-fold: the first `n % k` folds get `⌊n/k⌋ + 1` samples, the rest `⌊n/k⌋`
 * (scikit-learn's `KFold` and `np.array_split`).
 */
export function foldSizes(n: number, k: number): Int32Array {
  const sizes = new Int32Array(k).fill(Math.floor(n / k));
  for (let i = 0; i < n % k; i++) sizes[i]++;
  return sizes;
}

/**
 * K-fold cross-validation, as scikit-learn's `KFold(n_splits=5, shuffle=False, random_state=None)`:
 * consecutive folds of `foldSizes(n, k)` samples, each the test set once. With `shuffle`, the sample
 * order is first shuffled by `RandomState(randomState).shuffle` — with an integer seed the folds are
 * scikit-learn's, index for index. Test and train indices are returned ascending.
 */
export class KFold extends BaseKFold implements CrossValidator {
  constructor(options: KFoldOptions = {}) {
    super(options, 'KFold');
  }

  /** Per-sample fold numbers (what `split` yields as test sets). */
  testFolds(n: number): Int32Array {
    const order = arange(n);
    if (this.shuffle) checkRandomState(this.randomState).shuffle(order);
    const folds = new Int32Array(n);
    const sizes = foldSizes(n, this.nSplits);
    let at = 0;
    for (let f = 0; f < this.nSplits; f++) for (let j = 0; j < sizes[f]; j++) folds[order[at++]] = f;
    return folds;
  }

  *split(X: SampleSource, _y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    warnIgnoredGroups(groups, 'KFold', this.onWarning);
    const n = numSamples(X, 'KFold.split');
    checkSplitsVsSamples(this.nSplits, n, 'KFold.split');
    const folds = this.testFolds(n);
    const sizes = foldSizes(n, this.nSplits);
    for (let f = 0; f < this.nSplits; f++) yield splitFromFolds(folds, f, sizes[f]);
  }
}
