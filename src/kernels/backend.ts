/**
 * Chooses the implementation of the hot kernels: WebAssembly SIMD where the engine supports it,
 * the TypeScript reference otherwise. Override with the environment variable
 * `LOSSLAB_KERNELS=ts|wasm` (read once, at first use) or `setKernelBackend('ts' | 'wasm')`.
 *
 * Callers import the dispatching functions below instead of a particular implementation; they have
 * exactly the signatures of src/kernels/softmaxCrossEntropy.ts and src/kernels/linear.ts.
 */
import { fail, formatValue } from '../errors.js';
import type { Conv2dGeometry } from './conv.js';
import * as convRef from './conv.js';
import { type GemmKernel, type GemmShape, gemm as referenceGemm } from './gemm.js';
import type { GroupNormShape } from './groupNorm.js';
import * as groupNormRef from './groupNorm.js';
import type { FloatBuffer } from './linear.js';
import * as linearRef from './linear.js';
import * as logisticRef from './logistic.js';
import type { PoolShape } from './pool.js';
import * as poolRef from './pool.js';
import { softmaxCrossEntropyRows as referenceRows } from './softmaxCrossEntropy.js';
import type { SoftmaxRegressionKernel, TrainingRows } from './softmaxRegression.js';
import { wasmConv2dBackwardInput, wasmConv2dBackwardWeight, wasmConv2dForward } from './wasm/conv.js';
import { wasmGemm } from './wasm/gemm.js';
import { type WasmHeap, wasmHeap } from './wasm/heap.js';
import { wasmLinearBackwardInput, wasmLinearBackwardParams, wasmLinearForward } from './wasm/linear.js';
import { wasmLinearScores, wasmLogisticLossGrad } from './wasm/logistic.js';
import { wasmUnavailableReason } from './wasm/module.js';
import { wasmGroupNormBackward, wasmGroupNormForward, wasmMaxPool2x2, wasmMaxPoolBackward, wasmRelu, wasmReluBackward } from './wasm/nnOps.js';
import { type RowsRunner, wasmSoftmaxCrossEntropyRows } from './wasm/softmaxCrossEntropy.js';
import { type StepSplitter, wasmSoftmaxRegression } from './wasm/softmaxRegression.js';
import type { ThreadSplitter } from './wasm/splitter.js';

/**
 * Memory the kernels read and write in place: arrays in the WebAssembly memory when that backend
 * can run, ordinary typed arrays otherwise. Code above src/kernels/ allocates through here, never
 * through src/kernels/wasm/ (test/architecture/importGraph.test.ts checks it).
 */
export { blockBytes, releaseWasmArray, wasmFloat32Array, wasmHeap, wasmInt32Array } from './wasm/heap.js';
export type { ThreadSplitter } from './wasm/splitter.js';

/** One implementation of every hot kernel. */
export interface KernelBackend {
  /** `ts`, `wasm`, or a derived name such as `wasm-2t` (src/node/parallel.ts). */
  readonly name: string;
  softmaxCrossEntropyRows(
    logits: Float32Array | Float64Array,
    labels: Int32Array,
    n: number,
    c: number,
    grad: Float32Array | Float64Array | null,
    gradScale: number,
  ): number;
  linearForward(X: FloatBuffer, W: FloatBuffer, b: FloatBuffer, Y: FloatBuffer, n: number, inF: number, out: number): void;
  linearBackwardParams(X: FloatBuffer, G: FloatBuffer, dW: FloatBuffer, db: FloatBuffer, n: number, inF: number, out: number): void;
  linearBackwardInput(G: FloatBuffer, W: FloatBuffer, dX: FloatBuffer, n: number, inF: number, out: number): void;
  /** Binary logistic loss and gradient over listed rows of a float32 matrix (contract: src/kernels/logistic.ts). */
  logisticLossGrad(X: Float32Array, d: number, rows: Int32Array, y: Float32Array, w: Float32Array, b: number, grad: Float32Array): number;
  /** Linear scores X[rows]·w + b (contract: src/kernels/logistic.ts). */
  linearScores(X: Float32Array, d: number, rows: Int32Array, w: Float32Array, b: number, out: Float64Array): void;
  /** Batched matrix product, every transpose case (contract: src/kernels/gemm.ts). */
  gemm: GemmKernel;
  /** 2-D convolution and its two gradients (contract: src/kernels/conv.ts). */
  conv2dForward(g: Conv2dGeometry, x: FloatBuffer, weight: FloatBuffer, bias: FloatBuffer | null, y: FloatBuffer): void;
  conv2dBackwardInput(g: Conv2dGeometry, gy: FloatBuffer, weight: FloatBuffer, dx: FloatBuffer): void;
  conv2dBackwardWeight(g: Conv2dGeometry, x: FloatBuffer, gy: FloatBuffer, dw: FloatBuffer): void;
  /** Group norm with weight and bias, forward and backward (contract: src/kernels/groupNorm.ts). */
  groupNormForward(
    sh: GroupNormShape,
    x: FloatBuffer,
    gamma: FloatBuffer,
    beta: FloatBuffer,
    eps: number,
    y: FloatBuffer,
    mean: Float64Array,
    rstd: Float64Array,
  ): void;
  groupNormBackward(
    sh: GroupNormShape,
    x: FloatBuffer,
    g: FloatBuffer,
    gamma: FloatBuffer,
    mean: Float64Array,
    rstd: Float64Array,
    dx: FloatBuffer | null,
    sumG: Float64Array,
    sumGX: Float64Array,
  ): void;
  /** relu and its gradient, 2×2 max pooling and the max-pooling backward (contract: src/kernels/pool.ts). */
  relu(x: FloatBuffer, y: FloatBuffer): void;
  reluBackward(g: FloatBuffer, out: FloatBuffer, dx: FloatBuffer): void;
  maxPool2x2(sh: PoolShape, x: FloatBuffer, y: FloatBuffer, idx: Int32Array): void;
  maxPoolBackward(g: FloatBuffer, idx: Int32Array, dx: FloatBuffer, planes: number, hw: number, per: number): void;
  /**
   * The fused float32 training step of softmax regression on `data` with `c` classes
   * (src/kernels/softmaxRegression.ts), or null when this backend has none for it; the trainer then
   * composes the kernels above. Absent from the TypeScript reference.
   */
  softmaxRegression?(data: TrainingRows, c: number): SoftmaxRegressionKernel | null;
  /**
   * The second thread of a multi-threaded WebAssembly backend (src/node/parallel.ts), for kernels
   * that split their own work (t-SNE's neighbour search and tree walk); absent on one thread.
   */
  readonly threads?: ThreadSplitter | null;
}

/** The TypeScript reference kernels (also the float64 path of every backend). */
export const typescriptBackend: KernelBackend = {
  name: 'ts',
  softmaxCrossEntropyRows: referenceRows,
  linearForward: linearRef.linearForward,
  linearBackwardParams: linearRef.linearBackwardParams,
  linearBackwardInput: linearRef.linearBackwardInput,
  logisticLossGrad: logisticRef.logisticLossGrad,
  linearScores: logisticRef.linearScores,
  gemm: referenceGemm,
  conv2dForward: (g, x, w, b, y) => convRef.conv2dForward(referenceGemm, g, x, w, b, y),
  conv2dBackwardInput: (g, gy, w, dx) => convRef.conv2dBackwardInput(referenceGemm, g, gy, w, dx),
  conv2dBackwardWeight: (g, x, gy, dw) => convRef.conv2dBackwardWeight(referenceGemm, g, x, gy, dw),
  groupNormForward: groupNormRef.groupNormForward,
  groupNormBackward: groupNormRef.groupNormBackward,
  relu: poolRef.relu,
  reluBackward: poolRef.reluBackward,
  maxPool2x2: poolRef.maxPool2x2,
  maxPoolBackward: poolRef.maxPoolBackward,
};

/**
 * A WebAssembly backend on `heap` whose softmax + CE rows are run by `run` and whose fused
 * softmax-regression steps are split by `splitter` (one thread when they are absent).
 */
export function makeWasmBackend(
  heap: WasmHeap,
  name = 'wasm',
  run?: RowsRunner,
  splitter: StepSplitter | null = null,
  threads: ThreadSplitter | null = null,
): KernelBackend {
  const rows: RowsRunner = run ?? ((x, y, n, c, g, s) => heap.kernels.exports.softmaxCrossEntropyRows(x, y, 0, n, c, g, s));
  return {
    name,
    softmaxCrossEntropyRows: (logits, labels, n, c, grad, gradScale) => wasmSoftmaxCrossEntropyRows(heap, rows, logits, labels, n, c, grad, gradScale),
    linearForward: (X, W, b, Y, n, inF, out) => wasmLinearForward(heap, X, W, b, Y, n, inF, out),
    linearBackwardParams: (X, G, dW, db, n, inF, out) => wasmLinearBackwardParams(heap, X, G, dW, db, n, inF, out),
    linearBackwardInput: (G, W, dX, n, inF, out) => wasmLinearBackwardInput(heap, G, W, dX, n, inF, out),
    logisticLossGrad: (X, d, rows, y, w, b, grad) => wasmLogisticLossGrad(heap, X, d, rows, y, w, b, grad),
    linearScores: (X, d, rows, w, b, out) => wasmLinearScores(heap, X, d, rows, w, b, out),
    softmaxRegression: (data, c) => wasmSoftmaxRegression(heap, data, c, splitter),
    threads,
    gemm: (shape, A, B, C) => wasmGemm(heap, shape, A, B, C, threads),
    conv2dForward: (g, x, w, b, y) => wasmConv2dForward(heap, g, x, w, b, y, threads),
    conv2dBackwardInput: (g, gy, w, dx) => wasmConv2dBackwardInput(heap, g, gy, w, dx, threads),
    conv2dBackwardWeight: (g, x, gy, dw) => wasmConv2dBackwardWeight(heap, g, x, gy, dw, threads),
    groupNormForward: (sh, x, gamma, beta, eps, y, mean, rstd) => wasmGroupNormForward(heap, sh, x, gamma, beta, eps, y, mean, rstd, threads),
    groupNormBackward: (sh, x, g, gamma, mean, rstd, dx, sumG, sumGX) => wasmGroupNormBackward(heap, sh, x, g, gamma, mean, rstd, dx, sumG, sumGX, threads),
    relu: (x, y) => wasmRelu(heap, x, y, threads),
    reluBackward: (g, out, dx) => wasmReluBackward(heap, g, out, dx, threads),
    maxPool2x2: (sh, x, y, idx) => wasmMaxPool2x2(heap, sh, x, y, idx, threads),
    maxPoolBackward: (g, idx, dx, planes, hw, per) => wasmMaxPoolBackward(heap, g, idx, dx, planes, hw, per, threads),
  };
}

let wasmSingle: KernelBackend | null | undefined;

/** The single-threaded WebAssembly SIMD backend, or null where it cannot load. */
export function wasmBackend(): KernelBackend | null {
  if (wasmSingle === undefined) {
    const heap = wasmHeap();
    wasmSingle = heap ? makeWasmBackend(heap) : null;
  }
  return wasmSingle;
}

let current: KernelBackend | undefined;

function envChoice(): string | undefined {
  // read without importing node:process, so this file stays platform-free
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.LOSSLAB_KERNELS;
}

/**
 * Selects the kernels: `'wasm'` (WebAssembly SIMD; an error if unavailable), `'ts'` (the
 * TypeScript reference), `'auto'` (WebAssembly when available), or a `KernelBackend` object.
 */
export function setKernelBackend(choice: 'ts' | 'wasm' | 'auto' | KernelBackend): KernelBackend {
  if (typeof choice === 'object') {
    current = choice;
  } else if (choice === 'ts') {
    current = typescriptBackend;
  } else if (choice === 'wasm') {
    current =
      wasmBackend() ??
      fail({
        fn: 'setKernelBackend',
        argument: 'backend',
        value: '"wasm"',
        rule: `the WebAssembly SIMD kernels cannot load here (${wasmUnavailableReason})`,
        fix: "Use 'ts' or 'auto'.",
      });
  } else if (choice === 'auto') {
    current = wasmBackend() ?? typescriptBackend;
  } else {
    fail({ fn: 'setKernelBackend', argument: 'backend', value: formatValue(choice), rule: "it must be 'ts', 'wasm' or 'auto'" });
  }
  return current;
}

/** The backend in use (chosen on first call from `LOSSLAB_KERNELS`, default `auto`). */
export function kernelBackend(): KernelBackend {
  if (current) return current;
  const env = envChoice();
  if (env === undefined || env === '') return setKernelBackend('auto');
  if (env !== 'ts' && env !== 'wasm' && env !== 'auto') {
    fail({ fn: 'losslab', argument: 'LOSSLAB_KERNELS', value: formatValue(env), rule: "it must be 'ts', 'wasm' or 'auto'" });
  }
  return setKernelBackend(env);
}

/** Dispatches to `kernelBackend().softmaxCrossEntropyRows` (contract: src/kernels/softmaxCrossEntropy.ts). */
export function softmaxCrossEntropyRows(
  logits: Float32Array | Float64Array,
  labels: Int32Array,
  n: number,
  c: number,
  grad: Float32Array | Float64Array | null,
  gradScale: number,
): number {
  return kernelBackend().softmaxCrossEntropyRows(logits, labels, n, c, grad, gradScale);
}

/** Dispatches to `kernelBackend().linearForward` (contract: src/kernels/linear.ts). */
export function linearForward(X: FloatBuffer, W: FloatBuffer, b: FloatBuffer, Y: FloatBuffer, n: number, inF: number, out: number): void {
  kernelBackend().linearForward(X, W, b, Y, n, inF, out);
}

/** Dispatches to `kernelBackend().linearBackwardParams`. */
export function linearBackwardParams(X: FloatBuffer, G: FloatBuffer, dW: FloatBuffer, db: FloatBuffer, n: number, inF: number, out: number): void {
  kernelBackend().linearBackwardParams(X, G, dW, db, n, inF, out);
}

/** Dispatches to `kernelBackend().linearBackwardInput`. */
export function linearBackwardInput(G: FloatBuffer, W: FloatBuffer, dX: FloatBuffer, n: number, inF: number, out: number): void {
  kernelBackend().linearBackwardInput(G, W, dX, n, inF, out);
}

/** Dispatches to `kernelBackend().gemm` (contract: src/kernels/gemm.ts). */
export function gemm(shape: GemmShape, A: FloatBuffer, B: FloatBuffer, C: FloatBuffer): void {
  kernelBackend().gemm(shape, A, B, C);
}
