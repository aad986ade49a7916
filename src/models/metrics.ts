import { fail, formatValue } from '../errors.js';

function checkLabels(fn: string, yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): void {
  if (yTrue.length !== yPred.length) {
    fail({ fn, argument: 'yPred', value: `${yPred.length} labels`, rule: `it must have as many labels as yTrue (${yTrue.length})` });
  }
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    fail({ fn, argument: 'numClasses', value: formatValue(numClasses), rule: 'it must be a positive integer' });
  }
  for (const [name, y] of [
    ['yTrue', yTrue],
    ['yPred', yPred],
  ] as const) {
    for (let i = 0; i < y.length; i++) {
      if (!(Number.isInteger(y[i]) && y[i] >= 0 && y[i] < numClasses)) {
        fail({ fn, argument: name, value: `${formatValue(y[i])} at [${i}]`, rule: `class indices must lie in [0, ${numClasses - 1}]` });
      }
    }
  }
}

/** Fraction of equal labels, as `sklearn.metrics.accuracy_score(y_true, y_pred)` (NaN-free: 0 rows fail). */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length !== yPred.length || yTrue.length === 0) {
    fail({ fn: 'accuracy', argument: 'yPred', value: `${yPred.length} labels`, rule: `it must have as many labels as yTrue (${yTrue.length}), at least one` });
  }
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}

/**
 * Confusion matrix `C[i][j]` = number of rows of true class i predicted as j (rows: truth, columns:
 * prediction), as `sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(numClasses))`.
 */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): number[][] {
  checkLabels('confusionMatrix', yTrue, yPred, numClasses);
  const cm = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) cm[yTrue[i]][yPred[i]]++;
  return cm;
}

/** Per-class scores, as `sklearn.metrics.precision_recall_fscore_support(..., average=None, zero_division=0)`. */
export interface ClassScores {
  readonly precision: number[];
  readonly recall: number[];
  readonly f1: number[];
  /** Number of true rows of each class. */
  readonly support: number[];
}

/**
 * Precision `tp / (tp + fp)`, recall `tp / (tp + fn)` and F1 per class from a confusion matrix.
 * A class never predicted (precision 0/0) or absent (recall 0/0) scores 0, as scikit-learn's
 * `zero_division=0` (its default "warn" also returns 0), never NaN.
 */
export function classScores(cm: readonly (readonly number[])[]): ClassScores {
  const k = cm.length;
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  const support: number[] = [];
  for (let c = 0; c < k; c++) {
    const tp = cm[c][c];
    let predicted = 0;
    let actual = 0;
    for (let j = 0; j < k; j++) {
      predicted += cm[j][c];
      actual += cm[c][j];
    }
    const p = predicted === 0 ? 0 : tp / predicted;
    const r = actual === 0 ? 0 : tp / actual;
    precision.push(p);
    recall.push(r);
    f1.push(p + r === 0 ? 0 : (2 * p * r) / (p + r));
    support.push(actual);
  }
  return { precision, recall, f1, support };
}
