/**
 * The second core for the WebAssembly kernels: one worker thread instantiates the same module on
 * the same shared WebAssembly memory, and each large call is split by rows — the main thread runs
 * the first half while the worker runs the second (like PyTorch's intra-op `at::parallel_for` with
 * 2 threads): softmax + cross-entropy rows, the second half of each minibatch of the fused
 * softmax-regression step (whose reduction tree is fixed, so 1 and 2 threads give the same bits),
 * and the matrix products and convolutions of src/nn (by batch, rows or images). Hand-off is one
 * `Atomics.notify` on a SharedArrayBuffer, so calls stay synchronous; both sides poll the control
 * word for up to 2 ms before sleeping in `Atomics.wait`, because its wake-up (5–50 µs) would cost
 * more than a training step's half. Small calls (below `minElements`, or batches below
 * `minStepRows`) stay on the main thread.
 *
 * The hand-off runs each posted call exactly once: the worker acts only on a generation number it
 * has not run yet, never on a wake-up alone. (A wake-up can come late: the main thread stores the
 * new generation, is descheduled before its `Atomics.notify`, the worker sees the store while
 * polling, runs the call and goes to sleep — and the late notify then wakes it with nothing new.
 * Running the call again on that wake-up rewrote the second half's gradient while the main thread
 * was summing it: the nondeterminism of issue #13.) `executed` counts the worker's calls so tests
 * can check exactly-once under injected spurious wake-ups (`control`).
 *
 * Node-only (worker_threads); the worker's code is inline (`eval: true`) so it works from the
 * bundled benchmark, from dist/ and under vitest alike.
 */
import { Worker } from 'node:worker_threads';
import { makeWasmBackend, type KernelBackend } from '../kernels/backend.js';
import { wasmHeap, type WasmHeap } from '../kernels/wasm/heap.js';
import type { StepSplitter } from '../kernels/wasm/softmaxRegression.js';
import { KERNEL_EXPORT_NAMES, type KernelExports } from '../kernels/wasm/module.js';

type KernelName = keyof KernelExports;
const KERNEL_NAMES: readonly KernelName[] = KERNEL_EXPORT_NAMES;
const MAX_ARGS = 16;
/**
 * How long either side polls the control word before sleeping in `Atomics.wait` (whose wake-up
 * takes 5–50 µs here): training steps come every ~0.2 ms, so a polling worker picks each one up at once.
 */
const SPIN_MS = 2;

// control block layout (Int32 words): 0 = generation requested (−1 = quit), 1 = generation done, 2 = kernel, 3 = arg count,
// 4 = calls the worker has run; float64 args from byte 32 (16 of them), float64 result at byte 160
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl, names, spinMs } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const c = new Int32Array(ctrl, 0, 8);
const args = new Float64Array(ctrl, 32, ${MAX_ARGS});
const result = new Float64Array(ctrl, 160, 1);
let seen = 0;
for (;;) {
  const until = performance.now() + spinMs;
  while (Atomics.load(c, 0) === seen && performance.now() < until);
  // a wake-up alone is no call: sleep again until the generation really changes
  while (Atomics.load(c, 0) === seen) Atomics.wait(c, 0, seen);
  const gen = Atomics.load(c, 0);
  if (gen < 0) break;
  seen = gen;
  const a = Array.from(args.subarray(0, c[3]));
  const r = ex[names[c[2]]](...a);
  result[0] = typeof r === 'number' ? r : 0;
  Atomics.add(c, 4, 1);
  Atomics.store(c, 1, gen);
  Atomics.notify(c, 1);
}
`;

/** A running pool of the main thread + one worker on the kernels' shared memory. */
export class ParallelKernels {
  private readonly worker: Worker;
  private readonly args: Float64Array;
  private readonly result: Float64Array;
  private gen = 0;
  /** The 2-thread backend (`setKernelBackend(pool.backend)` makes it the default). */
  readonly backend: KernelBackend;
  readonly threads = 2;
  /** The control words shared with the worker (exposed so tests can inject spurious wake-ups). */
  readonly control: Int32Array;

  constructor(
    private readonly heap: WasmHeap,
    readonly minElements: number,
    minStepRows = 32,
    minWork = 1 << 17,
  ) {
    const sab = new SharedArrayBuffer(192);
    this.control = new Int32Array(sab, 0, 8);
    this.args = new Float64Array(sab, 32, MAX_ARGS);
    this.result = new Float64Array(sab, 160, 1);
    const { module, memory } = heap.kernels;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, ctrl: sab, names: KERNEL_NAMES, spinMs: SPIN_MS } });
    this.worker.unref();
    const ex = heap.kernels.exports;
    const splitter: StepSplitter = {
      minRows: minStepRows,
      start: (name, args) => this.start(name, args),
      finish: () => this.finish(),
    };
    this.backend = makeWasmBackend(
      heap,
      'wasm-2t',
      (x, y, n, c, g, s) => {
        if (n < 2 || n * c < this.minElements) return ex.softmaxCrossEntropyRows(x, y, 0, n, c, g, s);
        const half = n >> 1;
        this.start('softmaxCrossEntropyRows', [x, y, half, n, c, g, s]);
        const mine = ex.softmaxCrossEntropyRows(x, y, 0, half, c, g, s);
        return mine + this.finish();
      },
      splitter,
      { minWork, start: (name, args) => this.start(name, args), finish: () => this.finish() },
    );
  }

  /** How many calls the worker has run (each posted call exactly once). */
  get executed(): number {
    return Atomics.load(this.control, 4);
  }

  /** Posts `name(...args)` to the worker (returns at once). */
  start(name: KernelName, args: number[]): void {
    if (args.length > MAX_ARGS) throw new RangeError(`losslab parallel kernels: ${args.length} arguments, at most ${MAX_ARGS}`);
    this.args.set(args);
    this.control[2] = KERNEL_NAMES.indexOf(name);
    this.control[3] = args.length;
    this.gen++;
    Atomics.store(this.control, 0, this.gen);
    Atomics.notify(this.control, 0);
  }

  /** Waits for the worker's call to finish and returns its result. */
  finish(): number {
    const until = performance.now() + SPIN_MS;
    while (Atomics.load(this.control, 1) !== this.gen && performance.now() < until);
    for (;;) {
      const done = Atomics.load(this.control, 1);
      if (done === this.gen) return this.result[0];
      Atomics.wait(this.control, 1, done);
    }
  }

  /** Copies n float32 values src → dst (byte offsets), half on each thread (for bandwidth measurement). */
  copyF32(src: number, dst: number, n: number): void {
    const half = (n >> 1) & ~15;
    this.start('copyF32', [src + half * 4, dst + half * 4, n - half]);
    this.heap.kernels.exports.copyF32(src, dst, half);
    this.finish();
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    Atomics.store(this.control, 0, -1);
    Atomics.notify(this.control, 0);
    await this.worker.terminate();
  }
}

/**
 * Starts the 2-thread kernels, or returns null where the WebAssembly kernels cannot load.
 * `minElements` (default 131072 = 512 KiB of float32 logits) is the smallest n·c split across threads;
 * `minWork` (default 2¹⁷ multiply-adds) the smallest matrix product or convolution.
 */
export function startParallelKernels(options: { minElements?: number; minStepRows?: number; minWork?: number } = {}): ParallelKernels | null {
  const heap = wasmHeap();
  return heap ? new ParallelKernels(heap, options.minElements ?? 131072, options.minStepRows ?? 32, options.minWork ?? 1 << 17) : null;
}
