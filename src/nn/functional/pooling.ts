import { fail, formatShape, formatValue } from '../../errors.js';
import { kernelBackend } from '../../kernels/backend.js';
import type { DType, FloatArray } from '../../tensor/dtype.js';
import { allocate } from '../../tensor/dtype.js';
import type { Floatish } from '../../tensor/ops/index.js';
import { record, Tensor } from '../../tensor/tensor.js';
import { imageBatch, type Pair, pair } from './args.js';

/**
 * 2-D pooling on `[N, C, H, W]` (or `[C, H, W]`): max, average and adaptive average, with
 * PyTorch's output sizes (floor or `ceilMode`), padding rules and divisors. Each is a fixed map
 * per image plane, so the gradients are its adjoint: max pooling routes the gradient to the
 * chosen element (and the adjoint of that routing is the gather again), average pooling spreads
 * it over the window (the adjoint of the adjoint is the pooling itself).
 */

interface Window {
  readonly oh: number;
  readonly ow: number;
  /** Row range [h0, h1) and column range [w0, w1) of output element o, clipped to the input. */
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly divisor: Float64Array;
}

export interface PoolOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Pair | null;
  /** Implicit padding on both sides (default 0; at most half the kernel, as PyTorch). */
  padding?: Pair;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
}

export interface MaxPool2dOptions extends PoolOptions {
  /** Spacing between window elements (default 1). */
  dilation?: Pair;
}

export interface AvgPool2dOptions extends PoolOptions {
  /** Count the zero padding in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size. */
  divisorOverride?: number;
}

/** PyTorch's pooling output size: floor or ceil, with a last window that must start inside the input or the left padding. */
function outputSize(fn: string, argument: string, size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = d * (k - 1) + 1;
  const numerator = size + 2 * p - span;
  if (numerator < 0) {
    fail({ fn, argument, value: `${k} (span ${span})`, rule: `the window must fit in the padded input (${size} + 2·${p} = ${size + 2 * p})` });
  }
  let out = (ceil ? Math.ceil(numerator / s) : Math.floor(numerator / s)) + 1;
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

function poolGeometry(
  fn: string,
  x: Tensor,
  kernelSize: Pair,
  options: MaxPool2dOptions,
): { k: [number, number]; s: [number, number]; p: [number, number]; d: [number, number]; oh: number; ow: number } {
  const k = pair(kernelSize, fn, 'kernelSize', 1);
  const s = options.stride === undefined || options.stride === null ? k : pair(options.stride, fn, 'stride', 1);
  const p = pair(options.padding ?? 0, fn, 'padding', 0);
  const d = pair(options.dilation ?? 1, fn, 'dilation', 1);
  if (p[0] * 2 > k[0] || p[1] * 2 > k[1]) {
    fail({
      fn,
      argument: 'padding',
      value: formatValue(options.padding ?? 0),
      rule: `it must be at most half the kernel size ${formatValue(k)} (as in PyTorch)`,
    });
  }
  const [, , h, w] = x.shape;
  const ceil = options.ceilMode ?? false;
  const oh = outputSize(fn, 'kernelSize', h, k[0], s[0], p[0], d[0], ceil);
  const ow = outputSize(fn, 'kernelSize', w, k[1], s[1], p[1], d[1], ceil);
  return { k, s, p, d, oh, ow };
}

/**
 * `F.max_pool2d(input, kernelSize, stride, padding, dilation, ceilMode)`: the largest value of each
 * window (a NaN wins, as in PyTorch); padding counts as −∞. With `returnIndices` also the flat index
 * `h·W + w` of each maximum within its plane (PyTorch's indices).
 */
export function maxPool2d<D extends DType>(input: Tensor<D>, kernelSize: Pair, options?: MaxPool2dOptions): Tensor<Floatish<D>>;
export function maxPool2d(input: Tensor, kernelSize: Pair, options: MaxPool2dOptions = {}): Tensor {
  return maxPool2dWithIndices(input, kernelSize, options).values;
}

/** `F.max_pool2d(..., return_indices=True)`: `{ values, indices }`. */
export function maxPool2dWithIndices(input: Tensor, kernelSize: Pair, options: MaxPool2dOptions = {}): { values: Tensor; indices: Tensor } {
  const fn = 'maxPool2d';
  const { x, batched } = imageBatch(input, fn);
  const { k, s, p, d, oh, ow } = poolGeometry(fn, x, kernelSize, options);
  const [n, c, h, w] = x.shape;
  const planes = n * c;
  const src = x.data as FloatArray;
  const out = allocate(x.dtype, planes * oh * ow) as FloatArray;
  const idx = new Int32Array(planes * oh * ow);
  // the 2×2 / stride 2 kernel (src/kernels/pool.ts), unless ceilMode makes a last window hang over the edge
  if (k[0] === 2 && k[1] === 2 && s[0] === 2 && s[1] === 2 && p[0] === 0 && p[1] === 0 && d[0] === 1 && d[1] === 1 && 2 * oh <= h && 2 * ow <= w) {
    kernelBackend().maxPool2x2({ planes, h, w, oh, ow }, src, out, idx);
  } else {
    maxPoolWindows(src, out, idx, planes, h, w, oh, ow, k, s, p, d);
  }
  const shape = [n, c, oh, ow];
  const values = record(new Tensor(out, shape), fn, [x], (g) => [scatterPlanes(g, idx, x.shape)], true);
  const indices = new Tensor(idx, shape);
  return batched ? { values, indices } : { values: values.reshape(c, oh, ow), indices: indices.reshape(c, oh, ow) };
}

function maxPoolWindows(
  src: FloatArray,
  out: FloatArray,
  idx: Int32Array,
  planes: number,
  h: number,
  w: number,
  oh: number,
  ow: number,
  k: [number, number],
  s: [number, number],
  p: [number, number],
  d: [number, number],
): void {
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * h * w;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        let best = -Infinity;
        let at = -1;
        for (let a = 0; a < k[0]; a++) {
          const y = i * s[0] - p[0] + a * d[0];
          if (y < 0 || y >= h) continue;
          for (let b = 0; b < k[1]; b++) {
            const xx = j * s[1] - p[1] + b * d[1];
            if (xx < 0 || xx >= w) continue;
            const v = src[base + y * w + xx];
            // as PyTorch's kernel: a NaN always takes over (so the last NaN wins)
            if (v > best || v !== v || at < 0) {
              best = v;
              at = y * w + xx;
            }
          }
        }
        const o = (pl * oh + i) * ow + j;
        out[o] = best;
        idx[o] = at;
      }
    }
  }
}

/** Zeros of `shape` with g[o] added at plane position idx[o] (the adjoint of gatherPlanes). */
function scatterPlanes(g: Tensor, idx: Int32Array, shape: readonly number[]): Tensor {
  const [n, c, h, w] = shape;
  const per = g.size / (n * c);
  const out = allocate(g.dtype, n * c * h * w) as FloatArray;
  kernelBackend().maxPoolBackward(g.data as FloatArray, idx, out, n * c, h * w, per);
  return record(new Tensor(out, shape), 'maxPool2dBackward', [g], (gg) => [gatherPlanes(gg, idx, g.shape)], true);
}

/** out[o] = x[plane(o), idx[o]] (the adjoint of scatterPlanes). */
function gatherPlanes(x: Tensor, idx: Int32Array, shape: readonly number[]): Tensor {
  const [n, c, h, w] = x.shape;
  const per = idx.length / (n * c);
  const out = allocate(x.dtype, idx.length) as FloatArray;
  const src = x.data as FloatArray;
  for (let pl = 0, o = 0; pl < n * c; pl++) {
    const base = pl * h * w;
    for (let q = 0; q < per; q++, o++) out[o] = idx[o] >= 0 ? src[base + idx[o]] : 0;
  }
  return record(new Tensor(out, shape), 'maxPool2dGather', [x], (g) => [scatterPlanes(g, idx, x.shape)], true);
}

/** A linear pooling map given by windows and divisors, with its adjoint as the gradient. */
function windowMean(fn: string, x: Tensor, win: Window, transpose: boolean, inputShape: readonly number[]): Tensor {
  const [n, c, h, w] = inputShape;
  const planes = n * c;
  const { oh, ow, rows, cols, divisor } = win;
  const src = x.data as FloatArray;
  const outShape = transpose ? [n, c, h, w] : [n, c, oh, ow];
  const out = allocate(x.dtype, transpose ? planes * h * w : planes * oh * ow) as FloatArray;
  for (let pl = 0; pl < planes; pl++) {
    const inBase = pl * h * w;
    const outBase = pl * oh * ow;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const o = i * ow + j;
        const [h0, h1, w0, w1] = [rows[2 * i], rows[2 * i + 1], cols[2 * j], cols[2 * j + 1]];
        const scale = 1 / divisor[o];
        if (!transpose) {
          let acc = 0;
          for (let y = h0; y < h1; y++) for (let xx = w0; xx < w1; xx++) acc += src[inBase + y * w + xx];
          out[outBase + o] = acc * scale;
        } else {
          const v = src[outBase + o] * scale;
          for (let y = h0; y < h1; y++) for (let xx = w0; xx < w1; xx++) out[inBase + y * w + xx] += v;
        }
      }
    }
  }
  return record(new Tensor(out, outShape), transpose ? `${fn}Backward` : fn, [x], (g) => [windowMean(fn, g, win, !transpose, inputShape)], true);
}

/**
 * `F.avg_pool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride)`:
 * the mean of each window, with PyTorch's divisor (the window clipped to the padded input when
 * `countIncludePad`, to the input otherwise, or `divisorOverride`).
 */
export function avgPool2d<D extends DType>(input: Tensor<D>, kernelSize: Pair, options?: AvgPool2dOptions): Tensor<Floatish<D>>;
export function avgPool2d(input: Tensor, kernelSize: Pair, options: AvgPool2dOptions = {}): Tensor {
  const fn = 'avgPool2d';
  const { x, batched } = imageBatch(input, fn);
  const { k, s, p, oh, ow } = poolGeometry(fn, x, kernelSize, options);
  const [, c, h, w] = x.shape;
  const override = options.divisorOverride;
  if (override !== undefined && (!Number.isInteger(override) || override === 0)) {
    fail({ fn, argument: 'divisorOverride', value: formatValue(override), rule: 'it must be a nonzero integer' });
  }
  const includePad = options.countIncludePad ?? true;
  const rows = new Int32Array(2 * oh);
  const cols = new Int32Array(2 * ow);
  const padded = new Int32Array(oh + ow);
  for (let i = 0; i < oh; i++) {
    const start = i * s[0] - p[0];
    const end = Math.min(start + k[0], h + p[0]);
    padded[i] = end - start;
    rows[2 * i] = Math.max(start, 0);
    rows[2 * i + 1] = Math.min(end, h);
  }
  for (let j = 0; j < ow; j++) {
    const start = j * s[1] - p[1];
    const end = Math.min(start + k[1], w + p[1]);
    padded[oh + j] = end - start;
    cols[2 * j] = Math.max(start, 0);
    cols[2 * j + 1] = Math.min(end, w);
  }
  const divisor = new Float64Array(oh * ow);
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      divisor[i * ow + j] = override ?? (includePad ? padded[i] * padded[oh + j] : (rows[2 * i + 1] - rows[2 * i]) * (cols[2 * j + 1] - cols[2 * j]));
    }
  }
  const y = windowMean(fn, x, { oh, ow, rows, cols, divisor }, false, x.shape);
  return batched ? y : y.reshape(c, oh, ow);
}

/**
 * `F.adaptive_avg_pool2d(input, outputSize)`: window i covers rows ⌊i·H/OH⌋ … ⌈(i+1)·H/OH⌉ − 1
 * (likewise columns); `null` in `outputSize` keeps that input size.
 */
export function adaptiveAvgPool2d<D extends DType>(input: Tensor<D>, outputSize: number | readonly [number | null, number | null]): Tensor<Floatish<D>>;
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | readonly [number | null, number | null]): Tensor {
  const fn = 'adaptiveAvgPool2d';
  const { x, batched } = imageBatch(input, fn);
  const [, c, h, w] = x.shape;
  const pairValue = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  const oh = pairValue[0] ?? h;
  const ow = pairValue[1] ?? w;
  if (![oh, ow].every((v) => Number.isInteger(v) && v >= 1)) {
    fail({ fn, argument: 'outputSize', value: formatValue(outputSize), rule: 'it must be a positive integer or a pair of them (null keeps the input size)' });
  }
  if (h === 0 || w === 0) fail({ fn, argument: 'input', value: `of shape ${formatShape(input.shape)}`, rule: 'its height and width must be positive' });
  const rows = new Int32Array(2 * oh);
  const cols = new Int32Array(2 * ow);
  for (let i = 0; i < oh; i++) {
    rows[2 * i] = Math.floor((i * h) / oh);
    rows[2 * i + 1] = Math.ceil(((i + 1) * h) / oh);
  }
  for (let j = 0; j < ow; j++) {
    cols[2 * j] = Math.floor((j * w) / ow);
    cols[2 * j + 1] = Math.ceil(((j + 1) * w) / ow);
  }
  const divisor = new Float64Array(oh * ow);
  for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) divisor[i * ow + j] = (rows[2 * i + 1] - rows[2 * i]) * (cols[2 * j + 1] - cols[2 * j]);
  const y = windowMean(fn, x, { oh, ow, rows, cols, divisor }, false, x.shape);
  return batched ? y : y.reshape(c, oh, ow);
}
