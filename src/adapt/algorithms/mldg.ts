import { Adam } from '../../optim/adam.js';
import { RandomState } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { classLoss, DomainAlgorithm, type Minibatch, num, type UpdateResult } from '../algorithm.js';
import { headRows } from './mixup.js';

/**
 * DomainBed's `split_meta_train_test(minibatches, n_meta_test)`: a random permutation π of the
 * domains; the last `nMetaTest` are meta-test, the others meta-train, paired cyclically with them;
 * each pair cut to the smaller size. (DomainBed makes no pair when nMetaTest ≥ E; losslab keeps at
 * least one meta-train domain.)
 */
export function splitMetaTrainTest(minibatches: readonly Minibatch[], nMetaTest: number, r: RandomState): [Minibatch, Minibatch][] {
  const E = minibatches.length;
  const perm = r.permutation(E);
  const nTest = Math.max(1, Math.min(nMetaTest, E - 1));
  const train = perm.subarray(0, E - nTest);
  const test = perm.subarray(E - nTest);
  return Array.from(train, (i, k) => {
    const a = minibatches[i];
    const b = minibatches[test[k % nTest]];
    const n = Math.min(a.y.shape[0], b.y.shape[0]);
    return [headRows(a, n), headRows(b, n)];
  });
}

/**
 * Meta-learning for domain generalisation, first order (Li et al. 2018; DomainBed `MLDG`): for each
 * (meta-train i, meta-test j) pair, a copy θ' of the network takes one Adam step (a fresh Adam with
 * lr, weight decay) on L_i(θ); the update direction is
 *   G = (1/E) Σ_pairs [∇L_i(θ) + β ∇L_j(θ')]
 * (no second derivatives), and the main Adam steps with G. The copy is made in place: parameters and
 * buffers are saved before the inner step and restored after each pair (DomainBed deep-copies the network).
 */
export class MLDG extends DomainAlgorithm {
  readonly name: string = 'MLDG';
  #rng: RandomState | null = null;

  override update(minibatches: readonly Minibatch[], unlabeled?: readonly Tensor<'float32'>[]): UpdateResult {
    this.checked(minibatches, unlabeled);
    this.#rng ??= this.generator ?? new RandomState(0);
    const E = minibatches.length;
    const mldgBeta = num(this.hparams, 'mldgBeta');
    const params = this.networkParameters();
    const buffers = this.network.buffers();
    const acc = params.map((p) => new Float32Array(p.size));
    const accumulate = (scale: number): void => {
      params.forEach((p, k) => {
        const g = p.grad?.data;
        if (!g) return;
        const a = acc[k];
        for (let i = 0; i < a.length; i++) a[i] += g[i] * scale;
      });
    };
    let objective = 0;
    for (const [mi, mj] of splitMetaTrainTest(minibatches, num(this.hparams, 'nMetaTest'), this.#rng)) {
      const savedParams = params.map((p) => p.data.slice());
      const savedBuffers = buffers.map((b) => b.data.slice());
      const inner = new Adam(params, { lr: num(this.hparams, 'lr'), weightDecay: num(this.hparams, 'weightDecay') });
      inner.zeroGrad();
      const li = classLoss(this.predict(mi.x), mi.y);
      li.backward();
      accumulate(1 / E);
      inner.step();
      objective += li.item();
      inner.zeroGrad();
      const lj = classLoss(this.predict(mj.x), mj.y);
      lj.backward();
      accumulate(mldgBeta / E);
      objective += mldgBeta * lj.item();
      for (let k = 0; k < params.length; k++) params[k].data.set(savedParams[k]);
      for (let k = 0; k < buffers.length; k++) buffers[k].data.set(savedBuffers[k]);
    }
    params.forEach((p, k) => {
      p.grad = new Tensor<'float32'>(acc[k], p.shape) as typeof p.grad;
    });
    this.optimizer.step();
    this.updateCount++;
    return { loss: objective / E, terms: {} };
  }
}
