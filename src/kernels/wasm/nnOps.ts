/**
 * The WebAssembly kernels of the nn layers' per-element work (assembly/groupNorm.ts,
 * assembly/pool.ts) with the signatures of the references src/kernels/groupNorm.ts and
 * src/kernels/pool.ts. float32 arrays go to the kernels — in place when they live in the
 * WebAssembly memory, else copied in once and the outputs copied out once; anything else goes to the
 * reference. With a `ThreadSplitter` each call is split in two halves — by samples (group norm), by
 * image planes (pooling) or by elements (relu) — that share no sums, so 1 and 2 threads give the
 * same bits.
 */

import type { GroupNormShape } from '../groupNorm.js';
import * as ref from '../groupNorm.js';
import type { FloatBuffer } from '../linear.js';
import type { PoolShape } from '../pool.js';
import * as pool from '../pool.js';
import type { WasmHeap } from './heap.js';
import type { KernelExports } from './module.js';
import { Staged } from './softmaxCrossEntropy.js';
import type { ThreadSplitter } from './splitter.js';

type Range = (lo: number, hi: number) => number[];

/**
 * Runs `name(...args(lo, hi))` over [0, total): [half, total) on the other thread and [0, half) here
 * when a splitter is given and `work` reaches its threshold; `align` rounds the split point.
 */
function overRange(heap: WasmHeap, name: keyof KernelExports, total: number, work: number, splitter: ThreadSplitter | null, args: Range, align = 1): void {
  const call = heap.kernels.exports[name] as (...a: number[]) => unknown;
  const half = Math.floor(total / 2 / align) * align;
  if (splitter && half > 0 && work >= splitter.minWork) {
    splitter.start(name, args(half, total));
    call(...args(0, half));
    splitter.finish();
  } else {
    call(...args(0, total));
  }
}

function allF32(...arrays: (FloatBuffer | null)[]): boolean {
  return arrays.every((a) => a === null || a instanceof Float32Array);
}

/** Group norm forward (contract: src/kernels/groupNorm.ts); split by samples. */
export function wasmGroupNormForward(
  heap: WasmHeap,
  sh: GroupNormShape,
  x: FloatBuffer,
  gamma: FloatBuffer,
  beta: FloatBuffer,
  eps: number,
  y: FloatBuffer,
  mean: Float64Array,
  rstd: Float64Array,
  splitter: ThreadSplitter | null = null,
): void {
  if (!allF32(x, gamma, beta, y) || sh.c % sh.groups !== 0) {
    ref.groupNormForward(sh, x, gamma, beta, eps, y, mean, rstd);
    return;
  }
  const { n, c, groups, s } = sh;
  const len = n * c * s;
  const sx = new Staged(heap, x as Float32Array, len, true);
  const sg = new Staged(heap, gamma as Float32Array, c, true);
  const sb = new Staged(heap, beta as Float32Array, c, true);
  const sy = new Staged(heap, y as Float32Array, len, false);
  const stats = heap.alloc(n * groups * 16);
  try {
    // 5 passes' worth of float64 work per element (two sums, the affine map): weigh like multiply-adds
    overRange(heap, 'groupNormForward', n, 4 * len, splitter, (lo, hi) => [sx.ptr, sg.ptr, sb.ptr, sy.ptr, stats, lo, hi, c, groups, s, eps]);
    sy.copyOut(len);
    const st = new Float64Array(heap.buffer, stats, 2 * n * groups);
    for (let i = 0; i < n * groups; i++) {
      mean[i] = st[2 * i];
      rstd[i] = st[2 * i + 1];
    }
  } finally {
    for (const b of [sx, sg, sb, sy]) b.release();
    heap.release(stats);
  }
}

/** Group norm backward (contract: src/kernels/groupNorm.ts); split by samples. */
export function wasmGroupNormBackward(
  heap: WasmHeap,
  sh: GroupNormShape,
  x: FloatBuffer,
  g: FloatBuffer,
  gamma: FloatBuffer,
  mean: Float64Array,
  rstd: Float64Array,
  dx: FloatBuffer | null,
  sumG: Float64Array,
  sumGX: Float64Array,
  splitter: ThreadSplitter | null = null,
): void {
  if (!allF32(x, g, gamma, dx) || sh.c % sh.groups !== 0) {
    ref.groupNormBackward(sh, x, g, gamma, mean, rstd, dx, sumG, sumGX);
    return;
  }
  const { n, c, groups, s } = sh;
  const len = n * c * s;
  const sx = new Staged(heap, x as Float32Array, len, true);
  const sgr = new Staged(heap, g as Float32Array, len, true);
  const sga = new Staged(heap, gamma as Float32Array, c, true);
  const sd = dx ? new Staged(heap, dx as Float32Array, len, false) : null;
  const stats = heap.alloc(n * groups * 16);
  const sums = heap.alloc(n * c * 16);
  try {
    const st = new Float64Array(heap.buffer, stats, 2 * n * groups);
    for (let i = 0; i < n * groups; i++) {
      st[2 * i] = mean[i];
      st[2 * i + 1] = rstd[i];
    }
    overRange(heap, 'groupNormBackward', n, 4 * len, splitter, (lo, hi) => [sx.ptr, sgr.ptr, sga.ptr, stats, sd ? sd.ptr : 0, sums, lo, hi, c, groups, s]);
    sd?.copyOut(len);
    const su = new Float64Array(heap.buffer, sums, 2 * n * c);
    for (let i = 0; i < n * c; i++) {
      sumG[i] = su[2 * i];
      sumGX[i] = su[2 * i + 1];
    }
  } finally {
    for (const b of [sx, sgr, sga, sd]) b?.release();
    heap.release(stats);
    heap.release(sums);
  }
}

/** relu (contract: src/kernels/pool.ts); split by elements (multiples of 4). */
export function wasmRelu(heap: WasmHeap, x: FloatBuffer, y: FloatBuffer, splitter: ThreadSplitter | null = null): void {
  if (!allF32(x, y)) {
    pool.relu(x, y);
    return;
  }
  const len = x.length;
  const sx = new Staged(heap, x as Float32Array, len, true);
  const sy = new Staged(heap, y as Float32Array, len, false);
  try {
    overRange(heap, 'reluF32', len, len, splitter, (lo, hi) => [sx.ptr, sy.ptr, lo, hi], 4);
    sy.copyOut(len);
  } finally {
    sx.release();
    sy.release();
  }
}

/** relu's gradient (contract: src/kernels/pool.ts); split by elements. */
export function wasmReluBackward(heap: WasmHeap, g: FloatBuffer, out: FloatBuffer, dx: FloatBuffer, splitter: ThreadSplitter | null = null): void {
  if (!allF32(g, out, dx)) {
    pool.reluBackward(g, out, dx);
    return;
  }
  const len = dx.length;
  const sg = new Staged(heap, g as Float32Array, len, true);
  const so = new Staged(heap, out as Float32Array, len, true);
  const sd = new Staged(heap, dx as Float32Array, len, false);
  try {
    overRange(heap, 'reluBackwardF32', len, len, splitter, (lo, hi) => [sg.ptr, so.ptr, sd.ptr, lo, hi], 4);
    sd.copyOut(len);
  } finally {
    for (const b of [sg, so, sd]) b.release();
  }
}

/** 2×2 / stride 2 max pooling (contract: src/kernels/pool.ts); split by planes. */
export function wasmMaxPool2x2(heap: WasmHeap, sh: PoolShape, x: FloatBuffer, y: FloatBuffer, idx: Int32Array, splitter: ThreadSplitter | null = null): void {
  if (!allF32(x, y)) {
    pool.maxPool2x2(sh, x, y, idx);
    return;
  }
  const { planes, h, w, oh, ow } = sh;
  const sx = new Staged(heap, x as Float32Array, planes * h * w, true);
  const sy = new Staged(heap, y as Float32Array, planes * oh * ow, false);
  const si = new Staged(heap, idx, planes * oh * ow, false);
  try {
    overRange(heap, 'maxPool2x2F32', planes, planes * h * w, splitter, (lo, hi) => [sx.ptr, sy.ptr, si.ptr, lo, hi, h, w, oh, ow]);
    sy.copyOut(planes * oh * ow);
    si.copyOut(planes * oh * ow);
  } finally {
    for (const b of [sx, sy, si]) b.release();
  }
}

/** The max-pooling backward (contract: src/kernels/pool.ts); split by planes. */
export function wasmMaxPoolBackward(
  heap: WasmHeap,
  g: FloatBuffer,
  idx: Int32Array,
  dx: FloatBuffer,
  planes: number,
  hw: number,
  per: number,
  splitter: ThreadSplitter | null = null,
): void {
  if (!allF32(g, dx)) {
    pool.maxPoolBackward(g, idx, dx, planes, hw, per);
    return;
  }
  const sg = new Staged(heap, g as Float32Array, planes * per, true);
  const si = new Staged(heap, idx, planes * per, true);
  const sd = new Staged(heap, dx as Float32Array, planes * hw, false);
  try {
    overRange(heap, 'maxPoolBackwardF32', planes, planes * hw, splitter, (lo, hi) => [sg.ptr, si.ptr, sd.ptr, lo, hi, hw, per]);
    sd.copyOut(planes * hw);
  } finally {
    for (const b of [sg, si, sd]) b.release();
  }
}
