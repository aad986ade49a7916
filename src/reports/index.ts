// Public API of src/reports/ — explicit exports only.
export { shiftReportHtml, escapeHtml } from './shiftReport.js';
export type { ShiftReportFigures, ShiftReportContext } from './shiftReport.js';
export { trainingCurveSpec, confusionMatrixSpec } from './trainingFigures.js';
export { evaluateNetwork, mostConfidentlyWrong, formatEvaluation, confusionCsv, epochTableHeader, epochTableRow, weightTemplateRgb } from './trainingReport.js';
export type { Evaluation, WrongPrediction } from './trainingReport.js';
