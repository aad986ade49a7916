import { fail, formatValue } from '../errors.js';
import { blockBytes, wasmHeap } from '../kernels/backend.js';

/**
 * Whether a model fits in the WebAssembly memory (4 GiB at most, wasm32) before anything is
 * allocated, so an oversized `--hidden` or input width is one clear message instead of a
 * `RangeError` stack trace (issue #13). Two layouts:
 * - `network` (src/models/network.ts, softmax regression and the buffer-based MLP): weights and
 *   gradients live in the heap, plus the hidden activations and their gradients for a batch;
 * - `module` (src/models/moduleNetwork.ts, the MLP on the nn stack): the gradients live in the
 *   heap, and each matrix product stages its two operands and its result there (src/kernels/wasm/gemm.ts).
 * Every block is rounded up to the heap's power of two (src/kernels/wasm/heap.ts).
 */
export type ModelLayout = 'network' | 'module';

/** Rows the evaluation pushes through at once (src/models/inference.ts). */
const EVALUATION_ROWS = 1024;

/** Bytes of WebAssembly memory a float32 model of `sizes` needs when trained in batches of `batchSize`. */
export function modelMemoryBytes(sizes: readonly number[], batchSize: number, layout: ModelLayout = 'network'): number {
  let bytes = 0;
  if (layout === 'network') {
    for (let l = 0; l + 1 < sizes.length; l++) {
      bytes += 2 * blockBytes(4 * sizes[l] * sizes[l + 1]) + 2 * blockBytes(4 * sizes[l + 1]);
      if (l > 0 && batchSize > 0) bytes += 2 * blockBytes(4 * batchSize * sizes[l]);
    }
    return bytes;
  }
  const rows = Math.max(batchSize, EVALUATION_ROWS);
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [inputs, outputs] = [sizes[l], sizes[l + 1]];
    // gradient buffers of weight and bias, then the staged operands of the layer's largest product
    bytes += blockBytes(4 * inputs * outputs) + blockBytes(4 * outputs);
    bytes += blockBytes(4 * inputs * outputs) + blockBytes(4 * rows * inputs) + blockBytes(4 * rows * outputs);
  }
  return bytes;
}

/** `modelMemoryBytes` of the classic float32 `Network` (buffer-based). */
export function networkMemoryBytes(sizes: readonly number[], batchSize: number): number {
  return modelMemoryBytes(sizes, batchSize, 'network');
}

/**
 * Fails, before anything is allocated, when a float32 model of `sizes` (trained in batches of
 * `batchSize`) does not fit in the WebAssembly memory left, saying how much it needs and the widest
 * single hidden layer that fits. `problem` names the caller and argument.
 */
export function checkNetworkFits(
  sizes: readonly number[],
  batchSize: number,
  problem: { fn: string; argument: string; value?: string },
  layout: ModelLayout = 'network',
): void {
  const heap = wasmHeap();
  if (!heap) return; // plain Float32Arrays: the engine's own limits apply
  const need = modelMemoryBytes(sizes, batchSize, layout);
  const left = heap.bytesLeft;
  if (need <= left) return;
  const [inputs, outputs] = [sizes[0], sizes[sizes.length - 1]];
  const fits = (h: number): boolean => modelMemoryBytes([inputs, h, outputs], batchSize, layout) <= left;
  let lo = 0;
  let hi = 1;
  while (fits(hi)) hi *= 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  const what = layout === 'network' ? 'for its weights and gradients' : 'for its gradients and the operands of its matrix products';
  fail({
    fn: problem.fn,
    argument: problem.argument,
    value: problem.value ?? formatValue([...sizes]),
    rule: `it must fit in the WebAssembly memory where float32 models are trained (4 GiB at most, ${formatBytes(left)} left), and the network [${sizes.join(', ')}] needs ${formatBytes(need)} ${what}${batchSize > 0 && (sizes.length > 2 || layout === 'module') ? ` with ${layout === 'module' ? `${Math.max(batchSize, EVALUATION_ROWS)}-row` : `a ${batchSize}-row`} batches` : ''}`,
    fix: lo > 0 ? `With ${inputs} inputs and ${outputs} outputs, one hidden layer of at most ${lo.toLocaleString('en-US')} units fits.` : undefined,
  });
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} bytes` : `${v.toFixed(1)} ${units[u]}`;
}
