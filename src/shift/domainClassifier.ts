import { fail, formatValue } from '../errors.js';
import { StratifiedKFold } from '../validation/index.js';
import { aucDeLong, type AucResult } from './auc.js';
import type { Matrix } from './mmd.js';
import { fitLogisticRegression, predictProbability } from './logisticRegression.js';

export interface DomainClassifierResult extends AucResult {
  readonly nSplits: number;
  readonly nTrain: number;
  readonly nValid: number;
  /** Design columns ranked by |standardised coefficient| of the model fitted on all rows. */
  readonly drivers: { readonly name: string; readonly coefficient: number }[];
  /** Out-of-fold P(validation | x) for the training rows (for importance weights). */
  readonly trainProbabilities: Float64Array;
  /** Kish effective sample size (Σw)²/Σw² of importance weights w = n_tr/n_va · p/(1 − p) on the training rows. */
  readonly effectiveSampleSize: number;
}

/**
 * Adversarial validation: an L2 logistic regression (C = 1, standardised features, see
 * `fitLogisticRegression`) learns to tell training rows (0) from validation rows (1). Its AUC is
 * computed on out-of-fold probabilities from stratified k-fold cross-validation
 * (`StratifiedKFold(nSplits, shuffle=True, random_state=seed)`), with a DeLong confidence interval
 * and a one-sided p-value for AUC > 0.5. AUC ≈ 0.5: the sets look alike to the model; near 1:
 * they are separable, and the largest coefficients name the features that tell them apart.
 */
export function domainClassifierTest(
  train: Matrix,
  valid: Matrix,
  names: readonly string[],
  options: { nSplits?: number; seed?: number; C?: number } = {},
): DomainClassifierResult {
  const fn = 'domainClassifierTest';
  const nSplits = options.nSplits ?? 5;
  if (train.cols !== valid.cols || names.length !== train.cols)
    fail({ fn, argument: 'names', value: `${names.length} names`, rule: `train, valid and names must agree on the number of columns (${train.cols})` });
  if (Math.min(train.rows, valid.rows) < nSplits) {
    fail({
      fn,
      argument: 'valid',
      value: `${Math.min(train.rows, valid.rows)} rows`,
      rule: `each set needs at least nSplits = ${nSplits} rows`,
      fix: 'Use fewer splits or more data.',
    });
  }
  const n = train.rows + valid.rows;
  const d = train.cols;
  const data = new Float64Array(n * d);
  data.set(train.data);
  data.set(valid.data, train.rows * d);
  const y = new Int32Array(n);
  y.fill(1, train.rows);
  const all: Matrix = { data, rows: n, cols: d };
  const oof = new Float64Array(n);
  const cv = new StratifiedKFold({ nSplits, shuffle: true, randomState: options.seed ?? 0, onWarning: () => {} });
  for (const { train: fitRows, test: testRows } of cv.split({ n }, y)) {
    const model = fitLogisticRegression(take(all, fitRows), take1(y, fitRows), { C: options.C ?? 1 });
    const p = predictProbability(model, take(all, testRows));
    for (let k = 0; k < testRows.length; k++) oof[testRows[k]] = p[k];
  }
  const auc = aucDeLong(oof, y);
  const full = fitLogisticRegression(all, y, { C: options.C ?? 1 });
  const drivers = names.map((name, j) => ({ name, coefficient: full.coef[j] })).sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient));
  const trainProbabilities = oof.slice(0, train.rows);
  return {
    ...auc,
    nSplits,
    nTrain: train.rows,
    nValid: valid.rows,
    drivers,
    trainProbabilities,
    effectiveSampleSize: kishEffectiveSampleSize(trainProbabilities, train.rows, valid.rows),
  };
}

/**
 * Kish's effective sample size (Σw)²/Σw² of the importance weights that would reweight training
 * rows towards the validation distribution, w = (n_train/n_valid) · p/(1 − p) with p the
 * classifier's P(validation | x). Equal weights give n_train; a few dominant weights give ≈ 1.
 */
export function kishEffectiveSampleSize(probabilities: ArrayLike<number>, nTrain: number, nValid: number): number {
  if (!(nValid > 0)) fail({ fn: 'kishEffectiveSampleSize', argument: 'nValid', value: formatValue(nValid), rule: 'it must be positive' });
  const weights = new Float64Array(probabilities.length);
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, probabilities[i]));
    weights[i] = ((nTrain / nValid) * p) / (1 - p);
  }
  return effectiveSampleSize(weights);
}

/** Kish's effective sample size (Σw)²/Σw² of non-negative weights (0 when all are 0). */
export function effectiveSampleSize(weights: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i];
    s2 += weights[i] * weights[i];
  }
  return s2 > 0 ? (s * s) / s2 : 0;
}

function take(m: Matrix, rows: Int32Array): Matrix {
  const out = new Float64Array(rows.length * m.cols);
  for (let i = 0; i < rows.length; i++) out.set(m.data.subarray(rows[i] * m.cols, (rows[i] + 1) * m.cols), i * m.cols);
  return { data: out, rows: rows.length, cols: m.cols };
}

function take1(a: Int32Array, rows: Int32Array): Int32Array {
  return rows.map((r) => a[r]);
}
