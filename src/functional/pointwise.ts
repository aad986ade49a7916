import { bcePointwise } from './bceWithLogits.js';
import { gaussianNllPointwise } from './gaussianNllLoss.js';
import { huberPointwise } from './huberLoss.js';
import { l1Pointwise } from './l1Loss.js';
import { l2Pointwise } from './l2Loss.js';
import { msePointwise } from './mseLoss.js';
import { smoothL1Pointwise } from './smoothL1Loss.js';

import type { PointwiseLoss, PointwiseLossId, PointwiseParams } from './pointwiseLoss.js';

export type { PointwiseLoss, PointwiseLossId, PointwiseParams } from './pointwiseLoss.js';

/**
 * Every pointwise loss by id. The likelihoods:
 * - `l2`  ½(y′−y)²          ← Gaussian N(y; y′, 1) = exp(−l)/√(2π)
 * - `mse` (y′−y)²           ← Gaussian N(y; y′, ½) = exp(−l)/√π
 * - `l1`  |y′−y|            ← Laplace(y; y′, b = 1) = ½·exp(−l)
 * - `huber` (δ)             ← Huber's density exp(−l)/Z, Z = √(2π)·erf(δ/√2) + (2/δ)·exp(−δ²/2)
 * - `smooth-l1` (β)         ← exp(−l)/Z, Z = √(2πβ)·erf(√(β/2)) + 2·exp(−β/2) (Laplace at β = 0)
 * - `gaussian-nll` (σ)      ← N(y; y′, σ²); l = ½(log σ² + (y′−y)²/σ²) drops ½·log 2π (full = false)
 * - `bce` (y′ is the logit z, y ∈ {0, 1}) ← Bernoulli(y; σ(z)), a probability mass over y ∈ {0, 1}
 */
export const pointwiseLosses: Readonly<Record<PointwiseLossId, PointwiseLoss<PointwiseParams>>> = {
  l2: l2Pointwise,
  mse: msePointwise,
  l1: l1Pointwise,
  huber: huberPointwise,
  'smooth-l1': smoothL1Pointwise,
  'gaussian-nll': gaussianNllPointwise,
  bce: bcePointwise,
};
