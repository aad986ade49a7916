import { BaseKFold, type KFoldOptions } from './baseKFold.js';
import { fail } from '../errors.js';
import { checkRandomState } from '../tensor/random.js';
import {
  checkLength,
  checkSplitsVsSamples,
  numSamples,
  splitFromFolds,
  warnIgnoredGroups,
  type CrossValidator,
  type Labels,
  type SampleSource,
  type TrainTest,
} from './core.js';
import { checkClassTarget, encodeLabels } from './labels.js';

/**
 * Codes of y in order of first appearance (0 = the first label seen), as StratifiedKFold encodes
 * classes since scikit-learn 0.24: `np.unique(y, return_index, return_inverse)`, then the classes
 * ranked by their first index.
 */
export function encodeByFirstAppearance(y: Labels, fn: string): { codes: Int32Array; counts: Int32Array } {
  const sorted = encodeLabels(y, fn, 'y');
  const nClasses = sorted.classes.length;
  const firstIndex = new Int32Array(nClasses).fill(-1);
  let found = 0;
  for (let i = 0; i < sorted.codes.length && found < nClasses; i++) {
    const c = sorted.codes[i];
    if (firstIndex[c] < 0) {
      firstIndex[c] = i;
      found++;
    }
  }
  const byAppearance = Array.from({ length: nClasses }, (_, c) => c).sort((a, b) => firstIndex[a] - firstIndex[b]);
  const rank = new Int32Array(nClasses);
  for (const [r, c] of byAppearance.entries()) rank[c] = r;
  const codes = new Int32Array(sorted.codes.length);
  for (let i = 0; i < codes.length; i++) codes[i] = rank[sorted.codes[i]];
  const counts = new Int32Array(nClasses);
  for (let c = 0; c < nClasses; c++) counts[rank[c]] = sorted.counts[c];
  return { codes, counts };
}

/** How many p in [start, end) have p ≡ r (mod k). */
function countCongruent(start: number, end: number, r: number, k: number): number {
  const below = (x: number): number => (x > r ? Math.floor((x - r - 1) / k) + 1 : 0);
  return below(end) - below(start);
}

/**
 * Stratified k-fold, as scikit-learn's `StratifiedKFold(n_splits=5, shuffle=False,
 * random_state=None)`: each fold keeps the class proportions of y. Classes are numbered by first
 * appearance; the per-fold class counts are those of dealing the class-sorted labels round-robin
 * (`np.bincount(y_order[i::n_splits])`); within a class, samples go to folds in blocks in data
 * order, and with `shuffle` each class's block labels are shuffled by the seeded generator.
 * Warns when the smallest class has fewer members than `nSplits`; fails when every class does.
 */
export class StratifiedKFold extends BaseKFold implements CrossValidator {
  constructor(options: KFoldOptions = {}) {
    super(options, 'StratifiedKFold');
  }

  /** Per-sample test fold (`_make_test_folds`). */
  testFolds(y: Labels): Int32Array {
    const fn = 'StratifiedKFold.split';
    const k = this.nSplits;
    const random = checkRandomState(this.randomState);
    checkClassTarget(y, fn);
    const { codes, counts } = encodeByFirstAppearance(y, fn);
    const nClasses = counts.length;
    let minCount = Infinity;
    let everyClassTooSmall = true;
    for (let c = 0; c < nClasses; c++) {
      minCount = Math.min(minCount, counts[c]);
      if (counts[c] >= k) everyClassTooSmall = false;
    }
    if (everyClassTooSmall) {
      fail({
        fn,
        argument: 'nSplits',
        value: String(k),
        rule: `n_splits=${k} cannot be greater than the number of members in each class (the largest class has ${Math.max(...counts)})`,
        fix: 'Use fewer folds.',
      });
    }
    if (k > minCount) this.onWarning(`The least populated class in y has only ${minCount} members, which is less than n_splits=${k}.`);

    // Fold blocks per class: class c holds positions [start_c, start_c + counts[c]) of the sorted labels.
    const members: Int32Array[] = [];
    const filled = new Int32Array(nClasses);
    for (let c = 0; c < nClasses; c++) members.push(new Int32Array(counts[c]));
    let start = 0;
    for (let c = 0; c < nClasses; c++) {
      const block = members[c];
      let at = 0;
      for (let f = 0; f < k; f++) {
        const m = countCongruent(start, start + counts[c], f, k);
        block.fill(f, at, at + m);
        at += m;
      }
      if (this.shuffle) random.shuffle(block);
      start += counts[c];
    }
    const folds = new Int32Array(codes.length);
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      folds[i] = members[c][filled[c]++];
    }
    return folds;
  }

  /** Test-set sizes per fold: fold f gets every f-th label of the class-sorted labels. */
  private foldSizes(n: number): Int32Array {
    const sizes = new Int32Array(this.nSplits);
    for (let f = 0; f < this.nSplits; f++) sizes[f] = countCongruent(0, n, f, this.nSplits);
    return sizes;
  }

  *split(X: SampleSource, y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    const fn = 'StratifiedKFold.split';
    warnIgnoredGroups(groups, 'StratifiedKFold', this.onWarning);
    if (y === null || y === undefined) fail({ fn, argument: 'y', rule: 'StratifiedKFold needs the class labels y', fix: 'Pass y, or use KFold.' });
    const n = numSamples(X, fn);
    checkLength(y, n, fn, 'y');
    checkSplitsVsSamples(this.nSplits, n, fn);
    const folds = this.testFolds(y);
    const sizes = this.foldSizes(n);
    for (let f = 0; f < this.nSplits; f++) yield splitFromFolds(folds, f, sizes[f]);
  }
}
