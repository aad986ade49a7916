// WebAssembly SIMD kernels: loader, heap (zero-copy arrays) and wrappers.
export { loadWasmKernels, instantiateKernels, ensureMemory, HEAP_BASE, type KernelExports, type WasmKernels } from './module.js';
export { WasmHeap, wasmHeap, wasmFloat32Array, wasmInt32Array, releaseWasmArray } from './heap.js';
export { wasmSoftmaxCrossEntropyRows, type RowsRunner } from './softmaxCrossEntropy.js';
export { wasmLinearForward, wasmLinearBackwardParams, wasmLinearBackwardInput } from './linear.js';
export { wasmSoftmaxRegression, type StepSplitter } from './softmaxRegression.js';
