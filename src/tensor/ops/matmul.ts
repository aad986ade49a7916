import { fail, formatShape } from '../../errors.js';
import { gemm } from '../../kernels/backend.js';
import type { FloatArray } from '../dtype.js';
import { allocate } from '../dtype.js';
import { broadcastShapes, sizeOf } from '../shape.js';
import type { DType } from '../dtype.js';
import { markFresh, record, Tensor } from '../tensor.js';
import type { Floatish } from './util.js';
import { sum } from './reduce.js';
import { broadcastTo } from './shapeOps.js';
import { describe, floatInput } from './util.js';

/**
 * Matrix products: `mm` with transposed operands (the primitive), `matmul` with PyTorch's rules
 * for 1-D and batched operands, and `linear`. The gradient of a product is two products of the
 * same kind, so it is differentiable any number of times:
 *
 *   C = op(A)·op(B)    NN: dA = G·Bᵀ, dB = Aᵀ·G     NT (C = A·Bᵀ): dA = G·B, dB = Gᵀ·A
 *                      TN (C = Aᵀ·B): dA = B·Gᵀ, dB = A·G     TT: dA = Bᵀ·Gᵀ, dB = Gᵀ·Aᵀ
 */

function sameDType(fn: string, a: Tensor, b: Tensor, names: [string, string]): void {
  floatInput(a, fn, names[0]);
  floatInput(b, fn, names[1]);
  if (a.dtype !== b.dtype) fail({ fn, argument: names[1], value: b.dtype, rule: `it must have the same dtype as '${names[0]}' (${a.dtype})` });
}

/**
 * op(a)·op(b) for 2-D operands, or batch by batch for 3-D ones `[B, ·, ·]` (same B), where op
 * transposes the last two dimensions when the flag is set — without copying.
 */
export function mmT<D extends DType>(a: Tensor<D>, b: Tensor<D>, transA?: boolean, transB?: boolean): Tensor<Floatish<D>>;
export function mmT(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  const fn = 'matmul';
  sameDType(fn, a, b, ['input', 'other']);
  const batched = a.ndim === 3;
  if (!((a.ndim === 2 && b.ndim === 2) || (batched && b.ndim === 3 && a.shape[0] === b.shape[0]))) {
    fail({
      fn,
      argument: 'other',
      value: describe(b),
      rule: `it must be 2-D like the input, or 3-D with the input's batch size (input: ${formatShape(a.shape)})`,
    });
  }
  const batch = batched ? a.shape[0] : 1;
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const kb = transB ? bc : br;
  const n = transB ? br : bc;
  if (k !== kb) {
    fail({
      fn,
      argument: 'other',
      value: describe(b),
      rule: `its rows must match the input's columns: (${m}×${k}) · (${kb}×${n}) cannot be multiplied (input ${formatShape(a.shape)}${transA || transB ? ', with transposes' : ''})`,
    });
  }
  const shape = batched ? [batch, m, n] : [m, n];
  const out = allocate(a.dtype, sizeOf(shape)) as FloatArray;
  gemm({ batch, m, n, k, transA, transB, strideA: m * k, strideB: k * n, accumulate: false }, a.data as FloatArray, b.data as FloatArray, out);
  return record(
    new Tensor(out, shape),
    fn,
    [a, b],
    (g) => {
      let da: Tensor | null = null;
      let db: Tensor | null = null;
      if (a.requiresGrad) {
        if (!transA) da = transB ? mmT(g, b, false, false) : mmT(g, b, false, true);
        else da = transB ? mmT(b, g, true, true) : mmT(b, g, false, true);
      }
      if (b.requiresGrad) {
        if (!transB) db = transA ? mmT(a, g, false, false) : mmT(a, g, true, false);
        else db = transA ? mmT(g, a, true, true) : mmT(g, a, true, false);
      }
      return [da, db];
    },
    true,
  );
}

/** `torch.mm(a, b)`: 2-D only. */
export function mm<D extends DType>(a: Tensor<D>, b: Tensor<D>): Tensor<Floatish<D>>;
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2 || b.ndim !== 2)
    fail({ fn: 'mm', argument: a.ndim !== 2 ? 'input' : 'mat2', value: describe(a.ndim !== 2 ? a : b), rule: 'it must be 2-D (use matmul for other ranks)' });
  return mmT(a, b);
}

/** `torch.bmm(a, b)`: `[B, n, k] · [B, k, m]`. */
export function bmm<D extends DType>(a: Tensor<D>, b: Tensor<D>): Tensor<Floatish<D>>;
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3 || b.ndim !== 3)
    fail({ fn: 'bmm', argument: a.ndim !== 3 ? 'input' : 'mat2', value: describe(a.ndim !== 3 ? a : b), rule: 'it must be 3-D' });
  return mmT(a, b);
}

/**
 * `torch.matmul(a, b)` with PyTorch's rules: 1-D·1-D is a dot product; a 1-D first operand gets a
 * leading 1 (removed after), a 1-D second one a trailing 1; otherwise the last two dimensions are
 * multiplied and the batch dimensions broadcast.
 */
export function matmul<D extends DType>(a: Tensor<D>, b: Tensor<D>): Tensor<Floatish<D>>;
export function matmul(a: Tensor, b: Tensor): Tensor {
  const fn = 'matmul';
  sameDType(fn, a, b, ['input', 'other']);
  if (a.ndim === 0 || b.ndim === 0)
    fail({ fn, argument: a.ndim === 0 ? 'input' : 'other', value: 'a scalar', rule: 'both operands need at least one dimension' });
  if (a.ndim === 1 && b.ndim === 1) {
    if (a.shape[0] !== b.shape[0])
      fail({ fn, argument: 'other', value: describe(b), rule: `a dot product needs vectors of one length (input has ${a.shape[0]})` });
    return mmT(a.reshape(1, -1), b.reshape(-1, 1)).reshape();
  }
  if (a.ndim === 1) {
    const r = matmul(a.reshape(1, a.shape[0]), b);
    return r.reshape(...r.shape.slice(0, -2), r.shape[r.ndim - 1]);
  }
  if (b.ndim === 1) {
    const r = matmul(a, b.reshape(b.shape[0], 1));
    return r.reshape(...r.shape.slice(0, -1));
  }
  if (a.ndim === 2 && b.ndim === 2) return mmT(a, b);
  const [m, k] = a.shape.slice(-2);
  if (b.ndim === 2) {
    // fold the batch into the rows: [..., m, k] · [k, n]
    const r = mmT(a.reshape(-1, k), b);
    return r.reshape(...a.shape.slice(0, -1), b.shape[1]);
  }
  const batchShape = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), fn, ['input', 'other']);
  const [kb, n] = b.shape.slice(-2);
  if (k !== kb) fail({ fn, argument: 'other', value: describe(b), rule: `its rows (${kb}) must match the input's columns (${k})` });
  const batch = sizeOf(batchShape);
  const a3 = broadcastTo(a, [...batchShape, m, k]).reshape(batch, m, k);
  const b3 = broadcastTo(b, [...batchShape, k, n]).reshape(batch, k, n);
  return mmT(a3, b3).reshape(...batchShape, m, n);
}

/**
 * `F.linear(input, weight, bias)`: `input · weightᵀ + bias` with `weight` `[out, in]` as in
 * PyTorch and `input` `[..., in]`. Gradients: input `G·W`, weight `Gᵀ·X`, bias the sum of G's rows.
 */
export function linear<D extends DType>(input: Tensor<D>, weight: Tensor<D>, bias?: Tensor<D> | null): Tensor<Floatish<D>>;
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const fn = 'linear';
  sameDType(fn, input, weight, ['input', 'weight']);
  if (weight.ndim !== 2) fail({ fn, argument: 'weight', value: describe(weight), rule: 'it must be 2-D: [outFeatures, inFeatures]' });
  const [outF, inF] = weight.shape;
  if (input.ndim === 0 || input.shape[input.ndim - 1] !== inF) {
    fail({
      fn,
      argument: 'input',
      value: describe(input),
      rule: `its last dimension must be weight's inFeatures ${inF} (weight ${formatShape(weight.shape)})`,
    });
  }
  if (bias) {
    sameDType(fn, input, bias, ['input', 'bias']);
    if (bias.ndim !== 1 || bias.shape[0] !== outF) fail({ fn, argument: 'bias', value: describe(bias), rule: `it must have shape [${outF}]` });
  }
  const rows = input.size / Math.max(inF, 1);
  const shape = [...input.shape.slice(0, -1), outF];
  const out = allocate(input.dtype, rows * outF) as FloatArray;
  if (bias) for (let r = 0; r < rows; r++) out.set(bias.data as FloatArray, r * outF);
  gemm(
    { batch: 1, m: rows, n: outF, k: inF, transA: false, transB: true, strideA: 0, strideB: 0, accumulate: bias != null },
    input.data as FloatArray,
    weight.data as FloatArray,
    out,
  );
  const inputs = bias ? [input, weight, bias] : [input, weight];
  const gradients = (g: Tensor): (Tensor | null)[] => {
    const g2 = g.reshape(rows, outF);
    return [
      input.requiresGrad ? mmT(g2, weight).reshape(...input.shape) : null,
      weight.requiresGrad ? mmT(g2, input.reshape(rows, inF), true, false) : null,
      bias?.requiresGrad ? sum(g2, 0) : null,
    ];
  };
  // outside createGraph, the weight and bias gradients are new arrays only the engine holds, so
  // backward() takes them as the parameters' .grad without a copy (a one-row bias gradient is g itself)
  const firstOrder = (g: Tensor): (Tensor | null)[] => gradients(g).map((r, i) => (r !== null && i > 0 && r.data !== g.data ? markFresh(r) : r));
  return record(new Tensor(out, shape), fn, inputs, firstOrder, gradients);
}
