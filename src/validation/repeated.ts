import { fail, formatValue } from '../errors.js';
import { checkRandomState, type RandomState } from '../tensor/random.js';
import {
  checkNSplits,
  defaultWarningHandler,
  warnIgnoredGroups,
  type CrossValidator,
  type Labels,
  type RandomStateLike,
  type SampleSource,
  type TrainTest,
  type WarningHandler,
  type WarningOptions,
} from './core.js';
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
  if (!Number.isInteger(nRepeats) || nRepeats <= 0)
    fail({ fn, argument: 'nRepeats', value: formatValue(nRepeats), rule: 'the number of repetitions must be an integer greater than 0' });
}

/**
 * What repeated cross-validators share, as scikit-learn's `_RepeatedSplits`: `nRepeats` shuffled
 * copies of one cross-validator that all draw from ONE generator seeded once, so repetition r uses
 * the stream where repetition r − 1 stopped (the same folds as scikit-learn for an integer seed).
 */
abstract class RepeatedSplits implements CrossValidator {
  readonly nSplits: number;
  readonly nRepeats: number;
  readonly randomState: RandomStateLike;
  protected readonly onWarning: WarningHandler;
  private readonly name: string;

  protected constructor(options: RepeatedOptions, name: string) {
    this.nSplits = options.nSplits ?? 5;
    this.nRepeats = options.nRepeats ?? 10;
    this.randomState = options.randomState;
    this.onWarning = options.onWarning ?? defaultWarningHandler;
    this.name = name;
    checkRepeats(this.nRepeats, name);
    checkNSplits(this.nSplits, name);
  }

  getNSplits(): number {
    return this.nSplits * this.nRepeats;
  }

  /** One repetition's cross-validator, drawing from the shared generator. */
  protected abstract repetition(rng: RandomState): CrossValidator;

  *split(X: SampleSource, y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    warnIgnoredGroups(groups, this.name, this.onWarning);
    const rng = checkRandomState(this.randomState);
    for (let r = 0; r < this.nRepeats; r++) yield* this.repetition(rng).split(X, y);
  }
}

/** Repeated k-fold, as scikit-learn's `RepeatedKFold(n_splits=5, n_repeats=10, random_state=None)`. */
export class RepeatedKFold extends RepeatedSplits {
  constructor(options: RepeatedOptions = {}) {
    super(options, 'RepeatedKFold');
  }

  protected repetition(rng: RandomState): CrossValidator {
    return new KFold({ nSplits: this.nSplits, shuffle: true, randomState: rng, onWarning: this.onWarning });
  }
}

/**
 * Repeated stratified k-fold, as scikit-learn's `RepeatedStratifiedKFold(n_splits=5, n_repeats=10,
 * random_state=None)`: `nRepeats` shuffled `StratifiedKFold`s sharing one generator.
 */
export class RepeatedStratifiedKFold extends RepeatedSplits {
  constructor(options: RepeatedOptions = {}) {
    super(options, 'RepeatedStratifiedKFold');
  }

  protected repetition(rng: RandomState): CrossValidator {
    return new StratifiedKFold({ nSplits: this.nSplits, shuffle: true, randomState: rng, onWarning: this.onWarning });
  }
}
