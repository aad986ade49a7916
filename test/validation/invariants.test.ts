import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  GroupKFold,
  GroupShuffleSplit,
  KFold,
  LeaveOneGroupOut,
  LeavePGroupsOut,
  PredefinedSplit,
  PurgedKFold,
  RepeatedKFold,
  RepeatedStratifiedKFold,
  ShuffleSplit,
  StratifiedGroupKFold,
  StratifiedGroupShuffleSplit,
  StratifiedKFold,
  StratifiedShuffleSplit,
  TimeSeriesSplit,
  type TrainTest,
} from '../../src/validation/index.js';

const quiet = (): void => {};
const runs = { numRuns: 40 };

/** train ∩ test = ∅ and both within [0, n). */
function disjoint({ train, test }: TrainTest, n: number): void {
  const seen = new Uint8Array(n);
  for (const i of test) {
    expect(i >= 0 && i < n).toBe(true);
    expect(seen[i]).toBe(0);
    seen[i] = 1;
  }
  for (const i of train) {
    expect(i >= 0 && i < n).toBe(true);
    expect(seen[i], `sample ${i} on both sides`).not.toBe(1);
    expect(seen[i], `sample ${i} twice in train`).toBe(0);
    seen[i] = 2;
  }
}

function coversAll({ train, test }: TrainTest, n: number): void {
  expect(train.length + test.length).toBe(n);
}

function ascending(a: Int32Array): void {
  for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1]);
}

/** Each sample is in exactly one test fold (scikit-learn's check_cv_coverage). */
function eachSampleTestedOnce(splits: TrainTest[], n: number): void {
  const count = new Int32Array(n);
  for (const s of splits) for (const i of s.test) count[i]++;
  expect(Array.from(count).every((c) => c === 1)).toBe(true);
}

function noGroupOnBothSides(s: TrainTest, groups: number[]): void {
  const trainGroups = new Set(Array.from(s.train, (i) => groups[i]));
  for (const i of s.test) expect(trainGroups.has(groups[i]), `group ${groups[i]} on both sides`).toBe(false);
}

const seed = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const sizeAndFolds = fc.integer({ min: 2, max: 8 }).chain((k) => fc.tuple(fc.constant(k), fc.integer({ min: k, max: 120 })));
/** Labels with every class at least `k` strong enough to avoid the "every class too small" error. */
const labelled = fc.integer({ min: 2, max: 6 }).chain((k) =>
  fc.tuple(fc.constant(k), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2 * k, maxLength: 150 })).filter(([kk, y]) => {
    const counts = new Map<number, number>();
    for (const v of y) counts.set(v, (counts.get(v) ?? 0) + 1);
    return Math.max(...counts.values()) >= kk;
  }),
);
const grouped = fc
  .integer({ min: 2, max: 6 })
  .chain((k) =>
    fc.tuple(fc.constant(k), fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 2, maxLength: 150 })).filter(([kk, g]) => new Set(g).size >= kk),
  );

describe('k-fold family: disjoint, complete, each sample tested once', () => {
  it('KFold (shuffle off and on)', () => {
    fc.assert(
      fc.property(sizeAndFolds, fc.boolean(), seed, ([k, n], shuffle, s) => {
        const splits = [...new KFold({ nSplits: k, shuffle, randomState: shuffle ? s : undefined }).split({ n })];
        expect(splits.length).toBe(k);
        for (const sp of splits) {
          disjoint(sp, n);
          coversAll(sp, n);
          ascending(sp.test);
          ascending(sp.train);
          expect(Math.abs(sp.test.length - Math.floor(n / k))).toBeLessThanOrEqual(1);
        }
        eachSampleTestedOnce(splits, n);
      }),
      runs,
    );
  });

  it('StratifiedKFold keeps each class within one sample of its share per fold', () => {
    fc.assert(
      fc.property(labelled, fc.boolean(), seed, ([k, y], shuffle, s) => {
        const n = y.length;
        const splits = [...new StratifiedKFold({ nSplits: k, shuffle, randomState: shuffle ? s : undefined, onWarning: quiet }).split({ n }, y)];
        for (const sp of splits) {
          disjoint(sp, n);
          coversAll(sp, n);
          for (const cls of new Set(y)) {
            const total = y.filter((v) => v === cls).length;
            const inFold = Array.from(sp.test).filter((i) => y[i] === cls).length;
            expect(Math.abs(inFold - total / k)).toBeLessThan(1 + 1e-9);
          }
        }
        eachSampleTestedOnce(splits, n);
      }),
      runs,
    );
  });

  it('GroupKFold and StratifiedGroupKFold never put a group on both sides', () => {
    fc.assert(
      fc.property(grouped, fc.boolean(), seed, ([k, g], shuffle, s) => {
        const n = g.length;
        const y = g.map((v) => v % 3);
        const cvs = [
          new GroupKFold({ nSplits: k, shuffle, randomState: shuffle ? s : undefined }),
          new StratifiedGroupKFold({ nSplits: k, shuffle, randomState: shuffle ? s : undefined, onWarning: quiet }),
        ];
        for (const cv of cvs) {
          let splits: TrainTest[];
          try {
            splits = [...cv.split({ n }, y, g)];
          } catch {
            continue; // StratifiedGroupKFold: every class smaller than k (a documented error)
          }
          for (const sp of splits) {
            disjoint(sp, n);
            coversAll(sp, n);
            noGroupOnBothSides(sp, g);
          }
          eachSampleTestedOnce(splits, n);
        }
      }),
      runs,
    );
  });

  it('RepeatedKFold and RepeatedStratifiedKFold: every repetition is a partition', () => {
    fc.assert(
      fc.property(labelled, fc.integer({ min: 1, max: 3 }), seed, ([k, y], repeats, s) => {
        const n = y.length;
        for (const cv of [
          new RepeatedKFold({ nSplits: k, nRepeats: repeats, randomState: s }),
          new RepeatedStratifiedKFold({ nSplits: k, nRepeats: repeats, randomState: s, onWarning: quiet }),
        ]) {
          const splits = [...cv.split({ n }, y)];
          expect(splits.length).toBe(cv.getNSplits());
          for (let r = 0; r < repeats; r++) eachSampleTestedOnce(splits.slice(r * k, (r + 1) * k), n);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('group splitters', () => {
  it('LeaveOneGroupOut / LeavePGroupsOut: test = the left-out groups, train = the rest', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 3, maxLength: 60 }).filter((g) => new Set(g).size >= 3),
        (g) => {
          const n = g.length;
          const logo = [...new LeaveOneGroupOut().split({ n }, null, g)];
          expect(logo.length).toBe(new Set(g).size);
          eachSampleTestedOnce(logo, n);
          for (const sp of [...logo, ...new LeavePGroupsOut({ nGroups: 2 }).split({ n }, null, g)]) {
            disjoint(sp, n);
            coversAll(sp, n);
            noGroupOnBothSides(sp, g);
          }
        },
      ),
      runs,
    );
  });

  it('GroupShuffleSplit and StratifiedGroupShuffleSplit keep groups whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 4, maxLength: 120 }).filter((g) => new Set(g).size >= 4),
        seed,
        (g, s) => {
          const n = g.length;
          const y = g.map((v, i) => (v + i) % 2);
          for (const cv of [
            new GroupShuffleSplit({ nSplits: 3, testSize: 0.25, randomState: s }),
            new StratifiedGroupShuffleSplit({ nSplits: 3, testSize: 0.25, randomState: s }),
          ]) {
            for (const sp of cv.split({ n }, y, g)) {
              disjoint(sp, n);
              noGroupOnBothSides(sp, g);
              expect(sp.test.length).toBeGreaterThan(0);
              expect(sp.train.length).toBeGreaterThan(0);
            }
          }
        },
      ),
      runs,
    );
  });
});

describe('shuffle splits', () => {
  it('ShuffleSplit and StratifiedShuffleSplit: disjoint, sizes as validated', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 20, maxLength: 120 }),
        fc.double({ min: 0.15, max: 0.5, noNaN: true }),
        seed,
        (y, testSize, s) => {
          const n = y.length;
          const counts = [0, 1, 2].map((c) => y.filter((v) => v === c).length).filter((c) => c > 0);
          for (const sp of new ShuffleSplit({ nSplits: 3, testSize, randomState: s }).split({ n })) {
            disjoint(sp, n);
            coversAll(sp, n);
            expect(sp.test.length).toBe(Math.ceil(testSize * n));
          }
          if (Math.min(...counts) < 2) return;
          for (const sp of new StratifiedShuffleSplit({ nSplits: 3, testSize, randomState: s }).split({ n }, y)) {
            disjoint(sp, n);
            coversAll(sp, n);
            expect(sp.test.length).toBe(Math.ceil(testSize * n));
          }
        },
      ),
      runs,
    );
  });

  it('PredefinedSplit: test = the samples of each fold number', () => {
    const cv = new PredefinedSplit([1, -1, 0, 1, 0]);
    expect([...cv.split()].map((s) => Array.from(s.test))).toEqual([
      [2, 4],
      [0, 3],
    ]);
  });
});

describe('time order', () => {
  it('TimeSeriesSplit trains only on the past, with the gap and the size cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        // n > 21 keeps n − gap − k·⌊n/(k + 1)⌋ > 0 for every k ≤ 6, gap ≤ 3 (else TimeSeriesSplit rightly refuses, as scikit-learn)
        fc.integer({ min: 22, max: 200 }),
        fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
        (k, gap, n, maxTrainSize) => {
          const splits = [...new TimeSeriesSplit({ nSplits: k, gap, maxTrainSize }).split({ n })];
          expect(splits.length).toBe(k);
          for (const sp of splits) {
            disjoint(sp, n);
            ascending(sp.train);
            ascending(sp.test);
            expect(sp.train[sp.train.length - 1] + gap).toBeLessThan(sp.test[0]);
            if (maxTrainSize !== undefined) expect(sp.train.length).toBeLessThanOrEqual(maxTrainSize);
          }
          expect(splits[k - 1].test[splits[k - 1].test.length - 1]).toBe(n - 1);
        },
      ),
      runs,
    );
  });

  it('PurgedKFold: no training label interval overlaps the test span; embargo follows the test block', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 10 })), { minLength: 10, maxLength: 120 }),
        fc.integer({ min: 2, max: 5 }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        (steps, k, embargo) => {
          const t0: number[] = [];
          let t = 0;
          for (const [dt] of steps) {
            t += dt;
            t0.push(t);
          }
          const t1 = t0.map((v, i) => v + steps[i][1]);
          const n = t0.length;
          const splits = [...new PurgedKFold({ nSplits: k, t0, t1, embargo }).split({ n })];
          eachSampleTestedOnce(splits, n);
          for (const sp of splits) {
            disjoint(sp, n);
            const start = t0[sp.test[0]];
            const end = Math.max(...Array.from(sp.test, (i) => t1[i]));
            for (const i of sp.train) expect(t1[i] < start || t0[i] > end).toBe(true);
            // Every sample that does not overlap and is not embargoed trains (brute force).
            const last = sp.test[sp.test.length - 1];
            const firstClear = Array.from({ length: n }, (_, i) => i).find((i) => i > last && t0[i] > end) ?? n;
            const expected = Array.from({ length: n }, (_, i) => i).filter(
              (i) => (i < sp.test[0] && t1[i] < start) || i >= firstClear + Math.floor(embargo * n),
            );
            expect(Array.from(sp.train)).toEqual(expected);
          }
        },
      ),
      runs,
    );
  });
});
