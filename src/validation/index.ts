// Public API of src/validation/: scikit-learn-identical splitters, plus purged k-fold and a
// stratified group shuffle split.
export type { CrossValidator, Labels, RandomStateLike, SampleSource, TrainTest, WarningHandler, WarningOptions } from './core.js';
export { KFold, foldSizes } from './kFold.js';
export type { KFoldOptions } from './kFold.js';
export { StratifiedKFold } from './stratifiedKFold.js';
export { GroupKFold } from './groupKFold.js';
export { StratifiedGroupKFold } from './stratifiedGroupKFold.js';
export { TimeSeriesSplit } from './timeSeriesSplit.js';
export type { TimeSeriesSplitOptions } from './timeSeriesSplit.js';
export { LeaveOneGroupOut, LeavePGroupsOut } from './leaveGroupsOut.js';
export { PredefinedSplit } from './predefinedSplit.js';
export { LeaveOneOut, LeavePOut } from './leaveOut.js';
export { ShuffleSplit, validateShuffleSplit } from './shuffleSplit.js';
export type { ShuffleSplitOptions, SplitSize } from './shuffleSplit.js';
export { GroupShuffleSplit } from './groupShuffleSplit.js';
export { StratifiedShuffleSplit, approximateMode } from './stratifiedShuffleSplit.js';
export { StratifiedGroupShuffleSplit } from './stratifiedGroupShuffleSplit.js';
export { RepeatedKFold, RepeatedStratifiedKFold } from './repeated.js';
export type { RepeatedOptions } from './repeated.js';
export { trainTestSplit } from './trainTestSplit.js';
export type { TrainTestSplitOptions } from './trainTestSplit.js';
export { PurgedKFold } from './purgedKFold.js';
export type { PurgedKFoldOptions } from './purgedKFold.js';
export { summarizeFolds } from './summary.js';
export type { FoldSummary, FoldSummaryInput } from './summary.js';
