/**
 * The WebAssembly SIMD matrix product (assembly/gemm.ts) with the signature of the reference
 * src/kernels/gemm.ts. float32 operands go to the kernel (arrays in the WebAssembly memory in
 * place, others copied in and out); anything else goes to the reference. With a `ThreadSplitter`
 * large products are split between two threads: by batch when there are several, otherwise by
 * rows of C (each thread packs its own panels in its own scratch).
 */
import { gemm as referenceGemm, type GemmShape } from '../gemm.js';
import type { FloatBuffer } from '../linear.js';
import type { WasmHeap } from './heap.js';
import type { ThreadSplitter } from './splitter.js';
import { Staged } from './softmaxCrossEntropy.js';

const scratchOf = new WeakMap<WasmHeap, number[]>();

/** The packing scratch block of thread `t` (allocated once per heap). */
export function gemmScratch(heap: WasmHeap, t: number): number {
  let blocks = scratchOf.get(heap);
  if (!blocks) {
    blocks = [];
    scratchOf.set(heap, blocks);
  }
  blocks[t] ??= heap.alloc(heap.kernels.exports.gemmScratchBytes());
  return blocks[t];
}

export function wasmGemm(heap: WasmHeap, s: GemmShape, A: FloatBuffer, B: FloatBuffer, C: FloatBuffer, splitter: ThreadSplitter | null = null): void {
  const { batch, m, n, k, transA, transB, strideA, strideB, accumulate } = s;
  if (!(A instanceof Float32Array && B instanceof Float32Array && C instanceof Float32Array) || batch < 1 || m < 1 || n < 1) {
    referenceGemm(s, A, B, C);
    return;
  }
  const lenA = (batch - 1) * strideA + m * k;
  const lenB = (batch - 1) * strideB + k * n;
  const lenC = batch * m * n;
  const sa = new Staged(heap, A, lenA, true);
  const sb = new Staged(heap, B, lenB, true);
  const sc = new Staged(heap, C, lenC, accumulate);
  try {
    const ex = heap.kernels.exports;
    const lda = transA ? m : k;
    const acc = accumulate ? 1 : 0;
    const work = batch * m * n * k;
    if (splitter && work >= splitter.minWork && (batch >= 2 || m >= 8)) {
      if (batch >= 2) {
        const half = batch >> 1;
        const rest = batch - half;
        splitter.start('gemmBatch', [
          +transA,
          +transB,
          m,
          n,
          k,
          sa.ptr + half * strideA * 4,
          lda,
          strideA,
          sb.ptr + half * strideB * 4,
          strideB,
          sc.ptr + half * m * n * 4,
          m * n,
          acc,
          rest,
          gemmScratch(heap, 1),
        ]);
        ex.gemmBatch(+transA, +transB, m, n, k, sa.ptr, lda, strideA, sb.ptr, strideB, sc.ptr, m * n, acc, half, gemmScratch(heap, 0));
      } else {
        // rows [0, m1) here, [m1, m) on the other thread; a multiple of the micro-kernel's 4 rows
        const m1 = Math.max(4, Math.round(m / 8) * 4);
        const rowOffset = transA ? m1 : m1 * k;
        splitter.start('gemmBatch', [
          +transA,
          +transB,
          m - m1,
          n,
          k,
          sa.ptr + rowOffset * 4,
          lda,
          0,
          sb.ptr,
          0,
          sc.ptr + m1 * n * 4,
          0,
          acc,
          1,
          gemmScratch(heap, 1),
        ]);
        ex.gemmBatch(+transA, +transB, m1, n, k, sa.ptr, lda, 0, sb.ptr, 0, sc.ptr, 0, acc, 1, gemmScratch(heap, 0));
      }
      splitter.finish();
    } else {
      ex.gemmBatch(+transA, +transB, m, n, k, sa.ptr, lda, strideA, sb.ptr, strideB, sc.ptr, m * n, acc, batch, gemmScratch(heap, 0));
    }
    sc.copyOut(lenC);
  } finally {
    sa.release();
    sb.release();
    sc.release();
  }
}
