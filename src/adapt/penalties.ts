import { fail, formatValue } from '../errors.js';

/**
 * The penalties of domain generalisation and adaptation as plain functions of logits or features:
 * each returns its value and its gradient with respect to its inputs in closed form (derived below,
 * checked against PyTorch autograd — double backward for IRM — in test/adapt/penalties.test.ts and by
 * finite differences). Closed forms make the IRM penalty one pass instead of a double backward. The
 * autograd ops in `ops.ts` wrap them; the trainers call them directly on logit and feature buffers.
 *
 * Arrays are row-major float64 (or float32) `[n, k]` / `[n, d]`; gradients are float64.
 */
export interface PenaltyValue {
  readonly value: number;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function checkRows(fn: string, argument: string, a: ArrayLike<number>, cols: number, minRows = 1): number {
  if (!(Number.isInteger(cols) && cols >= 1) || a.length % cols !== 0 || a.length / cols < minRows) {
    fail({ fn, argument, value: `${a.length} values`, rule: `it must be an [n, ${cols}] array with n ≥ ${minRows}` });
  }
  return a.length / cols;
}

/**
 * IRMv1 penalty for one logit per row and binary targets (the IRM paper's Colored MNIST code):
 * with ℓ(s) = mean BCEWithLogits(s·z, y), g = ℓ'(1) = mean((σ(z) − y) z) and the penalty is g².
 * ∂g²/∂zᵢ = 2g/n · [(σ(zᵢ) − yᵢ) + σ(zᵢ)(1 − σ(zᵢ)) zᵢ].
 */
export function irmPenaltyBinary(logits: ArrayLike<number>, targets: ArrayLike<number>): PenaltyValue & { grad: Float64Array; scaleGrad: number } {
  const n = logits.length;
  if (n < 1 || targets.length !== n)
    fail({ fn: 'irmPenaltyBinary', argument: 'targets', value: `${targets.length} values`, rule: `it needs one target per logit (${n})` });
  let g = 0;
  for (let i = 0; i < n; i++) g += (sigmoid(logits[i]) - targets[i]) * logits[i];
  g /= n;
  const grad = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = sigmoid(logits[i]);
    grad[i] = ((2 * g) / n) * (p - targets[i] + p * (1 - p) * logits[i]);
  }
  return { value: g * g, grad, scaleGrad: g };
}

/**
 * d/ds of mean cross-entropy(s·z, y) at s = 1 over the given rows, and its gradient w.r.t. z:
 * h = (1/m) Σᵢ Σ_c (p_ic − y_ic) z_ic with p = softmax(z); ∂h/∂z_ik = (1/m)[(p_ik − y_ik) + p_ik (z_ik − Σ_c p_ic z_ic)].
 */
function scaleDerivative(
  logits: ArrayLike<number>,
  targets: ArrayLike<number>,
  k: number,
  rows: readonly number[],
  grad: Float64Array,
  weight: number,
): number {
  const m = rows.length;
  const p = new Float64Array(k);
  let h = 0;
  const parts: { i: number; pz: number; p: Float64Array }[] = [];
  for (const i of rows) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, logits[i * k + c]);
    let z = 0;
    for (let c = 0; c < k; c++) z += p[c] = Math.exp(logits[i * k + c] - max);
    let pz = 0;
    for (let c = 0; c < k; c++) {
      p[c] /= z;
      pz += p[c] * logits[i * k + c];
    }
    h += pz - logits[i * k + targets[i]];
    parts.push({ i, pz, p: p.slice() });
  }
  h /= m;
  if (weight !== 0) {
    for (const { i, pz, p: pi } of parts) {
      for (let c = 0; c < k; c++) {
        const y = c === targets[i] ? 1 : 0;
        grad[i * k + c] += (weight / m) * (pi[c] - y + pi[c] * (logits[i * k + c] - pz));
      }
    }
  }
  return h;
}

/**
 * IRMv1 penalty for class logits `[n, k]` and class-index targets.
 * - `domainbed` (default; DomainBed `IRM._irm_penalty`): g₁ from the even rows, g₂ from the odd rows,
 *   penalty g₁·g₂ (an unbiased estimate of g²); ∂ = g₂ ∂g₁ + g₁ ∂g₂.
 * - `squared` (the IRM paper's form for cross-entropy): g from all rows, penalty g².
 */
export function irmPenalty(
  logits: ArrayLike<number>,
  targets: ArrayLike<number>,
  k: number,
  options: { variant?: 'domainbed' | 'squared' } = {},
): PenaltyValue & { grad: Float64Array } {
  const fn = 'irmPenalty';
  const n = checkRows(fn, 'logits', logits, k, 2);
  if (targets.length !== n) fail({ fn, argument: 'targets', value: `${targets.length} values`, rule: `it needs one class index per row (${n})` });
  for (let i = 0; i < n; i++) {
    if (!(Number.isInteger(targets[i]) && targets[i] >= 0 && targets[i] < k))
      fail({ fn, argument: 'targets', value: `${formatValue(targets[i])} at row ${i}`, rule: `class indices must lie in [0, ${k - 1}]` });
  }
  const grad = new Float64Array(n * k);
  if (options.variant === 'squared') {
    const all = Array.from({ length: n }, (_, i) => i);
    const g = scaleDerivative(logits, targets, k, all, grad, 0);
    scaleDerivative(logits, targets, k, all, grad, 2 * g);
    return { value: g * g, grad };
  }
  const even = Array.from({ length: Math.ceil(n / 2) }, (_, i) => 2 * i);
  const odd = Array.from({ length: Math.floor(n / 2) }, (_, i) => 2 * i + 1);
  const g1 = scaleDerivative(logits, targets, k, even, grad, 0);
  const g2 = scaleDerivative(logits, targets, k, odd, grad, 0);
  scaleDerivative(logits, targets, k, even, grad, g2);
  scaleDerivative(logits, targets, k, odd, grad, g1);
  return { value: g1 * g2, grad };
}

/**
 * V-REx penalty (Krueger et al. 2021; DomainBed `VREx`): the variance of the per-domain risks,
 * mean_e (R_e − R̄)², with gradient 2(R_e − R̄)/E w.r.t. each risk (the R̄ terms cancel).
 */
export function vrexPenalty(risks: ArrayLike<number>): PenaltyValue & { grad: Float64Array } {
  const E = risks.length;
  if (E < 1) fail({ fn: 'vrexPenalty', argument: 'risks', value: '[]', rule: 'it needs at least one domain risk' });
  let mean = 0;
  for (let e = 0; e < E; e++) mean += risks[e] / E;
  let value = 0;
  const grad = new Float64Array(E);
  for (let e = 0; e < E; e++) {
    value += (risks[e] - mean) ** 2 / E;
    grad[e] = (2 * (risks[e] - mean)) / E;
  }
  return { value, grad };
}

/**
 * GroupDRO's weight update (Sagawa et al. 2020, Algorithm 1; DomainBed `GroupDRO`): q_e ← q_e ·
 * exp(η R_e), then q ← q / Σq; the loss is Σ_e q_e R_e with q held fixed (its gradient w.r.t. R_e is
 * q_e). Returns the new weights (start from all ones, as DomainBed does).
 */
export function groupDroWeights(q: ArrayLike<number>, risks: ArrayLike<number>, eta: number): Float64Array {
  if (q.length !== risks.length || q.length < 1)
    fail({ fn: 'groupDroWeights', argument: 'risks', value: `${risks.length} values`, rule: `it needs one risk per weight (${q.length})` });
  if (!(eta >= 0)) fail({ fn: 'groupDroWeights', argument: 'eta', value: formatValue(eta), rule: 'it must be ≥ 0' });
  const out = new Float64Array(q.length);
  let s = 0;
  for (let e = 0; e < q.length; e++) s += out[e] = q[e] * Math.exp(eta * risks[e]);
  for (let e = 0; e < q.length; e++) out[e] /= s;
  return out;
}

/**
 * CORAL's feature-distribution distance (DomainBed `AbstractMMD` with mean_cov; tllib
 * `CorrelationAlignmentLoss`): mean over d of (μx − μy)² plus mean over d² of (Cx − Cy)², with
 * C = X_cᵀX_c/(n − 1). Gradients: ∂/∂xᵢ = (2/(d n))(μx − μy) + (2/(n − 1)) (xᵢ − μx) G, G = 2(Cx − Cy)/d²
 * (G is symmetric and the centred rows sum to zero, so the centring adds nothing).
 * Deep CORAL (Sun & Saenko 2016) is the covariance term times d²/(4d²) = ‖Cx − Cy‖²_F / (4d²); losslab
 * follows DomainBed/tllib.
 */
export function coralPenalty(x: ArrayLike<number>, y: ArrayLike<number>, d: number): PenaltyValue & { gradX: Float64Array; gradY: Float64Array } {
  const r = coralPenaltyPairs([x, y], d, 'coralPenalty', ['x', 'y']);
  return { value: r.value, gradX: r.grads[0], gradY: r.grads[1] };
}

/**
 * The mean of `coralPenalty` over every pair i < j of the samples (DomainBed's penalty over the
 * training domains' pairs), computed from each sample's statistics once: the gradient of sample e is
 * (1/P) [(2/(d n_e)) Σ ±(μ_i − μ_j) + (2/(n_e − 1)) X_c,e Σ ±G_ij] over the P pairs, + when e is the
 * pair's first sample, − when its second.
 */
export function coralPenaltyPairs(
  samples: readonly ArrayLike<number>[],
  d: number,
  fn = 'coralPenaltyPairs',
  argumentNames?: readonly string[],
): PenaltyValue & { grads: Float64Array[] } {
  const rows = samples.map((a, e) => checkRows(fn, argumentNames?.[e] ?? `samples[${e}]`, a, d, 2));
  // the centred rows X_c (float64) and C = X_cᵀX_c/(n − 1), its upper triangle accumulated row by row and mirrored
  const stats = samples.map((a, e) => {
    const n = rows[e];
    const mu = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mu[j] += a[i * d + j] / n;
    const xc = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xc[i * d + j] = a[i * d + j] - mu[j];
    const C = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      const r = i * d;
      for (let p = 0; p < d; p++) {
        const ap = xc[r + p];
        const row = p * d;
        for (let q = p; q < d; q++) C[row + q] += ap * xc[r + q];
      }
    }
    for (let p = 0; p < d; p++) {
      for (let q = p; q < d; q++) {
        const c = C[p * d + q] / (n - 1);
        C[p * d + q] = c;
        C[q * d + p] = c;
      }
    }
    return { mu, xc, C };
  });
  const E = samples.length;
  const pairs = (E * (E - 1)) / 2;
  const meanSum = samples.map(() => new Float64Array(d));
  const gSum = samples.map(() => new Float64Array(d * d));
  let value = 0;
  for (let i = 0; i < E; i++) {
    for (let j = i + 1; j < E; j++) {
      const a = stats[i];
      const b = stats[j];
      let meanDiff = 0;
      for (let q = 0; q < d; q++) {
        const diff = a.mu[q] - b.mu[q];
        meanDiff += (diff * diff) / d;
        meanSum[i][q] += diff;
        meanSum[j][q] -= diff;
      }
      let covDiff = 0;
      for (let k = 0; k < d * d; k++) {
        const diff = a.C[k] - b.C[k];
        covDiff += (diff * diff) / (d * d);
        const g = (2 * diff) / (d * d);
        gSum[i][k] += g;
        gSum[j][k] -= g;
      }
      value += (meanDiff + covDiff) / pairs;
    }
  }
  // X_c,e · ΣG row by row (ΣG is symmetric)
  const grads = stats.map((s, e) => {
    const n = rows[e];
    const G = gSum[e];
    const out = new Float64Array(n * d);
    const row = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      row.fill(0);
      for (let p = 0; p < d; p++) {
        const a = s.xc[i * d + p];
        const g = p * d;
        for (let q = 0; q < d; q++) row[q] += a * G[g + q];
      }
      for (let q = 0; q < d; q++) out[i * d + q] = ((2 * meanSum[e][q]) / (d * n) + (2 * row[q]) / (n - 1)) / pairs;
    }
    return out;
  });
  return { value, grads };
}

/** DomainBed's MMD kernel bandwidths: k(a, b) = Σ_γ exp(−γ‖a − b‖²). */
export const DOMAINBED_MMD_GAMMAS = [0.001, 0.01, 0.1, 1, 10, 100, 1000] as const;

function sqDist(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, d: number): number {
  let s = 0;
  for (let c = 0; c < d; c++) {
    const t = a[i * d + c] - b[j * d + c];
    s += t * t;
  }
  return s;
}

/**
 * Gaussian-kernel MMD² between two feature samples as DomainBed's `MMD` algorithm computes it (the
 * biased V-statistic): mean K(x, x) + mean K(y, y) − 2 mean K(x, y), K = Σ_γ exp(−γ D), D the squared
 * distance clamped below at 1e-30 (DomainBed's `clamp_min_`; no gradient where clamped).
 * ∂/∂xᵢ = (4/n²) Σⱼ κ(Dᵢⱼˣˣ)(xᵢ − xⱼ) − (4/(nm)) Σⱼ κ(Dᵢⱼˣʸ)(xᵢ − yⱼ), κ(D) = −Σ_γ γ e^(−γD).
 */
export function mmdPenalty(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  d: number,
  gammas: readonly number[] = DOMAINBED_MMD_GAMMAS,
): PenaltyValue & { gradX: Float64Array; gradY: Float64Array } {
  const r = mmdPenaltyPairs([x, y], d, gammas, 'mmdPenalty', ['x', 'y']);
  return { value: r.value, gradX: r.grads[0], gradY: r.grads[1] };
}

/**
 * The mean of `mmdPenalty` over every pair i < j of the samples (DomainBed's penalty over the
 * training domains' pairs). Sample e's own block mean K(x_e, x_e) enters (E − 1) of the P pairs, so
 * it is computed once with weight (E − 1)/P; each cross block once with weight −2/P.
 */
export function mmdPenaltyPairs(
  samples: readonly ArrayLike<number>[],
  d: number,
  gammas: readonly number[] = DOMAINBED_MMD_GAMMAS,
  fn = 'mmdPenaltyPairs',
  argumentNames?: readonly string[],
): PenaltyValue & { grads: Float64Array[] } {
  const rows = samples.map((a, e) => checkRows(fn, argumentNames?.[e] ?? `samples[${e}]`, a, d));
  const gs = Float64Array.from(gammas);
  // with the bandwidths ascending, once e^(−γD) underflows to 0 so do the larger γ's
  let ascending = true;
  for (let q = 1; q < gs.length; q++) if (gs[q] < gs[q - 1]) ascending = false;
  // a distance clamped at 1e-30 (the diagonal of a self block): value only, no gradient
  let clamped = 0;
  for (const g of gs) clamped += Math.exp(-g * 1e-30);
  const xs = samples.map((a) => Float64Array.from(a));
  const grads = samples.map((_, e) => new Float64Array(rows[e] * d));
  let value = 0;
  // pairs (i, j) of a block; a self block (a = b) visits each unordered pair once, counted twice, as K is symmetric
  const block = (a: Float64Array, na: number, b: Float64Array, nb: number, scale: number, ga: Float64Array, gb: Float64Array, self: boolean) => {
    for (let i = 0; i < na; i++) {
      const ai = i * d;
      if (self) value += scale * clamped;
      for (let j = self ? i + 1 : 0; j < nb; j++) {
        const bj = j * d;
        let D = 0;
        for (let c = 0; c < d; c++) {
          const t = a[ai + c] - b[bj + c];
          D += t * t;
        }
        const w = self ? 2 * scale : scale;
        if (D < 1e-30) {
          value += w * clamped;
          continue;
        }
        let k = 0;
        let dk = 0;
        for (let q = 0; q < gs.length; q++) {
          const e = Math.exp(-gs[q] * D);
          if (e === 0 && ascending) break;
          k += e;
          dk -= gs[q] * e;
        }
        value += w * k;
        if (dk === 0) continue;
        // ∂/∂aᵢ of w·K(‖aᵢ − bⱼ‖²) = 2 w κ (aᵢ − bⱼ), and the opposite for bⱼ
        const f = 2 * dk * w;
        for (let c = 0; c < d; c++) {
          const t = (a[ai + c] - b[bj + c]) * f;
          ga[ai + c] += t;
          gb[bj + c] -= t;
        }
      }
    }
  };
  const E = samples.length;
  const pairs = (E * (E - 1)) / 2;
  for (let e = 0; e < E; e++) block(xs[e], rows[e], xs[e], rows[e], (E - 1) / pairs / (rows[e] * rows[e]), grads[e], grads[e], true);
  for (let i = 0; i < E; i++)
    for (let j = i + 1; j < E; j++) block(xs[i], rows[i], xs[j], rows[j], -2 / pairs / (rows[i] * rows[j]), grads[i], grads[j], false);
  return { value, grads };
}

/**
 * Multi-kernel MMD of DAN (Long et al. 2015) as tllib's `MultipleKernelMaximumMeanDiscrepancy` with
 * `GaussianKernel(alpha=2^k)`, k = −3…1: on f = [z_s; z_t] (equal batch sizes b), σ² = α · mean(D) (D
 * the squared distances of f, the mean held constant as tllib's `.detach()`), K = Σ_α exp(−D / (2σ²_α)),
 * loss = Σᵢⱼ Mᵢⱼ Kᵢⱼ + 2/(b − 1) with tllib's index matrix M: `linear` (tllib's default in its DAN
 * example) pairs consecutive rows (±1/b), otherwise the unbiased quadratic estimate (1/(b(b−1)) within
 * a domain off the diagonal, −1/b² across).
 */
export function mkMmdPenalty(
  zs: ArrayLike<number>,
  zt: ArrayLike<number>,
  d: number,
  options: { alphas?: readonly number[]; linear?: boolean } = {},
): PenaltyValue & { gradS: Float64Array; gradT: Float64Array } {
  const b = checkRows('mkMmdPenalty', 'zs', zs, d, 2);
  if (zt.length !== zs.length)
    fail({ fn: 'mkMmdPenalty', argument: 'zt', value: `${zt.length / d} rows`, rule: `it must have as many rows as zs (${b}), as tllib requires` });
  const alphas = options.alphas ?? [0.125, 0.25, 0.5, 1, 2];
  const N = 2 * b;
  const f = new Float64Array(N * d);
  for (let i = 0; i < b * d; i++) {
    f[i] = zs[i];
    f[b * d + i] = zt[i];
  }
  const D = new Float64Array(N * N);
  let meanD = 0;
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) meanD += D[i * N + j] = sqDist(f, i, f, j, d);
  meanD /= N * N;
  const M = new Float64Array(N * N);
  if (options.linear ?? false) {
    for (let i = 0; i < b; i++) {
      const s1 = i;
      const s2 = (i + 1) % b;
      const t1 = s1 + b;
      const t2 = s2 + b;
      M[s1 * N + s2] = 1 / b;
      M[t1 * N + t2] = 1 / b;
      M[s1 * N + t2] = -1 / b;
      M[s2 * N + t1] = -1 / b;
    }
  } else {
    for (let i = 0; i < b; i++) {
      for (let j = 0; j < b; j++) {
        if (i !== j) {
          M[i * N + j] = 1 / (b * (b - 1));
          M[(i + b) * N + j + b] = 1 / (b * (b - 1));
        }
        M[i * N + j + b] = -1 / (b * b);
        M[(i + b) * N + j] = -1 / (b * b);
      }
    }
  }
  let value = 2 / (b - 1);
  const grad = new Float64Array(N * d);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const w = M[i * N + j];
      if (w === 0) continue;
      let k = 0;
      let dk = 0;
      for (const a of alphas) {
        const s2 = a * meanD;
        const e = Math.exp(-D[i * N + j] / (2 * s2));
        k += e;
        dk -= e / (2 * s2);
      }
      value += w * k;
      for (let c = 0; c < d; c++) {
        const t = 2 * (f[i * d + c] - f[j * d + c]) * dk * w;
        grad[i * d + c] += t;
        grad[j * d + c] -= t;
      }
    }
  }
  return { value, gradS: grad.slice(0, b * d), gradT: grad.slice(b * d) };
}

/** Ganin & Lempitsky's gradient-reversal schedule λ(p) = 2 / (1 + exp(−γ p)) − 1, γ = 10, p ∈ [0, 1] the training progress. */
export function ganinLambda(progress: number, gamma = 10): number {
  if (!(progress >= 0 && progress <= 1)) fail({ fn: 'ganinLambda', argument: 'progress', value: formatValue(progress), rule: 'it must lie in [0, 1]' });
  return 2 / (1 + Math.exp(-gamma * progress)) - 1;
}
