// Public API of src/reports/ — explicit exports only.
export { shiftReportHtml, escapeHtml } from './shiftReport.js';
export type { ShiftReportFigures, ShiftReportContext } from './shiftReport.js';
export { evaluateNetwork, mostConfidentlyWrong, formatEvaluation, confusionCsv, epochTableHeader, epochTableRow, weightTemplateRgb } from './trainingReport.js';
export type { Evaluation, WrongPrediction } from './trainingReport.js';
