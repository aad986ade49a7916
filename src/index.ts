/**
 * losslab — the public API. Every area re-exports its public names explicitly from its own
 * index; Node-only helpers (files, dataset cache) live under `losslab/node`.
 */
export { LosslabError } from './errors.js';
export type { ArgumentProblem } from './errors.js';
export * from './tensor/index.js';
export * from './autograd/index.js';
export * from './functional/index.js';
export * from './models/index.js';
export * from './validation/index.js';
export * from './shift/index.js';
export { logGamma, gammaP, gammaQ, chi2Sf, erfc, normalCdf, normalSf, normalPpf, kolmogorov, smirnov, kstwoSf } from './special/index.js';
export * from './figures/index.js';
export * from './i18n/index.js';
export * from './explain/index.js';
export * from './reports/index.js';
export { CsvParser, CsvTableReader, parseCsv, parseCsvNumber, formatCsvField, formatCsvRecord, MISSING_TOKENS } from './data/csv.js';
export type { CsvColumn, CsvColumnRequest, CsvParserOptions, CsvRecord, CsvTable } from './data/csv.js';
