import { fail } from '../errors.js';
import { arange, checkLength, numSamples, type Labels, type RandomStateLike, type SampleSource, type TrainTest } from './core.js';
import { shuffleIndices, validateShuffleSplit, type SplitSize } from './shuffleSplit.js';
import { stratifiedShuffleIndices } from './stratifiedShuffleSplit.js';

export interface TrainTestSplitOptions {
  /** Fraction in (0, 1) or number of test samples (default 0.25, or the complement of trainSize). */
  readonly testSize?: SplitSize;
  /** Fraction in (0, 1) or number of training samples (default: the complement of the test size). */
  readonly trainSize?: SplitSize;
  /** Seed or generator for the shuffle. */
  readonly randomState?: RandomStateLike;
  /** Shuffle before splitting (default true); without it, the first rows train and the next rows test. */
  readonly shuffle?: boolean;
  /** Class labels to stratify on (needs `shuffle`). */
  readonly stratify?: Labels | null;
}

/**
 * The indices of scikit-learn's `train_test_split(X, test_size=None, train_size=None,
 * random_state=None, shuffle=True, stratify=None)`: the first split of `ShuffleSplit` (or
 * `StratifiedShuffleSplit` with `stratify`), sized by `validateShuffleSplit` with a default test
 * size of 0.25. scikit-learn returns the rows; take `X[train]`, `X[test]` from the indices here.
 */
export function trainTestSplit(X: SampleSource, options: TrainTestSplitOptions = {}): TrainTest {
  const fn = 'trainTestSplit';
  const n = numSamples(X, fn);
  const [nTrain, nTest] = validateShuffleSplit(n, options.testSize, options.trainSize, 0.25, fn);
  const stratify = options.stratify ?? null;
  if (options.shuffle === false) {
    if (stratify !== null) {
      fail({ fn, argument: 'stratify', rule: 'stratified train/test split is not implemented for shuffle=False', fix: 'Set shuffle: true, or drop stratify.' });
    }
    const all = arange(n);
    return { train: all.slice(0, nTrain), test: all.slice(nTrain, nTrain + nTest) };
  }
  if (stratify !== null) checkLength(stratify, n, fn, 'stratify');
  const first =
    stratify !== null
      ? stratifiedShuffleIndices(n, stratify, 1, nTest, nTrain, 0.1, options.randomState, fn).next()
      : shuffleIndices(n, 1, nTest, nTrain, 0.1, options.randomState, fn).next();
  if (first.done) throw new Error('trainTestSplit: the splitter yielded nothing');
  return first.value;
}
