import { fail, formatValue } from '../errors.js';
import { chi2Contingency, cramersV } from './contingency.js';

export interface LabelShiftResult {
  readonly classes: string[];
  readonly trainProportions: number[];
  readonly validProportions: number[];
  readonly chi2: { statistic: number; pvalue: number; dof: number };
  readonly cramersV: number;
}

/** Sorted distinct non-missing labels of both sets (numeric-looking labels sort numerically). */
export function labelClasses(...sets: (readonly string[])[]): string[] {
  const seen = new Set<string>();
  for (const s of sets) for (const l of s) if (l !== '') seen.add(l);
  const numeric = [...seen].every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return [...seen].sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
}

/**
 * Class proportions in the two sets and Pearson's chi-square test on the 2 × K table of counts
 * (`scipy.stats.chi2_contingency(correction=False)`), with Cramér's V as the effect size.
 * Missing labels ('') are left out.
 */
export function labelShift(trainLabels: readonly string[], validLabels: readonly string[]): LabelShiftResult {
  return labelShiftFromCounts(tally(trainLabels), tally(validLabels));
}

/** Counts of each non-missing value ('' is missing). */
export function tally(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** `labelShift` from the label counts of each set (as a database's GROUP BY gives them). */
export function labelShiftFromCounts(trainCounts: ReadonlyMap<string, number>, validCounts: ReadonlyMap<string, number>): LabelShiftResult {
  const classes = labelClasses([...trainCounts.keys()], [...validCounts.keys()]);
  if (classes.length < 1) fail({ fn: 'labelShift', argument: 'labels', value: 'no labels', rule: 'the label column needs at least one non-missing value' });
  const a = classes.map((c) => trainCounts.get(c) ?? 0);
  const b = classes.map((c) => validCounts.get(c) ?? 0);
  const na = a.reduce((s, v) => s + v, 0);
  const nb = b.reduce((s, v) => s + v, 0);
  if (na === 0 || nb === 0)
    fail({ fn: 'labelShift', argument: na === 0 ? 'trainLabels' : 'validLabels', value: 'all missing', rule: 'each set needs labelled rows' });
  const test = classes.length > 1 ? chi2Contingency([a, b]) : { statistic: 0, pvalue: 1, dof: 0 };
  return {
    classes,
    trainProportions: a.map((v) => v / na),
    validProportions: b.map((v) => v / nb),
    chi2: { statistic: test.statistic, pvalue: test.pvalue, dof: test.dof },
    cramersV: cramersV(test.statistic, na + nb, 2, classes.length),
  };
}

export interface BbseResult {
  readonly classes: string[];
  /** Importance weights w = q(y)/p(y) = Ĉ⁻¹ μ̂, negative entries clipped to 0. */
  readonly weights: number[];
  /** Estimated validation label distribution q̂(y) = w_y · p̂(y), renormalised. */
  readonly estimatedValidProportions: number[];
  /** Training label distribution p̂(y) from the held-out rows. */
  readonly trainProportions: number[];
  /** Joint confusion matrix Ĉ[i][j] = P̂(ŷ = i, y = j) on the held-out training rows. */
  readonly confusion: number[][];
  /** Smallest singular-value proxy: min |pivot| of the LU solve; near 0 means Ĉ is nearly singular. */
  readonly conditioning: number;
}

/**
 * Black-box shift estimation (Lipton, Wang & Smola 2018, "Detecting and Correcting for Label Shift
 * with Black Box Predictors"): with predictions ŷ and labels y on held-out training rows and
 * predictions on validation rows, the label-shift weights solve Ĉ w = μ̂, where Ĉ = P̂(ŷ = i, y = j)
 * and μ̂ = P̂_valid(ŷ = i). Valid under label shift (p(x|y) unchanged) and an invertible Ĉ; the
 * predictions on training rows must be out-of-sample (held out or cross-validated).
 */
export function blackBoxShiftEstimation(trainPredictions: readonly string[], trainLabels: readonly string[], validPredictions: readonly string[]): BbseResult {
  const fn = 'blackBoxShiftEstimation';
  if (trainPredictions.length !== trainLabels.length)
    fail({
      fn,
      argument: 'trainPredictions',
      value: `${trainPredictions.length} values`,
      rule: `it needs one prediction per training label (${trainLabels.length})`,
    });
  const joint = new Map<string, Map<string, number>>();
  for (let r = 0; r < trainLabels.length; r++) {
    if (trainLabels[r] === '' || trainPredictions[r] === '') continue;
    const row = joint.get(trainPredictions[r]) ?? new Map<string, number>();
    row.set(trainLabels[r], (row.get(trainLabels[r]) ?? 0) + 1);
    joint.set(trainPredictions[r], row);
  }
  const classes = labelClasses(trainLabels, trainPredictions, validPredictions);
  return bbseFromCounts(classes, joint, tally(validPredictions));
}

/**
 * `blackBoxShiftEstimation` from counts: `joint.get(prediction).get(label)` training rows with both
 * (held out), `validPredictions.get(prediction)` validation rows, over the sorted `classes`.
 */
export function bbseFromCounts(
  classes: readonly string[],
  joint: ReadonlyMap<string, ReadonlyMap<string, number>>,
  validPredictions: ReadonlyMap<string, number>,
): BbseResult {
  const fn = 'blackBoxShiftEstimation';
  const k = classes.length;
  const index = new Map(classes.map((c, i) => [c, i]));
  const C = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const p = new Array<number>(k).fill(0);
  let n = 0;
  for (const [prediction, row] of joint)
    for (const [label, count] of row) {
      C[index.get(prediction) as number][index.get(label) as number] += count;
      p[index.get(label) as number] += count;
      n += count;
    }
  const mu = new Array<number>(k).fill(0);
  let m = 0;
  for (const [v, count] of validPredictions) {
    mu[index.get(v) as number] += count;
    m += count;
  }
  if (n === 0 || m === 0)
    fail({
      fn,
      argument: n === 0 ? 'trainLabels' : 'validPredictions',
      value: 'no usable rows',
      rule: 'black-box shift estimation needs labelled training rows with predictions and validation predictions',
    });
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) C[i][j] /= n;
    mu[i] /= m;
    p[i] /= n;
  }
  const { weights, estimatedProportions, minPivot } = solveLabelShift(C, mu, p, fn);
  return {
    classes: [...classes],
    weights,
    estimatedValidProportions: estimatedProportions,
    trainProportions: p,
    confusion: C,
    conditioning: minPivot,
  };
}

/**
 * The core of black-box shift estimation, shared with `src/adapt/labelShift.ts` (`bbse`, hard and soft):
 * solves Ĉ w = μ̂, clips negative weights to 0 and returns q̂(y) = w(y) p̂(y), renormalised.
 */
export function solveLabelShift(
  C: number[][],
  mu: number[],
  p: number[],
  fn = 'blackBoxShiftEstimation',
): { weights: number[]; estimatedProportions: number[]; minPivot: number } {
  const { x, minPivot } = solve(C, mu, fn);
  const weights = x.map((w) => Math.max(0, w));
  const q = weights.map((w, j) => w * p[j]);
  const total = q.reduce((s, v) => s + v, 0);
  return { weights, estimatedProportions: q.map((v) => (total > 0 ? v / total : NaN)), minPivot };
}

/** Gaussian elimination with partial pivoting; a singular system is a clear error. */
function solve(A: number[][], b: number[], fn: string): { x: number[]; minPivot: number } {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  let minPivot = Infinity;
  for (let c = 0; c < n; c++) {
    let best = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[best][c])) best = r;
    [M[c], M[best]] = [M[best], M[c]];
    minPivot = Math.min(minPivot, Math.abs(M[c][c]));
    if (Math.abs(M[c][c]) < 1e-12) {
      fail({
        fn,
        argument: fn === 'blackBoxShiftEstimation' ? 'trainPredictions' : 'sourceProbs',
        value: formatValue(`class column ${c}`),
        rule: 'the confusion matrix must be invertible (every class predicted and predictions better than chance)',
        fix: 'Use a better classifier or merge rare classes.',
      });
    }
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return { x, minPivot };
}
