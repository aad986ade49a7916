import type { FloatDType } from '../tensor/dtype.js';
import { abs, add, exp, gather, log, log1p, mul, neg, relu, sub, sum, squeeze, unsqueeze } from '../tensor/ops/index.js';
import { Tensor } from '../tensor/tensor.js';
import { detachedMax } from './ops.js';
import type { Reduction } from './reduction.js';

/**
 * The fused losses written with recorded primitives only (tinygrad's way: no gradient code of their
 * own). They give the same values as the hand-fused kernels; the kernels use them for double
 * backward (`recomputedBackward`), and the tests hold the kernels to them.
 */

/** log Σ exp(x) along `dim` (kept), with the detached maximum subtracted first. */
export function composedLogSumExp(x: Tensor, dim: number): Tensor {
  const m = detachedMax(x, dim);
  return add(log(sum(exp(sub(x, m)), dim, true)), m);
}

/** log-softmax(x / T) along `dim` = x/T − logsumexp(x/T). */
export function composedLogSoftmax(x: Tensor, dim: number, temperature = 1): Tensor {
  const z = temperature === 1 ? x : mul(x, 1 / temperature);
  return sub(z, composedLogSumExp(z, dim));
}

/** A constant tensor of `values` (float64 accumulators rounded to `dtype`). */
function constant(values: ArrayLike<number>, shape: readonly number[], dtype: FloatDType): Tensor {
  const data = dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
  return new Tensor(data, shape);
}

function reduce(losses: Tensor, reduction: Reduction, divisor: number): Tensor {
  if (reduction === 'none') return losses;
  const total = sum(losses);
  return reduction === 'sum' ? total : mul(total, 1 / divisor);
}

/**
 * Weighted negative log-likelihood of class indices from log-probabilities `lp` (class dimension
 * `classDim`), with label smoothing ε, PyTorch's `ignoreIndex` and reductions:
 * ℓ = −(1 − ε)·w[t]·lp[t] − (ε/C)·Σ_c w_c·lp[c]; 'mean' divides by Σ w[t] over the kept targets.
 */
export function composedIndexLoss(
  lp: Tensor,
  labels: Int32Array,
  classDim: number,
  weight: ArrayLike<number> | null,
  ignoreIndex: number,
  reduction: Reduction,
  smoothing = 0,
): Tensor {
  const dtype = lp.dtype as FloatDType;
  const classes = lp.shape[classDim];
  const laneShape = lp.shape.filter((_, i) => i !== classDim);
  const safe = new Int32Array(labels.length);
  const coefficient = new Float64Array(labels.length);
  const kept = new Float64Array(labels.length);
  let totalWeight = 0;
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i];
    if (t === ignoreIndex) continue;
    safe[i] = t;
    const w = weight ? weight[t] : 1;
    coefficient[i] = (1 - smoothing) * w;
    kept[i] = 1;
    totalWeight += w;
  }
  const index = unsqueeze(new Tensor(safe, laneShape), classDim);
  const picked = squeeze(gather(lp, classDim, index), classDim);
  let losses = neg(mul(picked, constant(coefficient, laneShape, dtype)));
  if (smoothing > 0) {
    const perClass = weight
      ? mul(
          lp,
          constant(
            weight,
            lp.shape.map((s, i) => (i === classDim ? s : 1)),
            dtype,
          ),
        )
      : lp;
    const smooth = mul(sum(perClass, classDim), constant(kept, laneShape, dtype));
    losses = sub(losses, mul(smooth, smoothing / classes));
  }
  return reduce(losses, reduction, totalWeight);
}

/** Cross-entropy with class-probability targets: ℓ = −Σ_c w_c·t̃_c·lp_c, t̃ = t(1 − ε) + ε/C; 'mean' divides by the number of lanes. */
export function composedProbabilityLoss(
  lp: Tensor,
  target: Tensor,
  classDim: number,
  weight: ArrayLike<number> | null,
  reduction: Reduction,
  smoothing = 0,
): Tensor {
  const dtype = lp.dtype as FloatDType;
  const classes = lp.shape[classDim];
  let t = smoothing > 0 ? add(mul(target, 1 - smoothing), smoothing / classes) : target;
  if (weight)
    t = mul(
      t,
      constant(
        weight,
        lp.shape.map((s, i) => (i === classDim ? s : 1)),
        dtype,
      ),
    );
  const losses = neg(sum(mul(t, lp), classDim));
  return reduce(losses, reduction, classes === 0 ? 0 : lp.size / classes);
}

/**
 * Binary cross-entropy on logits: w·[(1 − t)·x + (1 + (p − 1)·t)·softplus(−x)], with
 * softplus(−x) = max(−x, 0) + log(1 + e^(−|x|)).
 */
export function composedBceWithLogits(x: Tensor, target: Tensor, weight: Float64Array | null, posWeight: Float64Array | null, reduction: Reduction): Tensor {
  const dtype = x.dtype as FloatDType;
  const softplusNeg = add(relu(neg(x)), log1p(exp(neg(abs(x)))));
  const positive = posWeight ? add(mul(target, sub(constant(posWeight, x.shape, dtype), 1)), 1) : null;
  let losses = add(mul(sub(1, target), x), positive ? mul(positive, softplusNeg) : softplusNeg);
  if (weight) losses = mul(losses, constant(weight, x.shape, dtype));
  return reduce(losses, reduction, x.size);
}
