import { fail, formatValue } from '../errors.js';
import { checkRandomState } from '../tensor/random.js';
import { checkNSplits, defaultWarningHandler, warnIgnoredGroups, type CrossValidator, type Labels, type RandomStateLike, type SampleSource, type TrainTest, type WarningHandler, type WarningOptions } from './core.js';
import { KFold } from './kFold.js';
import { StratifiedKFold } from './stratifiedKFold.js';

export interface RepeatedOptions extends WarningOptions {
  /** Folds per repetition (default 5). */
  readonly nSplits?: number;
  /** Number of repetitions (default 10). */
  readonly nRepeats?: number;
  /** Seed or generator shared by all repetitions. */
  readonly randomState?: RandomStateLike;
}

function checkRepeats(nRepeats: number, fn: string): void {
  if (!Number.isInteger(nRepeats) || nRepeats <= 0) fail({ fn, argument: 'nRepeats', value: formatValue(nRepeats), rule: 'the number of repetitions must be an integer greater than 0' });
}

/**
 * Repeated k-fold, as scikit-learn's `RepeatedKFold(n_splits=5, n_repeats=10, random_state=None)`:
 * `nRepeats` shuffled `KFold`s that all draw from ONE generator seeded once, so repetition r uses
 * the stream where repetition r − 1 stopped (same folds as scikit-learn for an integer seed).
 */
export class RepeatedKFold implements CrossValidator {
  readonly nSplits: number;
  readonly nRepeats: number;
  readonly randomState: RandomStateLike;
  private readonly onWarning: WarningHandler;

  constructor(options: RepeatedOptions = {}) {
    this.nSplits = options.nSplits ?? 5;
    this.nRepeats = options.nRepeats ?? 10;
    this.randomState = options.randomState;
    this.onWarning = options.onWarning ?? defaultWarningHandler;
    checkRepeats(this.nRepeats, 'RepeatedKFold');
    checkNSplits(this.nSplits, 'RepeatedKFold');
  }

  getNSplits(): number {
    return this.nSplits * this.nRepeats;
  }

  *split(X: SampleSource, _y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    warnIgnoredGroups(groups, 'RepeatedKFold', this.onWarning);
    const rng = checkRandomState(this.randomState);
    for (let r = 0; r < this.nRepeats; r++) yield* new KFold({ nSplits: this.nSplits, shuffle: true, randomState: rng }).split(X);
  }
}

/**
 * Repeated stratified k-fold, as scikit-learn's `RepeatedStratifiedKFold(n_splits=5, n_repeats=10,
 * random_state=None)`: `nRepeats` shuffled `StratifiedKFold`s sharing one generator.
 */
export class RepeatedStratifiedKFold implements CrossValidator {
  readonly nSplits: number;
  readonly nRepeats: number;
  readonly randomState: RandomStateLike;
  private readonly onWarning: WarningHandler;

  constructor(options: RepeatedOptions = {}) {
    this.nSplits = options.nSplits ?? 5;
    this.nRepeats = options.nRepeats ?? 10;
    this.randomState = options.randomState;
    this.onWarning = options.onWarning ?? defaultWarningHandler;
    checkRepeats(this.nRepeats, 'RepeatedStratifiedKFold');
    checkNSplits(this.nSplits, 'RepeatedStratifiedKFold');
  }

  getNSplits(): number {
    return this.nSplits * this.nRepeats;
  }

  *split(X: SampleSource, y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    warnIgnoredGroups(groups, 'RepeatedStratifiedKFold', this.onWarning);
    const rng = checkRandomState(this.randomState);
    for (let r = 0; r < this.nRepeats; r++) {
      yield* new StratifiedKFold({ nSplits: this.nSplits, shuffle: true, randomState: rng, onWarning: this.onWarning }).split(X, y);
    }
  }
}
