import { mostConfidentlyWrong as wrongRows, type WrongPrediction } from '../mistakes/confusion.js';
import type { Dataset } from '../data/dataset.js';
import { formatCsvRecord } from '../data/csv.js';
import { argmaxRows, datasetLogits, probabilitiesFromLogits } from '../models/inference.js';
import { accuracy, classScores, confusionMatrix, type ClassScores } from '../models/metrics.js';
import type { ClassifierNetwork } from '../models/network.js';
import type { EpochResult } from '../models/trainer.js';

/** A model scored on a labelled dataset: what `losslab evaluate` prints and `train` saves. */
export interface Evaluation {
  readonly n: number;
  readonly accuracy: number;
  readonly confusion: number[][];
  readonly scores: ClassScores;
  readonly classNames: readonly string[];
  /** Predicted class per row. */
  readonly predictions: Int32Array;
  /** Softmax probabilities `[n, classes]`. */
  readonly probabilities: Float32Array;
}

/** Scores `network` on `data`: accuracy, confusion matrix, per-class precision/recall/F1. */
export function evaluateNetwork(network: ClassifierNetwork, data: Dataset): Evaluation {
  const c = network.numClasses;
  const logits = datasetLogits(network, data);
  const predictions = argmaxRows(logits, data.n, c);
  const confusion = confusionMatrix(data.y, predictions, c);
  return {
    n: data.n,
    accuracy: accuracy(data.y, predictions),
    confusion,
    scores: classScores(confusion),
    classNames: data.classNames ?? Array.from({ length: c }, (_, i) => String(i)),
    predictions,
    probabilities: probabilitiesFromLogits(logits, data.n, c),
  };
}

export type { WrongPrediction };

/** The `k` misclassified rows with the highest probability on the wrong class, most confident first (src/mistakes). */
export function mostConfidentlyWrong(e: Evaluation, y: Int32Array, k: number): WrongPrediction[] {
  return wrongRows(e.predictions, y, e.probabilities, e.classNames.length, k);
}

const pct = (v: number): string => `${(100 * v).toFixed(2)}%`;

/** Header and rows of the per-epoch table printed during training. */
export function epochTableHeader(): string {
  return `${'epoch'.padStart(5)}  ${'train loss'.padStart(10)}  ${'train acc'.padStart(9)}  ${'test acc'.padStart(8)}  ${'seconds'.padStart(7)}`;
}

export function epochTableRow(r: EpochResult): string {
  const test = r.testAccuracy === null ? '—' : pct(r.testAccuracy);
  return `${String(r.epoch).padStart(5)}  ${r.trainLoss.toFixed(4).padStart(10)}  ${pct(r.trainAccuracy).padStart(9)}  ${test.padStart(8)}  ${r.seconds.toFixed(2).padStart(7)}`;
}

/** The evaluation as text: accuracy, per-class precision/recall/F1/support and the confusion matrix. */
export function formatEvaluation(e: Evaluation): string {
  const names = e.classNames;
  const w = Math.max(5, ...names.map((n) => n.length));
  const lines = [`accuracy ${pct(e.accuracy)} on ${e.n} rows`, '', `${'class'.padEnd(w)}  precision  recall     f1  support`];
  names.forEach((name, i) => {
    lines.push(
      `${name.padEnd(w)}  ${e.scores.precision[i].toFixed(4).padStart(9)}  ${e.scores.recall[i].toFixed(4).padStart(6)}  ${e.scores.f1[i].toFixed(4).padStart(5)}  ${String(e.scores.support[i]).padStart(7)}`,
    );
  });
  lines.push('', 'confusion matrix (rows: true class, columns: predicted class)');
  const cw = Math.max(5, ...e.confusion.flat().map((v) => String(v).length)) + 1;
  lines.push(`${''.padEnd(w)} ${names.map((_, j) => String(j).padStart(cw)).join('')}`);
  for (const [i, row] of e.confusion.entries()) lines.push(`${names[i].padEnd(w)} ${row.map((v) => String(v).padStart(cw)).join('')}`);
  return `${lines.join('\n')}\n`;
}

/** The confusion matrix as CSV: a `true\predicted` column of class names, then one column per class. */
export function confusionCsv(e: Evaluation): string {
  let out = formatCsvRecord(['true\\predicted', ...e.classNames]);
  for (const [i, row] of e.confusion.entries()) out += formatCsvRecord([e.classNames[i], ...row.map(String)]);
  return out;
}

/**
 * A weight template of softmax regression as RGB pixels: column `classIndex` of `W [pixels, classes]`
 * reshaped to the image, blue for negative and red for positive weights, white at zero, scaled by
 * the largest |weight| of that class (what the class "looks for").
 */
export function weightTemplateRgb(W: ArrayLike<number>, classIndex: number, pixels: number, classes: number): Uint8Array {
  let max = 0;
  for (let k = 0; k < pixels; k++) max = Math.max(max, Math.abs(W[k * classes + classIndex]));
  const out = new Uint8Array(pixels * 3);
  for (let k = 0; k < pixels; k++) {
    const v = max === 0 ? 0 : W[k * classes + classIndex] / max;
    const fade = Math.round(255 * (1 - Math.abs(v)));
    out[3 * k] = v >= 0 ? 255 : fade;
    out[3 * k + 1] = fade;
    out[3 * k + 2] = v <= 0 ? 255 : fade;
  }
  return out;
}
