/** The kernel backends every conformance test runs against: the TypeScript reference, WebAssembly SIMD, and WebAssembly on 2 threads. */
import { typescriptBackend, wasmBackend, type KernelBackend } from '../../src/kernels/backend.js';
import { startParallelKernels, type ParallelKernels } from '../../src/node/parallel.js';

let pool: ParallelKernels | null = null;

/** The 2-thread pool with a threshold of 0, so even tiny inputs are split across threads. */
export function testPool(): ParallelKernels {
  pool ??= startParallelKernels({ minElements: 0, minWork: 0 });
  if (!pool) throw new Error('WebAssembly kernels unavailable in this Node');
  return pool;
}

export function backends(): KernelBackend[] {
  const wasm = wasmBackend();
  if (!wasm) throw new Error('WebAssembly SIMD kernels unavailable in this Node (20+ has them)');
  return [typescriptBackend, wasm, testPool().backend];
}

export async function closeTestPool(): Promise<void> {
  await pool?.close();
  pool = null;
}

/** The inputs of the softmax-ce benchmark (bench/suites/softmaxCe.ts). */
export function hashedLogits(n: number, c: number): [Float32Array, Int32Array] {
  const x = new Float32Array(n * c);
  for (let i = 0; i < n * c; i++) x[i] = (((Math.imul(i, 2654435761) >>> 0) >>> 8) / 16777216) * 8 - 4;
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) y[r] = (r * 7919 + 13) % c;
  return [x, y];
}

/** max |a − b| / (atol + rtol·|b|) over the arrays; ≤ 1 means close. NaN must match NaN. */
export function closeness(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol: number): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) {
      if (!(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return Infinity;
      continue;
    }
    if (a[i] === b[i]) continue;
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / (atol + rtol * Math.abs(b[i])));
  }
  return worst;
}
