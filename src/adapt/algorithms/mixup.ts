import { add, mul } from '../../tensor/ops/index.js';
import { narrow } from '../../tensor/ops/indexing.js';
import { RandomState } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { catRows, classLoss, DomainAlgorithm, type Minibatch, num, type UpdateResult } from '../algorithm.js';
import { beta } from '../sampling.js';

/** Rows [0, n) of a minibatch. */
export function headRows(m: Minibatch, n: number): Minibatch {
  if (n === m.y.shape[0]) return m;
  const size = m.x.size / m.x.shape[0];
  return {
    x: new Tensor<'float32'>(m.x.data.subarray(0, n * size), [n, ...m.x.shape.slice(1)]),
    y: new Tensor<'int32'>(m.y.data.subarray(0, n), [n]),
  };
}

/**
 * DomainBed's `random_pairs_of_minibatches`: a random permutation π of the domains, and pairs
 * (π_i, π_{i+1}) cyclically, each cut to the smaller size. losslab draws π from the algorithm's
 * generator (`RandomState.permutation`) where DomainBed calls `torch.randperm`.
 */
export function randomPairsOfMinibatches(minibatches: readonly Minibatch[], r: RandomState): [Minibatch, Minibatch][] {
  const perm = r.permutation(minibatches.length);
  return Array.from(perm, (_, i) => {
    const a = minibatches[perm[i]];
    const b = minibatches[perm[i < perm.length - 1 ? i + 1 : 0]];
    const n = Math.min(a.y.shape[0], b.y.shape[0]);
    return [headRows(a, n), headRows(b, n)];
  });
}

/**
 * Inter-domain Mixup (Xu et al. 2020; Yan et al. 2020; DomainBed `Mixup`): for each random pair of
 * domains (i, j), λ ~ Beta(α, α), x̃ = λ x_i + (1 − λ) x_j, and
 *   L = (1/E) Σ_pairs [λ CE(f(x̃), y_i) + (1 − λ) CE(f(x̃), y_j)].
 * The mixed batches go through the network in one forward pass (DomainBed: one per pair; the same
 * unless the model has batch statistics).
 */
export class Mixup extends DomainAlgorithm {
  readonly name: string = 'Mixup';
  #rng: RandomState | null = null;

  override update(minibatches: readonly Minibatch[], unlabeled?: readonly Tensor<'float32'>[]): UpdateResult {
    this.checked(minibatches, unlabeled);
    this.#rng ??= this.generator ?? new RandomState(0);
    const alpha = num(this.hparams, 'mixupAlpha');
    const pairs = randomPairsOfMinibatches(minibatches, this.#rng);
    const lambdas = pairs.map(() => beta(this.#rng as RandomState, alpha, alpha));
    const mixed = pairs.map(([a, b], p) => {
      const lam = Math.fround(lambdas[p]);
      const rest = Math.fround(1 - lambdas[p]);
      const xa = a.x.data;
      const xb = b.x.data;
      const out = new Float32Array(xa.length);
      for (let i = 0; i < out.length; i++) out[i] = Math.fround(lam * xa[i]) + Math.fround(rest * xb[i]);
      return new Tensor<'float32'>(out, a.x.shape);
    });
    const predictions = this.predict(catRows(mixed));
    let objective: Tensor<'float32'> | null = null;
    let offset = 0;
    pairs.forEach(([a, b], p) => {
      const n = a.y.shape[0];
      const z = pairs.length === 1 ? predictions : narrow(predictions, 0, offset, n);
      offset += n;
      const term = add(mul(classLoss(z, a.y), lambdas[p]), mul(classLoss(z, b.y), 1 - lambdas[p])) as Tensor<'float32'>;
      objective = objective === null ? term : (add(objective, term) as Tensor<'float32'>);
    });
    const loss = mul(objective as unknown as Tensor<'float32'>, 1 / minibatches.length) as Tensor<'float32'>;
    this.optimizer.zeroGrad();
    loss.backward();
    this.optimizer.step();
    this.updateCount++;
    const terms: Record<string, number> = {};
    lambdas.forEach((l, p) => {
      terms[`lambda${p}`] = l;
    });
    return { loss: loss.item(), terms, domains: undefined };
  }
}
