import { BaseKFold, type KFoldOptions } from './baseKFold.js';
import { fail } from '../errors.js';
import { checkRandomState } from '../tensor/random.js';
import {
  arange,
  checkLength,
  checkSplitsVsSamples,
  numSamples,
  splitFromFolds,
  type CrossValidator,
  type Labels,
  type SampleSource,
  type TrainTest,
} from './core.js';
import { requireGroups } from './groupHelpers.js';
import { checkClassTarget, encodeLabels } from './labels.js';
import { isClose, pairwiseSum, stdAxis0, stdRow } from './numpyMath.js';

/**
 * Stratified k-fold with non-overlapping groups, as scikit-learn's `StratifiedGroupKFold(n_splits=5,
 * shuffle=False, random_state=None)` (the greedy algorithm of its implementation, from a Kaggle
 * kernel): groups are visited in decreasing order of the standard deviation of their class counts
 * (a stable sort), and each goes to the fold that minimises the mean over classes of the std across
 * folds of the fold's share of that class — ties (within `np.isclose`) go to the fold with fewer
 * samples. The float64 sums are done in NumPy's order so ties break exactly as in scikit-learn.
 *
 * With `shuffle`, the groups' order is first permuted by the seeded generator (so only groups with
 * equal std are reordered). We follow scikit-learn 1.8+, which permutes the groups consistently
 * (pull request #32540); releases up to 1.7 permuted the class-count rows but not the group ids, so
 * their shuffled folds are not stratified — their `shuffle: true` folds are not reproduced.
 */
export class StratifiedGroupKFold extends BaseKFold implements CrossValidator {
  constructor(options: KFoldOptions = {}) {
    super(options, 'StratifiedGroupKFold');
  }

  /** The test fold of each sample. */
  testFolds(y: Labels, groups: Labels): Int32Array {
    const fn = 'StratifiedGroupKFold.split';
    const k = this.nSplits;
    const rng = checkRandomState(this.randomState);
    checkClassTarget(y, fn);
    const classes = encodeLabels(y, fn, 'y');
    const yCnt = classes.counts;
    const nClasses = yCnt.length;
    let largest = 0;
    let smallest = Infinity;
    for (let c = 0; c < nClasses; c++) {
      largest = Math.max(largest, yCnt[c]);
      smallest = Math.min(smallest, yCnt[c]);
    }
    if (k > largest) {
      fail({
        fn,
        argument: 'nSplits',
        value: String(k),
        rule: `n_splits=${k} cannot be greater than the number of members in each class (the largest class has ${largest})`,
        fix: 'Use fewer folds.',
      });
    }
    if (k > smallest) this.onWarning(`The least populated class in y has only ${smallest} members, which is less than n_splits=${k}.`);

    const grouped = encodeLabels(groups, fn, 'groups');
    const nGroups = grouped.classes.length;
    // Row r of the count matrix belongs to group rowGroup[r] (the identity unless shuffled).
    const rowGroup = this.shuffle ? rng.permutation(nGroups) : arange(nGroups);
    const rowOf = new Int32Array(nGroups);
    for (let r = 0; r < nGroups; r++) rowOf[rowGroup[r]] = r;
    const countsPerRow = new Float64Array(nGroups * nClasses);
    for (let i = 0; i < grouped.codes.length; i++) countsPerRow[rowOf[grouped.codes[i]] * nClasses + classes.codes[i]] += 1;

    const scratch = new Float64Array(Math.max(nClasses, k));
    const rowStd = new Float64Array(nGroups);
    for (let r = 0; r < nGroups; r++) rowStd[r] = -stdRow(countsPerRow, r * nClasses, nClasses, scratch);
    const visit = Array.from({ length: nGroups }, (_, r) => r).sort((a, b) => rowStd[a] - rowStd[b] || a - b);

    const perFold = new Float64Array(k * nClasses);
    const share = new Float64Array(k * nClasses);
    const stdPerClass = new Float64Array(nClasses);
    const rowFold = new Int32Array(nGroups);
    for (const r of visit) {
      let best = -1;
      let minEval = Infinity;
      let minSamples = Infinity;
      for (let f = 0; f < k; f++) {
        for (let c = 0; c < nClasses; c++) perFold[f * nClasses + c] += countsPerRow[r * nClasses + c];
        for (let j = 0; j < k * nClasses; j++) share[j] = perFold[j] / yCnt[j % nClasses];
        stdAxis0(share, k, nClasses, stdPerClass);
        for (let c = 0; c < nClasses; c++) perFold[f * nClasses + c] -= countsPerRow[r * nClasses + c];
        const foldEval = pairwiseSum(stdPerClass, 0, nClasses) / nClasses;
        const samplesInFold = pairwiseSum(perFold, f * nClasses, nClasses);
        if (foldEval < minEval || (isClose(foldEval, minEval) && samplesInFold < minSamples)) {
          minEval = foldEval;
          minSamples = samplesInFold;
          best = f;
        }
      }
      for (let c = 0; c < nClasses; c++) perFold[best * nClasses + c] += countsPerRow[r * nClasses + c];
      rowFold[r] = best;
    }
    const folds = new Int32Array(grouped.codes.length);
    for (let i = 0; i < folds.length; i++) folds[i] = rowFold[rowOf[grouped.codes[i]]];
    return folds;
  }

  *split(X: SampleSource, y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    const fn = 'StratifiedGroupKFold.split';
    const n = numSamples(X, fn);
    checkSplitsVsSamples(this.nSplits, n, fn);
    if (y === null || y === undefined) fail({ fn, argument: 'y', rule: 'StratifiedGroupKFold needs the class labels y', fix: 'Pass y, or use GroupKFold.' });
    checkLength(y, n, fn, 'y');
    const folds = this.testFolds(y, requireGroups(groups, n, fn));
    for (let f = 0; f < this.nSplits; f++) yield splitFromFolds(folds, f);
  }
}
