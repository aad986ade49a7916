import { fail, formatShape } from '../../errors.js';
import { allocate, isFloatDType, type DType, type FloatArray, type FloatDType } from '../dtype.js';
import { sizeOf, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';

/** The dtype of a float operation's result: the input's when it is a float dtype (an int32 input is refused at run time). */
export type Floatish<D extends DType> = D extends FloatDType ? D : FloatDType;

/** A tensor or a plain number (a number takes the other operand's dtype, like a Python scalar in PyTorch). */
export type Operand = Tensor | number;

/** A fresh float tensor of `shape`, zero-filled. */
export function emptyFloat(dtype: FloatDType, shape: Shape): Tensor {
  return new Tensor(allocate(dtype, sizeOf(shape)), shape);
}

/** Checks that `t` is a float tensor, naming the function and argument when it is not. */
export function floatInput(t: Tensor, fn: string, argument: string): FloatDType {
  if (!(t instanceof Tensor)) fail({ fn, argument, value: typeof t, rule: 'it must be a Tensor' });
  if (!isFloatDType(t.dtype)) fail({ fn, argument, value: t.dtype, rule: 'it must be float32 or float64' });
  return t.dtype;
}

/** The float data of a tensor already checked by `floatInput`. */
export function floats(t: Tensor): FloatArray {
  return t.data as FloatArray;
}

/** A scalar tensor of `dtype` holding `v`. */
export function scalarTensor(v: number, dtype: FloatDType): Tensor {
  const data = allocate(dtype, 1);
  data[0] = v;
  return new Tensor(data, []);
}

/** Both operands as float tensors of one dtype (at least one must be a tensor). */
export function floatOperands(fn: string, a: Operand, b: Operand, names: [string, string] = ['input', 'other']): [Tensor, Tensor] {
  if (typeof a === 'number' && typeof b === 'number') fail({ fn, argument: names[0], value: String(a), rule: 'at least one operand must be a Tensor' });
  const dtype = typeof a === 'number' ? floatInput(b as Tensor, fn, names[1]) : floatInput(a, fn, names[0]);
  const ta = typeof a === 'number' ? scalarTensor(a, dtype) : a;
  const tb = typeof b === 'number' ? scalarTensor(b, dtype) : b;
  if (typeof b !== 'number') floatInput(tb, fn, names[1]);
  if (ta.dtype !== tb.dtype) {
    fail({
      fn,
      argument: names[1],
      value: tb.dtype,
      rule: `it must have the same dtype as '${names[0]}' (${ta.dtype}); losslab does not promote dtypes`,
      fix: "Convert one with .to('float32') or .to('float64').",
    });
  }
  return [ta, tb];
}

/** Checks an integer index tensor (int32). */
export function indexInput(t: Tensor, fn: string, argument: string): Int32Array {
  if (!(t instanceof Tensor) || t.dtype !== 'int32') {
    fail({ fn, argument, value: t instanceof Tensor ? t.dtype : typeof t, rule: 'indices must be an int32 tensor', fix: "Convert with .to('int32')." });
  }
  return t.data as Int32Array;
}

/** Resolves a list of dimensions (negative counts from the end), rejecting repeats. */
export function normalizeDims(dims: number | readonly number[] | undefined, ndim: number, fn: string): number[] {
  if (dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : [...dims];
  const rank = Math.max(ndim, 1);
  const out = list.map((d) => {
    if (!Number.isInteger(d) || d < -rank || d >= rank) {
      fail({ fn, argument: 'dim', value: String(d), rule: `it must be an integer in [${-rank}, ${rank - 1}] for a tensor with ${ndim} dimensions` });
    }
    return d < 0 ? d + rank : d;
  });
  if (new Set(out).size !== out.length) fail({ fn, argument: 'dim', value: `[${list.join(', ')}]`, rule: 'a dimension may appear only once' });
  return ndim === 0 ? [] : out.sort((x, y) => x - y);
}

export function describe(t: Tensor): string {
  return `a ${t.dtype} tensor of shape ${formatShape(t.shape)}`;
}
