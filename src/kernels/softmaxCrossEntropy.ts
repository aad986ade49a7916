import { fail } from '../errors.js';

/**
 * Fused softmax + cross-entropy over the rows of an [n, c] row-major matrix of logits with integer
 * labels — the hot path of training a classifier, like PyTorch's fused `cross_entropy` with class
 * indices, no weight and no smoothing. Returns the summed loss Σ_i (logsumexp(x_i) − x_i[label_i])
 * in float64. When `grad` is given, writes (softmax(x_i) − onehot(label_i)) · gradScale into it
 * (pass 1/n for a mean). Per row: one pass for the max, one for exp (stored in `grad`) and its sum,
 * one to scale — no allocation. Stable for any finite logits (max subtraction); NaN propagates.
 * The TypeScript reference; src/kernels/backend.ts may pick a WebAssembly version of it.
 */
export function softmaxCrossEntropyRows(
  logits: Float32Array | Float64Array,
  labels: Int32Array,
  n: number,
  c: number,
  grad: Float32Array | Float64Array | null,
  gradScale: number,
): number {
  if (logits.length < n * c || labels.length < n || (grad !== null && grad.length < n * c)) {
    fail({
      fn: 'softmaxCrossEntropyRows',
      argument: 'n, c',
      value: `${n}, ${c}`,
      rule: `logits (${logits.length}) and grad must hold n·c values and labels (${labels.length}) n values`,
    });
  }
  let total = 0;
  for (let i = 0, row = 0; i < n; i++, row += c) {
    const label = labels[i];
    if (label < 0 || label >= c) {
      fail({ fn: 'softmaxCrossEntropyRows', argument: 'labels', value: `${label} at [${i}]`, rule: `class indices must lie in [0, ${c - 1}] (C = ${c})` });
    }
    let max = -Infinity;
    for (let k = row; k < row + c; k++) if (logits[k] > max) max = logits[k];
    let sum = 0;
    if (grad === null) {
      for (let k = row; k < row + c; k++) sum += Math.exp(logits[k] - max);
    } else {
      for (let k = row; k < row + c; k++) {
        const e = Math.exp(logits[k] - max);
        grad[k] = e;
        sum += e;
      }
      const scale = gradScale / sum;
      for (let k = row; k < row + c; k++) grad[k] *= scale;
      grad[row + label] -= gradScale;
    }
    // (max − x_label) first: both may be huge (−max finite) while the loss is small.
    total += max - logits[row + label] + Math.log(sum);
  }
  return total;
}
