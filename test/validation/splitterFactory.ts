import {
  GroupKFold,
  GroupShuffleSplit,
  KFold,
  LeaveOneGroupOut,
  LeaveOneOut,
  LeavePOut,
  LeavePGroupsOut,
  PredefinedSplit,
  RepeatedKFold,
  RepeatedStratifiedKFold,
  ShuffleSplit,
  StratifiedGroupKFold,
  StratifiedKFold,
  StratifiedShuffleSplit,
  TimeSeriesSplit,
  type CrossValidator,
  type WarningHandler,
} from '../../src/validation/index.js';

/** scikit-learn parameter names → ours. */
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
};

export type SkParams = Record<string, number | boolean | number[] | null>;

export function camelParams(params: SkParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (k === 'test_fold' || k === 'stratify') continue;
    const name = NAMES[k];
    if (!name) throw new Error(`unmapped scikit-learn parameter ${k}`);
    out[name] = v;
  }
  return out;
}

/** Builds our splitter for a golden case (scikit-learn class name + parameters). */
export function makeSplitter(name: string, params: SkParams, onWarning: WarningHandler): CrossValidator {
  const o = { ...camelParams(params), onWarning };
  switch (name) {
    case 'KFold':
      return new KFold(o);
    case 'StratifiedKFold':
      return new StratifiedKFold(o);
    case 'GroupKFold':
      return new GroupKFold(o);
    case 'StratifiedGroupKFold':
      return new StratifiedGroupKFold(o);
    case 'TimeSeriesSplit':
      return new TimeSeriesSplit(o);
    case 'LeaveOneGroupOut':
      return new LeaveOneGroupOut();
    case 'LeavePGroupsOut':
      return new LeavePGroupsOut({ nGroups: Number(params.n_groups) });
    case 'LeaveOneOut':
      return new LeaveOneOut({ onWarning });
    case 'LeavePOut':
      return new LeavePOut({ p: Number(params.p), onWarning });
    case 'PredefinedSplit':
      return new PredefinedSplit(params.test_fold as number[], { onWarning });
    case 'ShuffleSplit':
      return new ShuffleSplit(o);
    case 'GroupShuffleSplit':
      return new GroupShuffleSplit(o);
    case 'StratifiedShuffleSplit':
      return new StratifiedShuffleSplit(o);
    case 'RepeatedKFold':
      return new RepeatedKFold(o);
    case 'RepeatedStratifiedKFold':
      return new RepeatedStratifiedKFold(o);
    default:
      throw new Error(`no splitter named ${name}`);
  }
}
