import { fail, formatShape, formatValue } from '../../errors.js';
import { kernelBackend } from '../../kernels/backend.js';
import type { Conv2dGeometry } from '../../kernels/conv.js';
import type { DType, FloatArray } from '../../tensor/dtype.js';
import { allocate } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import { sum } from '../../tensor/ops/index.js';
import type { Floatish } from '../../tensor/ops/index.js';
import { record, Tensor } from '../../tensor/tensor.js';
import { imageBatch, pair, sameDType, type Pair } from './args.js';

export interface Conv2dOptions {
  /** Step between windows (default 1). */
  stride?: Pair;
  /** Zeros added on each side (default 0), or `'valid'` (none) / `'same'` (output size = input size; stride 1 only). */
  padding?: Pair | 'valid' | 'same';
  /** Spacing between kernel elements (default 1). */
  dilation?: Pair;
  /** Input and output channels are split into this many independent groups (default 1). */
  groups?: number;
}

/** Resolves the convolution's geometry, with PyTorch's rules and losslab's messages. */
export function conv2dGeometry(fn: string, x: Tensor, weight: Tensor, options: Conv2dOptions): Conv2dGeometry {
  const [n, c, h, w] = x.shape;
  if (weight.ndim !== 4)
    fail({ fn, argument: 'weight', value: `of shape ${formatShape(weight.shape)}`, rule: 'it must be 4-D [outChannels, inChannels / groups, kH, kW]' });
  const [outC, cPerGroup, kh, kw] = weight.shape;
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) fail({ fn, argument: 'groups', value: formatValue(groups), rule: 'it must be a positive integer' });
  if (outC % groups !== 0)
    fail({ fn, argument: 'weight', value: `of shape ${formatShape(weight.shape)}`, rule: `its ${outC} output channels must divide into ${groups} groups` });
  if (cPerGroup * groups !== c) {
    fail({
      fn,
      argument: 'input',
      value: `of shape ${formatShape(x.shape)}`,
      rule: `its ${c} channels must equal weight's in-channels per group × groups = ${cPerGroup} × ${groups} = ${cPerGroup * groups} (weight ${formatShape(weight.shape)})`,
    });
  }
  const [strideH, strideW] = pair(options.stride ?? 1, fn, 'stride', 1);
  const [dilationH, dilationW] = pair(options.dilation ?? 1, fn, 'dilation', 1);
  const spanH = dilationH * (kh - 1) + 1;
  const spanW = dilationW * (kw - 1) + 1;
  let padTop: number;
  let padBottom: number;
  let padLeft: number;
  let padRight: number;
  const padding = options.padding ?? 0;
  if (padding === 'valid') {
    padTop = padBottom = padLeft = padRight = 0;
  } else if (padding === 'same') {
    if (strideH !== 1 || strideW !== 1) fail({ fn, argument: 'padding', value: "'same'", rule: 'it needs stride 1 (as in PyTorch)' });
    // PyTorch: total = dilation·(k − 1), the extra one (even kernels) at the end
    padTop = Math.floor((spanH - 1) / 2);
    padBottom = spanH - 1 - padTop;
    padLeft = Math.floor((spanW - 1) / 2);
    padRight = spanW - 1 - padLeft;
  } else if (typeof padding === 'string') {
    return fail({ fn, argument: 'padding', value: formatValue(padding), rule: "it must be an integer, a pair, 'valid' or 'same'" });
  } else {
    [padTop, padLeft] = pair(padding, fn, 'padding', 0);
    padBottom = padTop;
    padRight = padLeft;
  }
  const paddedH = h + padTop + padBottom;
  const paddedW = w + padLeft + padRight;
  if (spanH > paddedH || spanW > paddedW) {
    fail({
      fn,
      argument: 'weight',
      value: `a ${kh}×${kw} kernel${dilationH > 1 || dilationW > 1 ? ` (dilated to ${spanH}×${spanW})` : ''}`,
      rule: `the kernel must fit in the padded input, which is ${paddedH}×${paddedW} (input ${h}×${w} plus padding)`,
    });
  }
  const oh = Math.floor((paddedH - spanH) / strideH) + 1;
  const ow = Math.floor((paddedW - spanW) / strideW) + 1;
  return { n, c, h, w, outC, kh, kw, oh, ow, strideH, strideW, padTop, padLeft, dilationH, dilationW, groups };
}

/**
 * `F.conv2d(input, weight, bias, stride, padding, dilation, groups)`: PyTorch's 2-D
 * cross-correlation on `[N, C, H, W]` (or `[C, H, W]`) with `weight` `[outC, C / groups, kH, kW]`
 * and an optional `bias` `[outC]`; the keyword arguments go in `options`. The gradients are
 * convolutions too (`conv2dInputGrad`, `conv2dWeightGrad`), each differentiable again.
 */
export function conv2d<D extends DType>(input: Tensor<D>, weight: Tensor<D>, bias?: Tensor<D> | null, options?: Conv2dOptions): Tensor<Floatish<D>>;
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv2dOptions = {}): Tensor {
  const fn = 'conv2d';
  const { x, batched } = imageBatch(input, fn);
  sameDType(fn, 'weight', weight, input);
  const g = conv2dGeometry(fn, x, weight, options);
  if (bias) {
    sameDType(fn, 'bias', bias, input);
    if (bias.ndim !== 1 || bias.shape[0] !== g.outC)
      fail({ fn, argument: 'bias', value: `of shape ${formatShape(bias.shape)}`, rule: `it must have shape [${g.outC}] (one per output channel)` });
  }
  const y = convolve(x, weight, bias, g);
  return batched ? y : y.reshape(...y.shape.slice(1));
}

function convolve(x: Tensor, weight: Tensor, bias: Tensor | null, g: Conv2dGeometry): Tensor {
  const out = allocate(x.dtype, g.n * g.outC * g.oh * g.ow) as FloatArray;
  kernelBackend().conv2dForward(g, x.data as FloatArray, weight.data as FloatArray, bias ? (bias.data as FloatArray) : null, out);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(
    new Tensor(out, [g.n, g.outC, g.oh, g.ow]),
    'conv2d',
    inputs,
    (gy) => [
      x.requiresGrad ? conv2dInputGrad(gy, weight, g) : null,
      weight.requiresGrad ? conv2dWeightGrad(x, gy, g) : null,
      bias?.requiresGrad ? sum(gy, [0, 2, 3]) : null,
    ],
    true,
  );
}

/** The gradient of conv2d w.r.t. its input: linear in `gy` and `weight`; its own gradients are conv2d and conv2dWeightGrad. */
export function conv2dInputGrad(gy: Tensor, weight: Tensor, g: Conv2dGeometry): Tensor {
  const dx = allocate(gy.dtype, g.n * g.c * g.h * g.w) as FloatArray;
  kernelBackend().conv2dBackwardInput(g, gy.data as FloatArray, weight.data as FloatArray, dx);
  return record(
    new Tensor(dx, [g.n, g.c, g.h, g.w]),
    'conv2dInputGrad',
    [gy, weight],
    (h) => [gy.requiresGrad ? convolve(h, weight, null, g) : null, weight.requiresGrad ? conv2dWeightGrad(h, gy, g) : null],
    true,
  );
}

/** The gradient of conv2d w.r.t. its weight: linear in `x` and `gy`; its own gradients are conv2dInputGrad and conv2d. */
export function conv2dWeightGrad(x: Tensor, gy: Tensor, g: Conv2dGeometry): Tensor {
  const shape = [g.outC, g.c / g.groups, g.kh, g.kw];
  const dw = allocate(x.dtype, sizeOf(shape)) as FloatArray;
  kernelBackend().conv2dBackwardWeight(g, x.data as FloatArray, gy.data as FloatArray, dw);
  return record(
    new Tensor(dw, shape),
    'conv2dWeightGrad',
    [x, gy],
    (k) => [x.requiresGrad ? conv2dInputGrad(gy, k, g) : null, gy.requiresGrad ? convolve(x, k, null, g) : null],
    true,
  );
}
