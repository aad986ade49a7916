import { fail, formatValue } from '../errors.js';
import { solveLabelShift } from '../shift/labels.js';

/**
 * Label-shift correction: the target domain has the source's class-conditionals p(x | y) but other
 * class proportions q(y) ≠ p(y). Both estimators below return the weights w(y) = q(y)/p(y) that
 * reweight source rows (or rescale a classifier's posteriors) towards the target.
 *
 * Inputs are class probabilities from a classifier trained on the source, as row-major
 * `[n, numClasses]` arrays (softmax outputs); labels are class indices.
 */
export interface LabelShiftEstimate {
  /** w(y) = q̂(y) / p̂(y), one per class. */
  readonly weights: number[];
  /** Estimated target class proportions q̂(y). */
  readonly targetPriors: number[];
  /** Source class proportions p̂(y) (from the labels the estimator saw). */
  readonly sourcePriors: number[];
}

export interface BbseResult extends LabelShiftEstimate {
  /** Ĉ[i][j] = P̂(ŷ = i, y = j) on the held-out source rows (soft: E[p(ŷ = i | x) · 1{y = j}]). */
  readonly confusion: number[][];
  /** μ̂[i] = P̂_target(ŷ = i) (soft: mean predicted probability of class i). */
  readonly targetPredicted: number[];
  /** Smallest |pivot| of the solve: near 0 means Ĉ is nearly singular and w unreliable. */
  readonly conditioning: number;
}

function checkProbabilities(fn: string, argument: string, probs: ArrayLike<number>, k: number): number {
  if (!Number.isInteger(k) || k < 2) fail({ fn, argument: 'numClasses', value: formatValue(k), rule: 'it must be an integer ≥ 2' });
  if (probs.length % k !== 0 || probs.length === 0) {
    fail({ fn, argument, value: `${probs.length} values`, rule: `it must be a non-empty [n, ${k}] array of class probabilities` });
  }
  const n = probs.length / k;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) {
      const v = probs[i * k + c];
      if (!(v >= 0 && v <= 1)) fail({ fn, argument, value: `${formatValue(v)} at row ${i}, class ${c}`, rule: 'probabilities must lie in [0, 1]' });
      s += v;
    }
    if (Math.abs(s - 1) > 1e-3) fail({ fn, argument, value: `row ${i} sums to ${s}`, rule: 'each row must sum to 1 (pass softmax outputs, not logits)' });
  }
  return n;
}

function argmaxRow(probs: ArrayLike<number>, i: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + best]) best = c;
  return best;
}

/**
 * Black-box shift estimation (Lipton, Wang & Smola 2018): with Ĉ[i][j] = P̂(ŷ = i, y = j) on held-out
 * source rows and μ̂[i] = P̂_target(ŷ = i), solve Ĉ w = μ̂ and clip negative weights to 0;
 * q̂(y) = w(y) p̂(y), renormalised. `soft: true` uses the predicted probabilities instead of argmax
 * predictions (BBSE-soft). The source rows must not have been used to train the classifier.
 */
export function bbse(
  sourceProbs: ArrayLike<number>,
  sourceLabels: ArrayLike<number>,
  targetProbs: ArrayLike<number>,
  numClasses: number,
  options: { soft?: boolean } = {},
): BbseResult {
  const fn = 'bbse';
  const k = numClasses;
  const n = checkProbabilities(fn, 'sourceProbs', sourceProbs, k);
  const m = checkProbabilities(fn, 'targetProbs', targetProbs, k);
  if (sourceLabels.length !== n)
    fail({ fn, argument: 'sourceLabels', value: `${sourceLabels.length} labels`, rule: `it needs one label per source row (${n})` });
  const C = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const p = new Array<number>(k).fill(0);
  for (let r = 0; r < n; r++) {
    const y = sourceLabels[r];
    if (!(Number.isInteger(y) && y >= 0 && y < k))
      fail({ fn, argument: 'sourceLabels', value: `${formatValue(y)} at row ${r}`, rule: `labels must be class indices in [0, ${k - 1}]` });
    p[y] += 1 / n;
    if (options.soft) for (let i = 0; i < k; i++) C[i][y] += sourceProbs[r * k + i] / n;
    else C[argmaxRow(sourceProbs, r, k)][y] += 1 / n;
  }
  const mu = new Array<number>(k).fill(0);
  for (let r = 0; r < m; r++) {
    if (options.soft) for (let i = 0; i < k; i++) mu[i] += targetProbs[r * k + i] / m;
    else mu[argmaxRow(targetProbs, r, k)] += 1 / m;
  }
  const solved = solveLabelShift(C, mu, p, fn);
  return {
    weights: solved.weights,
    targetPriors: solved.estimatedProportions,
    sourcePriors: p,
    confusion: C,
    targetPredicted: mu,
    conditioning: solved.minPivot,
  };
}

export interface EmResult extends LabelShiftEstimate {
  /** Posteriors of the target rows under the estimated priors, `[m, k]`. */
  readonly targetPosteriors: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * EM prior correction (Saerens, Latinne & Decaestecker 2002, "Adjusting the outputs of a classifier
 * to new a priori probabilities"): start from q⁰ = p (the source priors) and iterate
 *
 *   E: p⁽ˢ⁾(y | xᵢ) ∝ (q⁽ˢ⁾(y) / p(y)) · p(y | xᵢ)   (normalised over y)
 *   M: q⁽ˢ⁺¹⁾(y) = (1/m) Σᵢ p⁽ˢ⁾(y | xᵢ)
 *
 * until max_y |q⁽ˢ⁺¹⁾ − q⁽ˢ⁾| < tol (default 1e-8) or maxIterations (default 1000). `targetProbs` are
 * the source classifier's posteriors on the target rows; `sourcePriors` the source class proportions.
 * Assumes calibrated posteriors (Alexandari et al. 2020 recommend bias-corrected calibration first).
 */
export function emLabelShift(
  targetProbs: ArrayLike<number>,
  sourcePriors: readonly number[],
  options: { tol?: number; maxIterations?: number } = {},
): EmResult {
  const fn = 'emLabelShift';
  const k = sourcePriors.length;
  const m = checkProbabilities(fn, 'targetProbs', targetProbs, k);
  let total = 0;
  for (const v of sourcePriors) {
    if (!(v > 0)) fail({ fn, argument: 'sourcePriors', value: formatValue([...sourcePriors]), rule: 'every class needs a positive source proportion' });
    total += v;
  }
  if (Math.abs(total - 1) > 1e-6) fail({ fn, argument: 'sourcePriors', value: `sum ${total}`, rule: 'the proportions must sum to 1' });
  const tol = options.tol ?? 1e-8;
  const maxIterations = options.maxIterations ?? 1000;
  let q = [...sourcePriors];
  const post = new Float64Array(m * k);
  let iterations = 0;
  let converged = false;
  const ratio = new Array<number>(k);
  while (iterations < maxIterations) {
    for (let c = 0; c < k; c++) ratio[c] = q[c] / sourcePriors[c];
    const next = new Array<number>(k).fill(0);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let c = 0; c < k; c++) {
        const v = ratio[c] * targetProbs[i * k + c];
        post[i * k + c] = v;
        s += v;
      }
      for (let c = 0; c < k; c++) {
        post[i * k + c] = s > 0 ? post[i * k + c] / s : 1 / k;
        next[c] += post[i * k + c] / m;
      }
    }
    iterations++;
    let change = 0;
    for (let c = 0; c < k; c++) change = Math.max(change, Math.abs(next[c] - q[c]));
    q = next;
    if (change < tol) {
      converged = true;
      break;
    }
  }
  return { weights: q.map((v, c) => v / sourcePriors[c]), targetPriors: q, sourcePriors: [...sourcePriors], targetPosteriors: post, iterations, converged };
}

/**
 * Rescales posteriors to new priors: p_q(y | x) ∝ w(y) · p(y | x), w = q/p (Saerens et al., eq. 2.4).
 * Use with the weights of `bbse` or `emLabelShift` to correct predictions on the target.
 */
export function adjustPosteriors(probs: ArrayLike<number>, weights: readonly number[]): Float64Array {
  const k = weights.length;
  const m = checkProbabilities('adjustPosteriors', 'probs', probs, k);
  const out = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += out[i * k + c] = weights[c] * probs[i * k + c];
    for (let c = 0; c < k; c++) out[i * k + c] = s > 0 ? out[i * k + c] / s : 1 / k;
  }
  return out;
}
