import { allocate, type FloatDType } from '../tensor/dtype.js';
import { normalizeAxis, sizeOf } from '../tensor/shape.js';
import { assertFloat, Tensor } from '../tensor/tensor.js';
import { forEachLane, laneMax } from './lanes.js';

/**
 * The maximum along `dim` with the dimension kept, as a constant (`x.amax(dim, keepdim=True).detach()`):
 * the shift of a stable logsumexp, which does not change its value and so carries no gradient.
 * (The elementwise gradient table lives with the other tensor operations in src/tensor/ops/.)
 */
export function detachedMax(a: Tensor, dim: number): Tensor {
  assertFloat(a, 'detachedMax', 'a');
  const axis = normalizeAxis(dim, a.ndim, 'detachedMax');
  const outShape = a.shape.map((d, i) => (i === axis ? 1 : d));
  const out = allocate(a.dtype, sizeOf(outShape));
  forEachLane(a.shape, axis, (offset, stride, size, lane) => {
    out[lane] = laneMax(a.data, offset, stride, size);
  });
  return new Tensor<FloatDType>(out, outShape);
}
