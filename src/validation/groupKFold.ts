import { BaseKFold, type KFoldOptions } from './baseKFold.js';
import { fail } from '../errors.js';
import { checkRandomState } from '../tensor/random.js';
import { checkSplitsVsSamples, numSamples, splitFromFolds, type CrossValidator, type Labels, type SampleSource, type TrainTest } from './core.js';
import { foldSizes } from './kFold.js';
import { requireGroups } from './groupHelpers.js';
import { encodeLabels } from './labels.js';

/**
 * The order in which GroupKFold deals groups: by size, largest first, ties broken by the larger
 * group index (in `np.unique` order) first — `np.argsort(sizes, kind="stable")[::-1]`, as
 * scikit-learn 1.9 does. A counting sort on the sizes, so O(groups + largest size).
 */
export function groupsBySizeDescending(sizes: Int32Array): Int32Array {
  let max = 0;
  for (let g = 0; g < sizes.length; g++) if (sizes[g] > max) max = sizes[g];
  const bucket = new Int32Array(max + 2);
  for (let g = 0; g < sizes.length; g++) bucket[sizes[g] + 1]++;
  for (let s = 1; s < bucket.length; s++) bucket[s] += bucket[s - 1];
  const ascending = new Int32Array(sizes.length);
  for (let g = 0; g < sizes.length; g++) ascending[bucket[sizes[g]]++] = g;
  return ascending.reverse();
}

/**
 * K-fold with non-overlapping groups, as scikit-learn 1.9's `GroupKFold(n_splits=5, shuffle=False,
 * random_state=None)`: no group is in two test folds, so a model is never validated on a group it
 * trained on.
 *
 * - `shuffle: false` (default): groups are dealt largest first, each to the fold with the fewest
 *   samples so far (the first such fold on ties) — balancing fold sizes. Ties between groups of
 *   equal size: scikit-learn 1.9 sorts sizes with a stable sort and reverses it, so among equal
 *   sizes the group that comes later in sorted order is dealt first. We follow 1.9 because it is the
 *   current release and its order is defined; older releases (1.2 on Debian, 1.7) call NumPy's
 *   default argsort, whose order of ties is unspecified and changes with the NumPy version and the
 *   array size (NumPy 1.24 agrees with the stable order for up to 16 groups). The golden tests check both
 *   situations (see scripts/golden_sklearn_splits.py).
 * - `shuffle: true` (scikit-learn 1.6+): the sorted distinct groups are permuted by the seeded
 *   generator and cut into `nSplits` consecutive chunks (`np.array_split`); sizes are not balanced.
 */
export class GroupKFold extends BaseKFold implements CrossValidator {
  constructor(options: KFoldOptions = {}) {
    super(options, 'GroupKFold');
  }

  /** The test fold of each sample, and the number of samples per fold. */
  testFolds(groups: Labels): { folds: Int32Array; sizes: Float64Array } {
    const fn = 'GroupKFold.split';
    const k = this.nSplits;
    const { codes, counts, classes } = encodeLabels(groups, fn, 'groups');
    const nGroups = classes.length;
    if (k > nGroups) {
      fail({
        fn,
        argument: 'nSplits',
        value: String(k),
        rule: `cannot have number of splits n_splits=${k} greater than the number of groups: ${nGroups}`,
        fix: 'Use fewer folds, or split on a finer group.',
      });
    }
    const groupFold = new Int32Array(nGroups);
    const samplesPerFold = new Float64Array(k);
    if (this.shuffle) {
      const order = checkRandomState(this.randomState).permutation(nGroups);
      const chunk = foldSizes(nGroups, k);
      let at = 0;
      for (let f = 0; f < k; f++) for (let j = 0; j < chunk[f]; j++) groupFold[order[at++]] = f;
      for (let g = 0; g < nGroups; g++) samplesPerFold[groupFold[g]] += counts[g];
    } else {
      const order = groupsBySizeDescending(counts);
      for (let r = 0; r < nGroups; r++) {
        const g = order[r];
        let lightest = 0;
        for (let f = 1; f < k; f++) if (samplesPerFold[f] < samplesPerFold[lightest]) lightest = f;
        samplesPerFold[lightest] += counts[g];
        groupFold[g] = lightest;
      }
    }
    const folds = new Int32Array(codes.length);
    for (let i = 0; i < codes.length; i++) folds[i] = groupFold[codes[i]];
    return { folds, sizes: samplesPerFold };
  }

  *split(X: SampleSource, _y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    const fn = 'GroupKFold.split';
    const n = numSamples(X, fn);
    checkSplitsVsSamples(this.nSplits, n, fn);
    const { folds, sizes } = this.testFolds(requireGroups(groups, n, fn));
    for (let f = 0; f < this.nSplits; f++) yield splitFromFolds(folds, f, sizes[f]);
  }
}
