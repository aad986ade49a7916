import { fail, formatValue } from '../errors.js';

/**
 * Target-free validators for domain adaptation: scores that estimate how well a model does on the
 * unlabelled target domain, so checkpoints and hyperparameters can be chosen without target labels.
 * Every score here is "higher is better" (as pytorch-adapt's validators), so the same argmax picks
 * the model for each; the risks (IWCV, DEV) are returned negated in `score` and plain in `risk`.
 */
export type ValidatorName = 'iwcv' | 'dev' | 'entropy' | 'snd';

export const VALIDATORS: Readonly<Record<ValidatorName, string>> = {
  iwcv: 'importance-weighted validation loss on held-out source rows (Sugiyama, Krauledat & Müller 2007)',
  dev: 'deep embedded validation: IWCV with a control variate (You et al. 2019)',
  entropy: 'negative mean prediction entropy on the target (pytorch-adapt EntropyValidator)',
  snd: 'soft neighbourhood density of the target predictions (Saito et al. 2021)',
};

export interface ValidatorScore {
  readonly validator: ValidatorName;
  /** Higher is better. */
  readonly score: number;
  /** The estimated target risk for IWCV and DEV (lower is better). */
  readonly risk?: number;
}

function checkPair(fn: string, losses: ArrayLike<number>, weights: ArrayLike<number>): void {
  if (losses.length !== weights.length || losses.length < 2) {
    fail({
      fn,
      argument: 'weights',
      value: `${weights.length} weights for ${losses.length} losses`,
      rule: 'it needs one weight per loss, and at least 2 rows',
    });
  }
  for (let i = 0; i < losses.length; i++) {
    if (!Number.isFinite(losses[i])) fail({ fn, argument: 'losses', value: `${formatValue(losses[i])} at row ${i}`, rule: 'losses must be finite' });
    if (!(weights[i] >= 0 && Number.isFinite(weights[i])))
      fail({ fn, argument: 'weights', value: `${formatValue(weights[i])} at row ${i}`, rule: 'weights must be finite and ≥ 0' });
  }
}

/**
 * Importance-weighted cross-validation risk (Sugiyama et al. 2007): R̂ = (1/n) Σ wᵢ ℓᵢ over held-out
 * source rows with importance weights wᵢ ≈ p_t(xᵢ)/p_s(xᵢ) — an unbiased estimate of the target risk.
 */
export function iwcvRisk(losses: ArrayLike<number>, weights: ArrayLike<number>): number {
  checkPair('iwcvRisk', losses, weights);
  let s = 0;
  for (let i = 0; i < losses.length; i++) s += weights[i] * losses[i];
  return s / losses.length;
}

/**
 * Deep embedded validation risk (You, Wang, Chen, Wang & Long 2019, "Towards Accurate Model Selection
 * in Deep Unsupervised Domain Adaptation"; pytorch-adapt `get_dev_risk`, normalisation None): with
 * L = w ⊙ ℓ, η = −Cov(L, w) / Var(w) (both with n − 1) and R̂ = mean(L) + η · mean(w) − η. The
 * control variate w (whose expectation is 1) removes much of IWCV's variance.
 */
export function devRisk(losses: ArrayLike<number>, weights: ArrayLike<number>): number {
  checkPair('devRisk', losses, weights);
  const n = losses.length;
  let mL = 0;
  let mW = 0;
  for (let i = 0; i < n; i++) {
    mL += weights[i] * losses[i];
    mW += weights[i];
  }
  mL /= n;
  mW /= n;
  let cov = 0;
  let varW = 0;
  for (let i = 0; i < n; i++) {
    const dw = weights[i] - mW;
    cov += (weights[i] * losses[i] - mL) * dw;
    varW += dw * dw;
  }
  cov /= n - 1;
  varW /= n - 1;
  if (!(varW > 0)) return mL;
  const eta = -cov / varW;
  return mL + eta * mW - eta;
}

/** Mean Shannon entropy (nats) of the softmax of each row of logits `[n, k]`, computed stably. */
export function meanPredictionEntropy(logits: ArrayLike<number>, k: number): number {
  const fn = 'meanPredictionEntropy';
  if (!(Number.isInteger(k) && k >= 2) || logits.length % k !== 0 || logits.length === 0) {
    fail({ fn, argument: 'logits', value: `${logits.length} values`, rule: `it must be a non-empty [n, ${k}] array (k ≥ 2)` });
  }
  const n = logits.length / k;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, logits[i * k + c]);
    if (!Number.isFinite(max)) fail({ fn, argument: 'logits', value: `row ${i}`, rule: 'logits must be finite' });
    let z = 0;
    let s = 0;
    for (let c = 0; c < k; c++) {
      const d = logits[i * k + c] - max;
      const e = Math.exp(d);
      z += e;
      s += e * d;
    }
    // H = −Σ p log p with p = e/z, log p = d − log z:  H = log z − Σ e·d / z
    total += Math.log(z) - s / z;
  }
  return total / n;
}

/** float32's smallest normal number, pytorch-metric-learning's `small_val` for float32 tensors. */
const FLOAT32_TINY = 1.1754943508222875e-38;

/**
 * Soft neighbourhood density (Saito, Kim, Teterwak, Sclaroff, Darrell & Saenko 2021, "Tune it the
 * Right Way"; pytorch-adapt `SNDValidator` with layer "preds", T = 0.05): the rows of `probs` `[n, k]`
 * (softmax outputs) are L2-normalised, S = cosine similarities with the diagonal removed, each row
 * softmax(S / T), and the score is the mean entropy Σ −p log(p + ε) of those rows. High density (a
 * target prediction with many close neighbours) means well-clustered target features: higher is better.
 */
export function softNeighborhoodDensity(probs: ArrayLike<number>, k: number, options: { temperature?: number } = {}): number {
  const fn = 'softNeighborhoodDensity';
  const T = options.temperature ?? 0.05;
  if (!(T > 0)) fail({ fn, argument: 'temperature', value: formatValue(T), rule: 'it must be positive' });
  if (!(Number.isInteger(k) && k >= 1) || probs.length % k !== 0 || probs.length / k < 2) {
    fail({ fn, argument: 'probs', value: `${probs.length} values`, rule: `it must be an [n, ${k}] array with n ≥ 2` });
  }
  const n = probs.length / k;
  const unit = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let c = 0; c < k; c++) norm += probs[i * k + c] ** 2;
    norm = Math.max(Math.sqrt(norm), 1e-12);
    for (let c = 0; c < k; c++) unit[i * k + c] = probs[i * k + c] / norm;
  }
  const row = new Float64Array(n - 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let m = 0;
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let dot = 0;
      for (let c = 0; c < k; c++) dot += unit[i * k + c] * unit[j * k + c];
      row[m] = dot / T;
      max = Math.max(max, row[m]);
      m++;
    }
    let z = 0;
    for (let j = 0; j < n - 1; j++) z += row[j] = Math.exp(row[j] - max);
    let h = 0;
    for (let j = 0; j < n - 1; j++) {
      const p = row[j] / z;
      h -= p * Math.log(p + FLOAT32_TINY);
    }
    total += h;
  }
  return total / n;
}
