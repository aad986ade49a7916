import { mul, sum } from '../../tensor/ops/index.js';
import { stack } from '../../tensor/ops/indexing.js';
import { Tensor } from '../../tensor/tensor.js';
import { batchMetrics, classLoss, DomainAlgorithm, type Minibatch, num, type UpdateResult } from '../algorithm.js';
import { groupDroWeights } from '../penalties.js';
import { domainLogits } from './irm.js';

/**
 * Group distributionally robust optimisation (Sagawa et al. 2020, Algorithm 1; DomainBed `GroupDRO`):
 * domain weights q (starting at 1) follow q_e ← q_e · exp(η R_e), q ← q / Σq, and L = Σ_e q_e R_e
 * with q held fixed in the gradient.
 */
export class GroupDRO extends DomainAlgorithm {
  readonly name: string = 'GroupDRO';
  /** The domain weights (DomainBed's buffer `q`). */
  q: Float64Array | null = null;

  override update(minibatches: readonly Minibatch[], unlabeled?: readonly Tensor<'float32'>[]): UpdateResult {
    this.checked(minibatches, unlabeled);
    const { all, parts } = domainLogits(this, minibatches);
    const losses = stack(parts.map((z, e) => classLoss(z, minibatches[e].y))) as Tensor<'float32'>;
    this.q = groupDroWeights(this.q ?? new Float64Array(minibatches.length).fill(1), Array.from(losses.data), num(this.hparams, 'groupdroEta'));
    const loss = sum(mul(losses, new Tensor<'float32'>(Float32Array.from(this.q), [minibatches.length]))) as Tensor<'float32'>;
    this.optimizer.zeroGrad();
    loss.backward();
    this.optimizer.step();
    this.updateCount++;
    const terms: Record<string, number> = {};
    this.q.forEach((q, e) => {
      terms[`q${e}`] = q;
    });
    return { loss: loss.item(), terms, domains: batchMetrics(all, minibatches) };
  }
}
