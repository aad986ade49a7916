import { allocate, type FloatDType } from '../tensor/dtype.js';
import { assertFloat, Tensor, record } from '../tensor/tensor.js';
import { CLASS_WEIGHT, checkClassWeight, checkIgnoreIndex, checkIndexTargets, classDimOf, IGNORE_INDEX, withoutClassDim } from './classTargets.js';
import { recomputedBackward } from '../tensor/grad.js';
import { composedIndexLoss } from './composed.js';
import { type LossSpec, REDUCTION_NAMES } from './lossSpec.js';
import { forEachLane } from './lanes.js';
import { checkReduction, reduceValues, reductionGradient, type Reduction } from './reduction.js';

export interface NllLossOptions {
  /** Rescaling weight per class, shape [C], in the input's dtype (PyTorch's `weight`). */
  weight?: Tensor;
  /** Targets equal to this are ignored: zero loss, zero gradient, excluded from the mean. Default -100. */
  ignoreIndex?: number;
  /** Default `'mean'`. */
  reduction?: Reduction;
}

/**
 * Negative log-likelihood loss, `torch.nn.functional.nll_loss`: for log-probabilities `input` of
 * shape [C], [N, C] or [N, C, d1, …, dk] and class indices `target` (int32, the input's shape
 * without C), ℓ_i = −w[t_i] · input[i, t_i], and 0 where t_i = ignoreIndex.
 * `'mean'` divides the sum by Σ w[t_i] over non-ignored targets (PyTorch's rule), so a batch whose
 * targets are all ignored gives 0/0 = NaN, exactly as PyTorch does; `'sum'` gives 0 there.
 * Records autograd w.r.t. `input`.
 */
export function nllLoss<D extends FloatDType>(input: Tensor<D>, target: Tensor, options?: NllLossOptions): Tensor<D>;
export function nllLoss(input: Tensor, target: Tensor, options?: NllLossOptions): Tensor;
export function nllLoss(input: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  const fn = 'nllLoss';
  assertFloat(input, fn, 'input');
  const classDim = classDimOf(input, fn);
  const classes = input.shape[classDim];
  const reduction = checkReduction(options.reduction, fn);
  const ignoreIndex = checkIgnoreIndex(options.ignoreIndex, fn);
  const weight = checkClassWeight(options.weight, input, classes, fn);
  const labels = checkIndexTargets(target, input, classDim, ignoreIndex, fn);
  const xs = input.data;
  const ws = weight?.data;

  const losses = new Float64Array(labels.length);
  let totalWeight = 0;
  forEachLane(input.shape, classDim, (offset, stride, _size, lane) => {
    const t = labels[lane];
    if (t === ignoreIndex) return;
    const w = ws ? ws[t] : 1;
    losses[lane] = -w * xs[offset + t * stride];
    totalWeight += w;
  });
  const out = reduceValues(losses, withoutClassDim(input.shape, classDim), input.dtype, reduction, totalWeight, fn);

  return record(
    out,
    fn,
    [input, target],
    (g) => [nllLossBackward(input, labels, g, { weight: ws, ignoreIndex, reduction, totalWeight }), null],
    recomputedBackward([input, target], () => composedIndexLoss(input, labels, classDim, ws ?? null, ignoreIndex, reduction)),
  );
}

/**
 * Backward of nll_loss: ∂L/∂input[i, c] = −w[t_i] · r_i when c = t_i (not ignored), else 0, with
 * r_i = g_i for 'none', g for 'sum' and g / Σ w for 'mean'.
 */
export function nllLossBackward<D extends FloatDType>(
  input: Tensor<D>,
  labels: Int32Array,
  gradOutput: Tensor,
  options: { weight?: ArrayLike<number>; ignoreIndex: number; reduction: Reduction; totalWeight: number },
): Tensor<D> {
  const classDim = input.ndim === 1 ? 0 : 1;
  const scale = reductionGradient(gradOutput, options.reduction, options.totalWeight);
  const gx = allocate(input.dtype, input.size);
  forEachLane(input.shape, classDim, (offset, stride, _size, lane) => {
    const t = labels[lane];
    if (t === options.ignoreIndex) return;
    gx[offset + t * stride] = -(options.weight ? options.weight[t] : 1) * scale(lane);
  });
  return new Tensor<D>(gx, input.shape);
}

export const nllSpec = {
  id: 'nll',
  pytorch: 'nn.NLLLoss',
  parameters: { weight: CLASS_WEIGHT, ignoreIndex: IGNORE_INDEX },
  reductions: REDUCTION_NAMES,
  defaultReduction: 'mean',
  classTargets: 'indices',
  call: (a) => nllLoss(a.input, a.target, { weight: a.tensor('weight'), ignoreIndex: a.number('ignoreIndex'), reduction: a.reduction() }),
} as const satisfies LossSpec;
