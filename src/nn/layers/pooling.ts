import { formatValue } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Pair } from '../functional/args.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d, type AvgPool2dOptions, type MaxPool2dOptions } from '../functional/pooling.js';
import { Module } from '../module.js';
import type { DType } from '../../tensor/dtype.js';
import type { Floatish } from '../../tensor/ops/util.js';

/** `nn.MaxPool2d(kernelSize, stride = kernelSize, padding, dilation, ceilMode)`. */
export class MaxPool2d extends Module {
  constructor(
    readonly kernelSize: Pair,
    readonly options: MaxPool2dOptions = {},
  ) {
    super();
  }

  override forward<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>> {
    return maxPool2d(input, this.kernelSize, this.options);
  }

  protected override extraRepr(): string {
    return `kernelSize=${formatValue(this.kernelSize)}, stride=${formatValue(this.options.stride ?? this.kernelSize)}`;
  }
}

/** `nn.AvgPool2d(kernelSize, stride = kernelSize, padding, ceilMode, countIncludePad, divisorOverride)`. */
export class AvgPool2d extends Module {
  constructor(
    readonly kernelSize: Pair,
    readonly options: AvgPool2dOptions = {},
  ) {
    super();
  }

  override forward<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>> {
    return avgPool2d(input, this.kernelSize, this.options);
  }

  protected override extraRepr(): string {
    return `kernelSize=${formatValue(this.kernelSize)}, stride=${formatValue(this.options.stride ?? this.kernelSize)}`;
  }
}

/** `nn.AdaptiveAvgPool2d(outputSize)`; `[1, 1]` is global average pooling. */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: number | readonly [number | null, number | null]) {
    super();
  }

  override forward<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>> {
    return adaptiveAvgPool2d(input, this.outputSize);
  }

  protected override extraRepr(): string {
    return `outputSize=${formatValue(this.outputSize)}`;
  }
}
