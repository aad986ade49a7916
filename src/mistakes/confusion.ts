import { fail } from '../errors.js';

/** One off-diagonal cell of the confusion matrix: how often `actual` was predicted as `predicted`. */
export interface ConfusionPair {
  readonly actual: string;
  readonly predicted: string;
  readonly count: number;
  /** count / rows of class `actual`. */
  readonly fractionOfClass: number;
}

/**
 * The most frequent mistakes of a classifier, "Shirt predicted as T-shirt/top: 118": the
 * off-diagonal cells of the confusion matrix, largest first (ties by class names). Rows with a
 * missing label or prediction ('') are left out.
 */
export function confusionPairs(labels: readonly string[], predictions: readonly string[], top = 10): ConfusionPair[] {
  if (labels.length !== predictions.length)
    fail({ fn: 'confusionPairs', argument: 'predictions', value: `${predictions.length} rows`, rule: `it needs one prediction per label (${labels.length})` });
  const perClass = new Map<string, number>();
  const cells = new Map<string, { actual: string; predicted: string; count: number }>();
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i];
    const p = predictions[i];
    if (a === '' || p === '') continue;
    perClass.set(a, (perClass.get(a) ?? 0) + 1);
    if (a === p) continue;
    const key = `${a}\u0000${p}`;
    const cell = cells.get(key);
    if (cell) cell.count++;
    else cells.set(key, { actual: a, predicted: p, count: 1 });
  }
  return [...cells.values()]
    .sort((x, y) => y.count - x.count || (x.actual < y.actual ? -1 : x.actual > y.actual ? 1 : x.predicted < y.predicted ? -1 : 1))
    .slice(0, top)
    .map((c) => ({ ...c, fractionOfClass: c.count / (perClass.get(c.actual) ?? 1) }));
}

/** A misclassified row and the probability the model gave its (wrong) prediction. */
export interface WrongPrediction {
  readonly index: number;
  readonly trueClass: number;
  readonly predicted: number;
  readonly probability: number;
}

/**
 * The `k` misclassified rows with the highest probability on the wrong class, most confident first
 * (ties by row). `probabilities` is [n, classes] row-major.
 */
export function mostConfidentlyWrong(
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  classes: number,
  k: number,
): WrongPrediction[] {
  const wrong: WrongPrediction[] = [];
  for (let i = 0; i < labels.length; i++) {
    const p = predictions[i];
    if (p !== labels[i]) wrong.push({ index: i, trueClass: labels[i], predicted: p, probability: probabilities[i * classes + p] });
  }
  wrong.sort((a, b) => b.probability - a.probability || a.index - b.index);
  return wrong.slice(0, k);
}
