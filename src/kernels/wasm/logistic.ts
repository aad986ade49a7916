/**
 * WebAssembly SIMD versions of src/kernels/logistic.ts, with exactly their signatures. `X` and
 * `rows` are read in place when they live in the kernels' memory (`wasmFloat32Array`,
 * `wasmInt32Array`), copied in for each call otherwise; allocate the matrix there once when the
 * same data is evaluated many times (L-BFGS).
 */
import type { WasmHeap } from './heap.js';
import { Staged } from './softmaxCrossEntropy.js';

/** `logisticLossGrad` of src/kernels/logistic.ts. */
export function wasmLogisticLossGrad(
  heap: WasmHeap,
  X: Float32Array,
  d: number,
  rows: Int32Array,
  y: Float32Array,
  w: Float32Array,
  b: number,
  grad: Float32Array,
): number {
  const sx = new Staged(heap, X, X.length, true),
    sr = new Staged(heap, rows, rows.length, true),
    sy = new Staged(heap, y, y.length, true),
    sw = new Staged(heap, w, d, true),
    sg = new Staged(heap, grad, d + 1, true);
  try {
    const loss = heap.kernels.exports.logisticLossGrad(sx.ptr, d, sr.ptr, rows.length, sy.ptr, sw.ptr, b, sg.ptr);
    sg.copyOut(d + 1);
    return loss;
  } finally {
    for (const s of [sx, sr, sy, sw, sg]) s.release();
  }
}

/** `linearScores` of src/kernels/logistic.ts. */
export function wasmLinearScores(heap: WasmHeap, X: Float32Array, d: number, rows: Int32Array, w: Float32Array, b: number, out: Float64Array): void {
  const sx = new Staged(heap, X, X.length, true),
    sr = new Staged(heap, rows, rows.length, true),
    sw = new Staged(heap, w, d, true);
  const outPtr = heap.alloc(rows.length * 8);
  try {
    heap.kernels.exports.linearScores(sx.ptr, d, sr.ptr, rows.length, sw.ptr, b, outPtr);
    out.set(new Float64Array(heap.buffer, outPtr, rows.length));
  } finally {
    for (const s of [sx, sr, sw]) s.release();
    heap.release(outPtr);
  }
}
