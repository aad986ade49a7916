/**
 * Loads the WebAssembly SIMD kernels (bytes embedded in `kernels.generated.ts`) synchronously,
 * with one shared memory that the main thread and worker threads (src/node/parallel.ts) all use.
 * Platform-free: needs only `WebAssembly`, `atob` and `SharedArrayBuffer` (Node 20, or a browser
 * page that is cross-origin isolated). When any of them is missing, or the engine lacks
 * 128-bit SIMD, `loadWasmKernels()` returns null and losslab uses the TypeScript kernels.
 */
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from './kernels.generated.js';

/** The raw exports of the module; pointers are byte offsets into `memory`. */
export interface KernelExports {
  softmaxCrossEntropyRows(logits: number, labels: number, r0: number, r1: number, c: number, grad: number, gradScale: number): number;
  linearForward(X: number, W: number, b: number, Y: number, n: number, inF: number, out: number): void;
  linearBackwardParams(X: number, G: number, dW: number, db: number, n: number, inF: number, out: number): void;
  linearBackwardInput(G: number, W: number, dX: number, n: number, inF: number, out: number, scratch: number): void;
  gemm(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    A: number,
    lda: number,
    B: number,
    ldb: number,
    C: number,
    ldc: number,
    accumulate: number,
    scratch: number,
  ): void;
  gemmBatch(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    A: number,
    lda: number,
    strideA: number,
    B: number,
    strideB: number,
    C: number,
    strideC: number,
    accumulate: number,
    batch: number,
    scratch: number,
  ): void;
  gemmScratchBytes(): number;
  convScratchBytes(geom: number): number;
  conv2dForward(geom: number, x: number, weight: number, bias: number, y: number, img0: number, img1: number, scratch: number): void;
  conv2dBackwardInput(geom: number, gy: number, weight: number, dx: number, img0: number, img1: number, scratch: number): void;
  conv2dBackwardWeight(geom: number, x: number, gy: number, dw: number, img0: number, img1: number, accumulate: number, scratch: number): void;
  convDirectScratchBytes(geom: number): number;
  conv2dDirectForward(geom: number, x: number, weight: number, bias: number, y: number, img0: number, img1: number, scratch: number): void;
  conv2dDirectBackwardInput(geom: number, gy: number, weight: number, dx: number, img0: number, img1: number, scratch: number): void;
  conv2dDirectBackwardWeight(geom: number, x: number, gy: number, dw: number, img0: number, img1: number, accumulate: number, scratch: number): void;
  copyF32(src: number, dst: number, n: number): void;
  expNegInto(src: number, dst: number, n: number): void;
  compressRows(X: number, bytes: number, table: number, n: number, inF: number, rowPtr: number, offs: number, vals: number): number;
  fingerprint(p: number, len: number, h: bigint): bigint;
  padLinear(W: number, b: number, Wp: number, bp: number, inF: number, c: number): void;
  unpadGradients(dWp: number, dbp: number, dWp2: number, dbp2: number, dW: number, db: number, inF: number, c: number): void;
  softmaxRegressionSparse(
    rowPtr: number,
    offs: number,
    vals: number,
    order: number,
    labels: number,
    r0: number,
    r1: number,
    Wp: number,
    bp: number,
    dWp: number,
    dbp: number,
    inF: number,
    c: number,
    gradScale: number,
    z: number,
    stats: number,
  ): number;
  softmaxRegressionDense(
    X: number,
    order: number,
    labels: number,
    r0: number,
    r1: number,
    Wp: number,
    bp: number,
    dWp: number,
    dbp: number,
    inF: number,
    c: number,
    gradScale: number,
    z: number,
    stats: number,
  ): number;
  logisticLossGrad(X: number, d: number, rows: number, n: number, y: number, w: number, b: number, grad: number): number;
  linearScores(X: number, d: number, rows: number, n: number, w: number, b: number, out: number): void;
  tsneBuildTree2d(Y: number, n: number, cells: number, bounds: number, walk: number, capacity: number, stack: number): number;
  tsneTreeStackBytes(capacity: number): number;
  tsneRepulsion2d(walk: number, Y: number, order: number, t0: number, t1: number, squaredTheta: number, out: number, z: number): void;
  tsneAttraction2d(indptr: number, indices: number, data: number, Y: number, i0: number, i1: number, sumQ: number, out: number): number;
  tsneNeighbors(
    X32: number,
    X64: number,
    norms: number,
    n: number,
    d: number,
    r0: number,
    r1: number,
    k: number,
    m: number,
    outIdx: number,
    outD: number,
    work: number,
    scratch: number,
  ): void;
  tsneNeighborsWorkBytes(n: number, m: number): number;
  groupNormForward(
    x: number,
    gamma: number,
    beta: number,
    y: number,
    stats: number,
    n0: number,
    n1: number,
    c: number,
    groups: number,
    s: number,
    eps: number,
  ): void;
  groupNormBackward(
    x: number,
    g: number,
    gamma: number,
    stats: number,
    dx: number,
    sums: number,
    n0: number,
    n1: number,
    c: number,
    groups: number,
    s: number,
  ): void;
  reluF32(x: number, y: number, e0: number, e1: number): void;
  reluBackwardF32(g: number, out: number, dx: number, e0: number, e1: number): void;
  maxPool2x2F32(x: number, y: number, idx: number, p0: number, p1: number, h: number, w: number, oh: number, ow: number): void;
  maxPoolBackwardF32(g: number, idx: number, dx: number, p0: number, p1: number, hw: number, per: number): void;
}

/** Every export of the module (the worker threads of src/node/parallel.ts call them by index in this list). */
export const KERNEL_EXPORT_NAMES: readonly (keyof KernelExports)[] = [
  'softmaxCrossEntropyRows',
  'linearForward',
  'linearBackwardParams',
  'linearBackwardInput',
  'gemm',
  'gemmBatch',
  'gemmScratchBytes',
  'convScratchBytes',
  'conv2dForward',
  'conv2dBackwardInput',
  'conv2dBackwardWeight',
  'convDirectScratchBytes',
  'conv2dDirectForward',
  'conv2dDirectBackwardInput',
  'conv2dDirectBackwardWeight',
  'copyF32',
  'expNegInto',
  'compressRows',
  'fingerprint',
  'padLinear',
  'unpadGradients',
  'softmaxRegressionSparse',
  'softmaxRegressionDense',
  'logisticLossGrad',
  'linearScores',
  'tsneBuildTree2d',
  'tsneTreeStackBytes',
  'tsneRepulsion2d',
  'tsneAttraction2d',
  'tsneNeighbors',
  'tsneNeighborsWorkBytes',
  'groupNormForward',
  'groupNormBackward',
  'reluF32',
  'reluBackwardF32',
  'maxPool2x2F32',
  'maxPoolBackwardF32',
];

/** A compiled module and an instance on a shared memory. */
export interface WasmKernels {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly exports: KernelExports;
}

/** Bytes below this offset belong to the module's static data (asc puts it at 1 KiB–5 KiB). */
export const HEAP_BASE = 65536;
const PAGE = 65536;
/** 65536 pages = 4 GiB, the wasm32 limit; a shared memory must declare its maximum. */
const MAX_PAGES = 65536;
/** The most bytes the kernels' memory can grow to (4 GiB). */
export const MAX_MEMORY_BYTES = MAX_PAGES * PAGE;

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const bytes = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

function isKernelExports(x: WebAssembly.Exports): x is WebAssembly.Exports & KernelExports {
  return KERNEL_EXPORT_NAMES.every((n) => typeof x[n] === 'function');
}

/** Instantiates `module` on `memory` (used by the main thread and by worker threads alike). */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const ex = instance.exports;
  if (!isKernelExports(ex)) throw new Error('losslab kernels: the WebAssembly module lacks an expected export');
  return ex;
}

let cached: WasmKernels | null | undefined;

/** Why the last `loadWasmKernels()` returned null (for `losslab` diagnostics). */
export let wasmUnavailableReason = '';

/** Which build loaded: `'relaxed-simd'` (fused multiply-add) where the engine validates it, else `'simd'`; null before loading or when unavailable. */
export let wasmKernelsVariant: 'relaxed-simd' | 'simd' | null = null;

let relaxedAllowed = true;

/**
 * Whether the relaxed-SIMD build may be used (default true; it is used only where the engine
 * validates it). Call before the kernels first load, e.g. to compare the two builds.
 */
export function allowRelaxedSimd(allowed: boolean): void {
  relaxedAllowed = allowed;
}

/** The kernels, compiled on first use; null where WebAssembly SIMD or shared memory is unavailable. */
export function loadWasmKernels(): WasmKernels | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (typeof WebAssembly !== 'object' || typeof SharedArrayBuffer !== 'function' || typeof atob !== 'function') {
    wasmUnavailableReason = 'WebAssembly, SharedArrayBuffer or atob is missing';
    return null;
  }
  const relaxed = relaxedAllowed ? decodeBase64(KERNELS_RELAXED_WASM_BASE64) : null;
  const useRelaxed = relaxed !== null && WebAssembly.validate(relaxed);
  const bytes = useRelaxed ? relaxed : decodeBase64(KERNELS_WASM_BASE64);
  if (!WebAssembly.validate(bytes)) {
    wasmUnavailableReason = 'this engine does not support WebAssembly SIMD and threads';
    return null;
  }
  try {
    const module = new WebAssembly.Module(bytes);
    wasmKernelsVariant = useRelaxed ? 'relaxed-simd' : 'simd';
    const memory = new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES, shared: true });
    cached = { module, memory, exports: instantiateKernels(module, memory) };
  } catch (e) {
    wasmUnavailableReason = `WebAssembly kernels failed to load: ${e instanceof Error ? e.message : String(e)}`;
    cached = null;
  }
  return cached;
}

/**
 * Compiles one particular build on a fresh memory, uncached — for tests and benchmarks that compare
 * the two builds. Null where the engine does not validate it (relaxed SIMD needs Node ≥ 22 or
 * Node 20 with `--experimental-wasm-relaxed-simd`; see src/node/relaxedSimd.ts).
 */
export function compileWasmKernels(variant: 'simd' | 'relaxed-simd'): WasmKernels | null {
  if (typeof WebAssembly !== 'object' || typeof SharedArrayBuffer !== 'function') return null;
  const bytes = decodeBase64(variant === 'simd' ? KERNELS_WASM_BASE64 : KERNELS_RELAXED_WASM_BASE64);
  if (!WebAssembly.validate(bytes)) return null;
  const module = new WebAssembly.Module(bytes);
  const memory = new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES, shared: true });
  return { module, memory, exports: instantiateKernels(module, memory) };
}

/** Grows `memory` so that it holds at least `bytes` bytes. */
export function ensureMemory(memory: WebAssembly.Memory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return;
  const pages = Math.ceil((bytes - have) / PAGE);
  if (have / PAGE + pages > MAX_PAGES) throw new RangeError(`losslab kernels: ${bytes} bytes exceed WebAssembly's 4 GiB memory`);
  memory.grow(pages);
}
