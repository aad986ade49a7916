import { fail } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFiniteNonNegative, Optimizer, type ParamGroup, type ParamGroupSpec } from './optimizer.js';
import { sgdUpdate, type FloatBuffer } from './updates.js';

export type SGDOptions = {
  /** Learning rate (required, as in PyTorch ≥ 2; 0.1 here if omitted — d2l's choice). */
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
};

/** `torch.optim.SGD(params, lr, momentum, dampening, weight_decay, nesterov, maximize)`. */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<SGDOptions>>, options: Partial<SGDOptions> = {}) {
    super('SGD', params, { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...options });
  }

  protected override checkHyper(g: ParamGroup<SGDOptions>): void {
    checkFiniteNonNegative('SGD', 'lr', g.lr);
    checkFiniteNonNegative('SGD', 'momentum', g.momentum);
    checkFiniteNonNegative('SGD', 'dampening', g.dampening);
    checkFiniteNonNegative('SGD', 'weightDecay', g.weightDecay);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      fail({ fn: 'SGD', argument: 'nesterov', value: 'true', rule: 'Nesterov momentum requires a momentum > 0 and zero dampening (as in torch.optim.SGD)' });
    }
  }

  override step(): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (!p.grad) continue;
        const s = this.stateOf(p);
        let buf: FloatBuffer | null = null;
        const first = !('momentum_buffer' in s.buffers);
        if (g.momentum !== 0) {
          if (first) s.buffers.momentum_buffer = p.dtype === 'float32' ? new Float32Array(p.size) : new Float64Array(p.size);
          buf = s.buffers.momentum_buffer;
        }
        sgdUpdate(p.data as FloatBuffer, p.grad.data as FloatBuffer, buf, first, g);
        s.step++;
      }
    }
  }
}
