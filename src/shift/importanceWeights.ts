import { fail, formatValue } from '../errors.js';
import { lbfgs } from './lbfgs.js';

/** Platt's sigmoid p = 1 / (1 + exp(a·s + b)) of a score s (scikit-learn's convention: a < 0 when s rises with p). */
export interface SigmoidCalibration {
  readonly a: number;
  readonly b: number;
}

/**
 * Platt scaling (Platt 1999, "Probabilistic outputs for support vector machines"), exactly as
 * scikit-learn's `_sigmoid_calibration(predictions, y)` (behind `CalibratedClassifierCV(method=
 * 'sigmoid')`): fits p = 1/(1 + exp(a·s + b)) by maximum likelihood against Platt's smoothed targets
 * (N₊ + 1)/(N₊ + 2) for positives and 1/(N₋ + 2) for negatives, starting from a = 0,
 * b = log((N₋ + 1)/(N₊ + 1)). Solved to a tight tolerance (scikit-learn's BFGS stops at a gradient
 * of 1e-5). `scores` should be out-of-fold, or the calibration inherits the classifier's overfit.
 */
export function sigmoidCalibration(scores: ArrayLike<number>, y: ArrayLike<number>): SigmoidCalibration {
  const fn = 'sigmoidCalibration';
  if (scores.length !== y.length) fail({ fn, argument: 'y', value: `${y.length} labels`, rule: `it needs one label per score (${scores.length})` });
  let n1 = 0;
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(scores[i])) fail({ fn, argument: 'scores', value: `${formatValue(scores[i])} at [${i}]`, rule: 'scores must be finite' });
    if (y[i] > 0) n1++;
  }
  const n0 = y.length - n1;
  const hi = (n1 + 1) / (n1 + 2);
  const lo = 1 / (n0 + 2);
  const objective = (ab: Float64Array, grad: Float64Array): number => {
    let loss = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < scores.length; i++) {
      const t = y[i] > 0 ? hi : lo;
      const u = ab[0] * scores[i] + ab[1]; // P = σ(−u)
      // −[t log σ(−u) + (1 − t) log σ(u)] = softplus(u) − (1 − t)·u, derivative σ(u) − (1 − t)
      loss += (u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u))) - (1 - t) * u;
      const q = u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
      const r = q - (1 - t);
      ga += r * scores[i];
      gb += r;
    }
    grad[0] = ga;
    grad[1] = gb;
    return loss;
  };
  const start = Float64Array.of(0, Math.log((n0 + 1) / (n1 + 1)));
  const { x } = lbfgs(objective, start, { gradientTolerance: 1e-10 * Math.max(1, scores.length), maxIterations: 500, relativeDecrease: 0 });
  return { a: x[0], b: x[1] };
}

export interface ImportanceWeights {
  /** One weight per training row, mean 1, truncated at `cap`. */
  readonly weights: Float64Array;
  /** The truncation level √n (times the mean weight, which is 1), after Ionides (2008). */
  readonly cap: number;
  /** Rows whose weight was truncated. */
  readonly truncated: number;
  /** The largest weight before truncation (mean 1). */
  readonly maxRawWeight: number;
  /** Kish's (Σw)²/Σw² of the truncated weights. */
  readonly effectiveSampleSize: number;
  /** The same before truncation. */
  readonly effectiveSampleSizeRaw: number;
}

/**
 * Importance weights w(x) ≈ p_valid(x)/p_train(x) for training rows from a domain classifier's
 * calibrated probabilities: w = (n_train/n_valid) · P/(1 − P) with P = 1/(1 + exp(a·s + b)), i.e.
 * w ∝ exp(−(a·s + b)). They are self-normalised to mean 1 and truncated at √n (Ionides 2008,
 * "Truncated importance sampling", J. Comput. Graph. Stat. 17(2):295–311: capping at w̄·√n keeps
 * the variance finite at a bias that vanishes as n grows). Use out-of-fold scores and a
 * calibration fitted on out-of-fold scores.
 */
export function importanceWeights(trainScores: ArrayLike<number>, calibration: SigmoidCalibration): ImportanceWeights {
  const n = trainScores.length;
  if (n === 0) fail({ fn: 'importanceWeights', argument: 'trainScores', value: 'empty', rule: 'it needs at least one training row' });
  // The constant n_train/n_valid cancels in the normalisation; work in logs to avoid overflow.
  const logs = new Float64Array(n);
  let top = -Infinity;
  for (let i = 0; i < n; i++) {
    logs[i] = -(calibration.a * trainScores[i] + calibration.b);
    top = Math.max(top, logs[i]);
  }
  const weights = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i] = Math.exp(logs[i] - top);
  let maxRaw = 0;
  for (let i = 0; i < n; i++) {
    weights[i] *= n / sum;
    maxRaw = Math.max(maxRaw, weights[i]);
  }
  const essRaw = effectiveSampleSize(weights);
  const cap = Math.sqrt(n);
  let truncated = 0;
  for (let i = 0; i < n; i++) {
    if (weights[i] > cap) {
      weights[i] = cap;
      truncated++;
    }
  }
  let total = 0;
  for (const w of weights) total += w;
  for (let i = 0; i < n; i++) weights[i] *= n / total;
  return { weights, cap, truncated, maxRawWeight: maxRaw, effectiveSampleSize: effectiveSampleSize(weights), effectiveSampleSizeRaw: essRaw };
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
