// Public API of src/reports/ — explicit exports only.
export { shiftReportHtml, escapeHtml } from './shiftReport.js';
export type { ShiftReportFigures, ShiftReportContext } from './shiftReport.js';
