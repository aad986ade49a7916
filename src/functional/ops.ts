import { fail } from '../errors.js';
import { allocate, type FloatDType } from '../tensor/dtype.js';
import { broadcastShapes, normalizeAxis, sizeOf, stridesOf, type Shape } from '../tensor/shape.js';
import { assertFloat, Tensor, record } from '../tensor/tensor.js';
import { forEachLane, laneMax } from './lanes.js';

/**
 * Elementwise autograd primitives with NumPy/PyTorch broadcasting — the gradient table from which
 * other functions can be composed, as tinygrad composes `log_softmax` as `x − logsumexp(x)` with no
 * gradient code of its own. The hand-written, fused losses are tested against compositions of these.
 *
 *   op          value              ∂/∂a                ∂/∂b
 *   add(a, b)   a + b              g                   g
 *   sub(a, b)   a − b              g                   −g
 *   mul(a, b)   a · b              g · b               g · a
 *   div(a, b)   a / b              g / b               −g · a / b²
 *   neg(a)      −a                 −g
 *   exp(a)      eᵃ                 g · eᵃ
 *   log(a)      ln a               g / a
 *   sum(a, d)   Σ_d a              g broadcast back along d
 *   mean(a, d)  Σ_d a / n          g / n broadcast back along d
 * Gradients of broadcast operands are summed back to the operand's shape.
 */

type Operand = Tensor | number;

/** A number becomes a scalar tensor of the other operand's dtype. */
function asTensor(v: Operand, like: Tensor<FloatDType>, fn: string, argument: string): Tensor<FloatDType> {
  if (typeof v === 'number') {
    const data = allocate(like.dtype, 1);
    data[0] = v;
    return new Tensor<FloatDType>(data, []);
  }
  assertFloat(v, fn, argument);
  if (v.dtype !== like.dtype) fail({ fn, argument, value: v.dtype, rule: `it must have the same dtype as the other operand (${like.dtype})` });
  return v;
}

/** Offsets into a tensor of shape `from` for every element of the broadcast shape `to` (row-major). */
function broadcastIndex(from: Shape, to: Shape): Int32Array {
  const n = sizeOf(to);
  const index = new Int32Array(n);
  const fromStrides = stridesOf(from);
  const lead = to.length - from.length;
  const strides = to.map((_, d) => (d < lead || from[d - lead] === 1 ? 0 : fromStrides[d - lead]));
  const counter = new Array<number>(to.length).fill(0);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    index[i] = offset;
    for (let d = to.length - 1; d >= 0; d--) {
      counter[d] += 1;
      offset += strides[d];
      if (counter[d] < to[d]) break;
      offset -= strides[d] * to[d];
      counter[d] = 0;
    }
  }
  return index;
}

/** Sums a gradient of the broadcast shape back onto an operand's shape. */
function sumTo(values: Float64Array, index: Int32Array, shape: Shape, dtype: FloatDType): Tensor<FloatDType> {
  const out = new Float64Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) out[index[i]] += values[i];
  const data = allocate(dtype, out.length);
  data.set(out);
  return new Tensor<FloatDType>(data, shape);
}

function binary(
  name: string,
  a0: Tensor,
  b0: Operand,
  value: (x: number, y: number) => number,
  da: (x: number, y: number, g: number) => number,
  db: (x: number, y: number, g: number) => number,
): Tensor {
  assertFloat(a0, name, 'a');
  const a = a0;
  const b = asTensor(b0, a, name, 'b');
  const shape = broadcastShapes(a.shape, b.shape, name, ['a', 'b']);
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  const out = allocate(a.dtype, ia.length);
  for (let i = 0; i < out.length; i++) out[i] = value(a.data[ia[i]], b.data[ib[i]]);
  return record(new Tensor<FloatDType>(out, shape), name, [a, b], (g) => {
    const gaValues = new Float64Array(out.length);
    const gbValues = new Float64Array(out.length);
    for (let i = 0; i < out.length; i++) {
      const x = a.data[ia[i]];
      const y = b.data[ib[i]];
      gaValues[i] = da(x, y, g.data[i]);
      gbValues[i] = db(x, y, g.data[i]);
    }
    return [sumTo(gaValues, ia, a.shape, a.dtype), sumTo(gbValues, ib, b.shape, b.dtype)];
  });
}

function unary(name: string, a: Tensor, value: (x: number) => number, derivative: (x: number, y: number) => number): Tensor {
  assertFloat(a, name, 'a');
  const out = allocate(a.dtype, a.size);
  for (let i = 0; i < out.length; i++) out[i] = value(a.data[i]);
  return record(new Tensor<FloatDType>(out, a.shape), name, [a], (g) => {
    const ga = allocate(a.dtype, a.size);
    for (let i = 0; i < ga.length; i++) ga[i] = g.data[i] * derivative(a.data[i], out[i]);
    return [new Tensor<FloatDType>(ga, a.shape)];
  });
}

/** a + b with broadcasting (`torch.add`). */
export function add(a: Tensor, b: Operand): Tensor {
  return binary(
    'add',
    a,
    b,
    (x, y) => x + y,
    (_x, _y, g) => g,
    (_x, _y, g) => g,
  );
}

/** a − b with broadcasting (`torch.sub`). */
export function sub(a: Tensor, b: Operand): Tensor {
  return binary(
    'sub',
    a,
    b,
    (x, y) => x - y,
    (_x, _y, g) => g,
    (_x, _y, g) => -g,
  );
}

/** a · b elementwise with broadcasting (`torch.mul`). */
export function mul(a: Tensor, b: Operand): Tensor {
  return binary(
    'mul',
    a,
    b,
    (x, y) => x * y,
    (_x, y, g) => g * y,
    (x, _y, g) => g * x,
  );
}

/** a / b elementwise with broadcasting (`torch.div`). */
export function div(a: Tensor, b: Operand): Tensor {
  return binary(
    'div',
    a,
    b,
    (x, y) => x / y,
    (_x, y, g) => g / y,
    (x, y, g) => (-g * x) / (y * y),
  );
}

/** −a (`torch.neg`). */
export function neg(a: Tensor): Tensor {
  return unary(
    'neg',
    a,
    (x) => -x,
    () => -1,
  );
}

/** eᵃ (`torch.exp`). */
export function exp(a: Tensor): Tensor {
  return unary('exp', a, Math.exp, (_x, y) => y);
}

/** Natural logarithm (`torch.log`): −∞ at 0, NaN below. */
export function log(a: Tensor): Tensor {
  return unary('log', a, Math.log, (x) => 1 / x);
}

function reduceAlong(name: string, a: Tensor, dim: number | undefined, keepDim: boolean, divide: boolean): Tensor {
  assertFloat(a, name, 'a');
  const whole = dim === undefined;
  const flat = whole ? new Tensor<FloatDType>(a.data, [a.size]) : a;
  const axis = whole ? 0 : normalizeAxis(dim, a.ndim, name);
  const n = flat.ndim === 0 ? 1 : flat.shape[axis];
  const outShape = whole ? (keepDim ? a.shape.map(() => 1) : []) : a.shape.flatMap((d, i) => (i === axis ? (keepDim ? [1] : []) : [d]));
  const out = allocate(a.dtype, sizeOf(outShape));
  forEachLane(flat.shape, axis, (offset, stride, size, lane) => {
    let s = 0;
    for (let k = 0; k < size; k++) s += flat.data[offset + k * stride];
    out[lane] = divide ? s / n : s;
  });
  return record(new Tensor<FloatDType>(out, outShape), name, [a], (g) => {
    const ga = allocate(a.dtype, a.size);
    forEachLane(flat.shape, axis, (offset, stride, size, lane) => {
      const v = divide ? g.data[lane] / n : g.data[lane];
      for (let k = 0; k < size; k++) ga[offset + k * stride] = v;
    });
    return [new Tensor<FloatDType>(ga, a.shape)];
  });
}

/** Sum of all elements, or along `dim` (`torch.sum(a, dim, keepdim)`), accumulated in float64. */
export function sum(a: Tensor, dim?: number, keepDim = false): Tensor {
  return reduceAlong('sum', a, dim, keepDim, false);
}

/** Mean of all elements, or along `dim` (`torch.mean`); the mean of nothing is NaN. */
export function mean(a: Tensor, dim?: number, keepDim = false): Tensor {
  return reduceAlong('mean', a, dim, keepDim, true);
}

/**
 * The maximum along `dim` with the dimension kept, as a constant (`x.amax(dim, keepdim=True).detach()`):
 * the shift of a stable logsumexp, which does not change its value and so carries no gradient.
 */
export function detachedMax(a: Tensor, dim: number): Tensor {
  assertFloat(a, 'detachedMax', 'a');
  const axis = normalizeAxis(dim, a.ndim, 'detachedMax');
  const outShape = a.shape.map((d, i) => (i === axis ? 1 : d));
  const out = allocate(a.dtype, sizeOf(outShape));
  forEachLane(a.shape, axis, (offset, stride, size, lane) => {
    out[lane] = laneMax(a.data, offset, stride, size);
  });
  return new Tensor<FloatDType>(out, outShape);
}
