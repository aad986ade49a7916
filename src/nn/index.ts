// src/nn: modules, layers, initialisation and the functional forms of torch.nn.
export { Module } from './module.js';
export type { StateDict, LoadStateDictResult } from './module.js';
export { Parameter } from './parameter.js';
export { Sequential, ModuleList } from './containers.js';
export { Linear } from './layers/linear.js';
export type { LinearOptions } from './layers/linear.js';
export { Conv2d } from './layers/conv.js';
export type { Conv2dLayerOptions } from './layers/conv.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from './layers/pooling.js';
export { ReLU, LeakyReLU, GELU, Tanh, Sigmoid, Identity, Flatten, Dropout, GradientReversal } from './layers/activation.js';
export { BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm } from './layers/normalization.js';
export type { BatchNormOptions } from './layers/normalization.js';
export type { LayerOptions } from './layers/common.js';
export * as init from './init.js';
export { manualSeed, defaultGenerator } from './generator.js';
export * from './functional/index.js';
export { saveSafetensors, loadSafetensors } from './safetensors.js';
export type { SafetensorsContents, SafetensorsDType } from './safetensors.js';
