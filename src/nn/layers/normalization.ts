import { fail, formatShape, formatValue } from '../../errors.js';
import { allocate, type FloatDType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { batchNorm, groupNorm, layerNorm } from '../functional/normalization.js';
import { ones_ } from '../init.js';
import { Module } from '../module.js';
import type { DType } from '../../tensor/dtype.js';
import type { Floatish } from '../../tensor/ops/util.js';
import type { Parameter } from '../parameter.js';
import { checkDType, checkPositiveInt, emptyParameter } from './common.js';

export interface BatchNormOptions<D extends FloatDType> {
  eps?: number;
  /** Weight of each new batch in the running statistics (default 0.1); `null` = cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true). */
  trackRunningStats?: boolean;
  dtype?: D;
}

/** Shared by BatchNorm1d / BatchNorm2d: PyTorch's `_BatchNorm`, with buffers `running_mean`, `running_var`, `num_batches_tracked`. */
abstract class BatchNormBase<D extends FloatDType> extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly trackRunningStats: boolean;
  weight: Parameter<D> | null;
  bias: Parameter<D> | null;
  protected abstract readonly ranks: readonly number[];

  constructor(numFeatures: number, options: BatchNormOptions<D> = {}) {
    super();
    const fn = this.constructor.name;
    const dtype = checkDType(fn, options.dtype ?? 'float32') as D;
    this.numFeatures = checkPositiveInt(fn, 'numFeatures', numFeatures);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    if (this.momentum !== null && !(this.momentum >= 0 && this.momentum <= 1))
      fail({ fn, argument: 'momentum', value: formatValue(this.momentum), rule: 'it must lie in [0, 1] or be null' });
    this.trackRunningStats = options.trackRunningStats ?? true;
    const affine = options.affine ?? true;
    this.weight = affine ? ones_(emptyParameter(dtype, [numFeatures])) : null;
    this.bias = affine ? emptyParameter(dtype, [numFeatures]) : null;
    if (this.trackRunningStats) {
      this.registerBuffer('running_mean', new Tensor(allocate(dtype, numFeatures), [numFeatures]));
      this.registerBuffer('running_var', new Tensor(allocate(dtype, numFeatures).fill(1), [numFeatures]));
      this.registerBuffer('num_batches_tracked', new Tensor(new Int32Array(1), []));
    }
  }

  get runningMean(): Tensor | null {
    return this.trackRunningStats ? this.buffer('running_mean') : null;
  }

  get runningVar(): Tensor | null {
    return this.trackRunningStats ? this.buffer('running_var') : null;
  }

  get numBatchesTracked(): number {
    return this.trackRunningStats ? this.buffer('num_batches_tracked').data[0] : 0;
  }

  override forward<T extends DType>(input: Tensor<T>): Tensor<Floatish<T>> {
    const fn = this.constructor.name;
    if (!this.ranks.includes(input.ndim)) {
      fail({ fn, argument: 'input', value: `of shape ${formatShape(input.shape)}`, rule: `it must have ${this.ranks.join(' or ')} dimensions` });
    }
    if (input.shape[1] !== this.numFeatures) {
      fail({
        fn,
        argument: 'input',
        value: `of shape ${formatShape(input.shape)}`,
        rule: `its channel dimension (1) must be numFeatures = ${this.numFeatures}`,
      });
    }
    const track = this.training && this.trackRunningStats;
    if (track) this.buffer('num_batches_tracked').data[0] += 1;
    return batchNorm(input, this.runningMean, this.runningVar, {
      weight: this.weight,
      bias: this.bias,
      training: this.training || !this.trackRunningStats,
      momentum: this.momentum,
      numBatchesTracked: this.numBatchesTracked,
      eps: this.eps,
    }) as Tensor<Floatish<T>>;
  }

  protected override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.weight !== null}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/** `nn.BatchNorm1d(numFeatures)`: input `[N, C]` or `[N, C, L]`. */
export class BatchNorm1d<D extends FloatDType = 'float32'> extends BatchNormBase<D> {
  protected readonly ranks = [2, 3];
}

/** `nn.BatchNorm2d(numFeatures)`: input `[N, C, H, W]`. */
export class BatchNorm2d<D extends FloatDType = 'float32'> extends BatchNormBase<D> {
  protected readonly ranks = [4];
}

/** `nn.GroupNorm(numGroups, numChannels, eps = 1e-5, affine = true)`. */
export class GroupNorm<D extends FloatDType = 'float32'> extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  weight: Parameter<D> | null;
  bias: Parameter<D> | null;

  constructor(numGroups: number, numChannels: number, options: { eps?: number; affine?: boolean; dtype?: D } = {}) {
    super();
    const fn = 'GroupNorm';
    const dtype = checkDType(fn, options.dtype ?? 'float32') as D;
    this.numGroups = checkPositiveInt(fn, 'numGroups', numGroups);
    this.numChannels = checkPositiveInt(fn, 'numChannels', numChannels);
    if (numChannels % numGroups !== 0) fail({ fn, argument: 'numGroups', value: formatValue(numGroups), rule: `it must divide numChannels (${numChannels})` });
    this.eps = options.eps ?? 1e-5;
    const affine = options.affine ?? true;
    this.weight = affine ? ones_(emptyParameter(dtype, [numChannels])) : null;
    this.bias = affine ? emptyParameter(dtype, [numChannels]) : null;
  }

  override forward<T extends DType>(input: Tensor<T>): Tensor<Floatish<T>> {
    if (input.ndim < 2 || input.shape[1] !== this.numChannels) {
      fail({ fn: 'GroupNorm', argument: 'input', value: `of shape ${formatShape(input.shape)}`, rule: `it must be [N, ${this.numChannels}, *]` });
    }
    return groupNorm(input as Tensor, this.numGroups, this.weight, this.bias, this.eps) as Tensor<Floatish<T>>;
  }

  protected override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.weight !== null}`;
  }
}

/** `nn.LayerNorm(normalizedShape, eps = 1e-5, elementwiseAffine = true, bias = true)`. */
export class LayerNorm<D extends FloatDType = 'float32'> extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  weight: Parameter<D> | null;
  bias: Parameter<D> | null;

  constructor(normalizedShape: number | readonly number[], options: { eps?: number; elementwiseAffine?: boolean; bias?: boolean; dtype?: D } = {}) {
    super();
    const fn = 'LayerNorm';
    const dtype = checkDType(fn, options.dtype ?? 'float32') as D;
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    for (const d of this.normalizedShape) checkPositiveInt(fn, 'normalizedShape', d);
    this.eps = options.eps ?? 1e-5;
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? ones_(emptyParameter(dtype, this.normalizedShape)) : null;
    this.bias = affine && (options.bias ?? true) ? emptyParameter(dtype, this.normalizedShape) : null;
  }

  override forward<T extends DType>(input: Tensor<T>): Tensor<Floatish<T>> {
    return layerNorm(input as Tensor, this.normalizedShape, this.weight, this.bias, this.eps) as Tensor<Floatish<T>>;
  }

  protected override extraRepr(): string {
    return `${formatValue([...this.normalizedShape])}, eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}
