/**
 * Memory copy bandwidth, measured in the same run as the kernels so that "fraction of the
 * bandwidth limit" compares like with like. STREAM "copy" (dst[i] = src[i], regular stores, 128-bit
 * WebAssembly SIMD loads/stores) over 256 MiB float32 arrays (8× the 32 MiB L3), counted as
 * 8 bytes per element, on 1 thread and on 2 (main + worker over the shared WebAssembly memory).
 */
import { wasmHeap } from '../src/kernels/wasm/heap.js';
import type { ParallelKernels } from '../src/node/parallel.js';
import { median } from './stats.js';

export interface Bandwidth {
  /** Median GB/s per thread count (1 and, when a pool is given, 2). */
  readonly gbPerS: Readonly<Record<number, number>>;
  readonly arrayMiB: number;
  readonly reps: number;
}

/** Copies `reps` times per thread count, alternating 1 and 2 threads, and returns the medians. */
export function measureCopyBandwidth(pool: ParallelKernels | null, quick: boolean): Bandwidth | null {
  const heap = wasmHeap();
  if (!heap) return null;
  const n = 64 * 1024 * 1024; // 256 MiB per array (64 MiB arrays still partly hit cache here: ~40 GB/s)
  const src = heap.alloc(n * 4);
  const dst = heap.alloc(n * 4);
  try {
    heap.float32(src, n).fill(1.5);
    heap.float32(dst, n).fill(0);
    const ex = heap.kernels.exports;
    const reps = quick ? 5 : 11;
    const times: Record<number, number[]> = { 1: [], 2: [] };
    ex.copyF32(src, dst, n);
    pool?.copyF32(src, dst, n);
    for (let r = 0; r < reps; r++) {
      let t0 = performance.now();
      ex.copyF32(src, dst, n);
      times[1].push(performance.now() - t0);
      if (pool) {
        t0 = performance.now();
        pool.copyF32(src, dst, n);
        times[2].push(performance.now() - t0);
      }
    }
    const gb = (ms: number[]): number => (8 * n) / (median(ms) / 1e3) / 1e9;
    const gbPerS: Record<number, number> = { 1: gb(times[1]) };
    if (pool) gbPerS[2] = gb(times[2]);
    return { gbPerS, arrayMiB: 256, reps };
  } finally {
    heap.release(src);
    heap.release(dst);
  }
}
