import type { KernelExports } from './module.js';

/**
 * Runs a kernel call on a second thread (src/node/parallel.ts): `start` posts `name(...args)` and
 * returns at once; `finish` waits for it and returns its result. The WebAssembly wrappers give the
 * other thread one half of a large call and run the other half themselves.
 */
export interface ThreadSplitter {
  /** Calls with fewer multiply-adds than this stay on one thread (the hand-off costs microseconds). */
  readonly minWork: number;
  start(name: keyof KernelExports, args: number[]): void;
  finish(): number;
}
