import { fail } from '../errors.js';
import { isFloatDType, type FloatDType, type TypedArrayFor } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A tensor that is a module's trainable weight (`nn.Parameter`): a leaf that requires a gradient
 * by default. A `Module` finds its parameters among its own properties, so `this.weight = new
 * Parameter(t)` registers one, as assigning an `nn.Parameter` attribute does in PyTorch.
 */
export class Parameter<D extends FloatDType = FloatDType> extends Tensor<D> {
  constructor(data: Tensor<D> | TypedArrayFor<D>, shape?: Shape, requiresGrad = true) {
    const source = data instanceof Tensor ? data : null;
    if (source && !isFloatDType(source.dtype)) fail({ fn: 'Parameter', argument: 'data', value: source.dtype, rule: 'a parameter must be float32 or float64' });
    super(source ? source.data : (data as TypedArrayFor<D>), source ? source.shape : (shape ?? [(data as TypedArrayFor<D>).length]), requiresGrad);
  }

  override toString(): string {
    return `Parameter(${this.dtype}, [${this.shape.join(', ')}])`;
  }
}
