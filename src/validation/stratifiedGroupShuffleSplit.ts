import { fail } from '../errors.js';
import { checkRandomState } from '../tensor/random.js';
import { checkLength, numSamples, type CrossValidator, type Labels, type RandomStateLike, type SampleSource, type TrainTest } from './core.js';
import { requireGroups, samplesOfGroups } from './groupHelpers.js';
import { checkClassTarget, encodeLabels } from './labels.js';
import { checkShuffleNSplits, validateShuffleSplit, type ShuffleSplitOptions, type SplitSize } from './shuffleSplit.js';

/**
 * Stratified group shuffle split — not in scikit-learn (requested in scikit-learn#12076): random
 * train/test splits where every group lies wholly on one side AND the test set's class mix follows
 * the data's. Sizes count samples (default test size 0.2).
 *
 * Algorithm, per split: the target test size is `nTest` from `validateShuffleSplit`, and the target
 * per-class test counts are `round(nTest · share of the class)`. Groups are visited in a random
 * order (`permutation` of the sorted distinct groups); a group joins the test set when that brings
 * the test class counts closer to the targets (L1 distance), otherwise it trains. If no group got
 * into the test set, the first group visited does. The result is as stratified as whole groups allow;
 * with one sample per group it is close to StratifiedShuffleSplit (not identical to it).
 */
export class StratifiedGroupShuffleSplit implements CrossValidator {
  readonly nSplits: number;
  readonly testSize: SplitSize;
  readonly randomState: RandomStateLike;

  constructor(options: Omit<ShuffleSplitOptions, 'trainSize'> = {}) {
    this.nSplits = options.nSplits ?? 5;
    this.testSize = options.testSize;
    this.randomState = options.randomState;
    checkShuffleNSplits(this.nSplits, 'StratifiedGroupShuffleSplit');
  }

  getNSplits(): number {
    return this.nSplits;
  }

  *split(X: SampleSource, y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    const fn = 'StratifiedGroupShuffleSplit.split';
    const n = numSamples(X, fn);
    if (y === null || y === undefined)
      fail({ fn, argument: 'y', rule: 'StratifiedGroupShuffleSplit needs the class labels y', fix: 'Pass y, or use GroupShuffleSplit.' });
    checkLength(y, n, fn, 'y');
    checkClassTarget(y, fn);
    const grouped = encodeLabels(requireGroups(groups, n, fn), fn, 'groups');
    const nGroups = grouped.classes.length;
    if (nGroups < 2) fail({ fn, argument: 'groups', value: `${nGroups} distinct group`, rule: 'at least 2 groups are needed to put groups on both sides' });
    const [, nTest] = validateShuffleSplit(n, this.testSize, null, 0.2, fn);
    const classes = encodeLabels(y, fn, 'y');
    const nClasses = classes.classes.length;
    const target = new Float64Array(nClasses);
    for (let c = 0; c < nClasses; c++) target[c] = Math.round((nTest * classes.counts[c]) / n);
    const counts = new Int32Array(nGroups * nClasses);
    for (let i = 0; i < n; i++) counts[grouped.codes[i] * nClasses + classes.codes[i]]++;

    const rng = checkRandomState(this.randomState);
    for (let s = 0; s < this.nSplits; s++) {
      const order = rng.permutation(nGroups);
      const inTest = new Float64Array(nClasses);
      const side = new Int8Array(nGroups);
      let any = false;
      for (const g of order) {
        let gain = 0;
        for (let c = 0; c < nClasses; c++) {
          const add = counts[g * nClasses + c];
          if (add === 0) continue;
          gain += Math.abs(inTest[c] - target[c]) - Math.abs(inTest[c] + add - target[c]);
        }
        if (gain > 0) {
          side[g] = 1;
          any = true;
          for (let c = 0; c < nClasses; c++) inTest[c] += counts[g * nClasses + c];
        }
      }
      if (!any) side[order[0]] = 1;
      let allTest = true;
      for (let g = 0; g < nGroups; g++) if (side[g] === 0) allTest = false;
      if (allTest) side[order[order.length - 1]] = 0;
      yield samplesOfGroups(grouped.codes, side);
    }
  }
}
