// Entry point of the losslab WebAssembly SIMD kernels (built by scripts/build-wasm.mjs into
// src/kernels/wasm/kernels.generated.ts). All pointers are byte offsets into the imported shared
// memory, which the main thread and the worker threads all see.
export { softmaxCrossEntropyRows } from './softmaxCrossEntropy';
export { linearForward, linearBackwardParams, linearBackwardInput } from './linear';
export { copyF32 } from './copy';
export { expNegInto } from './exp';
export { padLinear, unpadGradients, compressRows, fingerprint, softmaxRegressionSparse, softmaxRegressionDense } from './softmaxRegression';
export { logisticLossGrad, linearScores } from './logistic';
export { tsneBuildTree2d, tsneTreeStackBytes, tsneRepulsion2d, tsneAttraction2d, tsneNeighbors, tsneNeighborsWorkBytes } from './tsne';
export { gemm, gemmBatch, gemmScratchBytes } from './gemm';
export { convScratchBytes, conv2dForward, conv2dBackwardInput, conv2dBackwardWeight } from './conv';
export { convDirectScratchBytes, conv2dDirectForward, conv2dDirectBackwardInput, conv2dDirectBackwardWeight } from './convDirect';
export { groupNormForward, groupNormBackward } from './groupNorm';
export { reluF32, reluBackwardF32, maxPool2x2F32, maxPoolBackwardF32 } from './pool';
