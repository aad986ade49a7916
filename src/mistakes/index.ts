// Public API of src/mistakes/ — error analysis: where a model fails (slices, confusion pairs, confident mistakes).
export { findSlices } from './slices.js';
export type { Slice, SliceOptions, SliceReport } from './slices.js';
export { columnPredicates, formatPredicate } from './predicates.js';
export type { BinningOptions, Predicate, PredicateRows } from './predicates.js';
export { hypergeometricSf } from './hypergeometric.js';
export { confusionPairs, mostConfidentlyWrong } from './confusion.js';
export type { ConfusionPair, WrongPrediction } from './confusion.js';
export { imageFeatures } from './imageFeatures.js';
export { analyzeErrors } from './analyzeErrors.js';
export { errorSummaryText } from './analyzeErrors.js';
export type { ErrorReport, ErrorAnalysisOptions } from './analyzeErrors.js';
