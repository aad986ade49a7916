// Public API of src/figures/ — explicit exports only. Figures are pure functions from data and a
// language to a Vega-Lite spec; src/node/render.ts draws them (SVG/PNG) or exports their numbers.
export type { VegaLiteSpec, PlottedRow } from './spec.js';
export { FONT_FAMILY, CURVE_COLORS, DEFAULT_WIDTH, DEFAULT_HEIGHT, figureConfig } from './theme.js';
export type { PlottedData } from './plotted.js';
export { plottedData, plottedCsv, plottedJson, encodeValue, specTitle } from './plotted.js';
export type { CurveSpec, CurvesFigure } from './curvesSpec.js';
export { curvesSpec } from './curvesSpec.js';
export type { LossCurveOptions, LossCurveRow, LossCurves, LossFigureOptions } from './lossFigure.js';
export { lossCurves, lossFigure, lossName, D2L_LIKELIHOOD_SCALE } from './lossFigure.js';
export type {
  ClassificationCurveRow,
  LogitRange,
  CrossEntropyAxis,
  CrossEntropyCurveOptions,
  CrossEntropyFigureOptions,
  CrossEntropyPoint,
  ProbabilityCurveRow,
} from './classification.js';
export {
  crossEntropyCurves,
  crossEntropyFigure,
  crossEntropyPoint,
  crossEntropyProbabilityCurves,
  CROSS_ENTROPY_AXES,
  PROBABILITY_RANGE,
} from './classification.js';
export type { SoftmaxViewOptions, NaiveSoftmaxRow, SoftmaxFigureOptions, ClassBarsOptions } from './softmaxFigure.js';
export { softmaxRows, naiveSoftmaxRows, softmaxFigure, expOverflowThreshold, classBarsSpec } from './softmaxFigure.js';
// Training: the per-epoch curves of a finished run, the live curves of a running one, the confusion matrix.
export type { LiveTrainingCurve } from './trainingFigures.js';
export { trainingCurveSpec, liveTrainingCurveSpec, confusionMatrixSpec } from './trainingFigures.js';
// Figures of other areas that live here: cross-validation folds (splits) and shift diagnostics.
export type { FoldsFigureOptions } from './foldsFigure.js';
export { foldsFigure, FOLD_COLORS } from './foldsFigure.js';
export type { EffectSizeRow, EmbeddingRow, SubgroupRow } from './shiftFigures.js';
export { shiftEffectSizeSpec, shiftEmbeddingSpec, shiftSubgroupSpec } from './shiftFigures.js';
// Figures of losslab adapt (domain adaptation / generalisation).
export type { DomainCurveRow, DomainEmbeddingRow } from './adaptFigures.js';
export { domainCurvesSpec, domainEmbeddingSpec } from './adaptFigures.js';
