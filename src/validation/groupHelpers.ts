import { fail } from '../errors.js';
import { checkLength, type Labels, type TrainTest } from './core.js';

/** Checks groups are given and have one entry per sample (scikit-learn: "The 'groups' parameter should not be None."). */
export function requireGroups(groups: Labels | null | undefined, n: number, fn: string): Labels {
  if (groups === null || groups === undefined) {
    return fail({
      fn,
      argument: 'groups',
      rule: "the 'groups' parameter should not be None",
      fix: 'Pass one group label per sample (e.g. a user or patient id).',
    });
  }
  checkLength(groups, n, fn, 'groups');
  return groups;
}

/** Samples whose group is marked 0 (train) or 1 (test), ascending; groups marked -1 are left out. */
export function samplesOfGroups(codes: Int32Array, side: Int8Array): TrainTest {
  let nTest = 0;
  let nTrain = 0;
  for (let i = 0; i < codes.length; i++) {
    const s = side[codes[i]];
    if (s === 1) nTest++;
    else if (s === 0) nTrain++;
  }
  const train = new Int32Array(nTrain);
  const test = new Int32Array(nTest);
  let a = 0;
  let b = 0;
  for (let i = 0; i < codes.length; i++) {
    const s = side[codes[i]];
    if (s === 1) test[a++] = i;
    else if (s === 0) train[b++] = i;
  }
  return { train, test };
}
