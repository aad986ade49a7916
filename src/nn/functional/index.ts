// torch.nn.functional in camelCase (the tensor-level ones — linear, matmul, relu, … — are in src/tensor/ops).
export { conv2d, conv2dGeometry, conv2dInputGrad, conv2dWeightGrad } from './conv.js';
export type { Conv2dOptions } from './conv.js';
export { maxPool2d, maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d } from './pooling.js';
export type { PoolOptions, MaxPool2dOptions, AvgPool2dOptions } from './pooling.js';
export { batchNorm, groupNorm, layerNorm } from './normalization.js';
export type { BatchNormOptions as BatchNormFunctionalOptions } from './normalization.js';
export { gelu, dropout, gradientReversal } from './activation.js';
export type { Pair } from './args.js';
