/**
 * A second thread for the column sorts of the DuckDB scan: while the main thread reads the next
 * batch of columns from DuckDB and compares the last sorted batch, one worker thread radix-sorts
 * (`src/shift/radixSort.ts`, the same functions, so the same order bit for bit). Columns travel as
 * transferred ArrayBuffers (no copies); the worker keeps its scratch arrays between columns, and
 * the caller hands buffers back for reuse (`release`), because fresh arrays of millions of values
 * cost page faults — most of the scan's system time.
 *
 * The worker's code is inline (`eval: true`, built from the sort functions' own source), so it runs
 * the same from dist/, from the bundled benchmark and under vitest.
 */
import { Worker } from 'node:worker_threads';
import { prefixSums, SMALL, sortedFloat32, sortFloat64 } from '../../shift/radixSort.js';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const SMALL = ${SMALL};
${prefixSums.toString()}
${sortFloat64.toString()}
${sortedFloat32.toString()}
let scratch64 = new Float64Array(0);
let scratch32 = new Uint32Array(0);
parentPort.on('message', (m) => {
  try {
    if (m.float32) {
      if (scratch32.length < 2 * m.length) scratch32 = new Uint32Array(2 * m.length);
      sortedFloat32(new Float32Array(m.values, 0, m.length), scratch32, new Float64Array(m.out, 0, m.length));
    } else {
      if (scratch64.length < m.length) scratch64 = new Float64Array(m.length);
      sortFloat64(new Float64Array(m.values, 0, m.length), scratch64);
    }
    parentPort.postMessage({ id: m.id, values: m.values, out: m.out }, m.out ? [m.values, m.out] : [m.values]);
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: String(error && error.stack || error) });
  }
});
`;

interface Reply {
  readonly id: number;
  readonly values?: ArrayBuffer;
  readonly out?: ArrayBuffer;
  readonly error?: string;
}

/** Reusable ArrayBuffers by size (a column of each side has the same size in every batch). */
class BufferStore {
  private readonly free: ArrayBuffer[] = [];

  take(bytes: number): ArrayBuffer {
    const k = this.free.findIndex((b) => b.byteLength === bytes);
    return k >= 0 ? (this.free.splice(k, 1)[0] as ArrayBuffer) : new ArrayBuffer(bytes);
  }

  give(buffer: ArrayBuffer): void {
    // Keep a few: two batches of columns are in flight at most.
    if (this.free.length < 64) this.free.push(buffer);
  }
}

/**
 * Sorts columns of non-missing float values on a worker thread, or on this thread when
 * `threads` is 0 (small scans, where starting a worker costs more than it saves).
 */
export class SortPool {
  private readonly worker?: Worker;
  private readonly waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private readonly buffers = new BufferStore();
  private scratch64 = new Float64Array(0);
  private scratch32 = new Uint32Array(0);

  constructor(threads: 0 | 1) {
    if (threads === 0) return;
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.on('message', (reply: Reply) => {
      const pending = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (!pending) return;
      if (reply.error !== undefined) pending.reject(new Error(`column sort failed: ${reply.error}`));
      else pending.resolve(reply);
    });
    this.worker.on('error', (error) => {
      for (const p of this.waiting.values()) p.reject(error);
      this.waiting.clear();
    });
  }

  /** A buffer for `length` values of a column (4 bytes each when `float32`, else 8), reused when one is free. */
  allocate(length: number, float32: boolean): Float32Array | Float64Array {
    const bytes = Math.max(1, length) * (float32 ? 4 : 8);
    return float32 ? new Float32Array(this.buffers.take(bytes), 0, length) : new Float64Array(this.buffers.take(bytes), 0, length);
  }

  /**
   * The first `filled` values of `values` (from `allocate`), sorted ascending as float64. The
   * caller must not touch `values` afterwards; it passes the result to `release` when done.
   */
  async sort(values: Float32Array | Float64Array, filled: number): Promise<Float64Array> {
    const float32 = values instanceof Float32Array;
    if (!this.worker) {
      if (float32) {
        if (this.scratch32.length < 2 * filled) this.scratch32 = new Uint32Array(2 * filled);
        const out = new Float64Array(this.buffers.take(Math.max(1, values.length) * 8), 0, filled);
        const sorted = sortedFloat32(values.subarray(0, filled) as Float32Array, this.scratch32, out);
        this.buffers.give(values.buffer as ArrayBuffer);
        return sorted;
      }
      if (this.scratch64.length < filled) this.scratch64 = new Float64Array(filled);
      return sortFloat64(values.subarray(0, filled) as Float64Array, this.scratch64);
    }
    const id = this.nextId++;
    const out = float32 ? this.buffers.take(Math.max(1, values.length) * 8) : undefined;
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const transfer = [values.buffer as ArrayBuffer, ...(out ? [out] : [])];
      this.worker?.postMessage({ id, float32, values: values.buffer, out, length: filled }, transfer);
    });
    if (float32) {
      this.buffers.give(reply.values as ArrayBuffer);
      return new Float64Array(reply.out as ArrayBuffer, 0, filled);
    }
    return new Float64Array(reply.values as ArrayBuffer, 0, filled);
  }

  /** Hands a sorted column's buffer back for the next batch. */
  release(sorted: Float64Array): void {
    this.buffers.give(sorted.buffer as ArrayBuffer);
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}
