import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ks2sampSorted, ksFromDifferences } from '../../src/shift/ks.js';
import { psiEdges, psiFromCounts, psiRanks, psiSorted } from '../../src/shift/psi.js';
import { meanVariance } from '../../src/shift/sample.js';
import { SortedMerge } from '../../src/shift/sortedMerge.js';
import { wassersteinSorted } from '../../src/shift/wasserstein.js';

/** Pushes the pooled sorted values as (value, side) pairs split into runs at random points, as a database stream would. */
function streamMerge(a: Float64Array, b: Float64Array, cuts: readonly number[], ranks: readonly number[]): SortedMerge {
  const merge = new SortedMerge(a.length, b.length, ranks);
  const pooled = [...Array.from(a, (v) => [v, 0] as const), ...Array.from(b, (v) => [v, 1] as const)].sort((x, y) => x[0] - y[0]);
  let k = 0;
  let cut = 0;
  while (k < pooled.length) {
    // A run of equal values, possibly split across pushes at the cut points.
    const step = Math.max(1, cuts[cut++ % cuts.length]);
    const end = Math.min(pooled.length, k + step);
    for (; k < end; k++) merge.push(pooled[k][0], pooled[k][1] === 0 ? 1 : 0, pooled[k][1] === 1 ? 1 : 0);
  }
  return merge;
}

/** −0 and +0 are one value to a database's sort (and to every statistic); compare them as equal. */
const z = (x: number | undefined): number | undefined => (x === 0 ? 0 : x);

const sample = fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e3, max: 1e3, noNaN: true })), { minLength: 2, maxLength: 60 });

describe('SortedMerge: the streaming merge gives the in-memory numbers bit for bit', () => {
  it('KS differences and p-value, Wasserstein, moments and order statistics (property, ties split across pushes)', () => {
    fc.assert(
      fc.property(sample, sample, fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }), (xa, xb, cuts) => {
        const a = Float64Array.from(xa).sort();
        const b = Float64Array.from(xb).sort();
        const ranks = psiRanks(a.length);
        const r = streamMerge(a, b, cuts, ranks).finish();
        const ks = ks2sampSorted(a, b);
        const fromMerge = ksFromDifferences(a.length, b.length, r);
        expect({ ...fromMerge, location: z(fromMerge.location) }).toEqual({ ...ks, location: z(ks.location) });
        expect(Object.is(r.wasserstein, wassersteinSorted(a, b))).toBe(true);
        const ma = meanVariance(a);
        const mb = meanVariance(b);
        expect([r.mean1, r.variance1, r.mean2, r.variance2].map(z)).toEqual([ma.mean, ma.variance, mb.mean, mb.variance].map(z));
        expect([r.min1, r.max1, r.min2, r.max2].map(z)).toEqual([a[0], a[a.length - 1], b[0], b[b.length - 1]].map(z));
        for (const rank of ranks) expect(z(r.orderStatistics.get(rank))).toBe(z(a[rank]));
        const edges = psiEdges(a.length, (rank) => r.orderStatistics.get(rank) as number);
        const atMost = (s: Float64Array) => edges.map((e) => s.filter((v) => v <= e).length);
        expect(psiFromCounts(edges, atMost(a), a.length, atMost(b), b.length)).toEqual(psiSorted(a, b));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects values out of order and counts that do not add up', () => {
    const m = new SortedMerge(2, 1);
    m.push(1, 1, 0);
    expect(() => m.push(0, 1, 0)).toThrow(/values must arrive in ascending order/);
    const short = new SortedMerge(2, 1);
    short.push(1, 1, 1);
    expect(() => short.finish()).toThrow(/announced with 2 and 1 values/);
  });
});
