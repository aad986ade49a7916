import type { TrainTest } from './core.js';

/** What one split looks like: sizes, test class mix, groups, time range, and problems found. */
export interface FoldSummary {
  readonly split: number;
  readonly trainSize: number;
  readonly testSize: number;
  /** Test samples per class (class label → count), when labels were given. */
  readonly testClasses?: ReadonlyMap<string, number>;
  /** Distinct groups in the test set and in the training set, when groups were given. */
  readonly testGroups?: number;
  readonly trainGroups?: number;
  /** Groups found on both sides (leakage), when groups were given. */
  readonly sharedGroups?: number;
  /** Earliest and latest time of the test and training samples, when times were given. */
  readonly testTime?: readonly [number, number];
  readonly trainTime?: readonly [number, number];
  /** Human-readable problems: an empty side, a class missing from or far off its share in the test set. */
  readonly flags: readonly string[];
}

export interface FoldSummaryInput {
  readonly labels?: ArrayLike<number | string | null> | null;
  readonly groups?: ArrayLike<number | string | null> | null;
  readonly times?: ArrayLike<number> | null;
  /** A class share in a test set further than this from its share overall is flagged (default 0.1). */
  readonly tolerance?: number;
}

function timeRange(indices: Int32Array, times: ArrayLike<number>): [number, number] | undefined {
  if (indices.length === 0) return undefined;
  let lo = Infinity;
  let hi = -Infinity;
  for (const i of indices) {
    lo = Math.min(lo, times[i]);
    hi = Math.max(hi, times[i]);
  }
  return [lo, hi];
}

function distinct(indices: Int32Array, groups: ArrayLike<number | string | null>): Set<string> {
  const set = new Set<string>();
  for (const i of indices) set.add(String(groups[i]));
  return set;
}

/**
 * Summarises splits for a report (the `losslab split` table): per split the sizes, the test
 * class counts, the number of groups on each side and the time ranges, and flags empty sides,
 * groups on both sides, and test sets whose class mix is off (a class absent although it has at
 * least as many members as there are splits, or a share more than `tolerance` away from overall).
 */
export function summarizeFolds(splits: readonly TrainTest[], input: FoldSummaryInput = {}): FoldSummary[] {
  const tolerance = input.tolerance ?? 0.1;
  const labels = input.labels ?? null;
  const overall = new Map<string, number>();
  if (labels) for (let i = 0; i < labels.length; i++) overall.set(String(labels[i]), (overall.get(String(labels[i])) ?? 0) + 1);
  const total = labels ? labels.length : 0;
  return splits.map((s, index) => {
    const flags: string[] = [];
    if (s.test.length === 0) flags.push('empty test set');
    if (s.train.length === 0) flags.push('empty training set');
    let testClasses: Map<string, number> | undefined;
    if (labels) {
      testClasses = new Map([...overall.keys()].map((k) => [k, 0]));
      for (const i of s.test) testClasses.set(String(labels[i]), (testClasses.get(String(labels[i])) ?? 0) + 1);
      if (s.test.length > 0) {
        for (const [label, count] of overall) {
          const got = testClasses.get(label) ?? 0;
          const share = got / s.test.length;
          const want = count / total;
          if (got === 0 && count >= splits.length) flags.push(`class ${label} is missing from the test set (${(100 * want).toFixed(1)}% overall)`);
          else if (Math.abs(share - want) > tolerance)
            flags.push(`class ${label} is ${(100 * share).toFixed(1)}% of the test set vs ${(100 * want).toFixed(1)}% overall`);
        }
      }
    }
    let testGroups: number | undefined;
    let trainGroups: number | undefined;
    let sharedGroups: number | undefined;
    if (input.groups) {
      const te = distinct(s.test, input.groups);
      const tr = distinct(s.train, input.groups);
      testGroups = te.size;
      trainGroups = tr.size;
      sharedGroups = [...te].filter((g) => tr.has(g)).length;
    }
    const summary: FoldSummary = {
      split: index,
      trainSize: s.train.length,
      testSize: s.test.length,
      testClasses,
      testGroups,
      trainGroups,
      sharedGroups,
      testTime: input.times ? timeRange(s.test, input.times) : undefined,
      trainTime: input.times ? timeRange(s.train, input.times) : undefined,
      flags,
    };
    return summary;
  });
}
