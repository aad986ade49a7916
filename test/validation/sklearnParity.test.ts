import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { LosslabError } from '../../src/errors.js';
import { RandomState } from '../../src/tensor/random.js';
import { approximateMode, trainTestSplit, type TrainTest } from '../../src/validation/index.js';
import { createSplitter, findStrategy, type StrategyValues } from '../../src/validation/strategies.js';

type SkParams = Record<string, number | boolean | number[] | null>;

/** scikit-learn parameter names → the registry's (camelCase). */
const NAMES: Record<string, string> = {
  n_splits: 'nSplits',
  shuffle: 'shuffle',
  random_state: 'randomState',
  test_size: 'testSize',
  train_size: 'trainSize',
  max_train_size: 'maxTrainSize',
  gap: 'gap',
  n_repeats: 'nRepeats',
  n_groups: 'nGroups',
  p: 'p',
  test_fold: 'testFold',
};

/** A golden case's parameters as given (unchecked: error cases pass invalid values on purpose). */
function camelParams(params: SkParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (k === 'stratify') continue;
    const name = NAMES[k];
    if (!name) throw new Error(`unmapped scikit-learn parameter ${k}`);
    out[name] = v;
  }
  return out;
}

/** Our splitter for a golden case, built by the strategy registry (as losslab split and the web lab build theirs). */
function makeSplitter(className: string, params: SkParams, onWarning: (m: string) => void) {
  const strategy = findStrategy(className);
  if (!strategy) throw new Error(`the strategy registry has no ${className}`);
  return createSplitter(strategy, { ...camelParams(params), onWarning } as StrategyValues);
}

/** Folds made by the real scikit-learn; see scripts/golden_sklearn_splits.py. */
interface GoldenSplit {
  train: number[];
  test: number[];
}
interface GoldenCase {
  id: string;
  splitter: string;
  params: SkParams;
  n: number;
  y: number[] | string[] | null;
  groups: number[] | string[] | null;
  splits?: GoldenSplit[];
  splits_stable_sort?: GoldenSplit[];
  splits_fixed_shuffle?: GoldenSplit[];
  default_argsort_equals_stable?: boolean;
  n_splits_reported?: number;
  error?: string;
  skipped?: string;
  warnings?: string[];
}
interface Golden {
  sklearn: string;
  group_kfold_tie_order: 'stable' | 'default-argsort';
  cases: GoldenCase[];
  approximate_mode: { class_counts: number[]; n_draws: number; seed: number; result: number[] }[];
  choice: { population: number; size: number; replace: boolean; seed: number; result: number[] }[];
}

const golden = JSON.parse(readFileSync(new URL('../golden/sklearn_splits.json', import.meta.url), 'utf8')) as Golden;

function plain(splits: Iterable<TrainTest>): GoldenSplit[] {
  return [...splits].map(({ train, test }) => ({ train: Array.from(train), test: Array.from(test) }));
}

function run(c: GoldenCase, warnings: string[]): GoldenSplit[] {
  if (c.splitter === 'train_test_split') {
    const { testFold: _unused, ...params } = camelParams(c.params);
    const options = { ...params, stratify: c.params.stratify ? c.y : undefined };
    return plain([trainTestSplit({ n: c.n }, options)]);
  }
  const cv = makeSplitter(c.splitter, c.params, (m) => warnings.push(m));
  const splits = plain(cv.split({ n: c.n }, c.y, c.groups));
  if (c.n_splits_reported !== undefined) expect(cv.getNSplits({ n: c.n }, c.y, c.groups)).toBe(c.n_splits_reported);
  return splits;
}

/**
 * The folds to compare with. From scikit-learn older than the release we follow, the golden script
 * also records what the newer code yields (computed with the installed code, see the script):
 * GroupKFold's stable tie order (1.9) and StratifiedGroupKFold's fixed shuffle (1.8).
 */
function expected(c: GoldenCase): GoldenSplit[] | undefined {
  if (c.splits_fixed_shuffle) return c.splits_fixed_shuffle;
  if (c.splitter === 'GroupKFold' && golden.group_kfold_tie_order !== 'stable' && c.default_argsort_equals_stable === false) {
    return c.splits_stable_sort;
  }
  return c.splits;
}

describe(`splitters match scikit-learn ${golden.sklearn} index for index`, () => {
  for (const c of golden.cases) {
    if (c.skipped) {
      it.skip(`${c.id} (${c.skipped})`, () => {});
      continue;
    }
    it(c.id, () => {
      const warnings: string[] = [];
      if (c.error !== undefined) {
        expect(() => run(c, warnings)).toThrow(LosslabError);
        return;
      }
      const want = expected(c);
      expect(want, 'golden splits').toBeDefined();
      expect(run(c, warnings)).toEqual(want);
      expect(warnings).toEqual(c.warnings ?? []);
    });
  }

  it('covers every splitter', () => {
    const names = new Set(golden.cases.map((c) => c.splitter));
    for (const name of [
      'KFold',
      'StratifiedKFold',
      'GroupKFold',
      'StratifiedGroupKFold',
      'TimeSeriesSplit',
      'LeaveOneOut',
      'LeavePOut',
      'LeaveOneGroupOut',
      'LeavePGroupsOut',
      'PredefinedSplit',
      'ShuffleSplit',
      'GroupShuffleSplit',
      'StratifiedShuffleSplit',
      'RepeatedKFold',
      'RepeatedStratifiedKFold',
      'train_test_split',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
  });
});

describe('pieces of StratifiedShuffleSplit match NumPy / scikit-learn', () => {
  for (const a of golden.approximate_mode) {
    it(`_approximate_mode(${JSON.stringify(a.class_counts)}, ${a.n_draws}, RandomState(${a.seed}))`, () => {
      expect(Array.from(approximateMode(a.class_counts, a.n_draws, new RandomState(a.seed)))).toEqual(a.result);
    });
  }
  for (const c of golden.choice) {
    it(`RandomState(${c.seed}).choice(${c.population}, ${c.size}, replace=${c.replace})`, () => {
      expect(Array.from(new RandomState(c.seed).choice(c.population, c.size, { replace: c.replace }))).toEqual(c.result);
    });
  }
});
