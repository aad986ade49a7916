import { fail, formatValue } from '../errors.js';
import type { Column, Table } from '../shift/table.js';
import { type ConfusionPair, confusionPairs } from './confusion.js';
import { findSlices, type SliceOptions, type SliceReport } from './slices.js';

export interface ErrorAnalysisOptions extends SliceOptions {
  /** The true-label column. */
  readonly label: string;
  /** The prediction column. */
  readonly pred: string;
  /** Feature columns to slice on (default: every other column except `confidence`). */
  readonly features?: readonly string[];
  /** A column with the model's probability of its prediction (for the most confidently wrong rows). */
  readonly confidence?: string;
  /** Confusion pairs and confidently wrong rows to list (default 10). */
  readonly top?: number;
}

export interface ErrorReport {
  readonly schema: 'losslab.errors/1';
  readonly rows: number;
  readonly errors: number;
  readonly accuracy: number;
  readonly slices: SliceReport;
  readonly confusionPairs: ConfusionPair[];
  /** The misclassified rows the model was surest of (0-based data rows), with `confidence`. */
  readonly confidentlyWrong?: { row: number; label: string; predicted: string; confidence: number }[];
}

const FN = 'analyzeErrors';

function text(column: Column): string[] {
  return column.kind === 'categorical' ? [...column.values] : Array.from(column.values, (v) => (Number.isNaN(v) ? '' : String(v)));
}

function need(table: Table, name: string, argument: string): Column {
  const c = table.columns.find((col) => col.name === name);
  if (!c)
    fail({
      fn: FN,
      argument,
      value: formatValue(name),
      rule: 'the data has no such column',
      fix: `The columns are ${table.columns.map((x) => JSON.stringify(x.name)).join(', ')}.`,
    });
  return c;
}

/**
 * Error analysis of a classifier's predictions: where the errors concentrate (`findSlices` over the
 * feature columns), which classes it confuses (`confusionPairs`), and — with a confidence column —
 * the mistakes it was surest of. A row is an error when its prediction differs from its label;
 * rows with a missing label or prediction are left out. Platform-free: table in, report out.
 */
export function analyzeErrors(table: Table, options: ErrorAnalysisOptions): ErrorReport {
  const labels = text(need(table, options.label, '--label'));
  const preds = text(need(table, options.pred, '--pred'));
  const confidenceColumn = options.confidence !== undefined ? need(table, options.confidence, '--confidence') : undefined;
  if (confidenceColumn && confidenceColumn.kind !== 'numeric')
    fail({ fn: FN, argument: '--confidence', value: formatValue(options.confidence), rule: 'the confidence column must hold numbers (probabilities)' });
  const roles = new Set([options.label, options.pred, ...(options.confidence !== undefined ? [options.confidence] : [])]);
  const names = options.features ?? table.columns.map((c) => c.name).filter((n) => !roles.has(n));
  for (const name of names) {
    need(table, name, '--features');
    if (roles.has(name))
      fail({ fn: FN, argument: '--features', value: formatValue(name), rule: 'the label, prediction and confidence columns cannot be features' });
  }
  const keep: number[] = [];
  for (let i = 0; i < table.nRows; i++) if (labels[i] !== '' && preds[i] !== '') keep.push(i);
  if (keep.length < 2)
    fail({ fn: FN, argument: '--label', value: `${keep.length} rows with a label and a prediction`, rule: 'error analysis needs at least 2' });
  const pick = (c: Column): Column =>
    c.kind === 'numeric'
      ? { name: c.name, kind: 'numeric', values: Float64Array.from(keep, (i) => c.values[i]) }
      : { name: c.name, kind: 'categorical', values: keep.map((i) => c.values[i]) };
  const features = names.map((n) => pick(need(table, n, '--features')));
  const errors = Uint8Array.from(keep, (i) => (labels[i] === preds[i] ? 0 : 1));
  const slices = findSlices(features, errors, options);
  const top = options.top ?? 10;
  let confidentlyWrong: ErrorReport['confidentlyWrong'];
  if (confidenceColumn && confidenceColumn.kind === 'numeric') {
    confidentlyWrong = keep
      .filter((i) => labels[i] !== preds[i] && !Number.isNaN(confidenceColumn.values[i]))
      .map((i) => ({ row: i, label: labels[i], predicted: preds[i], confidence: confidenceColumn.values[i] }))
      .sort((a, b) => b.confidence - a.confidence || a.row - b.row)
      .slice(0, top);
  }
  return {
    schema: 'losslab.errors/1',
    rows: keep.length,
    errors: slices.errors,
    accuracy: 1 - slices.errorRate,
    slices,
    confusionPairs: confusionPairs(
      keep.map((i) => labels[i]),
      keep.map((i) => preds[i]),
      top,
    ),
    ...(confidentlyWrong ? { confidentlyWrong } : {}),
  };
}

/** The terminal summary of an error report. */
export function errorSummaryText(report: ErrorReport, source: string): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const s = report.slices;
  const lines = [
    `losslab errors: ${source}: ${report.rows} rows, ${report.errors} errors (accuracy ${pct(report.accuracy)})`,
    '',
    `slices where the error rate is significantly higher (Fisher exact test, Benjamini–Hochberg over ${s.tested} slices of up to ${s.levels} predicates on ${s.features.length} features, α = ${s.alpha}, ≥ ${s.minSupport} rows):`,
  ];
  if (s.slices.length === 0) lines.push('  none: no slice has a significantly higher error rate than the rest.');
  for (const sl of s.slices)
    lines.push(
      `  ${sl.description}: ${sl.size} rows, error ${pct(sl.errorRate)} [${pct(sl.ci[0])}, ${pct(sl.ci[1])}] vs ${pct(sl.restErrorRate)} elsewhere, BH p = ${sl.pvalueAdjusted.toPrecision(2)}, score ${sl.score.toFixed(2)}`,
    );
  lines.push('', 'most frequent confusions:');
  for (const c of report.confusionPairs) lines.push(`  ${c.actual} predicted as ${c.predicted}: ${c.count} (${pct(c.fractionOfClass)} of ${c.actual})`);
  if (report.confidentlyWrong) {
    lines.push('', 'most confidently wrong rows:');
    for (const w of report.confidentlyWrong) lines.push(`  row ${w.row}: ${w.label} predicted as ${w.predicted} with confidence ${w.confidence.toFixed(3)}`);
  }
  return `${lines.join('\n')}\n`;
}
