import { fail, formatValue } from '../../errors.js';
import { flatten, leakyRelu, relu, sigmoid, tanh } from '../../tensor/ops/index.js';
import type { RandomState } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dropout, gelu, gradientReversal } from '../functional/activation.js';
import { Module } from '../module.js';
import type { DType } from '../../tensor/dtype.js';
import type { Floatish } from '../../tensor/ops/util.js';

/** `nn.ReLU()`. */
export class ReLU extends Module {
  override forward<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>> {
    return relu(input);
  }
}

/** `nn.LeakyReLU(negativeSlope = 0.01)`. */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  override forward<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>> {
    return leakyRelu(input, this.negativeSlope);
  }

  protected override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/** `nn.GELU(approximate = 'none')`. */
export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
    if (approximate !== 'none' && approximate !== 'tanh')
      fail({ fn: 'GELU', argument: 'approximate', value: formatValue(approximate), rule: "it must be 'none' or 'tanh'" });
  }

  override forward<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>> {
    return gelu(input, { approximate: this.approximate });
  }
}

/** `nn.Tanh()`. */
export class Tanh extends Module {
  override forward<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>> {
    return tanh(input);
  }
}

/** `nn.Sigmoid()`. */
export class Sigmoid extends Module {
  override forward<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>> {
    return sigmoid(input);
  }
}

/** `nn.Identity()`. */
export class Identity extends Module {
  override forward<D extends DType>(input: Tensor<D>): Tensor<D> {
    return input;
  }
}

/** `nn.Flatten(startDim = 1, endDim = -1)`. */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  override forward<D extends DType>(input: Tensor<D>): Tensor<D> {
    return flatten(input, this.startDim, this.endDim);
  }
}

/** `nn.Dropout(p = 0.5)`: active in training mode only; the mask comes from `generator` (default: the nn generator). */
export class Dropout extends Module {
  constructor(
    readonly p = 0.5,
    readonly generator?: RandomState,
  ) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) fail({ fn: 'Dropout', argument: 'p', value: formatValue(p), rule: 'it must be a probability in [0, 1]' });
  }

  override forward<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>> {
    return dropout(input, this.p, this.training, this.generator);
  }

  protected override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/**
 * Gradient reversal (DANN): the identity forward, −λ·gradient backward. Set `lambda` before a
 * forward pass to change it per step (the value at the forward pass is the one used).
 */
export class GradientReversal extends Module {
  lambda: number;

  constructor(lambda = 1) {
    super();
    this.lambda = lambda;
  }

  override forward<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>> {
    return gradientReversal(input, this.lambda);
  }

  protected override extraRepr(): string {
    return `lambda=${this.lambda}`;
  }
}
