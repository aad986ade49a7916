import type { CrossValidator, RandomStateLike, WarningHandler } from './core.js';
import { GroupKFold } from './groupKFold.js';
import { GroupShuffleSplit } from './groupShuffleSplit.js';
import { KFold } from './kFold.js';
import { LeaveOneGroupOut, LeavePGroupsOut } from './leaveGroupsOut.js';
import { LeaveOneOut, LeavePOut } from './leaveOut.js';
import { PredefinedSplit } from './predefinedSplit.js';
import { PurgedKFold } from './purgedKFold.js';
import { RepeatedKFold, RepeatedStratifiedKFold } from './repeated.js';
import { ShuffleSplit, type SplitSize } from './shuffleSplit.js';
import { StratifiedGroupKFold } from './stratifiedGroupKFold.js';
import { StratifiedGroupShuffleSplit } from './stratifiedGroupShuffleSplit.js';
import { StratifiedKFold } from './stratifiedKFold.js';
import { StratifiedShuffleSplit } from './stratifiedShuffleSplit.js';
import { TimeSeriesSplit } from './timeSeriesSplit.js';

/**
 * The split strategies, once: each splitter class with its name on the command line and in the web
 * lab, the columns it needs, the parameters it accepts (scikit-learn's, in camelCase) and the
 * defaults the surfaces give where the class has none. `losslab split`, the validation lab and the
 * scikit-learn parity tests build every splitter here (`createSplitter`).
 */

/** A column a strategy needs besides the rows: class labels, groups, times, or predefined test folds. */
export type StrategyNeed = 'label' | 'group' | 'time' | 'testFold';

/** Every parameter of the splitter classes (scikit-learn's names in camelCase) and the data columns some take. */
export interface StrategyValues {
  readonly nSplits?: number;
  readonly shuffle?: boolean;
  readonly randomState?: RandomStateLike;
  readonly testSize?: SplitSize;
  readonly trainSize?: SplitSize;
  readonly gap?: number;
  readonly maxTrainSize?: number;
  readonly nRepeats?: number;
  readonly nGroups?: number;
  readonly p?: number;
  readonly embargo?: number;
  /** PurgedKFold: when each sample's label interval starts and ends (the time column). */
  readonly t0?: ArrayLike<number>;
  readonly t1?: ArrayLike<number> | null;
  /** PredefinedSplit: the test fold of each sample (−1: always in train). */
  readonly testFold?: ArrayLike<number>;
  readonly onWarning?: WarningHandler;
}

export type StrategyParameter = Exclude<keyof StrategyValues, 't0' | 't1' | 'testFold' | 'onWarning'>;

export interface SplitStrategy {
  /** The name on the command line and in the web lab (`losslab split --strategy group`). */
  readonly id: string;
  /** The scikit-learn class (losslab's own for PurgedKFold and StratifiedGroupShuffleSplit). */
  readonly className: string;
  readonly needs: readonly StrategyNeed[];
  readonly accepts: readonly StrategyParameter[];
  /** Values the surfaces use where the class has no default (e.g. LeavePGroupsOut's nGroups). */
  readonly defaults: Partial<Pick<StrategyValues, 'nGroups' | 'p'>>;
  /** Every row is in exactly one test set and train is the rest (a CSV gets one `fold` column). */
  readonly partition: boolean;
  /** The rows must be in time order (a time column, when given, is checked or sorted by). */
  readonly timeOrdered?: boolean;
  /** `rows`: `testSize` is a number of rows (TimeSeriesSplit); otherwise a fraction in (0, 1) or a number of rows. */
  readonly testSizeUnit?: 'rows';
  readonly create: (values: StrategyValues) => CrossValidator;
}

const kFoldValues = (v: StrategyValues) => ({ nSplits: v.nSplits, shuffle: v.shuffle, randomState: v.randomState, onWarning: v.onWarning });
const shuffleValues = (v: StrategyValues) => ({
  nSplits: v.nSplits,
  testSize: v.testSize,
  trainSize: v.trainSize,
  randomState: v.randomState,
  onWarning: v.onWarning,
});
const repeatedValues = (v: StrategyValues) => ({ nSplits: v.nSplits, nRepeats: v.nRepeats, randomState: v.randomState, onWarning: v.onWarning });
const K_FOLD: readonly StrategyParameter[] = ['nSplits', 'shuffle', 'randomState'];
const SHUFFLE: readonly StrategyParameter[] = ['nSplits', 'testSize', 'trainSize', 'randomState'];

function required<T>(value: T | undefined, strategy: string, what: string): T {
  if (value === undefined) throw new Error(`createSplitter(${strategy}): the surface must pass ${what}`);
  return value;
}

export const SPLIT_STRATEGIES: readonly SplitStrategy[] = [
  { id: 'kfold', className: 'KFold', needs: [], accepts: K_FOLD, defaults: {}, partition: true, create: (v) => new KFold(kFoldValues(v)) },
  {
    id: 'stratified',
    className: 'StratifiedKFold',
    needs: ['label'],
    accepts: K_FOLD,
    defaults: {},
    partition: true,
    create: (v) => new StratifiedKFold(kFoldValues(v)),
  },
  { id: 'group', className: 'GroupKFold', needs: ['group'], accepts: K_FOLD, defaults: {}, partition: true, create: (v) => new GroupKFold(kFoldValues(v)) },
  {
    id: 'stratified-group',
    className: 'StratifiedGroupKFold',
    needs: ['label', 'group'],
    accepts: K_FOLD,
    defaults: {},
    partition: true,
    create: (v) => new StratifiedGroupKFold(kFoldValues(v)),
  },
  {
    id: 'time-series',
    className: 'TimeSeriesSplit',
    needs: [],
    accepts: ['nSplits', 'testSize', 'gap', 'maxTrainSize'],
    defaults: {},
    partition: false,
    timeOrdered: true,
    testSizeUnit: 'rows',
    create: (v) =>
      new TimeSeriesSplit({
        nSplits: v.nSplits,
        testSize: typeof v.testSize === 'number' ? v.testSize : undefined,
        gap: v.gap,
        maxTrainSize: v.maxTrainSize,
        onWarning: v.onWarning,
      }),
  },
  {
    id: 'leave-one-group-out',
    className: 'LeaveOneGroupOut',
    needs: ['group'],
    accepts: [],
    defaults: {},
    partition: true,
    create: () => new LeaveOneGroupOut(),
  },
  {
    id: 'leave-p-groups-out',
    className: 'LeavePGroupsOut',
    needs: ['group'],
    accepts: ['nGroups'],
    defaults: { nGroups: 2 },
    partition: false,
    create: (v) => new LeavePGroupsOut({ nGroups: required(v.nGroups, 'leave-p-groups-out', 'nGroups') }),
  },
  {
    id: 'leave-one-out',
    className: 'LeaveOneOut',
    needs: [],
    accepts: [],
    defaults: {},
    partition: true,
    create: (v) => new LeaveOneOut({ onWarning: v.onWarning }),
  },
  {
    id: 'leave-p-out',
    className: 'LeavePOut',
    needs: [],
    accepts: ['p'],
    defaults: { p: 2 },
    partition: false,
    create: (v) => new LeavePOut({ p: required(v.p, 'leave-p-out', 'p'), onWarning: v.onWarning }),
  },
  {
    id: 'predefined',
    className: 'PredefinedSplit',
    needs: ['testFold'],
    accepts: [],
    defaults: {},
    partition: false,
    create: (v) => new PredefinedSplit(required(v.testFold, 'predefined', 'testFold'), { onWarning: v.onWarning }),
  },
  { id: 'shuffle', className: 'ShuffleSplit', needs: [], accepts: SHUFFLE, defaults: {}, partition: false, create: (v) => new ShuffleSplit(shuffleValues(v)) },
  {
    id: 'stratified-shuffle',
    className: 'StratifiedShuffleSplit',
    needs: ['label'],
    accepts: SHUFFLE,
    defaults: {},
    partition: false,
    create: (v) => new StratifiedShuffleSplit(shuffleValues(v)),
  },
  {
    id: 'group-shuffle',
    className: 'GroupShuffleSplit',
    needs: ['group'],
    accepts: SHUFFLE,
    defaults: {},
    partition: false,
    create: (v) => new GroupShuffleSplit(shuffleValues(v)),
  },
  {
    id: 'stratified-group-shuffle',
    className: 'StratifiedGroupShuffleSplit',
    needs: ['label', 'group'],
    accepts: ['nSplits', 'testSize', 'randomState'],
    defaults: {},
    partition: false,
    create: (v) => new StratifiedGroupShuffleSplit({ nSplits: v.nSplits, testSize: v.testSize, randomState: v.randomState, onWarning: v.onWarning }),
  },
  {
    id: 'purged',
    className: 'PurgedKFold',
    needs: ['time'],
    accepts: ['nSplits', 'embargo'],
    defaults: {},
    partition: false,
    timeOrdered: true,
    create: (v) => new PurgedKFold({ nSplits: v.nSplits, t0: required(v.t0, 'purged', 't0 (the time column)'), t1: v.t1, embargo: v.embargo }),
  },
  {
    id: 'repeated-kfold',
    className: 'RepeatedKFold',
    needs: [],
    accepts: ['nSplits', 'nRepeats', 'randomState'],
    defaults: {},
    partition: false,
    create: (v) => new RepeatedKFold(repeatedValues(v)),
  },
  {
    id: 'repeated-stratified',
    className: 'RepeatedStratifiedKFold',
    needs: ['label'],
    accepts: ['nSplits', 'nRepeats', 'randomState'],
    defaults: {},
    partition: false,
    create: (v) => new RepeatedStratifiedKFold(repeatedValues(v)),
  },
];

/** A strategy by its id (`group`) or its class name (`GroupKFold`), or undefined. */
export function findStrategy(name: string): SplitStrategy | undefined {
  return SPLIT_STRATEGIES.find((s) => s.id === name || s.className === name);
}

/** The splitter of a strategy with the given values, the strategy's defaults filling what is not given. */
export function createSplitter(strategy: SplitStrategy, values: StrategyValues = {}): CrossValidator {
  const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  return strategy.create({ ...strategy.defaults, ...given });
}
