import { fail, formatValue } from '../../errors.js';
import { crossEntropy } from '../../functional/crossEntropy.js';
import { gradientReversal } from '../../nn/functional/activation.js';
import type { Sequential } from '../../nn/containers.js';
import { Adam } from '../../optim/adam.js';
import { add, mul, sum } from '../../tensor/ops/index.js';
import { narrow } from '../../tensor/ops/indexing.js';
import { mean } from '../../tensor/ops/reduce.js';
import { grad } from '../../tensor/grad.js';
import { Tensor } from '../../tensor/tensor.js';
import {
  type AlgorithmParts,
  batchMetrics,
  catRows,
  classLoss,
  DomainAlgorithm,
  type Minibatch,
  num,
  type StepOptimizer,
  type UpdateResult,
} from '../algorithm.js';
import { mlp } from '../networks.js';
import { ganinLambda } from '../penalties.js';

/**
 * Domain-adversarial training (Ganin & Lempitsky 2015; Ganin et al. 2016): a discriminator (DomainBed's
 * MLP F → mlpWidth → … → D) learns to tell the D domains apart from the features — the E training
 * domains, and for domain adaptation the unlabelled target minibatches as domains E … D − 1 — while
 * the featurizer learns features it cannot tell apart and the classifier keeps them useful.
 *
 *   adversary 'alternating' (DomainBed `DANN`): at update t (1-based), when t mod (1 + k) < k
 *     (k = dStepsPerGStep) a discriminator step on  L_d = CE(h(f(x)), d) + gradPenalty · mean ‖∂Σℓ_d/∂f‖²,
 *     otherwise a featurizer + classifier step on   L_g = CE(g(f(x_labelled)), y) − λ L_d;
 *     two Adams (lrD / lrG, weightDecayD / weightDecayG, betas (beta1, 0.9)).
 *   adversary 'reversal' (Ganin's DANN): one step on  CE(g(f(x_labelled)), y) + CE(h(GRL_λp(f(x))), d),
 *     the gradient-reversal layer passing −λ_p times the gradient to the featurizer,
 *     λ_p = λ · (2/(1 + e^(−10p)) − 1), p = t / totalSteps; one Adam over all three parts
 *     (parameter groups with lrG / lrD, betas (beta1, 0.9)).
 */
export class DANN extends DomainAlgorithm {
  readonly name: string = 'DANN';
  readonly discriminator: Sequential;
  #discOpt: StepOptimizer | null = null;
  #genOpt: StepOptimizer | null = null;
  #joint: StepOptimizer | null = null;

  constructor(parts: AlgorithmParts) {
    super(parts);
    const h = this.hparams;
    const domains = this.numDomains + this.numUnlabeled;
    if (domains < 2)
      fail({
        fn: 'DANN',
        argument: 'domains',
        value: formatValue(domains),
        rule: 'the discriminator needs at least two domains (training domains, or a source and a target)',
      });
    this.discriminator = mlp(this.features, domains, { width: num(h, 'mlpWidth'), depth: num(h, 'mlpDepth'), dropout: num(h, 'mlpDropout') });
    const betas = [num(h, 'beta1'), 0.9] as const;
    const gen = this.networkParameters();
    const disc = this.discriminator.parameters();
    const adversary = h.adversary;
    if (adversary === 'alternating') {
      this.#discOpt = new Adam(disc, { lr: num(h, 'lrD'), weightDecay: num(h, 'weightDecayD'), betas });
      this.#genOpt = new Adam(gen, { lr: num(h, 'lrG'), weightDecay: num(h, 'weightDecayG'), betas });
    } else if (adversary === 'reversal') {
      if (!(this.totalSteps >= 1))
        fail({ fn: 'DANN', argument: 'totalSteps', value: formatValue(this.totalSteps), rule: 'the reversal schedule needs the run’s number of steps' });
      this.#joint = new Adam(
        [
          { params: gen, lr: num(h, 'lrG'), weightDecay: num(h, 'weightDecayG') },
          { params: disc, lr: num(h, 'lrD'), weightDecay: num(h, 'weightDecayD') },
        ],
        { betas },
      );
    } else fail({ fn: 'DANN', argument: 'adversary', value: formatValue(adversary), rule: "it must be 'alternating' or 'reversal'" });
  }

  override update(minibatches: readonly Minibatch[], unlabeled?: readonly Tensor<'float32'>[]): UpdateResult {
    const u = this.checked(minibatches, unlabeled);
    const xs = [...minibatches.map((m) => m.x), ...u];
    const labels = new Int32Array(xs.reduce((s, x) => s + x.shape[0], 0));
    let offset = 0;
    xs.forEach((x, d) => {
      labels.fill(d, offset, offset + x.shape[0]);
      offset += x.shape[0];
    });
    const domainLabels = new Tensor<'int32'>(labels, [labels.length]);
    const labelledRows = minibatches.reduce((s, m) => s + m.y.shape[0], 0);
    const y = catRows(minibatches.map((m) => m.y));
    const z = this.featurizer.forward(catRows(xs)) as Tensor<'float32'>;
    const zLabelled = (): Tensor<'float32'> => (u.length === 0 ? z : narrow(z, 0, 0, labelledRows));
    if (this.#joint) {
      const lambda = num(this.hparams, 'lambda') * ganinLambda(Math.min(1, this.updateCount / this.totalSteps));
      const logits = this.classifier.forward(zLabelled()) as Tensor<'float32'>;
      const cls = classLoss(logits, y);
      const disc = crossEntropy(this.discriminator.forward(gradientReversal(z, lambda)) as Tensor<'float32'>, domainLabels);
      const loss = add(cls, disc) as Tensor<'float32'>;
      this.#joint.zeroGrad();
      loss.backward();
      this.#joint.step();
      this.updateCount++;
      return { loss: loss.item(), terms: { classLoss: cls.item(), discLoss: disc.item(), lambda }, domains: batchMetrics(logits, minibatches) };
    }
    this.updateCount++;
    const discOut = this.discriminator.forward(z) as Tensor<'float32'>;
    let discLoss = crossEntropy(discOut, domainLabels);
    const gp = num(this.hparams, 'gradPenalty');
    if (gp > 0) {
      const [inputGrad] = grad(crossEntropy(discOut, domainLabels, { reduction: 'sum' }), [z], { createGraph: true, retainGraph: true });
      const penalty = mean(sum(mul(inputGrad, inputGrad), 1)) as Tensor<'float32'>;
      discLoss = add(discLoss, mul(penalty, gp)) as Tensor<'float32'>;
    }
    const k = num(this.hparams, 'dStepsPerGStep');
    const discOpt = this.#discOpt as StepOptimizer;
    const genOpt = this.#genOpt as StepOptimizer;
    if (this.updateCount % (1 + k) < k) {
      discOpt.zeroGrad();
      discLoss.backward();
      discOpt.step();
      return { loss: discLoss.item(), terms: { discLoss: discLoss.item() } };
    }
    const logits = this.classifier.forward(zLabelled()) as Tensor<'float32'>;
    const cls = classLoss(logits, y);
    const genLoss = add(cls, mul(discLoss, -num(this.hparams, 'lambda'))) as Tensor<'float32'>;
    discOpt.zeroGrad();
    genOpt.zeroGrad();
    genLoss.backward();
    genOpt.step();
    return {
      loss: genLoss.item(),
      terms: { genLoss: genLoss.item(), classLoss: cls.item(), discLoss: discLoss.item() },
      domains: batchMetrics(logits, minibatches),
    };
  }
}
