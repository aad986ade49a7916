export type { DType, FloatDType, IntDType, FloatArray, AnyTypedArray, TypedArrayFor } from './dtype.js';
export { isFloatDType, maxFinite, epsilonOf } from './dtype.js';
export type { Shape } from './shape.js';
export { sizeOf, normalizeAxis, broadcastShapes } from './shape.js';
export type { NestedArray, TensorOptions, DTypeOf } from './tensor.js';
export { Tensor, tensor, fromTypedArray, zeros, ones, full, zerosLike, onesLike, arange, isTensor } from './tensor.js';
export { parseNpy, toNpy } from './npy.js';
export { RandomState, checkRandomState } from './random.js';
export type { RandomStateSnapshot } from './random.js';
