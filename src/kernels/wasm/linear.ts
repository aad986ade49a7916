/**
 * WebAssembly SIMD versions of the linear-layer kernels of src/kernels/linear.ts, with exactly
 * their signatures. float32 arrays go to the SIMD kernels; float64 (or mixed) arrays go to the
 * TypeScript reference. Arrays from `wasmFloat32Array` are used in place, others copied.
 */
import {
  linearBackwardInput as refBackwardInput,
  linearBackwardParams as refBackwardParams,
  linearForward as refForward,
  type FloatBuffer,
} from '../linear.js';
import type { WasmHeap } from './heap.js';
import { Staged } from './softmaxCrossEntropy.js';

function allF32(...arrays: FloatBuffer[]): boolean {
  return arrays.every((a) => a instanceof Float32Array);
}

function sizesOk(n: number, inF: number, out: number): boolean {
  return [n, inF, out].every((v) => Number.isInteger(v) && v >= 0) && n > 0 && inF > 0 && out > 0;
}

function stage(heap: WasmHeap, a: FloatBuffer, length: number, copyIn: boolean): Staged {
  return new Staged(heap, a as Float32Array, length, copyIn);
}

/** `Y = X·W + b` (src/kernels/linear.ts `linearForward`). */
export function wasmLinearForward(heap: WasmHeap, X: FloatBuffer, W: FloatBuffer, b: FloatBuffer, Y: FloatBuffer, n: number, inF: number, out: number): void {
  if (!allF32(X, W, b, Y) || !sizesOk(n, inF, out) || X.length < n * inF || W.length < inF * out || b.length < out || Y.length < n * out) {
    refForward(X, W, b, Y, n, inF, out);
    return;
  }
  const sx = stage(heap, X, n * inF, true),
    sw = stage(heap, W, inF * out, true),
    sb = stage(heap, b, out, true),
    sy = stage(heap, Y, n * out, false);
  try {
    heap.kernels.exports.linearForward(sx.ptr, sw.ptr, sb.ptr, sy.ptr, n, inF, out);
    sy.copyOut(n * out);
  } finally {
    for (const s of [sx, sw, sb, sy]) s.release();
  }
}

/** `dW = Xᵀ·G`, `db = Σ_rows G` (src/kernels/linear.ts `linearBackwardParams`). */
export function wasmLinearBackwardParams(
  heap: WasmHeap,
  X: FloatBuffer,
  G: FloatBuffer,
  dW: FloatBuffer,
  db: FloatBuffer,
  n: number,
  inF: number,
  out: number,
): void {
  if (!allF32(X, G, dW, db) || !sizesOk(n, inF, out) || X.length < n * inF || G.length < n * out || dW.length < inF * out || db.length < out) {
    refBackwardParams(X, G, dW, db, n, inF, out);
    return;
  }
  const sx = stage(heap, X, n * inF, true),
    sg = stage(heap, G, n * out, true),
    sw = stage(heap, dW, inF * out, false),
    sb = stage(heap, db, out, false);
  try {
    heap.kernels.exports.linearBackwardParams(sx.ptr, sg.ptr, sw.ptr, sb.ptr, n, inF, out);
    sw.copyOut(inF * out);
    sb.copyOut(out);
  } finally {
    for (const s of [sx, sg, sw, sb]) s.release();
  }
}

/** `dX = G·Wᵀ` (src/kernels/linear.ts `linearBackwardInput`). */
export function wasmLinearBackwardInput(heap: WasmHeap, G: FloatBuffer, W: FloatBuffer, dX: FloatBuffer, n: number, inF: number, out: number): void {
  if (!allF32(G, W, dX) || !sizesOk(n, inF, out) || G.length < n * out || W.length < inF * out || dX.length < n * inF) {
    refBackwardInput(G, W, dX, n, inF, out);
    return;
  }
  const sg = stage(heap, G, n * out, true),
    sw = stage(heap, W, inF * out, true),
    sx = stage(heap, dX, n * inF, false);
  const scratch = heap.alloc(inF * out * 4);
  try {
    heap.kernels.exports.linearBackwardInput(sg.ptr, sw.ptr, sx.ptr, n, inF, out, scratch);
    sx.copyOut(n * inF);
  } finally {
    for (const s of [sg, sw, sx]) s.release();
    heap.release(scratch);
  }
}
