/**
 * One 2-thread kernel pool (main thread + one worker, src/node/parallel.ts) shared by the harness's
 * bandwidth measurement and every suite's 2-thread contenders, so the run holds one worker.
 */
import { startParallelKernels, type ParallelKernels } from '../src/node/parallel.js';

let pool: ParallelKernels | null | undefined;

/** The shared pool, started on first use; null where the WebAssembly kernels cannot load. */
export function sharedPool(): ParallelKernels | null {
  if (pool === undefined) pool = startParallelKernels();
  return pool;
}

/** Stops the shared pool's worker (end of the run). */
export async function closeSharedPool(): Promise<void> {
  if (pool) await pool.close();
  pool = null;
}
