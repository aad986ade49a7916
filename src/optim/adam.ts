import type { Tensor } from '../tensor/tensor.js';
import { checkFiniteNonNegative, Optimizer, type ParamGroup, type ParamGroupSpec } from './optimizer.js';
import { adamUpdate, type FloatBuffer } from './updates.js';

export type AdamOptions = {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
};

/** Constructor options: PyTorch's `betas` pair is accepted too. */
export type AdamArgs = Partial<AdamOptions> & { betas?: readonly [number, number] };

function resolve(options: AdamArgs, weightDecay: number): AdamOptions {
  const { betas, ...rest } = options;
  return { lr: 0.001, beta1: betas?.[0] ?? 0.9, beta2: betas?.[1] ?? 0.999, eps: 1e-8, weightDecay, amsgrad: false, maximize: false, ...rest };
}

abstract class AdamBase extends Optimizer<AdamOptions> {
  protected abstract readonly decoupled: boolean;

  protected override checkHyper(g: ParamGroup<AdamOptions>): void {
    const fn = this.constructor.name;
    checkFiniteNonNegative(fn, 'lr', g.lr);
    checkFiniteNonNegative(fn, 'betas[0]', g.beta1, 1);
    checkFiniteNonNegative(fn, 'betas[1]', g.beta2, 1);
    checkFiniteNonNegative(fn, 'eps', g.eps);
    checkFiniteNonNegative(fn, 'weightDecay', g.weightDecay);
  }

  override step(): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (!p.grad) continue;
        const s = this.stateOf(p);
        if (!('exp_avg' in s.buffers)) {
          const zeros = (): FloatBuffer => (p.dtype === 'float32' ? new Float32Array(p.size) : new Float64Array(p.size));
          s.buffers.exp_avg = zeros();
          s.buffers.exp_avg_sq = zeros();
          if (g.amsgrad) s.buffers.max_exp_avg_sq = zeros();
        }
        s.step++;
        const hyper = { ...g, decoupled: this.decoupled };
        adamUpdate(
          p.data as FloatBuffer,
          p.grad.data as FloatBuffer,
          s.buffers.exp_avg,
          s.buffers.exp_avg_sq,
          g.amsgrad ? s.buffers.max_exp_avg_sq : null,
          s.step,
          hyper,
        );
      }
    }
  }
}

/** `torch.optim.Adam(params, lr = 1e-3, betas = (0.9, 0.999), eps = 1e-8, weight_decay = 0, amsgrad)`: weight decay as an L2 term in the gradient. */
export class Adam extends AdamBase {
  protected readonly decoupled = false;

  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdamOptions>>, options: AdamArgs = {}) {
    super('Adam', params, resolve(options, 0));
  }
}

/** `torch.optim.AdamW(params, lr = 1e-3, betas, eps, weight_decay = 1e-2, amsgrad)`: decoupled weight decay p ← p·(1 − lr·λ) (Loshchilov & Hutter). */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;

  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdamOptions>>, options: AdamArgs = {}) {
    super('AdamW', params, resolve(options, 0.01));
  }
}
