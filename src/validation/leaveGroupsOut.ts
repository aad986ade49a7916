import { fail, formatValue } from '../errors.js';
import { numSamples, type CrossValidator, type Labels, type SampleSource, type TrainTest } from './core.js';
import { requireGroups } from './groupHelpers.js';
import { encodeLabels } from './labels.js';

function groupMaskSplit(codes: Int32Array, chosen: Uint8Array): TrainTest {
  let size = 0;
  for (let i = 0; i < codes.length; i++) size += chosen[codes[i]];
  const test = new Int32Array(size);
  const train = new Int32Array(codes.length - size);
  let a = 0;
  let b = 0;
  for (let i = 0; i < codes.length; i++) {
    if (chosen[codes[i]]) test[a++] = i;
    else train[b++] = i;
  }
  return { train, test };
}

/** Binomial coefficient C(n, k) as a number (exact below 2^53). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) r = (r * (n - i + 1)) / i;
  return Math.round(r);
}

/**
 * Leave-one-group-out, as scikit-learn's `LeaveOneGroupOut()`: one split per distinct group (in
 * sorted order), testing on that group and training on all others.
 */
export class LeaveOneGroupOut implements CrossValidator {
  getNSplits(_X?: SampleSource | null, _y?: Labels | null, groups?: Labels | null): number {
    if (groups === null || groups === undefined)
      return fail({ fn: 'LeaveOneGroupOut.getNSplits', argument: 'groups', rule: "the 'groups' parameter should not be None" });
    return encodeLabels(groups, 'LeaveOneGroupOut.getNSplits', 'groups').classes.length;
  }

  *split(X: SampleSource, _y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    const fn = 'LeaveOneGroupOut.split';
    const n = numSamples(X, fn);
    const { codes, classes } = encodeLabels(requireGroups(groups, n, fn), fn, 'groups');
    if (classes.length <= 1) {
      fail({
        fn,
        argument: 'groups',
        value: formatValue(classes),
        rule: 'the groups parameter contains fewer than 2 unique groups; LeaveOneGroupOut expects at least 2',
      });
    }
    for (let g = 0; g < classes.length; g++) {
      const chosen = new Uint8Array(classes.length);
      chosen[g] = 1;
      yield groupMaskSplit(codes, chosen);
    }
  }
}

/**
 * Leave-P-groups-out, as scikit-learn's `LeavePGroupsOut(n_groups)`: one split per combination of
 * `nGroups` distinct groups (lexicographic over the sorted groups, as `itertools.combinations`),
 * testing on those groups.
 */
export class LeavePGroupsOut implements CrossValidator {
  readonly nGroups: number;

  constructor(options: { nGroups: number }) {
    this.nGroups = options.nGroups;
    if (!Number.isInteger(this.nGroups) || this.nGroups < 1) {
      fail({ fn: 'LeavePGroupsOut', argument: 'nGroups', value: formatValue(this.nGroups), rule: 'it must be a positive integer' });
    }
  }

  getNSplits(_X?: SampleSource | null, _y?: Labels | null, groups?: Labels | null): number {
    if (groups === null || groups === undefined)
      return fail({ fn: 'LeavePGroupsOut.getNSplits', argument: 'groups', rule: "the 'groups' parameter should not be None" });
    return binomial(encodeLabels(groups, 'LeavePGroupsOut.getNSplits', 'groups').classes.length, this.nGroups);
  }

  *split(X: SampleSource, _y?: Labels | null, groups?: Labels | null): Generator<TrainTest, void, undefined> {
    const fn = 'LeavePGroupsOut.split';
    const n = numSamples(X, fn);
    const { codes, classes } = encodeLabels(requireGroups(groups, n, fn), fn, 'groups');
    const p = this.nGroups;
    const m = classes.length;
    if (p >= m) {
      fail({
        fn,
        argument: 'nGroups',
        value: String(p),
        rule: `the groups parameter contains fewer than (or equal to) n_groups (${p}) unique groups (${m}); LeavePGroupsOut expects at least n_groups + 1 (${p + 1}) unique groups`,
      });
    }
    const pick = Array.from({ length: p }, (_, i) => i);
    for (;;) {
      const chosen = new Uint8Array(m);
      for (const g of pick) chosen[g] = 1;
      yield groupMaskSplit(codes, chosen);
      let i = p - 1;
      while (i >= 0 && pick[i] === m - p + i) i--;
      if (i < 0) return;
      pick[i]++;
      for (let j = i + 1; j < p; j++) pick[j] = pick[j - 1] + 1;
    }
  }
}
