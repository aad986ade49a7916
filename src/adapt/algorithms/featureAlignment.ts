import { fail } from '../../errors.js';
import { add, mul } from '../../tensor/ops/index.js';
import { narrow, stack } from '../../tensor/ops/indexing.js';
import { mean } from '../../tensor/ops/reduce.js';
import type { Tensor } from '../../tensor/tensor.js';
import { batchMetrics, catRows, classLoss, DomainAlgorithm, type Minibatch, num, type UpdateResult } from '../algorithm.js';
import { coralPairsTensor, coralTensor, mkMmdTensor, mmdPairsTensor, mmdTensor } from '../ops.js';

export type AlignmentKernel = 'mean-cov' | 'gaussian' | 'multi-kernel';

/**
 * ERM while matching the feature distributions of every pair of domains (DomainBed `AbstractMMD`):
 *   L = (1/E) Σ_e CE(g(f(x_e)), y_e) + γ · (1/#pairs) Σ_{i<j} D(f(x_i), f(x_j)),   γ = mmdGamma,
 * over the E training domains and, for domain adaptation, the unlabelled target minibatches too (one
 * source and one target: Deep CORAL, DAN). D is
 *   mean-cov (CORAL, DomainBed; Sun & Saenko 2016): mean_k (μ_i − μ_j)²_k + mean_kl (C_i − C_j)²_kl, C = X_cᵀX_c/(n − 1)
 *   gaussian (MMD, DomainBed): mean K(x,x) + mean K(y,y) − 2 mean K(x,y), K = Σ_γ exp(−γ‖·‖²), γ ∈ {10⁻³ … 10³}
 *   multi-kernel (DAN, Long et al. 2015; tllib's linear-time estimate): 5 Gaussian kernels of bandwidths 2^k · mean distance
 * The features of all domains come from one forward pass of the concatenated minibatches (DomainBed:
 * one per domain; the same unless the model has batch statistics).
 */
export abstract class FeatureAlignment extends DomainAlgorithm {
  protected abstract readonly kernel: AlignmentKernel;

  override update(minibatches: readonly Minibatch[], unlabeled?: readonly Tensor<'float32'>[]): UpdateResult {
    const u = this.checked(minibatches, unlabeled);
    const xs = [...minibatches.map((m) => m.x), ...u];
    const sizes = xs.map((x) => x.shape[0]);
    const features = this.featurizer.forward(catRows(xs)) as Tensor<'float32'>;
    const split: Tensor<'float32'>[] = [];
    let offset = 0;
    for (const n of sizes) {
      split.push(xs.length === 1 ? features : narrow(features, 0, offset, n));
      offset += n;
    }
    const labelledRows = minibatches.reduce((s, m) => s + m.y.shape[0], 0);
    const logits = this.classifier.forward(u.length === 0 ? features : narrow(features, 0, 0, labelledRows)) as Tensor<'float32'>;
    offset = 0;
    const risks = minibatches.map((m) => {
      const n = m.y.shape[0];
      const z = minibatches.length === 1 ? logits : narrow(logits, 0, offset, n);
      offset += n;
      return classLoss(z, m.y);
    });
    const objective = mean(stack(risks)) as Tensor<'float32'>;
    const terms: Tensor<'float32'>[] = [];
    let penalty: Tensor<'float32'> | null = null;
    // CORAL and MMD: each domain's own statistics once, not once per pair it is in
    if (this.kernel === 'mean-cov' && split.length > 1) penalty = coralPairsTensor(split);
    else if (this.kernel === 'gaussian' && split.length > 1) penalty = mmdPairsTensor(split);
    else {
      for (let i = 0; i < split.length; i++) for (let j = i + 1; j < split.length; j++) terms.push(this.distance(split[i], split[j]));
      penalty = terms.length > 0 ? (mean(stack(terms)) as Tensor<'float32'>) : null;
    }
    const loss = penalty ? (add(objective, mul(penalty, num(this.hparams, 'mmdGamma'))) as Tensor<'float32'>) : objective;
    this.optimizer.zeroGrad();
    loss.backward();
    this.optimizer.step();
    this.updateCount++;
    return { loss: loss.item(), terms: { nll: objective.item(), penalty: penalty ? penalty.item() : 0 }, domains: batchMetrics(logits, minibatches) };
  }

  protected distance(a: Tensor<'float32'>, b: Tensor<'float32'>): Tensor<'float32'> {
    if (this.kernel === 'mean-cov') return coralTensor(a, b);
    if (this.kernel === 'gaussian') return mmdTensor(a, b);
    if (a.shape[0] !== b.shape[0])
      fail({
        fn: `${this.name}.update`,
        argument: 'minibatches',
        value: `${a.shape[0]} and ${b.shape[0]} rows`,
        rule: 'DAN’s linear-time estimate pairs rows: every domain’s minibatch needs the same size',
      });
    return mkMmdTensor(a, b, { linear: true });
  }
}

/** DomainBed `CORAL` (Deep CORAL with one source and one target). */
export class CORAL extends FeatureAlignment {
  readonly name: string = 'CORAL';
  protected readonly kernel: AlignmentKernel = 'mean-cov';
}

/** DomainBed `MMD` (Gaussian kernels). */
export class MMD extends FeatureAlignment {
  readonly name: string = 'MMD';
  protected readonly kernel: AlignmentKernel = 'gaussian';
}

/** DAN's multi-kernel MMD (tllib's linear estimate) between every pair of domains. */
export class DAN extends FeatureAlignment {
  readonly name: string = 'DAN';
  protected readonly kernel: AlignmentKernel = 'multi-kernel';
}
