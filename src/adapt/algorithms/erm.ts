import { fail } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { addL2, batchMetrics, catRows, classLoss, DomainAlgorithm, type Minibatch, num, type UpdateResult } from '../algorithm.js';

/**
 * Empirical risk minimisation (DomainBed `ERM`): the minibatches of all training domains pooled,
 *   L = CE(f(x_all), y_all)   (+ l2 · Σ‖θ‖², the IRM paper's regulariser, when `l2RegularizerWeight` > 0).
 * Unlabelled minibatches are ignored (the "source-only" baseline of domain adaptation).
 */
export class ERM extends DomainAlgorithm {
  readonly name: string = 'ERM';

  override update(minibatches: readonly Minibatch[], unlabeled?: readonly Tensor<'float32'>[]): UpdateResult {
    this.checked(minibatches, unlabeled);
    const logits = this.predict(catRows(minibatches.map((m) => m.x)));
    const weights = minibatches.every((m) => m.weight) ? catRows(minibatches.map((m) => m.weight as Tensor<'float32'>)) : undefined;
    const loss = classLoss(logits, catRows(minibatches.map((m) => m.y)), weights);
    this.optimizer.zeroGrad();
    loss.backward();
    const l2 = addL2(this.networkParameters(), this.l2(), 1);
    this.optimizer.step();
    this.updateCount++;
    return { loss: loss.item() + l2, terms: { nll: loss.item() }, domains: batchMetrics(logits, minibatches) };
  }

  protected l2(): number {
    return typeof this.hparams.l2RegularizerWeight === 'number' ? this.hparams.l2RegularizerWeight : 0;
  }
}

/**
 * Importance-weighted ERM for covariate shift (Shimodaira 2000; Sugiyama et al. 2007): every labelled
 * row carries w(x) ≈ p_target(x)/p_source(x) from a domain classifier (`domainClassifierWeights`,
 * clipped at `iwMaxWeight`), and L = mean(w · ℓ). The trainer computes the weights before training.
 */
export class ImportanceWeightedERM extends ERM {
  override readonly name: string = 'IW-ERM';

  override update(minibatches: readonly Minibatch[], unlabeled?: readonly Tensor<'float32'>[]): UpdateResult {
    if (!minibatches.every((m) => m.weight))
      fail({
        fn: 'ImportanceWeightedERM.update',
        argument: 'minibatches',
        value: 'rows without weights',
        rule: 'every minibatch needs its importance weights',
      });
    num(this.hparams, 'iwMaxWeight');
    return super.update(minibatches, unlabeled);
  }
}
