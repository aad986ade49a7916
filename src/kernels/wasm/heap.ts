/**
 * Allocation inside the kernels' WebAssembly memory. Arrays allocated here are passed to the
 * WebAssembly kernels without copying (the wrappers copy any other array in and out, which costs
 * two extra passes over memory). Blocks are rounded up to a power of two (≥ 64 bytes, so every
 * block is 16-byte aligned for SIMD) and recycled by size.
 */
import { HEAP_BASE, MAX_MEMORY_BYTES, ensureMemory, loadWasmKernels, type WasmKernels } from './module.js';

/** The block `alloc(bytes)` takes: a power of two of at least 64 bytes. */
export function blockBytes(bytes: number): number {
  return Math.max(64, 2 ** Math.ceil(Math.log2(Math.max(1, bytes))));
}

export class WasmHeap {
  private top = HEAP_BASE;
  private readonly free = new Map<number, number[]>();
  private readonly sizes = new Map<number, number>();
  /** Every SharedArrayBuffer the memory has shown: growing gives a new one, and old views stay valid. */
  private readonly buffers = new WeakSet<ArrayBufferLike>();

  constructor(readonly kernels: WasmKernels) {
    this.buffers.add(kernels.memory.buffer);
  }

  /** Byte offset of a fresh block of at least `bytes` bytes. */
  alloc(bytes: number): number {
    const size = blockBytes(bytes);
    const reuse = this.free.get(size)?.pop();
    if (reuse !== undefined) {
      this.sizes.set(reuse, size);
      return reuse;
    }
    const ptr = this.top;
    ensureMemory(this.kernels.memory, ptr + size);
    this.buffers.add(this.kernels.memory.buffer);
    this.top = ptr + size;
    this.sizes.set(ptr, size);
    return ptr;
  }

  /** Bytes not yet handed out before the memory's 4 GiB limit (freed blocks, reusable by size, not counted). */
  get bytesLeft(): number {
    return MAX_MEMORY_BYTES - this.top;
  }

  /** Returns a block from `alloc` to the pool. */
  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) return;
    this.sizes.delete(ptr);
    const list = this.free.get(size);
    if (list) list.push(ptr);
    else this.free.set(size, [ptr]);
  }

  /** The current memory buffer (it is replaced, not detached, when the shared memory grows). */
  get buffer(): ArrayBufferLike {
    return this.kernels.memory.buffer;
  }

  /** True when `a` is a view of this memory, so kernels can read it in place. */
  owns(a: ArrayBufferView): boolean {
    return this.buffers.has(a.buffer);
  }

  float32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.kernels.memory.buffer, ptr, length);
  }

  int32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.kernels.memory.buffer, ptr, length);
  }
}

let heap: WasmHeap | null | undefined;

/** The process-wide heap of the WebAssembly kernels, or null where they cannot load. */
export function wasmHeap(): WasmHeap | null {
  if (heap === undefined) {
    const k = loadWasmKernels();
    heap = k ? new WasmHeap(k) : null;
  }
  return heap;
}

/**
 * A `Float32Array` of `length` zeros living in the WebAssembly memory: pass it to the kernels
 * (as logits, gradient, X, W …) and they read and write it in place, with no copy. Falls back to
 * an ordinary `Float32Array` where the WebAssembly kernels are unavailable. Like
 * `torch.empty(..., pin_memory=True)`, this is about where the data lives, not what it is.
 */
export function wasmFloat32Array(length: number): Float32Array {
  const h = wasmHeap();
  if (!h) return new Float32Array(length);
  const a = h.float32(h.alloc(length * 4), length);
  a.fill(0);
  return a;
}

/** An `Int32Array` in the WebAssembly memory (labels), like `wasmFloat32Array`. */
export function wasmInt32Array(length: number): Int32Array {
  const h = wasmHeap();
  if (!h) return new Int32Array(length);
  const a = h.int32(h.alloc(length * 4), length);
  a.fill(0);
  return a;
}

/**
 * Returns the block of an array from `wasmFloat32Array` / `wasmInt32Array` to the heap for reuse
 * (like `free`); the array, and any view of it, must not be used afterwards. Arrays that are not in
 * the WebAssembly memory are ignored. Blocks that are never released stay allocated until the
 * process (or page) ends.
 */
export function releaseWasmArray(a: Float32Array | Int32Array): void {
  const h = wasmHeap();
  if (h?.owns(a)) h.release(a.byteOffset);
}
