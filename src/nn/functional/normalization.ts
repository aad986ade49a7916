import { noGrad } from '../../autograd/gradMode.js';
import { fail, formatShape, formatValue } from '../../errors.js';
import { kernelBackend } from '../../kernels/backend.js';
import type { DType, FloatArray } from '../../tensor/dtype.js';
import { allocate } from '../../tensor/dtype.js';
import { recomputedBackward } from '../../tensor/grad.js';
import type { Floatish } from '../../tensor/ops/index.js';
import { add, mean, mul, rsqrt, sub, variance } from '../../tensor/ops/index.js';
import { record, Tensor } from '../../tensor/tensor.js';
import { sameDType } from './args.js';

/**
 * Normalisation layers. Each standardises groups of elements — per channel over the batch and
 * space (batch norm), per sample and channel group (group norm), per sample over the last
 * dimensions (layer norm) — then applies a per-channel (or per-element) scale and shift.
 *
 * `standardize` is the fused primitive: x̂ = (x − μ)/√(σ² + ε) with the biased variance, and
 * the gradient dx = (g − mean(g) − x̂·mean(g·x̂)) / √(σ² + ε) per group, both in one pass each,
 * accumulated in float64. Its double backward recomputes it from mean / var / rsqrt.
 */

/** How the elements of a tensor viewed as `[outer, groups, inner]` form the standardised groups. */
type Layout = 'rows' | 'channels';

/** x̂ of `x` viewed as `[a, b, s]`: per row `a·b + …` ('rows': groups are the a·b rows of length s) or per channel b ('channels': over a and s). */
function standardize(x: Tensor, a: number, b: number, s: number, layout: Layout, eps: number): { xhat: Tensor; mean: Float64Array; variance: Float64Array } {
  const groups = layout === 'rows' ? a * b : b;
  const count = layout === 'rows' ? s : a * s;
  const src = x.data as FloatArray;
  const sum = new Float64Array(groups);
  const sumSq = new Float64Array(groups);
  const meanOf = new Float64Array(groups);
  const rstd = new Float64Array(groups);
  const groupOf = (i: number, j: number): number => (layout === 'rows' ? i * b + j : j);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      const base = (i * b + j) * s;
      let acc = 0;
      for (let k = 0; k < s; k++) acc += src[base + k];
      sum[groupOf(i, j)] += acc;
    }
  }
  for (let gI = 0; gI < groups; gI++) meanOf[gI] = sum[gI] / count;
  // second pass around the mean (no cancellation)
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      const gI = groupOf(i, j);
      const m = meanOf[gI];
      const base = (i * b + j) * s;
      let acc = 0;
      for (let k = 0; k < s; k++) {
        const d = src[base + k] - m;
        acc += d * d;
      }
      sumSq[gI] += acc;
    }
  }
  const varOf = new Float64Array(groups);
  for (let gI = 0; gI < groups; gI++) {
    varOf[gI] = sumSq[gI] / count;
    rstd[gI] = 1 / Math.sqrt(varOf[gI] + eps);
  }
  const out = allocate(x.dtype, x.size) as FloatArray;
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      const gI = groupOf(i, j);
      const m = meanOf[gI];
      const r = rstd[gI];
      const base = (i * b + j) * s;
      for (let k = 0; k < s; k++) out[base + k] = (src[base + k] - m) * r;
    }
  }
  const xhat = new Tensor(out, x.shape);
  const dims = layout === 'rows' ? [2] : [0, 2];
  const composed = (): Tensor => {
    const x3 = x.reshape(a, b, s);
    const centred = sub(x3, mean(x3, dims, true));
    return mul(centred, rsqrt(add(variance(x3, dims, { correction: 0, keepDim: true }), eps))).reshape(...x.shape);
  };
  record(
    xhat,
    'standardize',
    [x],
    (g) => {
      const gs = g.data as FloatArray;
      const gSum = new Float64Array(groups);
      const gxSum = new Float64Array(groups);
      for (let i = 0; i < a; i++) {
        for (let j = 0; j < b; j++) {
          const gI = groupOf(i, j);
          const base = (i * b + j) * s;
          let g1 = 0;
          let g2 = 0;
          for (let k = 0; k < s; k++) {
            g1 += gs[base + k];
            g2 += gs[base + k] * out[base + k];
          }
          gSum[gI] += g1;
          gxSum[gI] += g2;
        }
      }
      const dx = allocate(x.dtype, x.size) as FloatArray;
      for (let i = 0; i < a; i++) {
        for (let j = 0; j < b; j++) {
          const gI = groupOf(i, j);
          const r = rstd[gI];
          const mg = gSum[gI] / count;
          const mgx = gxSum[gI] / count;
          const base = (i * b + j) * s;
          for (let k = 0; k < s; k++) dx[base + k] = r * (gs[base + k] - mg - out[base + k] * mgx);
        }
      }
      return [new Tensor(dx, x.shape)];
    },
    recomputedBackward([x], composed),
  );
  return { xhat, mean: meanOf, variance: varOf };
}

function checkEps(fn: string, eps: number): void {
  if (typeof eps !== 'number' || !(eps >= 0) || !Number.isFinite(eps))
    fail({ fn, argument: 'eps', value: formatValue(eps), rule: 'it must be a finite number ≥ 0' });
}

function checkFloat(fn: string, input: Tensor): void {
  if (input.dtype !== 'float32' && input.dtype !== 'float64') fail({ fn, argument: 'input', value: input.dtype, rule: 'it must be float32 or float64' });
}

/** `x · weight + bias` with per-channel (dimension 1) weight and bias, each optional. */
function channelAffine(fn: string, y: Tensor, weight: Tensor | null | undefined, bias: Tensor | null | undefined, channels: number): Tensor {
  const shape = y.shape.map((d, i) => (i === 1 ? d : 1));
  let out = y;
  for (const [name, t] of [
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (!t) continue;
    sameDType(fn, name, t, y);
    if (t.ndim !== 1 || t.shape[0] !== channels)
      fail({ fn, argument: name, value: `of shape ${formatShape(t.shape)}`, rule: `it must have shape [${channels}] (one per channel)` });
    out = name === 'weight' ? mul(out, t.reshape(...shape)) : add(out, t.reshape(...shape));
  }
  return out;
}

export interface BatchNormOptions<D extends DType = DType> {
  weight?: Tensor<D> | null;
  bias?: Tensor<D> | null;
  /** Use the batch's statistics and update the running ones (default false, as F.batch_norm). */
  training?: boolean;
  /** Weight of the new batch in the running averages (default 0.1); `null` = cumulative average, given `numBatchesTracked`. */
  momentum?: number | null;
  /** For `momentum: null`: the number of batches seen, including this one. */
  numBatchesTracked?: number;
  eps?: number;
}

/**
 * `F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)` on
 * `[N, C]`, `[N, C, L]` or `[N, C, H, W]`. Training: normalise with the batch's mean and biased
 * variance per channel, and update the running mean and the running (unbiased) variance in place:
 * r ← (1 − momentum)·r + momentum·batch. Evaluation: normalise with the running statistics.
 * Running statistics may be null (then training statistics are always used, as PyTorch).
 */
export function batchNorm<D extends DType>(
  input: Tensor<D>,
  runningMean: Tensor<D> | null,
  runningVar: Tensor<D> | null,
  options?: BatchNormOptions<D>,
): Tensor<Floatish<D>>;
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions = {}): Tensor {
  const fn = 'batchNorm';
  checkFloat(fn, input);
  if (input.ndim < 2) fail({ fn, argument: 'input', value: `of shape ${formatShape(input.shape)}`, rule: 'it must be [N, C], [N, C, L] or [N, C, H, W]' });
  const [n, c] = input.shape;
  const s = input.size / Math.max(n * c, 1);
  if (n === 0) fail({ fn, argument: 'input', value: `of shape ${formatShape(input.shape)}`, rule: 'the batch is empty; it needs at least one sample' });
  const eps = options.eps ?? 1e-5;
  checkEps(fn, eps);
  for (const [name, t] of [
    ['runningMean', runningMean],
    ['runningVar', runningVar],
  ] as const) {
    if (!t) continue;
    sameDType(fn, name, t, input);
    if (t.ndim !== 1 || t.shape[0] !== c)
      fail({ fn, argument: name, value: `of shape ${formatShape(t.shape)}`, rule: `it must have shape [${c}] (one per channel)` });
  }
  const training = options.training ?? false;
  const useBatch = training || !runningMean || !runningVar;
  let y: Tensor;
  if (useBatch) {
    if (n * s <= 1 && training) {
      fail({
        fn,
        argument: 'input',
        value: `of shape ${formatShape(input.shape)}`,
        rule: 'training needs more than one value per channel to compute a variance',
      });
    }
    const st = standardize(input, n, c, s, 'channels', eps);
    y = st.xhat;
    if (training && runningMean && runningVar) {
      const momentum = options.momentum === null ? 1 / Math.max(1, options.numBatchesTracked ?? 1) : (options.momentum ?? 0.1);
      const count = n * s;
      const rm = runningMean.data as FloatArray;
      const rv = runningVar.data as FloatArray;
      noGrad(() => {
        for (let ch = 0; ch < c; ch++) {
          const biased = st.variance[ch];
          rm[ch] = (1 - momentum) * rm[ch] + momentum * st.mean[ch];
          rv[ch] = (1 - momentum) * rv[ch] + momentum * ((biased * count) / (count - 1));
        }
      });
    }
  } else {
    const shape = input.shape.map((d, i) => (i === 1 ? d : 1));
    const rm = (runningMean as Tensor).detach().reshape(...shape);
    const rv = (runningVar as Tensor).detach().reshape(...shape);
    y = mul(sub(input, rm), rsqrt(add(rv, eps)));
  }
  return channelAffine(fn, y, options.weight, options.bias, c);
}

/**
 * `F.group_norm(input, numGroups, weight, bias, eps)` on `[N, C, *]`: each sample's channels are
 * split into `numGroups` groups, each standardised over its channels and positions.
 */
export function groupNorm<D extends DType>(
  input: Tensor<D>,
  numGroups: number,
  weight?: Tensor<D> | null,
  bias?: Tensor<D> | null,
  eps?: number,
): Tensor<Floatish<D>>;
export function groupNorm(input: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  const fn = 'groupNorm';
  checkFloat(fn, input);
  checkEps(fn, eps);
  if (input.ndim < 2) fail({ fn, argument: 'input', value: `of shape ${formatShape(input.shape)}`, rule: 'it must be [N, C, *]' });
  const [n, c] = input.shape;
  if (n === 0) fail({ fn, argument: 'input', value: `of shape ${formatShape(input.shape)}`, rule: 'the batch is empty; it needs at least one sample' });
  if (!Number.isInteger(numGroups) || numGroups < 1 || c % numGroups !== 0) {
    fail({ fn, argument: 'numGroups', value: formatValue(numGroups), rule: `it must be a positive integer that divides the ${c} channels` });
  }
  const per = input.size / (n * numGroups);
  const composed = (): Tensor => channelAffine(fn, standardize(input, n, numGroups, per, 'rows', eps).xhat, weight, bias, c);
  if (!weight || !bias) return composed();
  checkChannelParameter(fn, 'weight', weight, input, c);
  checkChannelParameter(fn, 'bias', bias, input, c);
  return groupNormAffine(input, numGroups, weight, bias, eps, composed);
}

function checkChannelParameter(fn: string, name: string, t: Tensor, input: Tensor, channels: number): void {
  sameDType(fn, name, t, input);
  if (t.ndim !== 1 || t.shape[0] !== channels)
    fail({ fn, argument: name, value: `of shape ${formatShape(t.shape)}`, rule: `it must have shape [${channels}] (one per channel)` });
}

/**
 * Group norm with its affine map in one kernel (src/kernels/groupNorm.ts: float64 statistics,
 * y = (x − μ)·γ/σ + β rounded once; the backward from the per-(sample, channel) sums Σg and
 * Σg·(x − μ)), run by the kernel backend — WebAssembly SIMD split by samples over its threads.
 * dγ = Σ_n Σg(x − μ)/σ and dβ = Σ_n Σg are formed here. Double backward differentiates the composed
 * form (standardize, then multiply and add).
 */
function groupNormAffine(x: Tensor, groups: number, weight: Tensor, bias: Tensor, eps: number, composed: () => Tensor): Tensor {
  const [n, c] = x.shape;
  const cpg = c / groups;
  const s = c === 0 ? 0 : x.size / (n * c);
  const sh = { n, c, groups, s };
  const src = x.data as FloatArray;
  const gamma = weight.data as FloatArray;
  const mu = new Float64Array(n * groups);
  const rstd = new Float64Array(n * groups);
  const out = allocate(x.dtype, x.size) as FloatArray;
  kernelBackend().groupNormForward(sh, src, gamma, bias.data as FloatArray, eps, out, mu, rstd);
  return record(
    new Tensor(out, x.shape),
    'groupNorm',
    [x, weight, bias],
    (g) => {
      const sumG = new Float64Array(n * c);
      const sumGX = new Float64Array(n * c);
      const d = x.requiresGrad ? (allocate(x.dtype, x.size) as FloatArray) : null;
      kernelBackend().groupNormBackward(sh, src, g.data as FloatArray, gamma, mu, rstd, d, sumG, sumGX);
      const dx = d ? new Tensor(d, x.shape) : null;
      let dw: Tensor | null = null;
      if (weight.requiresGrad) {
        const dwData = allocate(weight.dtype, c) as FloatArray;
        for (let ch = 0; ch < c; ch++) {
          let acc = 0;
          for (let i = 0; i < n; i++) acc += sumGX[i * c + ch] * rstd[i * groups + Math.floor(ch / cpg)];
          dwData[ch] = acc;
        }
        dw = new Tensor(dwData, [c]);
      }
      let db: Tensor | null = null;
      if (bias.requiresGrad) {
        const dbData = allocate(bias.dtype, c) as FloatArray;
        for (let ch = 0; ch < c; ch++) {
          let acc = 0;
          for (let i = 0; i < n; i++) acc += sumG[i * c + ch];
          dbData[ch] = acc;
        }
        db = new Tensor(dbData, [c]);
      }
      return [dx, dw, db];
    },
    recomputedBackward([x, weight, bias], composed),
  );
}

/**
 * `F.layer_norm(input, normalizedShape, weight, bias, eps)`: standardises over the last
 * dimensions `normalizedShape`; weight and bias (optional) have that shape.
 */
export function layerNorm<D extends DType>(
  input: Tensor<D>,
  normalizedShape: readonly number[],
  weight?: Tensor<D> | null,
  bias?: Tensor<D> | null,
  eps?: number,
): Tensor<Floatish<D>>;
export function layerNorm(input: Tensor, normalizedShape: readonly number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  const fn = 'layerNorm';
  checkFloat(fn, input);
  checkEps(fn, eps);
  const k = normalizedShape.length;
  const tail = input.shape.slice(input.ndim - k);
  if (k === 0 || input.ndim < k || tail.some((d, i) => d !== normalizedShape[i])) {
    fail({
      fn,
      argument: 'normalizedShape',
      value: formatValue([...normalizedShape]),
      rule: `it must be the last dimensions of the input ${formatShape(input.shape)}`,
    });
  }
  const d = normalizedShape.reduce((p, v) => p * v, 1);
  const rows = d === 0 ? 0 : input.size / d;
  let out = standardize(input, rows, 1, d, 'rows', eps).xhat;
  for (const [name, t] of [
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (!t) continue;
    sameDType(fn, name, t, input);
    if (t.ndim !== k || t.shape.some((v, i) => v !== normalizedShape[i])) {
      fail({ fn, argument: name, value: `of shape ${formatShape(t.shape)}`, rule: `it must have the normalized shape ${formatShape(normalizedShape)}` });
    }
    out = name === 'weight' ? mul(out, t) : add(out, t);
  }
  return out;
}
