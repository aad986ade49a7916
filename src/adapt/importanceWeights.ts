import { fail, formatValue } from '../errors.js';
import { aucDeLong } from '../shift/auc.js';
import { effectiveSampleSize } from '../shift/domainClassifier.js';
import { fitLogisticRegression, predictProbability } from '../shift/logisticRegression.js';
import type { Matrix } from '../shift/mmd.js';
import { StratifiedKFold } from '../validation/index.js';

/** Importance weights w(x) ≈ p_target(x) / p_source(x) for the source rows. */
export interface ImportanceWeights {
  /** The weights used (clipped at `maxWeight`). */
  readonly weights: Float64Array;
  /** Before clipping. */
  readonly raw: Float64Array;
  readonly maxWeight: number;
  /** How many weights were clipped. */
  readonly clipped: number;
  /** Kish's effective sample size (Σw)²/Σw² of the clipped weights: n when all are equal, ≈ 1 when one dominates. */
  readonly effectiveSampleSize: number;
}

/**
 * Weights from a domain classifier's P(target | x) on source rows (Bickel, Brückner & Scheffer 2007;
 * Shimodaira 2000): by Bayes, p_t(x)/p_s(x) = (n_s / n_t) · P(t | x) / P(s | x), so
 * w = (n_source / n_target) · p / (1 − p), clipped at `maxWeight` (default 10) to bound the variance
 * (a few huge weights otherwise decide everything; the ESS says how much data is left).
 */
export function importanceWeightsFromProbabilities(
  pTarget: ArrayLike<number>,
  nSource: number,
  nTarget: number,
  options: { maxWeight?: number } = {},
): ImportanceWeights {
  const fn = 'importanceWeightsFromProbabilities';
  const maxWeight = options.maxWeight ?? 10;
  if (!(maxWeight > 0)) fail({ fn, argument: 'maxWeight', value: formatValue(maxWeight), rule: 'it must be positive (Infinity turns clipping off)' });
  if (!(nSource > 0 && nTarget > 0)) fail({ fn, argument: 'nTarget', value: formatValue(nTarget), rule: 'both sample sizes must be positive' });
  const raw = new Float64Array(pTarget.length);
  const weights = new Float64Array(pTarget.length);
  let clipped = 0;
  for (let i = 0; i < pTarget.length; i++) {
    const p = pTarget[i];
    if (!(p >= 0 && p <= 1)) fail({ fn, argument: 'pTarget', value: `${formatValue(p)} at row ${i}`, rule: 'probabilities must lie in [0, 1]' });
    raw[i] = p >= 1 ? Infinity : ((nSource / nTarget) * p) / (1 - p);
    weights[i] = Math.min(raw[i], maxWeight);
    if (raw[i] > maxWeight) clipped++;
  }
  return { weights, raw, maxWeight, clipped, effectiveSampleSize: effectiveSampleSize(weights) };
}

export interface DomainClassifierWeights extends ImportanceWeights {
  /** AUC of the out-of-fold domain classifier (0.5: the domains look alike; 1: separable). */
  readonly auc: number;
  readonly nSplits: number;
}

/**
 * Importance weights for the source rows from an L2 logistic-regression domain classifier (source = 0,
 * target = 1; scikit-learn's `LogisticRegression(C=C)` objective, `fitLogisticRegression`), with
 * out-of-fold probabilities from `StratifiedKFold(nSplits, shuffle=True, random_state=seed)` so no row
 * is weighted by a model that saw it (scikit-learn's `cross_val_predict`). Pass standardised or
 * learned features: the classifier is linear and the penalty depends on their scale.
 */
export function domainClassifierWeights(
  source: Matrix,
  target: Matrix,
  options: { C?: number; nSplits?: number; seed?: number; maxWeight?: number } = {},
): DomainClassifierWeights {
  const fn = 'domainClassifierWeights';
  const nSplits = options.nSplits ?? 5;
  if (source.cols !== target.cols)
    fail({ fn, argument: 'target', value: `${target.cols} columns`, rule: `it must have as many columns as source (${source.cols})` });
  if (Math.min(source.rows, target.rows) < nSplits) {
    fail({ fn, argument: 'target', value: `${Math.min(source.rows, target.rows)} rows`, rule: `each set needs at least nSplits = ${nSplits} rows` });
  }
  const n = source.rows + target.rows;
  const d = source.cols;
  const data = new Float64Array(n * d);
  data.set(source.data);
  data.set(target.data, source.rows * d);
  const y = new Int32Array(n).fill(1, source.rows);
  const oof = new Float64Array(n);
  const cv = new StratifiedKFold({ nSplits, shuffle: true, randomState: options.seed ?? 0, onWarning: () => {} });
  for (const fold of cv.split({ n }, y)) {
    const model = fitLogisticRegression(
      rowsOf(data, d, fold.train),
      Int32Array.from(fold.train, (r) => y[r]),
      { C: options.C ?? 1 },
    );
    const p = predictProbability(model, rowsOf(data, d, fold.test));
    for (let k = 0; k < fold.test.length; k++) oof[fold.test[k]] = p[k];
  }
  const weights = importanceWeightsFromProbabilities(oof.subarray(0, source.rows), source.rows, target.rows, { maxWeight: options.maxWeight });
  return { ...weights, auc: aucDeLong(oof, y).auc, nSplits };
}

function rowsOf(data: Float64Array, d: number, rows: Int32Array): Matrix {
  const out = new Float64Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) out.set(data.subarray(rows[i] * d, (rows[i] + 1) * d), i * d);
  return { data: out, rows: rows.length, cols: d };
}
