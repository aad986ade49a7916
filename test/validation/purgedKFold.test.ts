import { describe, expect, it } from 'vitest';
import { KFold, PurgedKFold } from '../../src/validation/index.js';

const lists = (cv: { split(X: { n: number }): Iterable<{ train: Int32Array; test: Int32Array }> }, n: number): { train: number[]; test: number[] }[] =>
  [...cv.split({ n })].map((s) => ({ train: Array.from(s.train), test: Array.from(s.test) }));

describe('PurgedKFold (López de Prado, ch. 7)', () => {
  it('with point-in-time labels and no embargo it is KFold', () => {
    const t0 = Array.from({ length: 11 }, (_, i) => i * 10);
    expect(lists(new PurgedKFold({ nSplits: 3, t0 }), 11)).toEqual(lists(new KFold({ nSplits: 3 }), 11));
  });

  it('purges training samples whose label window reaches into the test block (worked example)', () => {
    // Daily samples 0..9, each label looks 2 days ahead: [t, t + 2].
    const t0 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const t1 = t0.map((t) => t + 2);
    const splits = lists(new PurgedKFold({ nSplits: 2, t0, t1 }), 10);
    // Test block 0..4 spans [0, 6]: samples 5 and 6 start inside it and are purged.
    expect(splits[0]).toEqual({ test: [0, 1, 2, 3, 4], train: [7, 8, 9] });
    // Test block 5..9 spans [5, 11]: samples 3 and 4 end at 5 and 6, inside it.
    expect(splits[1]).toEqual({ test: [5, 6, 7, 8, 9], train: [0, 1, 2] });
  });

  it('embargoes ⌊embargo · n⌋ samples after the purge', () => {
    const t0 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const t1 = t0.map((t) => t + 2);
    const splits = lists(new PurgedKFold({ nSplits: 2, t0, t1, embargo: 0.2 }), 10);
    expect(splits[0]).toEqual({ test: [0, 1, 2, 3, 4], train: [9] });
    expect(splits[1].train).toEqual([0, 1, 2]);
  });

  it('rejects unsorted times, inverted intervals and a bad embargo', () => {
    expect(() => new PurgedKFold({ t0: [0, 2, 1] })).toThrow(/t0.*sorted by time/s);
    expect(() => new PurgedKFold({ t0: [0, 1], t1: [1, 0] })).toThrow(/must not end before it starts/);
    expect(() => new PurgedKFold({ t0: [0, 1], embargo: 1 })).toThrow(/embargo.*\[0, 1\)/s);
    expect(() => [...new PurgedKFold({ nSplits: 3, t0: [0, 1] }).split()]).toThrow(/n_splits=3 greater than the number of samples/);
  });
});
