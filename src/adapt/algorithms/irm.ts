import { add, div, mean, mul, sub } from '../../tensor/ops/index.js';
import { narrow, stack } from '../../tensor/ops/indexing.js';
import type { Tensor } from '../../tensor/tensor.js';
import { addL2, batchMetrics, catRows, classLoss, DomainAlgorithm, type Minibatch, num, penaltyTargets, type UpdateResult } from '../algorithm.js';
import { irmPenaltyTensor } from '../ops.js';

/** The logits of the concatenated minibatches, split back per domain. */
export function domainLogits(algorithm: DomainAlgorithm, minibatches: readonly Minibatch[]): { all: Tensor<'float32'>; parts: Tensor<'float32'>[] } {
  const all = algorithm.predict(catRows(minibatches.map((m) => m.x)));
  let offset = 0;
  const parts = minibatches.map((m) => {
    const n = m.y.shape[0];
    const part = minibatches.length === 1 ? all : narrow(all, 0, offset, n);
    offset += n;
    return part;
  });
  return { all, parts };
}

/**
 * Invariant risk minimisation, IRMv1 (Arjovsky et al. 2019; DomainBed `IRM`):
 *   L = mean_e R_e + λ_t · mean_e P_e,   λ_t = irmLambda from step `irmPenaltyAnnealIters` on, 1 before,
 * P_e = (∂R_e(s·f)/∂s at s = 1) on the even rows times the same on the odd rows (DomainBed's unbiased
 * split-batch estimate; for one logit with BCE, the IRM paper's square on the whole batch). Adam is
 * re-created at the step λ jumps (`form: 'domainbed'`). `form: 'irm-paper'` is the paper's
 * `colored_mnist/main.py` instead: L = mean R_e + l2 Σ‖θ‖² + λ_t mean P_e, divided by λ_t when λ_t > 1,
 * and no restart.
 */
export class IRM extends DomainAlgorithm {
  readonly name: string = 'IRM';

  override update(minibatches: readonly Minibatch[], unlabeled?: readonly Tensor<'float32'>[]): UpdateResult {
    this.checked(minibatches, unlabeled);
    const h = this.hparams;
    const anneal = num(h, 'irmPenaltyAnnealIters');
    const paper = h.form === 'irm-paper';
    const pw = this.updateCount >= anneal ? num(h, 'irmLambda') : 1;
    const { all, parts } = domainLogits(this, minibatches);
    const nlls = parts.map((z, e) => classLoss(z, minibatches[e].y));
    const penalties = parts.map((z, e) => irmPenaltyTensor(z, penaltyTargets(z, minibatches[e].y)));
    const nll = mean(stack(nlls)) as Tensor<'float32'>;
    const penalty = mean(stack(penalties)) as Tensor<'float32'>;
    let loss = add(nll, mul(penalty, pw)) as Tensor<'float32'>;
    const scale = paper && pw > 1 ? 1 / pw : 1;
    if (scale !== 1) loss = div(loss, pw) as Tensor<'float32'>;
    if (!paper && this.updateCount === anneal) this.resetOptimizer();
    this.optimizer.zeroGrad();
    loss.backward();
    const l2 = typeof h.l2RegularizerWeight === 'number' ? addL2(this.networkParameters(), h.l2RegularizerWeight, scale) : 0;
    this.optimizer.step();
    this.updateCount++;
    return {
      loss: loss.item() + l2 * scale,
      terms: { nll: nll.item(), penalty: penalty.item(), penaltyWeight: pw },
      domains: batchMetrics(all, minibatches),
    };
  }
}

/**
 * Risk extrapolation, V-REx (Krueger et al. 2021; DomainBed `VREx`):
 *   L = mean_e R_e + λ_t · mean_e (R_e − mean R)²,   λ_t = vrexLambda from step `vrexPenaltyAnnealIters` on, 1 before;
 * Adam is re-created at the switch.
 */
export class VREx extends DomainAlgorithm {
  readonly name: string = 'VREx';

  override update(minibatches: readonly Minibatch[], unlabeled?: readonly Tensor<'float32'>[]): UpdateResult {
    this.checked(minibatches, unlabeled);
    const anneal = num(this.hparams, 'vrexPenaltyAnnealIters');
    const pw = this.updateCount >= anneal ? num(this.hparams, 'vrexLambda') : 1;
    const { all, parts } = domainLogits(this, minibatches);
    const losses = stack(parts.map((z, e) => classLoss(z, minibatches[e].y))) as Tensor<'float32'>;
    const m = mean(losses) as Tensor<'float32'>;
    const d = sub(losses, m);
    const penalty = mean(mul(d, d)) as Tensor<'float32'>;
    const loss = add(m, mul(penalty, pw)) as Tensor<'float32'>;
    if (this.updateCount === anneal) this.resetOptimizer();
    this.optimizer.zeroGrad();
    loss.backward();
    this.optimizer.step();
    this.updateCount++;
    return { loss: loss.item(), terms: { nll: m.item(), penalty: penalty.item(), penaltyWeight: pw }, domains: batchMetrics(all, minibatches) };
  }
}
