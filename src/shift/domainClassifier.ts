import { fail, formatValue } from '../errors.js';
import { releaseWasmArray, wasmFloat32Array, wasmInt32Array } from '../kernels/backend.js';
import { StratifiedKFold } from '../validation/index.js';
import { aucDeLong, type AucResult } from './auc.js';
import { effectiveSampleSize, importanceWeights, sigmoidCalibration, type ImportanceWeights, type SigmoidCalibration } from './importanceWeights.js';

export { effectiveSampleSize };
import type { Matrix } from './mmd.js';
import { decisionFunction, fitLogisticRegression, sigmoid, type Float32Matrix } from './logisticRegression.js';

export interface DomainClassifierOptions {
  readonly nSplits?: number;
  readonly seed?: number;
  /** Inverse L2 strength of the logistic regression (default 1, scikit-learn's default). */
  readonly C?: number;
  /** L-BFGS iterations per fit (default 100, scikit-learn's default `max_iter`). */
  readonly maxIterations?: number;
}

export interface DomainClassifierResult extends AucResult {
  readonly nSplits: number;
  readonly nTrain: number;
  readonly nValid: number;
  /** Design columns ranked by |standardised coefficient| of the averaged fold models. */
  readonly drivers: { readonly name: string; readonly coefficient: number }[];
  /** The fold models averaged (a linear model: its score is the mean of the fold scores); scores rows the folds never saw. */
  readonly model: { readonly coef: Float64Array; readonly intercept: number };
  /** L-BFGS iterations of each fold fit, and whether every fit converged to scikit-learn's tolerance. */
  readonly iterations: number[];
  readonly converged: boolean;
  /** Out-of-fold decision values (log-odds of "validation") of the training rows. */
  readonly trainScores: Float64Array;
  /** Platt scaling fitted on the out-of-fold scores of all rows. */
  readonly calibration: SigmoidCalibration;
  /** Calibrated out-of-fold P(validation | x) for the training rows. */
  readonly trainProbabilities: Float64Array;
  /** Calibrated, truncated, out-of-fold importance weights of the training rows (mean 1). */
  readonly weights: ImportanceWeights;
  /** Kish effective sample size of `weights` (after truncation). */
  readonly effectiveSampleSize: number;
}

/**
 * Adversarial validation: an L2 logistic regression (C = 1 on standardised features, L-BFGS, see
 * `fitLogisticRegression`) learns to tell training rows (0) from validation rows (1). Its AUC is
 * computed on out-of-fold scores from stratified k-fold cross-validation
 * (`StratifiedKFold(nSplits, shuffle=True, random_state=seed)`), with a DeLong confidence interval
 * and a one-sided p-value for AUC > 0.5. AUC ≈ 0.5: the sets look alike to the model; near 1:
 * they are separable, and the largest coefficients name the features that tell them apart.
 *
 * Each fold is fitted from zero (a warm start from a model that saw the held-out rows would leak
 * them into an early-stopped fit). The data are copied once into float32, where the fits run on
 * the WebAssembly kernels: each L-BFGS iteration costs O(n·d).
 *
 * Importance weights: out-of-fold scores → Platt scaling fitted on those scores (so an overfitted
 * classifier on data without shift gives a flat sigmoid and near-equal weights) → odds → weights
 * truncated at √n (see `importanceWeights`).
 */
export function domainClassifierTest(train: Matrix, valid: Matrix, names: readonly string[], options: DomainClassifierOptions = {}): DomainClassifierResult {
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
  const data = wasmFloat32Array(n * d);
  try {
    data.set(train.data);
    data.set(valid.data, train.rows * d);
    const X: Float32Matrix = { data, rows: n, cols: d };
    const y = new Int32Array(n);
    y.fill(1, train.rows);
    const oof = new Float64Array(n);
    const coefSum = new Float64Array(d);
    let interceptSum = 0;
    const iterations: number[] = [];
    let converged = true;
    const cv = new StratifiedKFold({ nSplits, shuffle: true, randomState: options.seed ?? 0, onWarning: () => {} });
    for (const { train: fitRows, test: testRows } of cv.split({ n }, y)) {
      const rows = inWasm(fitRows);
      const model = fitLogisticRegression(X, y, { C: options.C ?? 1, rows, maxIterations: options.maxIterations ?? 100, tolerance: 1e-4 });
      releaseWasmArray(rows);
      iterations.push(model.iterations);
      converged &&= model.converged;
      const scores = decisionFunction(model, X, testRows);
      for (let k = 0; k < testRows.length; k++) oof[testRows[k]] = scores[k];
      for (let j = 0; j < d; j++) coefSum[j] += model.coef[j];
      interceptSum += model.intercept;
    }
    const auc = aucDeLong(oof, y);
    const coef = coefSum.map((c) => c / nSplits);
    const drivers = names.map((name, j) => ({ name, coefficient: coef[j] })).sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient));
    const calibration = sigmoidCalibration(oof, y);
    const trainScores = oof.slice(0, train.rows);
    const weights = importanceWeights(trainScores, calibration);
    return {
      ...auc,
      nSplits,
      nTrain: train.rows,
      nValid: valid.rows,
      drivers,
      model: { coef, intercept: interceptSum / nSplits },
      iterations,
      converged,
      trainScores,
      calibration,
      trainProbabilities: trainScores.map((s) => sigmoid(-(calibration.a * s + calibration.b))),
      weights,
      effectiveSampleSize: weights.effectiveSampleSize,
    };
  } finally {
    releaseWasmArray(data);
  }
}

function inWasm(rows: Int32Array): Int32Array {
  const out = wasmInt32Array(rows.length);
  out.set(rows);
  return out;
}

/**
 * Kish's effective sample size (Σw)²/Σw² of the raw (uncalibrated, untruncated) importance weights
 * w = (n_train/n_valid) · p/(1 − p) for classifier probabilities p of "validation". Equal weights
 * give n_train; a few dominant weights give ≈ 1. The report uses the calibrated, truncated weights
 * of `domainClassifierTest` instead.
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
