import { fail, formatValue } from '../../errors.js';
import type { FloatDType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { pair, type Pair } from '../functional/args.js';
import { conv2d } from '../functional/conv.js';
import { kaimingUniform_, uniform_ } from '../init.js';
import { Module } from '../module.js';
import type { DType } from '../../tensor/dtype.js';
import type { Floatish } from '../../tensor/ops/util.js';
import type { Parameter } from '../parameter.js';
import { checkDType, checkPositiveInt, emptyParameter, type LayerOptions } from './common.js';

export interface Conv2dLayerOptions<D extends FloatDType> extends LayerOptions<D> {
  stride?: Pair;
  /** Zeros on each side (default 0), or 'valid' / 'same'. */
  padding?: Pair | 'valid' | 'same';
  dilation?: Pair;
  groups?: number;
  /** Learn a bias per output channel (default true). */
  bias?: boolean;
}

/**
 * `nn.Conv2d(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias)` with
 * zero padding; weight `[out, in / groups, kH, kW]`, initialised as PyTorch:
 * U(−1/√fanIn, 1/√fanIn) for weight and bias, fanIn = in / groups · kH · kW.
 */
export class Conv2d<D extends FloatDType = 'float32'> extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: Pair;
  readonly padding: Pair | 'valid' | 'same';
  readonly dilation: Pair;
  readonly groups: number;
  weight: Parameter<D>;
  bias: Parameter<D> | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: Conv2dLayerOptions<D> = {}) {
    super();
    const fn = 'Conv2d';
    const dtype = checkDType(fn, options.dtype ?? 'float32') as D;
    this.inChannels = checkPositiveInt(fn, 'inChannels', inChannels);
    this.outChannels = checkPositiveInt(fn, 'outChannels', outChannels);
    this.kernelSize = pair(kernelSize, fn, 'kernelSize', 1);
    this.groups = checkPositiveInt(fn, 'groups', options.groups ?? 1);
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      fail({
        fn,
        argument: 'groups',
        value: formatValue(this.groups),
        rule: `it must divide both inChannels (${inChannels}) and outChannels (${outChannels})`,
      });
    }
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    pair(this.stride, fn, 'stride', 1);
    pair(this.dilation, fn, 'dilation', 1);
    if (this.padding === 'same' && pair(this.stride, fn, 'stride', 1).some((s) => s !== 1)) {
      fail({ fn, argument: 'padding', value: "'same'", rule: 'it needs stride 1 (as in PyTorch)' });
    }
    if (typeof this.padding !== 'string') pair(this.padding, fn, 'padding', 0);
    const [kh, kw] = this.kernelSize;
    this.weight = emptyParameter(dtype, [outChannels, inChannels / this.groups, kh, kw]);
    this.bias = options.bias === false ? null : emptyParameter(dtype, [outChannels]);
    const generator = options.generator;
    kaimingUniform_(this.weight, { a: Math.sqrt(5), generator });
    if (this.bias) {
      const bound = 1 / Math.sqrt((inChannels / this.groups) * kh * kw);
      uniform_(this.bias, -bound, bound, { generator });
    }
  }

  override forward<T extends DType>(input: Tensor<T>): Tensor<Floatish<T>> {
    return conv2d(input as Tensor, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    }) as Tensor<Floatish<T>>;
  }

  protected override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=${formatValue(this.kernelSize)}, stride=${formatValue(this.stride)}, padding=${formatValue(this.padding)}${this.groups > 1 ? `, groups=${this.groups}` : ''}`;
  }
}
