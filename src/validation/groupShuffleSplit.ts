import { numSamples, type Labels, type SampleSource, type TrainTest } from './core.js';
import { requireGroups, samplesOfGroups } from './groupHelpers.js';
import { encodeLabels } from './labels.js';
import { BaseShuffleSplit, shuffleIndices, type ShuffleSplitOptions } from './shuffleSplit.js';

/**
 * Shuffle-group(s)-out, as scikit-learn's `GroupShuffleSplit(n_splits=5, test_size=None,
 * train_size=None, random_state=None)`: `ShuffleSplit` over the distinct groups (sorted), so sizes
 * count groups, not samples (default test size 0.2 of the groups); returns the samples of the
 * chosen groups, ascending.
 */
export class GroupShuffleSplit extends BaseShuffleSplit {
  constructor(options: ShuffleSplitOptions = {}) {
    super(options, 'GroupShuffleSplit', 5);
  }

  *split(X: SampleSource, _y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    const fn = 'GroupShuffleSplit.split';
    const n = numSamples(X, fn);
    const { codes, classes } = encodeLabels(requireGroups(groups, n, fn), fn, 'groups');
    const m = classes.length;
    for (const part of shuffleIndices(m, this.nSplits, this.testSize, this.trainSize, 0.2, this.randomState, fn)) {
      const side = new Int8Array(m).fill(-1);
      for (const g of part.train) side[g] = 0;
      for (const g of part.test) side[g] = 1;
      yield samplesOfGroups(codes, side);
    }
  }
}
