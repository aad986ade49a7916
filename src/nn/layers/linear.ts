import type { FloatDType } from '../../tensor/dtype.js';
import { linear } from '../../tensor/ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { kaimingUniform_, uniform_ } from '../init.js';
import { Module } from '../module.js';
import type { DType } from '../../tensor/dtype.js';
import type { Floatish } from '../../tensor/ops/util.js';
import type { Parameter } from '../parameter.js';
import { checkDType, checkPositiveInt, emptyParameter, type LayerOptions } from './common.js';

export interface LinearOptions<D extends FloatDType> extends LayerOptions<D> {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * `nn.Linear(inFeatures, outFeatures, bias)`: y = x·Wᵀ + b with `weight` `[out, in]` as in
 * PyTorch, initialised as PyTorch does: W and b ~ U(−1/√in, 1/√in) (`kaiming_uniform_(a=√5)`).
 */
export class Linear<D extends FloatDType = 'float32'> extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter<D>;
  bias: Parameter<D> | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions<D> = {}) {
    super();
    const dtype = checkDType('Linear', options.dtype ?? 'float32') as D;
    this.inFeatures = checkPositiveInt('Linear', 'inFeatures', inFeatures);
    this.outFeatures = checkPositiveInt('Linear', 'outFeatures', outFeatures);
    this.weight = emptyParameter(dtype, [outFeatures, inFeatures]);
    this.bias = options.bias === false ? null : emptyParameter(dtype, [outFeatures]);
    const generator = options.generator;
    kaimingUniform_(this.weight, { a: Math.sqrt(5), generator });
    if (this.bias) {
      const bound = 1 / Math.sqrt(inFeatures);
      uniform_(this.bias, -bound, bound, { generator });
    }
  }

  override forward<T extends DType>(input: Tensor<T>): Tensor<Floatish<T>> {
    return linear(input as Tensor, this.weight, this.bias) as Tensor<Floatish<T>>;
  }

  protected override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
