import { fail, formatValue } from '../errors.js';
import type { CdfDifferences } from './ks.js';

/** What a sorted merge of two samples yields: everything the per-feature numeric tests need. */
export interface MergeResult extends CdfDifferences {
  /** Non-missing values in each sample. */
  readonly n1: number;
  readonly n2: number;
  /** ∫|F₁ − F₂|, summed over consecutive pooled values exactly as `wassersteinSorted`. */
  readonly wasserstein: number;
  /** Smallest and largest value of each sample. */
  readonly min1: number;
  readonly max1: number;
  readonly min2: number;
  readonly max2: number;
  /** Mean and sample variance of each sample, Welford's update over the values in ascending order (as `meanVariance` on a sorted sample). */
  readonly mean1: number;
  readonly variance1: number;
  readonly mean2: number;
  readonly variance2: number;
  /** Sample 1's values at the requested 0-based ranks. */
  readonly orderStatistics: ReadonlyMap<number, number>;
}

/**
 * A two-sample merge over values that arrive in ascending order, in any chunking: `push(value,
 * count1, count2)` says that `value` occurs `count1` times in sample 1 and `count2` times in
 * sample 2 (repeats of the same value may come in several pushes). It computes the same numbers,
 * bit for bit, as the in-memory functions on the sorted samples — the KS cdf differences of
 * `ks2sampSorted`, `wassersteinSorted`, `meanVariance` — so a database can sort the columns
 * (out of core) and stream them here with memory that does not grow with the number of rows.
 * The sample sizes must be known in advance (the cdfs are i/n1 − j/n2 as values arrive).
 */
export class SortedMerge {
  private i = 0;
  private j = 0;
  private maxDiff = -Infinity;
  private minDiff = Infinity;
  private maxAt = Number.NaN;
  private minAt = Number.NaN;
  private total = 0;
  private previous = Number.NaN;
  private current = Number.NaN;
  private pending1 = 0;
  private pending2 = 0;
  private started = false;
  private readonly moments = [
    { n: 0, mean: 0, m2: 0, min: Number.NaN, max: Number.NaN },
    { n: 0, mean: 0, m2: 0, min: Number.NaN, max: Number.NaN },
  ];
  private readonly ranks: number[];
  private nextRank = 0;
  private readonly captured = new Map<number, number>();

  constructor(
    private readonly n1: number,
    private readonly n2: number,
    ranks: readonly number[] = [],
  ) {
    if (!(n1 > 0) || !(n2 > 0))
      fail({ fn: 'SortedMerge', argument: n1 > 0 ? 'n2' : 'n1', value: formatValue(n1 > 0 ? n2 : n1), rule: 'each sample needs at least one value' });
    this.ranks = [...ranks].sort((x, y) => x - y);
  }

  /** Adds `count1` copies of `value` to sample 1 and `count2` to sample 2; values must not decrease. */
  push(value: number, count1: number, count2: number): void {
    if (this.started && value === this.current) {
      this.pending1 += count1;
      this.pending2 += count2;
      return;
    }
    if (this.started) {
      if (!(value > this.current))
        fail({
          fn: 'SortedMerge.push',
          argument: 'value',
          value: `${formatValue(value)} after ${formatValue(this.current)}`,
          rule: 'values must arrive in ascending order, without NaN',
        });
      this.settle();
    } else if (Number.isNaN(value)) {
      fail({ fn: 'SortedMerge.push', argument: 'value', value: 'NaN', rule: 'missing values must be left out of the merge' });
    } else {
      this.started = true;
      this.previous = value;
    }
    this.current = value;
    this.pending1 = count1;
    this.pending2 = count2;
  }

  /** All copies of the current value have arrived: the same steps as one iteration of the in-memory walks. */
  private settle(): void {
    const v = this.current;
    // wassersteinSorted: between `previous` and v both cdfs are constant at i/n1 and j/n2.
    this.total += Math.abs(this.i / this.n1 - this.j / this.n2) * (v - this.previous);
    this.previous = v;
    this.accumulate(0, v, this.pending1, this.i);
    this.accumulate(1, v, this.pending2, this.j);
    this.i += this.pending1;
    this.j += this.pending2;
    // ks2sampSorted: after all copies of v, compare the cdfs.
    const diff = this.i / this.n1 - this.j / this.n2;
    if (diff > this.maxDiff) {
      this.maxDiff = diff;
      this.maxAt = v;
    }
    if (diff < this.minDiff) {
      this.minDiff = diff;
      this.minAt = v;
    }
  }

  private accumulate(side: 0 | 1, v: number, count: number, before: number): void {
    if (count === 0) return;
    const m = this.moments[side];
    if (m.n === 0) m.min = v;
    m.max = v;
    for (let k = 0; k < count; k++) {
      m.n++;
      const d = v - m.mean;
      m.mean += d / m.n;
      m.m2 += d * (v - m.mean);
    }
    if (side === 0) {
      while (this.nextRank < this.ranks.length && this.ranks[this.nextRank] < before + count) {
        this.captured.set(this.ranks[this.nextRank], v);
        this.nextRank++;
      }
    }
  }

  /** Ends the merge; the counts pushed must add up to n1 and n2. */
  finish(): MergeResult {
    if (this.started) this.settle();
    this.started = false;
    const [a, b] = this.moments;
    if (a.n !== this.n1 || b.n !== this.n2)
      fail({
        fn: 'SortedMerge.finish',
        argument: 'counts',
        value: `${a.n} and ${b.n} values`,
        rule: `the merge was announced with ${this.n1} and ${this.n2} values`,
      });
    return {
      n1: this.n1,
      n2: this.n2,
      maxDiff: this.maxDiff,
      minDiff: this.minDiff,
      maxAt: this.maxAt,
      minAt: this.minAt,
      wasserstein: this.total,
      min1: a.min,
      max1: a.max,
      min2: b.min,
      max2: b.max,
      mean1: a.mean,
      variance1: a.n > 1 ? a.m2 / (a.n - 1) : Number.NaN,
      mean2: b.mean,
      variance2: b.n > 1 ? b.m2 / (b.n - 1) : Number.NaN,
      orderStatistics: this.captured,
    };
  }
}
