/**
 * The WebAssembly convolution kernels (assembly/conv.ts: im2col + the packed SIMD GEMM) with the
 * signatures of the reference src/kernels/conv.ts (minus its `gemm` argument). float32 arrays go
 * to the kernels (in place when they live in the WebAssembly memory, else copied); anything else
 * goes to the reference. With a `ThreadSplitter` a batch of two or more images is split in halves
 * between two threads (the weight gradient of the second half goes to its own buffer, then summed).
 */
import { conv2dBackwardInput as refInput, conv2dBackwardWeight as refWeight, conv2dForward as refForward, type Conv2dGeometry } from '../conv.js';
import { gemm as referenceGemm } from '../gemm.js';
import type { FloatBuffer } from '../linear.js';
import type { WasmHeap } from './heap.js';
import type { ThreadSplitter } from './splitter.js';
import { Staged } from './softmaxCrossEntropy.js';

function f32(...arrays: (FloatBuffer | null)[]): boolean {
  return arrays.every((a) => a === null || a instanceof Float32Array);
}

/** Writes the geometry block the kernels read (16 i32). */
function geometryBlock(heap: WasmHeap, g: Conv2dGeometry): number {
  const ptr = heap.alloc(64);
  heap.int32(ptr, 16).set([g.n, g.c, g.h, g.w, g.outC, g.kh, g.kw, g.oh, g.ow, g.strideH, g.strideW, g.padTop, g.padLeft, g.dilationH, g.dilationW, g.groups]);
  return ptr;
}

/** Which kernels convolve: `auto` (direct where `directApplies`, else im2col + GEMM), or one of them (tests, benchmarks). */
export type Conv2dAlgorithm = 'auto' | 'im2col' | 'direct';

let algorithm: Conv2dAlgorithm = 'auto';

/** Forces a convolution algorithm (`direct` still needs `directApplies`); returns the previous setting. */
export function setConv2dAlgorithm(a: Conv2dAlgorithm): Conv2dAlgorithm {
  const previous = algorithm;
  algorithm = a;
  return previous;
}

/**
 * Input taps (channels × kH × kW) up to which the direct kernels (assembly/convDirect.ts) beat
 * im2col + GEMM: with few taps the GEMM's K is short and packing the unrolled patches costs as
 * much as the products (LeNet-5's 25 and 150 taps, MNIST_CNN's first layer's 18).
 */
export const DIRECT_MAX_TAPS = 160;

/** Whether the direct kernels can run `g`: stride 1, dilation 1, one group, padding below the kernel size. */
export function directApplies(g: Conv2dGeometry): boolean {
  const padBottom = g.oh + g.kh - 1 - g.h - g.padTop;
  const padRight = g.ow + g.kw - 1 - g.w - g.padLeft;
  return (
    g.strideH === 1 &&
    g.strideW === 1 &&
    g.dilationH === 1 &&
    g.dilationW === 1 &&
    g.groups === 1 &&
    g.padTop < g.kh &&
    g.padLeft < g.kw &&
    padBottom >= 0 &&
    padBottom < g.kh &&
    padRight >= 0 &&
    padRight < g.kw
  );
}

function useDirect(g: Conv2dGeometry): boolean {
  if (algorithm === 'im2col' || !directApplies(g)) return false;
  return algorithm === 'direct' || g.c * g.kh * g.kw <= DIRECT_MAX_TAPS;
}

function macs(g: Conv2dGeometry): number {
  return g.n * g.outC * g.oh * g.ow * (g.c / g.groups) * g.kh * g.kw;
}

/** Runs `call(img0, img1, scratch, thread)` over the images, split across two threads when worth it. */
function overImages(
  heap: WasmHeap,
  g: Conv2dGeometry,
  geom: number,
  splitter: ThreadSplitter | null,
  direct: boolean,
  call: (img0: number, img1: number, scratch: number, other: boolean) => void,
): void {
  const ex = heap.kernels.exports;
  const bytes = direct ? ex.convDirectScratchBytes(geom) : ex.convScratchBytes(geom);
  const s0 = heap.alloc(bytes);
  try {
    if (splitter && g.n >= 2 && macs(g) >= splitter.minWork) {
      const s1 = heap.alloc(bytes);
      try {
        const half = g.n >> 1;
        call(half, g.n, s1, true);
        call(0, half, s0, false);
        splitter.finish();
      } finally {
        heap.release(s1);
      }
    } else {
      call(0, g.n, s0, false);
    }
  } finally {
    heap.release(s0);
  }
}

export function wasmConv2dForward(
  heap: WasmHeap,
  g: Conv2dGeometry,
  x: FloatBuffer,
  weight: FloatBuffer,
  bias: FloatBuffer | null,
  y: FloatBuffer,
  splitter: ThreadSplitter | null = null,
): void {
  if (!f32(x, weight, bias, y)) {
    refForward(referenceGemm, g, x, weight, bias, y);
    return;
  }
  const sx = new Staged(heap, x as Float32Array, g.n * g.c * g.h * g.w, true);
  const sw = new Staged(heap, weight as Float32Array, weight.length, true);
  const sb = bias ? new Staged(heap, bias as Float32Array, bias.length, true) : null;
  const ylen = g.n * g.outC * g.oh * g.ow;
  const sy = new Staged(heap, y as Float32Array, ylen, false);
  const geom = geometryBlock(heap, g);
  try {
    const ex = heap.kernels.exports;
    const direct = useDirect(g);
    const kernel = direct ? 'conv2dDirectForward' : 'conv2dForward';
    overImages(heap, g, geom, splitter, direct, (a, b, scratch, other) => {
      const args = [geom, sx.ptr, sw.ptr, sb ? sb.ptr : 0, sy.ptr, a, b, scratch];
      if (other) splitter?.start(kernel, args);
      else ex[kernel](geom, sx.ptr, sw.ptr, sb ? sb.ptr : 0, sy.ptr, a, b, scratch);
    });
    sy.copyOut(ylen);
  } finally {
    for (const s of [sx, sw, sb, sy]) s?.release();
    heap.release(geom);
  }
}

export function wasmConv2dBackwardInput(
  heap: WasmHeap,
  g: Conv2dGeometry,
  gy: FloatBuffer,
  weight: FloatBuffer,
  dx: FloatBuffer,
  splitter: ThreadSplitter | null = null,
): void {
  if (!f32(gy, weight, dx)) {
    refInput(referenceGemm, g, gy, weight, dx);
    return;
  }
  const sg = new Staged(heap, gy as Float32Array, g.n * g.outC * g.oh * g.ow, true);
  const sw = new Staged(heap, weight as Float32Array, weight.length, true);
  const xlen = g.n * g.c * g.h * g.w;
  const sx = new Staged(heap, dx as Float32Array, xlen, false);
  const geom = geometryBlock(heap, g);
  try {
    const ex = heap.kernels.exports;
    const direct = useDirect(g);
    const kernel = direct ? 'conv2dDirectBackwardInput' : 'conv2dBackwardInput';
    overImages(heap, g, geom, splitter, direct, (a, b, scratch, other) => {
      if (other) splitter?.start(kernel, [geom, sg.ptr, sw.ptr, sx.ptr, a, b, scratch]);
      else ex[kernel](geom, sg.ptr, sw.ptr, sx.ptr, a, b, scratch);
    });
    sx.copyOut(xlen);
  } finally {
    for (const s of [sg, sw, sx]) s.release();
    heap.release(geom);
  }
}

export function wasmConv2dBackwardWeight(
  heap: WasmHeap,
  g: Conv2dGeometry,
  x: FloatBuffer,
  gy: FloatBuffer,
  dw: FloatBuffer,
  splitter: ThreadSplitter | null = null,
): void {
  if (!f32(x, gy, dw)) {
    refWeight(referenceGemm, g, x, gy, dw);
    return;
  }
  const sx = new Staged(heap, x as Float32Array, g.n * g.c * g.h * g.w, true);
  const sg = new Staged(heap, gy as Float32Array, g.n * g.outC * g.oh * g.ow, true);
  const wlen = dw.length;
  const sw = new Staged(heap, dw as Float32Array, wlen, false);
  const geom = geometryBlock(heap, g);
  const second = heap.alloc(wlen * 4);
  let split = false;
  try {
    const ex = heap.kernels.exports;
    const direct = useDirect(g);
    const kernel = direct ? 'conv2dDirectBackwardWeight' : 'conv2dBackwardWeight';
    overImages(heap, g, geom, splitter, direct, (a, b, scratch, other) => {
      if (other) {
        split = true;
        splitter?.start(kernel, [geom, sx.ptr, sg.ptr, second, a, b, 0, scratch]);
      } else ex[kernel](geom, sx.ptr, sg.ptr, sw.ptr, a, b, 0, scratch);
    });
    if (split) {
      const mine = heap.float32(sw.ptr, wlen);
      const theirs = heap.float32(second, wlen);
      for (let i = 0; i < wlen; i++) mine[i] += theirs[i];
    }
    sw.copyOut(wlen);
  } finally {
    for (const s of [sx, sg, sw]) s.release();
    heap.release(geom);
    heap.release(second);
  }
}
