import { fail, formatValue } from '../../errors.js';
import { kernelBackend } from '../../kernels/backend.js';
import { erf as erfScalar } from '../../special/erf.js';
import type { DType } from '../dtype.js';
import { allocate, type FloatArray } from '../dtype.js';
import { broadcastShapes, shapesEqual, sizeOf } from '../shape.js';
import { record, Tensor } from '../tensor.js';
import { broadcastStrides, forEachRow } from './broadcast.js';
import { sumTo } from './shapeOps.js';
import type { Floatish } from './util.js';
import { floatInput, floatOperands, floats, type Operand } from './util.js';

/**
 * Elementwise operations with NumPy/PyTorch broadcasting — the gradient table of the autograd
 * primitives. Every gradient below is written with these same recorded operations, so it can be
 * differentiated again (`createGraph`); gradients of broadcast operands are summed back to the
 * operand's shape with `sumTo`.
 *
 *   op               value               ∂/∂a                       ∂/∂b
 *   add(a, b)        a + b               g                          g
 *   sub(a, b)        a − b               g                          −g
 *   mul(a, b)        a · b               g · b                      g · a
 *   div(a, b)        a / b               g / b                      −g · a / b²
 *   pow(a, b)        aᵇ                  g · b · aᵇ⁻¹               g · aᵇ · ln a
 *   neg(a)           −a                  −g
 *   exp(a)           eᵃ                  g · eᵃ
 *   log(a)           ln a                g / a
 *   log1p(a)         ln(1 + a)           g / (1 + a)
 *   sqrt(a)          √a                  g / (2√a)
 *   abs(a)           |a|                 g · sign(a)
 *   sigmoid(a)       σ(a)                g · σ(a)(1 − σ(a))
 *   tanh(a)          tanh a              g · (1 − tanh² a)
 *   erf(a)           erf a               g · 2/√π · e^(−a²)
 *   relu(a)          max(a, 0)           g · [a > 0]
 *   leakyRelu(a, s)  a or s·a            g · (a > 0 ? 1 : s)
 *   clamp(a, lo, hi) min(max(a, lo), hi) g · [lo ≤ a ≤ hi]
 *   where(c, a, b)   c ? a : b           g · [c]                    g · [¬c]
 */

type BinaryRow = (x: FloatArray, ix: number, sx: number, y: FloatArray, iy: number, sy: number, out: FloatArray, o: number, n: number) => void;

function binaryValue(fn: string, a: Tensor, b: Tensor, row: BinaryRow): Tensor {
  const shape = shapesEqual(a.shape, b.shape) ? a.shape : broadcastShapes(a.shape, b.shape, fn, ['input', 'other']);
  const out = allocate(a.dtype, sizeOf(shape)) as FloatArray;
  const x = floats(a);
  const y = floats(b);
  if (x.length === out.length && y.length === out.length) row(x, 0, 1, y, 0, 1, out, 0, out.length);
  else if (y.length === 1 && x.length === out.length) row(x, 0, 1, y, 0, 0, out, 0, out.length);
  else if (x.length === 1 && y.length === out.length) row(x, 0, 0, y, 0, 1, out, 0, out.length);
  else {
    forEachRow(shape, [broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)], (offsets, n, o, inner) =>
      row(x, offsets[0], inner[0], y, offsets[1], inner[1], out, o, n),
    );
  }
  return new Tensor(out, shape);
}

const addRow: BinaryRow = (x, ix, sx, y, iy, sy, out, o, n) => {
  for (let k = 0; k < n; k++, ix += sx, iy += sy) out[o + k] = x[ix] + y[iy];
};
const subRow: BinaryRow = (x, ix, sx, y, iy, sy, out, o, n) => {
  for (let k = 0; k < n; k++, ix += sx, iy += sy) out[o + k] = x[ix] - y[iy];
};
const mulRow: BinaryRow = (x, ix, sx, y, iy, sy, out, o, n) => {
  for (let k = 0; k < n; k++, ix += sx, iy += sy) out[o + k] = x[ix] * y[iy];
};
const divRow: BinaryRow = (x, ix, sx, y, iy, sy, out, o, n) => {
  for (let k = 0; k < n; k++, ix += sx, iy += sy) out[o + k] = x[ix] / y[iy];
};
const powRow: BinaryRow = (x, ix, sx, y, iy, sy, out, o, n) => {
  for (let k = 0; k < n; k++, ix += sx, iy += sy) out[o + k] = x[ix] ** y[iy];
};

/** `input + other` with broadcasting (`torch.add`). */
export function add<D extends DType>(input: Tensor<D> | number, other: Tensor<D> | number): Tensor<Floatish<D>>;
export function add(input: Operand, other: Operand): Tensor {
  const [a, b] = floatOperands('add', input, other);
  const out = binaryValue('add', a, b, addRow);
  return record(out, 'add', [a, b], (g) => [a.requiresGrad ? sumTo(g, a.shape) : null, b.requiresGrad ? sumTo(g, b.shape) : null], true);
}

/** `input − other` with broadcasting (`torch.sub`; a number first gives `number − tensor`). */
export function sub<D extends DType>(input: Tensor<D> | number, other: Tensor<D> | number): Tensor<Floatish<D>>;
export function sub(input: Operand, other: Operand): Tensor {
  const [a, b] = floatOperands('sub', input, other);
  const out = binaryValue('sub', a, b, subRow);
  return record(out, 'sub', [a, b], (g) => [a.requiresGrad ? sumTo(g, a.shape) : null, b.requiresGrad ? sumTo(neg(g), b.shape) : null], true);
}

/** `input · other` elementwise with broadcasting (`torch.mul`). */
export function mul<D extends DType>(input: Tensor<D> | number, other: Tensor<D> | number): Tensor<Floatish<D>>;
export function mul(input: Operand, other: Operand): Tensor {
  const [a, b] = floatOperands('mul', input, other);
  const out = binaryValue('mul', a, b, mulRow);
  return record(out, 'mul', [a, b], (g) => [a.requiresGrad ? sumTo(mul(g, b), a.shape) : null, b.requiresGrad ? sumTo(mul(g, a), b.shape) : null], true);
}

/** `input / other` elementwise with broadcasting (`torch.div`). */
export function div<D extends DType>(input: Tensor<D> | number, other: Tensor<D> | number): Tensor<Floatish<D>>;
export function div(input: Operand, other: Operand): Tensor {
  const [a, b] = floatOperands('div', input, other);
  const out = binaryValue('div', a, b, divRow);
  return record(
    out,
    'div',
    [a, b],
    (g) => [a.requiresGrad ? sumTo(div(g, b), a.shape) : null, b.requiresGrad ? sumTo(neg(div(mul(g, a), mul(b, b))), b.shape) : null],
    true,
  );
}

/**
 * `torch.pow(input, exponent)`. For a number exponent p the gradient is g · p · x^(p−1) (zero for
 * p = 0, as PyTorch); for a tensor exponent also g · xᵇ · ln x w.r.t. the exponent, with PyTorch's
 * convention that it is 0 where x = 0 and b ≥ 0.
 */
export function pow<D extends DType>(input: Tensor<D> | number, exponent: Tensor<D> | number): Tensor<Floatish<D>>;
export function pow(input: Operand, exponent: Operand): Tensor {
  const [a, b] = floatOperands('pow', input, exponent, ['input', 'exponent']);
  const out = binaryValue('pow', a, b, powRow);
  if (typeof exponent === 'number') {
    const p = exponent;
    return record(out, 'pow', [a], (g) => [p === 0 ? mul(g, 0) : mul(g, mul(pow(a, p - 1), p))], true);
  }
  return record(
    out,
    'pow',
    [a, b],
    (g) => [
      a.requiresGrad ? sumTo(mul(g, mul(b, pow(a, sub(b, 1)))), a.shape) : null,
      b.requiresGrad ? sumTo(mul(g, mul(out, logOfBase(a, b))), b.shape) : null,
    ],
    true,
  );
}

/** ln a, with 0 where a = 0 and b ≥ 0 (PyTorch's pow gradient w.r.t. the exponent). */
function logOfBase(a: Tensor, b: Tensor): Tensor {
  const l = log(a);
  const zero = binaryValue('pow', a, b, (x, ix, sx, y, iy, sy, out, o, n) => {
    for (let k = 0; k < n; k++, ix += sx, iy += sy) out[o + k] = x[ix] === 0 && y[iy] >= 0 ? 0 : 1;
  });
  return mul(l, zero);
}

// ---- unary ----

function unaryValue(x: Tensor, fn: string, f: (v: number) => number): Tensor {
  floatInput(x, fn, 'input');
  const src = floats(x);
  const out = allocate(x.dtype, x.size) as FloatArray;
  for (let i = 0; i < out.length; i++) out[i] = f(src[i]);
  return new Tensor(out, x.shape);
}

/** `−input` (`torch.neg`). */
export function neg<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>>;
export function neg(input: Tensor): Tensor {
  floatInput(input, 'neg', 'input');
  const src = floats(input);
  const out = allocate(input.dtype, input.size) as FloatArray;
  for (let i = 0; i < out.length; i++) out[i] = -src[i];
  return record(new Tensor(out, input.shape), 'neg', [input], (g) => [neg(g)], true);
}

/** `eᵃ` (`torch.exp`). */
export function exp<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>>;
export function exp(input: Tensor): Tensor {
  const out = unaryValue(input, 'exp', Math.exp);
  return record(out, 'exp', [input], (g) => [mul(g, out)], true);
}

/** Natural logarithm (`torch.log`): −∞ at 0, NaN below. */
export function log<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>>;
export function log(input: Tensor): Tensor {
  const out = unaryValue(input, 'log', Math.log);
  return record(out, 'log', [input], (g) => [div(g, input)], true);
}

/** `ln(1 + a)`, accurate for small a (`torch.log1p`). */
export function log1p<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>>;
export function log1p(input: Tensor): Tensor {
  const out = unaryValue(input, 'log1p', Math.log1p);
  return record(out, 'log1p', [input], (g) => [div(g, add(input, 1))], true);
}

/** `√a` (`torch.sqrt`). */
export function sqrt<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>>;
export function sqrt(input: Tensor): Tensor {
  const out = unaryValue(input, 'sqrt', Math.sqrt);
  return record(out, 'sqrt', [input], (g) => [div(g, mul(out, 2))], true);
}

/** `1/√a` (`torch.rsqrt`). */
export function rsqrt<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>>;
export function rsqrt(input: Tensor): Tensor {
  const out = unaryValue(input, 'rsqrt', (v) => 1 / Math.sqrt(v));
  // d/da a^(-1/2) = -½ a^(-3/2) = -½ out³
  return record(out, 'rsqrt', [input], (g) => [mul(g, mul(pow(out, 3), -0.5))], true);
}

/** The sign −1, 0 or 1 (`torch.sign`; NaN stays NaN). No gradient (zero almost everywhere). */
export function sign<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>>;
export function sign(input: Tensor): Tensor {
  return unaryValue(input, 'sign', (v) => (v > 0 ? 1 : v < 0 ? -1 : v));
}

/** `|a|` (`torch.abs`); the gradient at 0 is 0, as PyTorch's (g · sign(a)). */
export function abs<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>>;
export function abs(input: Tensor): Tensor {
  const out = unaryValue(input, 'abs', Math.abs);
  return record(out, 'abs', [input], (g) => [mul(g, sign(input.detach()))], true);
}

/** The logistic function `1 / (1 + e^(−a))` (`torch.sigmoid`), without overflow on either side. */
export function sigmoid<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>>;
export function sigmoid(input: Tensor): Tensor {
  const out = unaryValue(input, 'sigmoid', (v) => {
    if (v >= 0) return 1 / (1 + Math.exp(-v));
    const e = Math.exp(v);
    return e / (1 + e);
  });
  return record(out, 'sigmoid', [input], (g) => [mul(g, mul(out, sub(1, out)))], true);
}

/** The error function (`torch.erf`); gradient g · 2/√π · e^(−a²). */
export function erf<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>>;
export function erf(input: Tensor): Tensor {
  const out = unaryValue(input, 'erf', erfScalar);
  return record(out, 'erf', [input], (g) => [mul(g, mul(exp(neg(mul(input, input))), 2 / Math.sqrt(Math.PI)))], true);
}

/** `torch.tanh`. */
export function tanh<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>>;
export function tanh(input: Tensor): Tensor {
  const out = unaryValue(input, 'tanh', Math.tanh);
  return record(out, 'tanh', [input], (g) => [mul(g, sub(1, mul(out, out)))], true);
}

/**
 * `g` where `mask` is 1 and `g · outside` elsewhere: the gradient of relu, leakyRelu and clamp.
 * Linear in `g`, so its own gradient is the same masking.
 */
export function maskedScale(g: Tensor, mask: Uint8Array, outside: number): Tensor {
  const src = floats(g);
  const out = allocate(g.dtype, g.size) as FloatArray;
  if (outside === 0) for (let i = 0; i < out.length; i++) out[i] = mask[i] ? src[i] : 0;
  else for (let i = 0; i < out.length; i++) out[i] = mask[i] ? src[i] : src[i] * outside;
  return record(new Tensor(out, g.shape), 'maskedScale', [g], (gg) => [maskedScale(gg, mask, outside)], true);
}

/**
 * `max(a, 0)` (`torch.relu`); gradient 0 at 0, as PyTorch's threshold_backward. NaN stays NaN.
 * Both directions run in the kernel backend (src/kernels/pool.ts; WebAssembly SIMD, split over the
 * backend's threads).
 */
export function relu<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>>;
export function relu(input: Tensor): Tensor {
  floatInput(input, 'relu', 'input');
  const src = floats(input);
  const out = allocate(input.dtype, input.size) as FloatArray;
  kernelBackend().relu(src, out);
  return record(new Tensor(out, input.shape), 'relu', [input], (g) => [reluBackward(g, out)], true);
}

/**
 * 0 where the relu output is ≤ 0, g elsewhere — PyTorch's `threshold_backward(g, out, 0)`, so a NaN
 * output passes its gradient. Linear in g, so its own gradient is the same masking.
 */
function reluBackward(g: Tensor, out: FloatArray): Tensor {
  const dx = allocate(g.dtype, g.size) as FloatArray;
  kernelBackend().reluBackward(floats(g), out, dx);
  return record(new Tensor(dx, g.shape), 'reluBackward', [g], (gg) => [reluBackward(gg, out)], true);
}

/** `a` for a > 0, `negativeSlope · a` otherwise (`F.leaky_relu`, default slope 0.01). */
export function leakyRelu<D extends DType>(input: Tensor<D>, negativeSlope?: number): Tensor<Floatish<D>>;
export function leakyRelu(input: Tensor, negativeSlope = 0.01): Tensor {
  if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
    fail({ fn: 'leakyRelu', argument: 'negativeSlope', value: formatValue(negativeSlope), rule: 'it must be a finite number' });
  }
  const out = unaryValue(input, 'leakyRelu', (v) => (v > 0 ? v : v * negativeSlope));
  return record(
    out,
    'leakyRelu',
    [input],
    (g) => {
      const src = floats(input);
      const mask = new Uint8Array(src.length);
      for (let i = 0; i < mask.length; i++) mask[i] = src[i] > 0 ? 1 : 0;
      return [maskedScale(g, mask, negativeSlope)];
    },
    true,
  );
}

/**
 * `torch.clamp(input, min, max)`: each bound may be omitted (`undefined`). The gradient passes
 * where min ≤ a ≤ max (bounds included), as PyTorch's. NaN stays NaN.
 */
export function clamp<D extends DType>(input: Tensor<D>, min?: number, max?: number): Tensor<Floatish<D>>;
export function clamp(input: Tensor, min?: number, max?: number): Tensor {
  const fn = 'clamp';
  if (min === undefined && max === undefined) fail({ fn, argument: 'min', value: 'undefined', rule: 'at least one of min and max must be given' });
  for (const [name, v] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) fail({ fn, argument: name, value: formatValue(v), rule: 'it must be a number' });
  }
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  // PyTorch: min(max(a, lo), hi), so hi wins when lo > hi
  const out = unaryValue(input, fn, (v) => (v !== v ? v : Math.min(Math.max(v, lo), hi)));
  return record(
    out,
    fn,
    [input],
    (g) => {
      const src = floats(input);
      const mask = new Uint8Array(src.length);
      for (let i = 0; i < mask.length; i++) mask[i] = src[i] >= lo && src[i] <= hi ? 1 : 0;
      return [maskedScale(g, mask, 0)];
    },
    true,
  );
}

// ---- comparisons and where ----

function compare(fn: string, a0: Operand, b0: Operand, test: (x: number, y: number) => boolean): Tensor {
  const [a, b] = floatOperands(fn, a0, b0);
  const shape = broadcastShapes(a.shape, b.shape, fn, ['input', 'other']);
  const out = new Int32Array(sizeOf(shape));
  const x = floats(a);
  const y = floats(b);
  forEachRow(shape, [broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)], (offsets, n, o, inner) => {
    let ix = offsets[0];
    let iy = offsets[1];
    for (let k = 0; k < n; k++, ix += inner[0], iy += inner[1]) out[o + k] = test(x[ix], y[iy]) ? 1 : 0;
  });
  return new Tensor(out, shape);
}

/** `input > other` as an int32 tensor of 0/1 (PyTorch returns bool; losslab has no bool dtype). */
export function gt(input: Operand, other: Operand): Tensor {
  return compare('gt', input, other, (x, y) => x > y);
}
/** `input ≥ other` as 0/1 int32. */
export function ge(input: Operand, other: Operand): Tensor {
  return compare('ge', input, other, (x, y) => x >= y);
}
/** `input < other` as 0/1 int32. */
export function lt(input: Operand, other: Operand): Tensor {
  return compare('lt', input, other, (x, y) => x < y);
}
/** `input ≤ other` as 0/1 int32. */
export function le(input: Operand, other: Operand): Tensor {
  return compare('le', input, other, (x, y) => x <= y);
}
/** `input == other` as 0/1 int32. */
export function eq(input: Operand, other: Operand): Tensor {
  return compare('eq', input, other, (x, y) => x === y);
}
/** `input != other` as 0/1 int32. */
export function ne(input: Operand, other: Operand): Tensor {
  return compare('ne', input, other, (x, y) => x !== y);
}

/**
 * `torch.where(condition, input, other)`: `input` where the condition is nonzero, `other`
 * elsewhere, all three broadcast together. The condition is an int32 tensor (0/1, from `gt`, `eq`
 * …). Gradients flow to the chosen side only.
 */
export function where<D extends DType>(condition: Tensor, input: Tensor<D> | number, other: Tensor<D> | number): Tensor<Floatish<D>>;
export function where(condition: Tensor, input: Operand, other: Operand): Tensor {
  const fn = 'where';
  if (!(condition instanceof Tensor) || condition.dtype !== 'int32') {
    fail({
      fn,
      argument: 'condition',
      value: condition instanceof Tensor ? condition.dtype : typeof condition,
      rule: 'it must be an int32 tensor of 0/1 (from gt, eq, …)',
    });
  }
  const [a, b] = floatOperands(fn, input, other);
  const shape = broadcastShapes(broadcastShapes(condition.shape, a.shape, fn, ['condition', 'input']), b.shape, fn, ['input', 'other']);
  const out = allocate(a.dtype, sizeOf(shape)) as FloatArray;
  const c = condition.data as Int32Array;
  const x = floats(a);
  const y = floats(b);
  forEachRow(shape, [broadcastStrides(condition.shape, shape), broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)], (offsets, n, o, inner) => {
    let ic = offsets[0];
    let ix = offsets[1];
    let iy = offsets[2];
    for (let k = 0; k < n; k++, ic += inner[0], ix += inner[1], iy += inner[2]) out[o + k] = c[ic] !== 0 ? x[ix] : y[iy];
  });
  return record(
    new Tensor(out, shape),
    fn,
    [a, b],
    (g) => [a.requiresGrad ? sumTo(where(condition, g, 0), a.shape) : null, b.requiresGrad ? sumTo(where(condition, 0, g), b.shape) : null],
    true,
  );
}
