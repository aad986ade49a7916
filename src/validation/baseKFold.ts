import {
  checkNSplits,
  checkShuffleSeed,
  defaultWarningHandler,
  type Labels,
  type RandomStateLike,
  type SampleSource,
  type TrainTest,
  type WarningHandler,
  type WarningOptions,
} from './core.js';

export interface KFoldOptions extends WarningOptions {
  /** Number of folds, at least 2 (default 5). */
  readonly nSplits?: number;
  /** Shuffle the samples before cutting them into folds (default false). */
  readonly shuffle?: boolean;
  /** Seed or generator for the shuffle; only allowed with `shuffle: true`. */
  readonly randomState?: RandomStateLike;
}

/**
 * What the k-fold family shares, as scikit-learn's `_BaseKFold`: `nSplits` ≥ 2, `shuffle`, a
 * `randomState` that is only accepted with `shuffle: true`, and `getNSplits() = nSplits`. Subclasses
 * decide which samples form each test fold.
 */
export abstract class BaseKFold {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly randomState: RandomStateLike;
  protected readonly onWarning: WarningHandler;

  protected constructor(options: KFoldOptions, name: string) {
    this.nSplits = options.nSplits ?? 5;
    this.shuffle = options.shuffle ?? false;
    this.randomState = options.randomState;
    this.onWarning = options.onWarning ?? defaultWarningHandler;
    checkNSplits(this.nSplits, name);
    checkShuffleSeed(this.shuffle, this.randomState, name);
  }

  getNSplits(): number {
    return this.nSplits;
  }

  abstract split(X: SampleSource, y?: Labels | null, groups?: Labels | null): Generator<TrainTest>;
}
