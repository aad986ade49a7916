import { fail, formatValue } from '../errors.js';
import { checkNSplits, checkSplitsVsSamples, numSamples, type CrossValidator, type SampleSource, type TrainTest } from './core.js';
import { foldSizes } from './kFold.js';

export interface PurgedKFoldOptions {
  /** Number of folds, at least 2 (default 5). */
  readonly nSplits?: number;
  /** When each sample's label interval starts (its observation time), non-decreasing. */
  readonly t0: ArrayLike<number>;
  /** When each sample's label interval ends (≥ t0); defaults to t0 (point-in-time labels). */
  readonly t1?: ArrayLike<number> | null;
  /** Fraction of all samples embargoed after each test block, in [0, 1) (default 0). */
  readonly embargo?: number;
}

/**
 * Purged k-fold cross-validation with an embargo (López de Prado, *Advances in Financial Machine
 * Learning*, 2018, ch. 7), for samples in time order whose labels span an interval [t0, t1] — e.g.
 * a return measured over the next five days. scikit-learn declined to add it (its splitters know
 * nothing about label intervals).
 *
 * Algorithm, for each test block [a, b) of consecutive samples (k-fold block sizes, no shuffle):
 * 1. The test span is [t0[a], max t1 over the block].
 * 2. Purge: a training sample is kept only if its interval does not overlap the test span
 *    (closed intervals: [t0ᵢ, t1ᵢ] ∩ [start, end] = ∅). Samples before the block are kept when
 *    t1ᵢ < start; samples after it when t0ᵢ > end (all after the first such sample r, since t0 is
 *    sorted).
 * 3. Embargo: additionally drop the ⌊embargo · n⌋ samples r, r+1, … right after the purge, since
 *    features computed on them may still carry information from the test period (serial
 *    correlation).
 * Test sets are exactly KFold's; train sets are KFold's minus purged and embargoed samples.
 * Unlike López de Prado's snippet 7.3 we treat interval end points as overlapping (a sample whose
 * label ends exactly when the test span starts is purged) and never let the embargo start inside the
 * test block.
 */
export class PurgedKFold implements CrossValidator {
  readonly nSplits: number;
  readonly t0: Float64Array;
  readonly t1: Float64Array;
  readonly embargo: number;

  constructor(options: PurgedKFoldOptions) {
    const fn = 'PurgedKFold';
    this.nSplits = options.nSplits ?? 5;
    checkNSplits(this.nSplits, fn);
    this.embargo = options.embargo ?? 0;
    if (!(this.embargo >= 0 && this.embargo < 1))
      fail({ fn, argument: 'embargo', value: formatValue(this.embargo), rule: 'it must be a fraction of the samples in [0, 1)' });
    this.t0 = Float64Array.from(options.t0);
    this.t1 = Float64Array.from(options.t1 ?? options.t0);
    const n = this.t0.length;
    if (this.t1.length !== n) fail({ fn, argument: 't1', value: `of length ${this.t1.length}`, rule: `it must have one entry per sample, like t0 (${n})` });
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(this.t0[i])) fail({ fn, argument: 't0', value: `${formatValue(this.t0[i])} at [${i}]`, rule: 'times must be finite numbers' });
      if (!Number.isFinite(this.t1[i])) fail({ fn, argument: 't1', value: `${formatValue(this.t1[i])} at [${i}]`, rule: 'times must be finite numbers' });
      if (i > 0 && this.t0[i] < this.t0[i - 1]) {
        fail({
          fn,
          argument: 't0',
          value: `${this.t0[i]} at [${i}] after ${this.t0[i - 1]}`,
          rule: 'samples must be sorted by time (t0 non-decreasing)',
          fix: 'Sort the rows by time first.',
        });
      }
      if (this.t1[i] < this.t0[i])
        fail({ fn, argument: 't1', value: `${this.t1[i]} at [${i}]`, rule: `a label interval must not end before it starts (t0 = ${this.t0[i]})` });
    }
  }

  getNSplits(): number {
    return this.nSplits;
  }

  *split(X?: SampleSource | null): Generator<TrainTest, void, undefined> {
    const fn = 'PurgedKFold.split';
    const n = this.t0.length;
    if (X !== null && X !== undefined && numSamples(X, fn) !== n) {
      fail({ fn, argument: 'X', value: `with ${numSamples(X, fn)} samples`, rule: `it must have one sample per time (${n})` });
    }
    checkSplitsVsSamples(this.nSplits, n, fn);
    const sizes = foldSizes(n, this.nSplits);
    const embargoed = Math.floor(this.embargo * n);
    let a = 0;
    for (let f = 0; f < this.nSplits; f++) {
      const b = a + sizes[f];
      const start = this.t0[a];
      let end = -Infinity;
      for (let i = a; i < b; i++) end = Math.max(end, this.t1[i]);
      let r = b;
      while (r < n && this.t0[r] <= end) r++;
      const resume = Math.min(n, r + embargoed);
      const train: number[] = [];
      for (let i = 0; i < a; i++) if (this.t1[i] < start) train.push(i);
      for (let i = resume; i < n; i++) train.push(i);
      const test = new Int32Array(b - a);
      for (let i = 0; i < test.length; i++) test[i] = a + i;
      yield { train: Int32Array.from(train), test };
      a = b;
    }
  }
}
