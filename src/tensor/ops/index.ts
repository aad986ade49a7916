// The differentiable tensor operations (torch.* names in camelCase).
export type { Operand, Floatish } from './util.js';
export {
  add,
  sub,
  mul,
  div,
  pow,
  neg,
  exp,
  log,
  log1p,
  sqrt,
  rsqrt,
  sign,
  abs,
  sigmoid,
  tanh,
  erf,
  relu,
  leakyRelu,
  clamp,
  where,
  gt,
  ge,
  lt,
  le,
  eq,
  ne,
} from './elementwise.js';
export { reshape, flatten, unsqueeze, squeeze, permute, transpose, broadcastTo, sumTo } from './shapeOps.js';
export { slice, narrow, select, indexSelect, gather, scatterAdd, cat, stack, split, chunk } from './indexing.js';
export { sum, mean, variance, std, max, min, amax, amin, argmax, argmin } from './reduce.js';
export type { Dims, VarOptions, ValuesIndices } from './reduce.js';
export { mm, bmm, matmul, mmT, linear } from './matmul.js';
