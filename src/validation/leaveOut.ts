import { fail, formatValue } from '../errors.js';
import {
  defaultWarningHandler,
  numSamples,
  splitFromMask,
  warnIgnoredGroups,
  type CrossValidator,
  type Labels,
  type SampleSource,
  type TrainTest,
  type WarningHandler,
  type WarningOptions,
} from './core.js';
import { binomial } from './leaveGroupsOut.js';

/**
 * Leave-one-out, as scikit-learn's `LeaveOneOut()`: n splits, each testing on one sample (in order)
 * and training on the rest. Equivalent to `KFold({ nSplits: n })`; costly for large n.
 */
export class LeaveOneOut implements CrossValidator {
  private readonly onWarning: WarningHandler;

  constructor(options: WarningOptions = {}) {
    this.onWarning = options.onWarning ?? defaultWarningHandler;
  }

  getNSplits(X?: SampleSource | null): number {
    if (X === null || X === undefined) fail({ fn: 'LeaveOneOut.getNSplits', argument: 'X', rule: "the 'X' parameter should not be None" });
    return numSamples(X, 'LeaveOneOut.getNSplits');
  }

  *split(X: SampleSource, _y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    warnIgnoredGroups(groups, 'LeaveOneOut', this.onWarning);
    yield* new LeavePOut({ p: 1 }).splitSamples(numSamples(X, 'LeaveOneOut.split'), 'LeaveOneOut.split');
  }
}

/**
 * Leave-P-out, as scikit-learn's `LeavePOut(p)`: one split per combination of `p` samples
 * (lexicographic, as `itertools.combinations`), C(n, p) splits in all — test sets overlap.
 */
export class LeavePOut implements CrossValidator {
  readonly p: number;
  private readonly onWarning: WarningHandler;

  constructor(options: { p: number } & WarningOptions) {
    this.p = options.p;
    this.onWarning = options.onWarning ?? defaultWarningHandler;
    if (!Number.isInteger(this.p) || this.p < 1) fail({ fn: 'LeavePOut', argument: 'p', value: formatValue(this.p), rule: 'it must be a positive integer' });
  }

  getNSplits(X?: SampleSource | null): number {
    if (X === null || X === undefined) fail({ fn: 'LeavePOut.getNSplits', argument: 'X', rule: "the 'X' parameter should not be None" });
    return binomial(numSamples(X, 'LeavePOut.getNSplits'), this.p);
  }

  *split(X: SampleSource, _y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    warnIgnoredGroups(groups, 'LeavePOut', this.onWarning);
    yield* this.splitSamples(numSamples(X, 'LeavePOut.split'), 'LeavePOut.split');
  }

  /** The splits of n samples. */
  *splitSamples(n: number, fn: string): Generator<TrainTest, void, undefined> {
    const p = this.p;
    if (n <= p) {
      fail({
        fn,
        argument: 'X',
        value: `${n} sample${n === 1 ? '' : 's'}`,
        rule: p === 1 ? `cannot perform LeaveOneOut with n_samples=${n}` : `p=${p} must be strictly less than the number of samples=${n}`,
      });
    }
    const pick = Array.from({ length: p }, (_, i) => i);
    for (;;) {
      const mask = new Uint8Array(n);
      for (const i of pick) mask[i] = 1;
      yield splitFromMask(mask);
      let i = p - 1;
      while (i >= 0 && pick[i] === n - p + i) i--;
      if (i < 0) return;
      pick[i]++;
      for (let j = i + 1; j < p; j++) pick[j] = pick[j - 1] + 1;
    }
  }
}
