import { axisLayout, type Shape } from '../tensor/shape.js';

/**
 * Visits every 1-D slice ("lane") of a row-major tensor along `axis`, as `torch.softmax(x, dim)`
 * sees it: element `k` of lane `lane` sits at `offset + k * stride` and the lane has `size`
 * elements. Lanes are numbered in the row-major order of the shape without `axis`, which is the
 * order of a reduction's output (`logsumexp`, a loss with `reduction: 'none'`).
 */
export function forEachLane(shape: Shape, axis: number, visit: (offset: number, stride: number, size: number, lane: number) => void): void {
  const { outer, size, inner } = axisLayout(shape, axis);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) visit(o * size * inner + i, inner, size, o * inner + i);
  }
}

/**
 * The maximum of a lane with NaN propagating (like `torch.max`): NaN if any element is NaN,
 * −∞ for an empty or fully masked lane.
 */
export function laneMax(data: ArrayLike<number>, offset: number, stride: number, size: number): number {
  let m = -Infinity;
  for (let k = 0; k < size; k++) {
    const v = data[offset + k * stride];
    if (v > m || v !== v) {
      m = v;
      if (v !== v) break;
    }
  }
  return m;
}
