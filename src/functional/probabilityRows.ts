import type { Tensor } from '../tensor/tensor.js';
import { forEachLane } from './lanes.js';

/**
 * Whether every lane of `input` along `dim` (cross-entropy's class dimension) lies in [0, 1] and sums
 * to 1 within `tolerance`: what softmax outputs look like, and what logits almost never look like.
 * Cross-entropy takes logits, so such an input is most likely probabilities passed by mistake
 * (tfjs's `softmaxCrossEntropy` says "do not call this op with the output of softmax"). An empty
 * tensor or a non-finite value answers false.
 */
export function lanesLookLikeProbabilities(input: Tensor, dim: number, tolerance = 1e-4): boolean {
  if (input.size === 0 || input.dtype === 'int32') return false;
  const xs = input.data;
  let all = true;
  forEachLane(input.shape, dim, (offset, stride, size) => {
    if (!all) return;
    let sum = 0;
    for (let k = 0; k < size; k++) {
      const v = xs[offset + k * stride];
      if (!(v >= 0 && v <= 1)) {
        all = false;
        return;
      }
      sum += v;
    }
    if (Math.abs(sum - 1) > tolerance) all = false;
  });
  return all;
}
