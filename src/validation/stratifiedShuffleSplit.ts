import { fail } from '../errors.js';
import { checkRandomState, type RandomState } from '../tensor/random.js';
import { checkLength, numSamples, warnIgnoredGroups, type Labels, type RandomStateLike, type SampleSource, type TrainTest } from './core.js';
import { checkClassTarget, encodeLabels } from './labels.js';
import { BaseShuffleSplit, validateShuffleSplit, type ShuffleSplitOptions, type SplitSize } from './shuffleSplit.js';

/**
 * scikit-learn's `_approximate_mode(class_counts, n_draws, rng)`: an approximation (off by at most
 * one per class) of the most likely class counts when drawing `nDraws` items without replacement.
 * Floors the proportional shares, then hands the remaining draws to the classes with the largest
 * remainders, breaking ties among equal remainders with `rng.choice(inds, size, replace=False)`.
 */
export function approximateMode(classCounts: ArrayLike<number>, nDraws: number, rng: RandomState): Int32Array {
  const k = classCounts.length;
  let total = 0;
  for (let c = 0; c < k; c++) total += classCounts[c];
  const continuous = new Float64Array(k);
  const floored = new Float64Array(k);
  let flooredSum = 0;
  for (let c = 0; c < k; c++) {
    continuous[c] = (classCounts[c] / total) * nDraws;
    floored[c] = Math.floor(continuous[c]);
    flooredSum += floored[c];
  }
  let needToAdd = Math.trunc(nDraws - flooredSum);
  if (needToAdd > 0) {
    const remainder = new Float64Array(k);
    for (let c = 0; c < k; c++) remainder[c] = continuous[c] - floored[c];
    const values = [...new Set(remainder)].sort((a, b) => b - a);
    for (const value of values) {
      const inds: number[] = [];
      for (let c = 0; c < k; c++) if (remainder[c] === value) inds.push(c);
      const addNow = Math.min(inds.length, needToAdd);
      for (const pick of rng.choice(inds.length, addNow, { replace: false })) floored[inds[pick]] += 1;
      needToAdd -= addNow;
      if (needToAdd === 0) break;
    }
  }
  return Int32Array.from(floored);
}

/**
 * Stratified random splits, as scikit-learn's `StratifiedShuffleSplit(n_splits=10, test_size=None,
 * train_size=None, random_state=None)`: each split draws per-class train and test counts with
 * `approximateMode` (so the class proportions are kept), takes them from a permutation of each
 * class's samples, and returns train and test in a random order (`rng.permutation`), as
 * scikit-learn does. Needs at least 2 members per class and at least one sample per class on
 * each side.
 */
export class StratifiedShuffleSplit extends BaseShuffleSplit {
  constructor(options: ShuffleSplitOptions = {}) {
    super(options, 'StratifiedShuffleSplit', 10);
  }

  *split(X: SampleSource, y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    const fn = 'StratifiedShuffleSplit.split';
    warnIgnoredGroups(groups, 'StratifiedShuffleSplit', this.onWarning);
    if (y === null || y === undefined)
      fail({ fn, argument: 'y', rule: 'StratifiedShuffleSplit needs the class labels y', fix: 'Pass y, or use ShuffleSplit.' });
    const n = numSamples(X, fn);
    checkLength(y, n, fn, 'y');
    yield* stratifiedShuffleIndices(n, y, this.nSplits, this.testSize, this.trainSize, 0.1, this.randomState, fn);
  }
}

/** `StratifiedShuffleSplit._iter_indices`. */
export function* stratifiedShuffleIndices(
  n: number,
  y: Labels,
  nSplits: number,
  testSize: SplitSize,
  trainSize: SplitSize,
  defaultTestSize: number,
  randomState: RandomStateLike,
  fn: string,
): Generator<TrainTest, void, undefined> {
  const [nTrain, nTest] = validateShuffleSplit(n, testSize, trainSize, defaultTestSize, fn);
  checkClassTarget(y, fn);
  const { codes, counts, classes } = encodeLabels(y, fn, 'y');
  const nClasses = classes.length;
  let smallest = Infinity;
  for (let c = 0; c < nClasses; c++) smallest = Math.min(smallest, counts[c]);
  if (smallest < 2) {
    fail({
      fn,
      argument: 'y',
      value: 'a class with 1 member',
      rule: 'the least populated class in y has only 1 member, which is too few; the minimum number of groups for any class cannot be less than 2',
      fix: 'Merge or drop the rare classes, or split without stratification.',
    });
  }
  if (nTrain < nClasses)
    fail({
      fn,
      argument: 'trainSize',
      value: String(nTrain),
      rule: `the train_size = ${nTrain} should be greater or equal to the number of classes = ${nClasses}`,
    });
  if (nTest < nClasses)
    fail({
      fn,
      argument: 'testSize',
      value: String(nTest),
      rule: `the test_size = ${nTest} should be greater or equal to the number of classes = ${nClasses}`,
    });

  // The samples of each class, ascending (np.argsort(y_indices, kind="mergesort") split by class).
  const offsets = new Int32Array(nClasses + 1);
  for (let c = 0; c < nClasses; c++) offsets[c + 1] = offsets[c] + counts[c];
  const byClass = new Int32Array(n);
  const fill = offsets.slice(0, nClasses);
  for (let i = 0; i < n; i++) byClass[fill[codes[i]]++] = i;

  const rng = checkRandomState(randomState);
  for (let s = 0; s < nSplits; s++) {
    const nI = approximateMode(counts, nTrain, rng);
    const remaining = new Int32Array(nClasses);
    for (let c = 0; c < nClasses; c++) remaining[c] = counts[c] - nI[c];
    const tI = approximateMode(remaining, nTest, rng);
    const train = new Int32Array(nTrain);
    const test = new Int32Array(nTest);
    let a = 0;
    let b = 0;
    for (let c = 0; c < nClasses; c++) {
      const permutation = rng.permutation(counts[c]);
      const base = offsets[c];
      for (let j = 0; j < nI[c]; j++) train[a++] = byClass[base + permutation[j]];
      for (let j = nI[c]; j < nI[c] + tI[c]; j++) test[b++] = byClass[base + permutation[j]];
    }
    yield { train: rng.shuffle(train), test: rng.shuffle(test) };
  }
}
