import { fail } from '../errors.js';
import { normalPpf, normalSf } from '../special/index.js';

export interface AucResult {
  /** Area under the ROC curve, as `sklearn.metrics.roc_auc_score(y, score)` (ties count ½). */
  readonly auc: number;
  /** DeLong et al. (1988) standard error of the AUC. */
  readonly se: number;
  /** Two-sided confidence interval AUC ± z·se (DeLong), clipped to [0, 1]. */
  readonly ci: [number, number];
  /** One-sided p-value of AUC > 0.5 (z-test with the DeLong standard error). */
  readonly pvalue: number;
}

/** Mid-ranks (1-based, ties averaged) of `values`, as `scipy.stats.rankdata`. */
export function midranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    i = j + 1;
  }
  return ranks;
}

/**
 * ROC AUC with DeLong's variance, computed in O(n log n) by mid-ranks (Sun & Xu 2014, "fast
 * DeLong"): V10ᵢ = (Rᵢ − R⁺ᵢ)/n⁻ for positives, V01ⱼ = 1 − (Rⱼ − R⁻ⱼ)/n⁺ for negatives, and
 * Var(AUC) = s²(V10)/n⁺ + s²(V01)/n⁻. `positive` marks the positive class (1) per score.
 */
export function aucDeLong(scores: ArrayLike<number>, positive: ArrayLike<number>, confidence = 0.95): AucResult {
  const fn = 'aucDeLong';
  if (scores.length !== positive.length)
    fail({ fn, argument: 'positive', value: `${positive.length} labels`, rule: `it needs one label per score (${scores.length})` });
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < scores.length; i++) (positive[i] === 1 ? pos : neg).push(scores[i]);
  if (pos.length < 2 || neg.length < 2)
    fail({ fn, argument: 'positive', value: `${pos.length} positives and ${neg.length} negatives`, rule: 'the AUC and its variance need at least 2 of each' });
  const all = midranks([...pos, ...neg]);
  const rPos = midranks(pos);
  const rNeg = midranks(neg);
  const m = pos.length;
  const n = neg.length;
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  let sumPosRanks = 0;
  for (let i = 0; i < m; i++) {
    v10[i] = (all[i] - rPos[i]) / n;
    sumPosRanks += all[i];
  }
  for (let j = 0; j < n; j++) v01[j] = 1 - (all[m + j] - rNeg[j]) / m;
  const auc = (sumPosRanks - (m * (m + 1)) / 2) / (m * n);
  const variance = sampleVariance(v10) / m + sampleVariance(v01) / n;
  const se = Math.sqrt(variance);
  const z = normalPpf(1 - (1 - confidence) / 2);
  const ci: [number, number] = [Math.max(0, auc - z * se), Math.min(1, auc + z * se)];
  const pvalue = se > 0 ? normalSf((auc - 0.5) / se) : auc > 0.5 ? 0 : 1;
  return { auc, se, ci, pvalue };
}

function sampleVariance(a: Float64Array): number {
  let mean = 0;
  for (const v of a) mean += v;
  mean /= a.length;
  let s = 0;
  for (const v of a) s += (v - mean) * (v - mean);
  return s / (a.length - 1);
}
