import { isGradEnabled } from '../autograd/gradMode.js';
import { warnEmptyMean } from '../warnings.js';
import { fail, formatShape, formatValue } from '../errors.js';
import { allocate, type FloatDType } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import { assertFloat, Tensor, record } from '../tensor/tensor.js';
import { softmaxCrossEntropyRows } from '../kernels/backend.js';
import {
  CLASS_WEIGHT,
  checkClassWeight,
  checkIgnoreIndex,
  checkIndexTargets,
  checkProbabilityTargets,
  classDimOf,
  IGNORE_INDEX,
  withoutClassDim,
} from './classTargets.js';
import { recomputedBackward } from '../tensor/grad.js';
import { composedIndexLoss, composedLogSoftmax, composedProbabilityLoss } from './composed.js';
import { type LossSpec, REDUCTION_NAMES } from './lossSpec.js';
import { forEachLane, laneMax } from './lanes.js';
import { checkReduction, reduceValues, reductionGradient, type Reduction } from './reduction.js';
import { lanesLookLikeProbabilities } from './probabilityRows.js';

export interface CrossEntropyOptions {
  /** Rescaling weight per class, shape [C], in the input's dtype (PyTorch's `weight`). */
  weight?: Tensor;
  /** Index targets equal to this are ignored (zero loss and gradient, left out of the mean). Default -100. */
  ignoreIndex?: number;
  /** Default `'mean'`. */
  reduction?: Reduction;
  /** ε in [0, 1]: mixes the target with the uniform distribution. Default 0. */
  labelSmoothing?: number;
}

/**
 * Cross-entropy from logits, `torch.nn.functional.cross_entropy`, with PyTorch's rules exactly.
 * `input` is [C], [N, C] or [N, C, d1, …, dk] (class dimension 1, or 0 for [C]). `target` holds either
 * - class indices: an int32 tensor with the input's shape without C. With log-probabilities
 *   lp = logSoftmax(input) and ε = labelSmoothing,
 *   ℓ_i = (1 − ε) · (−w[t_i] lp[i, t_i]) + (ε / C) · Σ_c −w_c lp[i, c], and ℓ_i = 0 where t_i = ignoreIndex;
 *   `'mean'` divides Σ ℓ_i by Σ w[t_i] over the non-ignored targets. When every target is ignored
 *   (or the batch is empty) that is 0/0 and the result is NaN, as in PyTorch (`'sum'` gives 0).
 * - class probabilities: a float tensor with the input's shape, smoothed as t(1 − ε) + ε/C;
 *   ℓ_i = −Σ_c w_c t_c lp[i, c], and `'mean'` divides by the number of rows N·d1·…·dk (NaN if 0).
 * The gradient w.r.t. `input` is hand-written: with coefficients a_c = ∂ℓ/∂(−lp_c),
 * ∂ℓ/∂x_c = softmax(x)_c · Σ_k a_k − a_c, which is softmax − onehot for a plain index target.
 * [N, C] inputs with index targets, no weight, no smoothing and nothing ignored use the fused
 * kernel `softmaxCrossEntropyRows`. Computed in float64, rounded to the input dtype once.
 */
export function crossEntropy<D extends FloatDType>(input: Tensor<D>, target: Tensor, options?: CrossEntropyOptions): Tensor<D>;
export function crossEntropy(input: Tensor, target: Tensor, options?: CrossEntropyOptions): Tensor;
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const fn = 'crossEntropy';
  assertFloat(input, fn, 'input');
  const classDim = classDimOf(input, fn);
  const classes = input.shape[classDim];
  const reduction = checkReduction(options.reduction, fn);
  const ignoreIndex = checkIgnoreIndex(options.ignoreIndex, fn);
  const smoothing = checkLabelSmoothing(options.labelSmoothing, fn);
  const weight = checkClassWeight(options.weight, input, classes, fn);

  if (shapesEqual(target.shape, input.shape) && target.dtype === 'int32') {
    fail({
      fn,
      argument: 'target',
      value: `an int32 tensor of shape ${formatShape(target.shape)}`,
      rule: `a target shaped like the input holds class probabilities and must be ${input.dtype}, while class indices have shape ${formatShape(withoutClassDim(input.shape, classDim))}`,
    });
  }
  if (shapesEqual(target.shape, input.shape)) {
    if (options.ignoreIndex !== undefined && ignoreIndex >= 0) {
      fail({
        fn,
        argument: 'ignoreIndex',
        value: formatValue(ignoreIndex),
        rule: 'it applies only to class-index targets, and this target holds class probabilities (as PyTorch, a non-negative ignoreIndex is refused here)',
      });
    }
    const probs = checkProbabilityTargets(target, input, fn);
    return crossEntropyProbabilities(input, probs, classDim, weight, reduction, smoothing);
  }
  const labels = checkIndexTargets(target, input, classDim, ignoreIndex, fn);
  if (input.ndim === 2 && weight === null && smoothing === 0 && reduction !== 'none' && input.shape[0] > 0 && !labels.includes(ignoreIndex)) {
    return crossEntropyFused(input, target, labels, reduction);
  }
  return crossEntropyIndices(input, target, labels, classDim, weight, ignoreIndex, reduction, smoothing);
}

function checkLabelSmoothing(value: number | undefined, fn: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    fail({ fn, argument: 'labelSmoothing', value: formatValue(value), rule: 'it must be a number in [0, 1]' });
  }
  return value;
}

/** The fused [N, C] path: the kernel computes loss and gradient in one sweep; backward only scales. */
function crossEntropyFused<D extends FloatDType>(input: Tensor<D>, target: Tensor, labels: Int32Array, reduction: Reduction): Tensor<D> {
  const [n, c] = input.shape;
  const wantsGrad = isGradEnabled() && input.requiresGrad;
  const grad = wantsGrad ? allocate(input.dtype, input.size) : null;
  const divisor = reduction === 'mean' ? n : 1;
  if (reduction === 'mean' && n === 0) warnEmptyMean('crossEntropy');
  const total = softmaxCrossEntropyRows(input.data, labels, n, c, grad, 1 / divisor);
  const out = allocate(input.dtype, 1);
  out[0] = total / divisor;
  const loss = new Tensor<D>(out, []);
  if (grad === null) return loss;
  return record(
    loss,
    'crossEntropy',
    [input, target],
    (g) => {
      const scale = g.data[0];
      const gx = allocate(input.dtype, input.size);
      for (let k = 0; k < gx.length; k++) gx[k] = grad[k] * scale;
      return [new Tensor<D>(gx, input.shape), null];
    },
    recomputedBackward([input, target], () => composedIndexLoss(composedLogSoftmax(input, 1), labels, 1, null, -100, reduction)),
  );
}

/** log-softmax of every lane along the class dimension, in float64. */
function logProbabilities(input: Tensor, classDim: number): Float64Array {
  const xs = input.data;
  const lp = new Float64Array(input.size);
  forEachLane(input.shape, classDim, (offset, stride, size) => {
    const m = laneMax(xs, offset, stride, size);
    let sum = 0;
    for (let k = 0; k < size; k++) sum += Math.exp(xs[offset + k * stride] - m);
    const logSum = Math.log(sum);
    for (let k = 0; k < size; k++) lp[offset + k * stride] = xs[offset + k * stride] - m - logSum;
  });
  return lp;
}

/**
 * ∂(Σ r_i ℓ_i)/∂x from per-lane coefficients a (ℓ_i = Σ_c a_c · (−lp_c)):
 * ∂/∂x_c = r_i (exp(lp_c) Σ_k a_k − a_c). `coefficients` fills `a` for one lane and returns false
 * for an ignored lane, whose gradient is exp(lp_c) · 0 like PyTorch's (0, or NaN where lp is NaN) —
 * never r_i · 0, which is NaN when every target is ignored and the mean's r_i = 1/0.
 */
function gradientFromCoefficients<D extends FloatDType>(
  input: Tensor<D>,
  lp: Float64Array,
  classDim: number,
  scale: (lane: number) => number,
  coefficients: (lane: number, offset: number, stride: number, a: Float64Array) => boolean,
): Tensor<D> {
  const gx = allocate(input.dtype, input.size);
  const a = new Float64Array(input.shape[classDim]);
  forEachLane(input.shape, classDim, (offset, stride, size, lane) => {
    a.fill(0);
    if (!coefficients(lane, offset, stride, a)) {
      for (let k = 0; k < size; k++) gx[offset + k * stride] = Math.exp(lp[offset + k * stride]) * 0;
      return;
    }
    const r = scale(lane);
    let aSum = 0;
    for (let k = 0; k < size; k++) aSum += a[k];
    for (let k = 0; k < size; k++) gx[offset + k * stride] = r * (Math.exp(lp[offset + k * stride]) * aSum - a[k]);
  });
  return new Tensor<D>(gx, input.shape);
}

function crossEntropyIndices<D extends FloatDType>(
  input: Tensor<D>,
  target: Tensor,
  labels: Int32Array,
  classDim: number,
  weight: Tensor | null,
  ignoreIndex: number,
  reduction: Reduction,
  smoothing: number,
): Tensor<D> {
  const classes = input.shape[classDim];
  const ws = weight?.data;
  const lp = logProbabilities(input, classDim);
  const losses = new Float64Array(labels.length);
  let totalWeight = 0;
  forEachLane(input.shape, classDim, (offset, stride, size, lane) => {
    const t = labels[lane];
    if (t === ignoreIndex) return;
    const wt = ws ? ws[t] : 1;
    totalWeight += wt;
    let loss = -(1 - smoothing) * wt * lp[offset + t * stride];
    if (smoothing > 0) {
      let smooth = 0;
      for (let k = 0; k < size; k++) smooth -= (ws ? ws[k] : 1) * lp[offset + k * stride];
      loss += (smoothing / classes) * smooth;
    }
    losses[lane] = loss;
  });
  const out = reduceValues(losses, withoutClassDim(input.shape, classDim), input.dtype, reduction, totalWeight, 'crossEntropy');

  return record(
    out,
    'crossEntropy',
    [input, target],
    (g) => [
      gradientFromCoefficients(input, lp, classDim, reductionGradient(g, reduction, totalWeight), (lane, _offset, _stride, a) => {
        const t = labels[lane];
        if (t === ignoreIndex) return false;
        if (smoothing > 0) for (let k = 0; k < classes; k++) a[k] = (smoothing / classes) * (ws ? ws[k] : 1);
        a[t] += (1 - smoothing) * (ws ? ws[t] : 1);
        return true;
      }),
      null,
    ],
    recomputedBackward([input, target], () =>
      composedIndexLoss(composedLogSoftmax(input, classDim), labels, classDim, ws ?? null, ignoreIndex, reduction, smoothing),
    ),
  );
}

function crossEntropyProbabilities<D extends FloatDType>(
  input: Tensor<D>,
  target: Tensor<FloatDType>,
  classDim: number,
  weight: Tensor | null,
  reduction: Reduction,
  smoothing: number,
): Tensor<D> {
  const classes = input.shape[classDim];
  const ws = weight?.data;
  const ts = target.data;
  const lp = logProbabilities(input, classDim);
  const smoothed = (at: number): number => ts[at] * (1 - smoothing) + smoothing / classes;
  const rows = classes === 0 ? 0 : input.size / classes;
  const losses = new Float64Array(rows);
  forEachLane(input.shape, classDim, (offset, stride, size, lane) => {
    let loss = 0;
    for (let k = 0; k < size; k++) loss -= (ws ? ws[k] : 1) * smoothed(offset + k * stride) * lp[offset + k * stride];
    losses[lane] = loss;
  });
  const out = reduceValues(losses, withoutClassDim(input.shape, classDim), input.dtype, reduction, rows, 'crossEntropy');

  return record(
    out,
    'crossEntropy',
    [input, target],
    (g) => [
      gradientFromCoefficients(input, lp, classDim, reductionGradient(g, reduction, rows), (_lane, offset, stride, a) => {
        for (let k = 0; k < classes; k++) a[k] = (ws ? ws[k] : 1) * smoothed(offset + k * stride);
        return true;
      }),
      null,
    ],
    recomputedBackward([input, target], () => composedProbabilityLoss(composedLogSoftmax(input, classDim), target, classDim, ws ?? null, reduction, smoothing)),
  );
}

/** Cross-entropy in the registry (`losslab loss cross-entropy`); its figure and explanation are the softmax family's. */
export const crossEntropySpec = {
  id: 'cross-entropy',
  pytorch: 'nn.CrossEntropyLoss',
  parameters: {
    weight: CLASS_WEIGHT,
    ignoreIndex: IGNORE_INDEX,
    labelSmoothing: { type: 'number', description: 'label smoothing ε in [0, 1]', default: 0, min: 0, max: 1 },
  },
  reductions: REDUCTION_NAMES,
  defaultReduction: 'mean',
  classTargets: 'indices-or-probabilities',
  inputWarning: (input) => (input.ndim > 0 && lanesLookLikeProbabilities(input, input.ndim === 1 ? 0 : 1) ? 'warning.crossEntropyProbabilities' : undefined),
  call: (a) =>
    crossEntropy(a.input, a.target, {
      weight: a.tensor('weight'),
      ignoreIndex: a.number('ignoreIndex'),
      labelSmoothing: a.number('labelSmoothing'),
      reduction: a.reduction(),
    }),
} as const satisfies LossSpec;
