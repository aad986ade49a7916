import { fail, formatValue } from '../errors.js';
import { normalPpf } from '../special/index.js';

export interface GroupMetric {
  readonly group: string;
  readonly n: number;
  readonly correct: number;
  /** Accuracy = correct / n. */
  readonly accuracy: number;
  /** Wilson score interval for the accuracy. */
  readonly ci: [number, number];
}

/**
 * Wilson score interval for a binomial proportion k/n, as statsmodels
 * `proportion_confint(k, n, alpha, method='wilson')`: centre (k + z²/2)/(n + z²), half-width
 * z/(n + z²) · √(k(n − k)/n + z²/4). Well behaved at 0 and n, unlike the normal interval.
 */
export function wilsonInterval(k: number, n: number, confidence = 0.95): [number, number] {
  if (!Number.isInteger(n) || n < 1) fail({ fn: 'wilsonInterval', argument: 'n', value: formatValue(n), rule: 'it must be a positive integer' });
  if (!(k >= 0 && k <= n)) fail({ fn: 'wilsonInterval', argument: 'k', value: formatValue(k), rule: `it must lie in [0, n = ${n}]` });
  const z = normalPpf(1 - (1 - confidence) / 2);
  const z2 = z * z;
  const centre = (k + z2 / 2) / (n + z2);
  const half = (z / (n + z2)) * Math.sqrt((k * (n - k)) / n + z2 / 4);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Accuracy per subgroup with a Wilson 95 % interval, worst groups first. "Worst" ranks by the
 * interval's upper bound (then accuracy, then name): a group comes first when even its optimistic
 * accuracy is low, so a 1-row group with one error does not outrank a 500-row group at 60 %.
 * Rows with a missing prediction, label or group ('') are left out.
 */
export function subgroupAccuracy(predictions: readonly string[], labels: readonly string[], groups: readonly string[]): GroupMetric[] {
  const fn = 'subgroupAccuracy';
  if (predictions.length !== labels.length || groups.length !== labels.length) {
    fail({
      fn,
      argument: 'groups',
      value: `${predictions.length}/${labels.length}/${groups.length} values`,
      rule: 'predictions, labels and groups need one value per row',
    });
  }
  const stats = new Map<string, { n: number; correct: number }>();
  for (let i = 0; i < labels.length; i++) {
    if (predictions[i] === '' || labels[i] === '' || groups[i] === '') continue;
    const s = stats.get(groups[i]) ?? { n: 0, correct: 0 };
    s.n++;
    if (samePrediction(predictions[i], labels[i])) s.correct++;
    stats.set(groups[i], s);
  }
  return subgroupAccuracyFromCounts(stats);
}

/** `subgroupAccuracy` from each group's row count and correct predictions. */
export function subgroupAccuracyFromCounts(stats: ReadonlyMap<string, { readonly n: number; readonly correct: number }>): GroupMetric[] {
  return [...stats.entries()]
    .map(([group, s]) => ({ group, n: s.n, correct: s.correct, accuracy: s.correct / s.n, ci: wilsonInterval(s.correct, s.n) }))
    .sort((a, b) => a.ci[1] - b.ci[1] || a.accuracy - b.accuracy || (a.group < b.group ? -1 : 1));
}

/** A prediction matches its label as text, or as numbers ("1" and "1.0"). */
export function samePrediction(p: string, y: string): boolean {
  if (p === y) return true;
  const a = Number(p);
  const b = Number(y);
  return p.trim() !== '' && y.trim() !== '' && Number.isFinite(a) && a === b;
}
