/**
 * WebAssembly SIMD version of `softmaxCrossEntropyRows` (src/kernels/softmaxCrossEntropy.ts), with
 * exactly its signature and contract: float32 logits go to the SIMD kernel (float64 accumulation of
 * the row sums and of the loss); float64 logits, and any input the reference would reject, go to the
 * TypeScript reference, so results and error messages stay the reference's.
 *
 * Arrays from `wasmFloat32Array` / `wasmInt32Array` are used in place; other arrays are copied into
 * the WebAssembly memory and the gradient copied back (two extra passes over memory).
 */
import { softmaxCrossEntropyRows as referenceRows } from '../softmaxCrossEntropy.js';
import type { WasmHeap } from './heap.js';

/** Places a float32/int32 array in the heap: its own offset when it lives there, else a copy. */
export class Staged {
  readonly ptr: number;
  private readonly owned: boolean;

  constructor(
    private readonly heap: WasmHeap,
    private readonly array: Float32Array | Int32Array,
    length: number,
    copyIn: boolean,
  ) {
    this.owned = !heap.owns(array);
    if (this.owned) {
      this.ptr = heap.alloc(length * 4);
      if (copyIn) {
        const view = array instanceof Float32Array ? heap.float32(this.ptr, length) : heap.int32(this.ptr, length);
        view.set(array.subarray(0, length));
      }
    } else {
      this.ptr = array.byteOffset;
    }
  }

  /** Copies the heap block back into the caller's array (for outputs). */
  copyOut(length: number): void {
    if (!this.owned) return;
    if (this.array instanceof Float32Array) this.array.set(this.heap.float32(this.ptr, length));
    else this.array.set(this.heap.int32(this.ptr, length));
  }

  release(): void {
    if (this.owned) this.heap.release(this.ptr);
  }
}

function labelsInRange(labels: Int32Array, n: number, c: number): boolean {
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y < 0 || y >= c) return false;
  }
  return true;
}

/** True when the float32 SIMD kernel can take these arguments (else the reference handles them). */
export function simdEligible(
  logits: Float32Array | Float64Array,
  labels: Int32Array,
  n: number,
  c: number,
  grad: Float32Array | Float64Array | null,
): logits is Float32Array {
  return (
    logits instanceof Float32Array &&
    (grad === null || grad instanceof Float32Array) &&
    Number.isInteger(n) &&
    Number.isInteger(c) &&
    n >= 0 &&
    c >= 1 &&
    logits.length >= n * c &&
    labels.length >= n &&
    (grad === null || grad.length >= n * c) &&
    labelsInRange(labels, n, c)
  );
}

/**
 * Runs the SIMD kernel over rows [r0, r1) with the arrays already staged; `run` lets the
 * 2-thread version (src/node/parallel.ts) split the rows between threads.
 */
export type RowsRunner = (logitsPtr: number, labelsPtr: number, n: number, c: number, gradPtr: number, gradScale: number) => number;

/**
 * Rows per chunk when arrays must be copied through the heap: about 1 MiB of logits (at least one
 * row), so the staging blocks stay in cache and main memory sees one read of the logits and one
 * write of the gradient, as in the zero-copy case.
 */
const CHUNK_ELEMENTS = 1 << 18;

/** `softmaxCrossEntropyRows` on the WebAssembly heap `heap`, rows run by `run`. */
export function wasmSoftmaxCrossEntropyRows(
  heap: WasmHeap,
  run: RowsRunner,
  logits: Float32Array | Float64Array,
  labels: Int32Array,
  n: number,
  c: number,
  grad: Float32Array | Float64Array | null,
  gradScale: number,
): number {
  if (!simdEligible(logits, labels, n, c, grad)) return referenceRows(logits, labels, n, c, grad, gradScale);
  if (n === 0) return 0;
  const g = grad instanceof Float32Array ? grad : null;
  const y = new Staged(heap, labels, n, true);
  const xOwned = heap.owns(logits);
  const gOwned = g === null || heap.owns(g);
  try {
    if (xOwned && gOwned) return run(logits.byteOffset, y.ptr, n, c, g ? g.byteOffset : 0, gradScale);
    // copy through cache-sized staging blocks, chunk by chunk
    const rows = Math.max(1, Math.floor(CHUNK_ELEMENTS / c));
    const xStage = xOwned ? 0 : heap.alloc(Math.min(rows, n) * c * 4);
    const gStage = gOwned ? 0 : heap.alloc(Math.min(rows, n) * c * 4);
    try {
      let loss = 0;
      for (let r0 = 0; r0 < n; r0 += rows) {
        const m = Math.min(rows, n - r0);
        const len = m * c;
        let xPtr = logits.byteOffset + r0 * c * 4;
        if (!xOwned) {
          heap.float32(xStage, len).set(logits.subarray(r0 * c, r0 * c + len));
          xPtr = xStage;
        }
        const gPtr = g === null ? 0 : gOwned ? g.byteOffset + r0 * c * 4 : gStage;
        loss += run(xPtr, y.ptr + r0 * 4, m, c, gPtr, gradScale);
        if (g !== null && !gOwned) g.set(heap.float32(gStage, len), r0 * c);
      }
      return loss;
    } finally {
      if (xStage) heap.release(xStage);
      if (gStage) heap.release(gStage);
    }
  } finally {
    y.release();
  }
}
