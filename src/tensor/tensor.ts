import { fail, formatShape, formatValue } from '../errors.js';
import { allocate, dtypeOfArray, isFloatDType, type AnyTypedArray, type DType, type FloatDType, type TypedArrayFor } from './dtype.js';
import { checkShape, shapesEqual, sizeOf, stridesOf, type Shape } from './shape.js';
import type { Backward, GradNode } from '../autograd/node.js';
import { runGraph, type GradientAlgebra } from '../autograd/engine.js';
import { recordNode } from '../autograd/record.js';

/** Nested JavaScript arrays of numbers, any depth (a bare number is a scalar). */
export type NestedArray = number | readonly NestedArray[];

/** Options of `backward()` (`torch.Tensor.backward`). */
export interface BackwardOptions {
  /** Keep the graph for another backward pass (default: `createGraph`). */
  retainGraph?: boolean;
  /** Record the backward pass so the gradients can be differentiated again (default false). */
  createGraph?: boolean;
  /** Accumulate only into these leaves (default: every leaf that requires a gradient). */
  inputs?: readonly Tensor[];
}

export interface TensorOptions<D extends DType = DType> {
  dtype?: D;
  /** Record operations on this tensor so that `backward()` can compute `grad` (a leaf, as in PyTorch). */
  requiresGrad?: boolean;
}

/**
 * A dense, row-major (C-contiguous) n-dimensional array of float32, float64 or int32 values.
 *
 * Tensors are immutable in shape; their data may be written by kernels that own them. Operations in
 * `functional/` record a `gradFn` when an input `requiresGrad`, so `loss.backward()` fills `x.grad`
 * for every leaf `x` that requires a gradient — PyTorch's semantics, without views or strides.
 */
export class Tensor<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: Shape;
  readonly data: TypedArrayFor<D>;
  requiresGrad: boolean;
  /** Accumulated gradient of a leaf after `backward()`; `null` before. */
  grad: Tensor<D> | null = null;
  /** The node that produced this tensor in the autograd graph (`null` for leaves). */
  gradFn: GradNode<Tensor> | null = null;

  constructor(data: TypedArrayFor<D>, shape: Shape, requiresGrad = false) {
    checkShape(shape, 'Tensor');
    if (data.length !== sizeOf(shape)) {
      fail({
        fn: 'Tensor',
        argument: 'shape',
        value: formatShape(shape),
        rule: `it must hold exactly as many elements as the data (${data.length}), but it holds ${sizeOf(shape)}`,
      });
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtypeOfArray(data) as D;
    if (requiresGrad && !isFloatDType(this.dtype)) {
      fail({ fn: 'Tensor', argument: 'requiresGrad', value: 'true', rule: `only float tensors can require gradients, and this one is ${this.dtype}` });
    }
    this.requiresGrad = requiresGrad;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements (`numel()` in PyTorch). */
  get size(): number {
    return this.data.length;
  }

  numel(): number {
    return this.data.length;
  }

  get strides(): number[] {
    return stridesOf(this.shape);
  }

  /** The element at a multi-index (negative indices count from the end). */
  get(...index: number[]): number {
    if (index.length !== this.ndim) {
      fail({ fn: 'Tensor.get', argument: 'index', value: formatValue(index), rule: `it needs ${this.ndim} indices for shape ${formatShape(this.shape)}` });
    }
    let offset = 0;
    const strides = this.strides;
    for (let i = 0; i < index.length; i++) {
      let k = index[i];
      if (k < 0) k += this.shape[i];
      if (!Number.isInteger(k) || k < 0 || k >= this.shape[i]) {
        fail({ fn: 'Tensor.get', argument: 'index', value: formatValue(index), rule: `index ${i} must lie in [0, ${this.shape[i] - 1}]` });
      }
      offset += k * strides[i];
    }
    return this.data[offset];
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) {
      fail({
        fn: 'Tensor.item',
        argument: 'this',
        value: `a tensor of shape ${formatShape(this.shape)}`,
        rule: 'only a one-element tensor converts to a number',
      });
    }
    return this.data[0];
  }

  /** Nested arrays (a number for a scalar), like `tensor.tolist()`. */
  toArray(): NestedArray {
    return toNested(this.data, this.shape);
  }

  /** A tensor with the same data and a new shape (one dimension may be -1). Shares the data, like `torch.reshape` of a contiguous tensor. */
  reshape(...shape: number[]): Tensor<D> {
    const from = this.shape;
    const out = new Tensor<D>(this.data, resolveReshape(from, shape));
    return record(out, 'reshape', [this], (g) => [g.reshape(...from)], true);
  }

  /** `reshape` under PyTorch's other name (every losslab tensor is contiguous, so a view always exists). */
  view(...shape: number[]): Tensor<D> {
    return this.reshape(...shape);
  }

  /** A copy that owns its data and is cut from the graph (`x.clone().detach()`). */
  clone(): Tensor<D> {
    return new Tensor<D>(this.data.slice() as TypedArrayFor<D>, this.shape);
  }

  /** Same data, cut from the autograd graph (`x.detach()`): no gradient flows through it. */
  detach(): Tensor<D> {
    return new Tensor<D>(this.data, this.shape);
  }

  /** True for a tensor that no operation produced (a leaf of the graph, `is_leaf`). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Converts to another dtype (a copy; float→int32 truncates toward zero like `.to(torch.int32)`). */
  to<E extends DType>(dtype: E): Tensor<E> {
    const out = allocate(dtype, this.data.length);
    for (let i = 0; i < out.length; i++) out[i] = this.data[i];
    return new Tensor<E>(out, this.shape);
  }

  /** Sets `requiresGrad` on a leaf and returns it, like `x.requires_grad_()`. */
  requiresGrad_(flag = true): this {
    if (flag && !isFloatDType(this.dtype)) {
      fail({ fn: 'Tensor.requiresGrad_', argument: 'this', value: this.dtype, rule: 'only float tensors can require gradients' });
    }
    if (!flag && this.gradFn !== null) {
      fail({
        fn: 'Tensor.requiresGrad_',
        argument: 'requiresGrad',
        value: 'false',
        rule: `only a leaf's flag can be changed, and this tensor comes from '${this.gradFn.name}'`,
        fix: 'Use detach() for a copy without the graph.',
      });
    }
    this.requiresGrad = flag;
    return this;
  }

  /**
   * Back-propagates from this tensor and accumulates into the `.grad` of the leaves, like
   * `torch.Tensor.backward`. Without `gradient` the tensor must hold one element (PyTorch's
   * implicit `ones_like` for scalars). The graph is released afterwards unless `retainGraph`.
   */
  backward(gradient?: Tensor, options: BackwardOptions = {}): void {
    backwardFrom([this], gradient === undefined ? [undefined] : [gradient], options, 'backward');
  }

  toString(): string {
    return `Tensor(${this.dtype}, ${formatShape(this.shape)})`;
  }
}

/**
 * Attaches a backward function to `output` when grad mode is on and some input requires a
 * gradient. Every operation calls this right after computing its value, so forward and backward
 * sit side by side in each operation's file. `differentiable`: `true` when `backward` is built from
 * recorded operations (then `createGraph` differentiates it again, PyTorch's approach), a second
 * function that is, or omitted for first derivatives only.
 */
export function record<O extends Tensor>(
  output: O,
  name: string,
  inputs: readonly Tensor[],
  backward: Backward<Tensor>,
  differentiable?: Backward<Tensor> | true,
): O {
  return recordNode<Tensor, O>(output, name, inputs, backward, differentiable);
}

/** The gradients that flow into `roots` (one per root; `undefined` = ones for a one-element root), checked. */
export function seedGradients(fn: string, roots: readonly Tensor[], gradients: readonly (Tensor | undefined)[]): Tensor[] {
  if (gradients.length !== roots.length) {
    fail({ fn, argument: 'gradOutputs', value: `${gradients.length} tensors`, rule: `there must be one per output (${roots.length})` });
  }
  return roots.map((root, i) => {
    const name = roots.length === 1 ? 'tensor' : `outputs[${i}]`;
    if (!root.requiresGrad) {
      fail({
        fn,
        argument: name,
        value: root.toString(),
        rule: 'it does not require grad and has no grad_fn',
        fix: 'Set requiresGrad on the leaves it is computed from.',
      });
    }
    const g = gradients[i];
    if (g === undefined) {
      if (root.size !== 1) {
        fail({
          fn,
          argument: roots.length === 1 ? 'gradient' : `gradOutputs[${i}]`,
          value: 'omitted',
          rule: `grad can be implicitly created only for one-element outputs, and this one has shape ${formatShape(root.shape)}`,
        });
      }
      return new Tensor(allocate(root.dtype, 1).fill(1), root.shape);
    }
    if (!shapesEqual(g.shape, root.shape) || g.dtype !== root.dtype) {
      fail({
        fn,
        argument: roots.length === 1 ? 'gradient' : `gradOutputs[${i}]`,
        value: `a ${g.dtype} tensor of shape ${formatShape(g.shape)}`,
        rule: `it must have the output's shape ${formatShape(root.shape)} and dtype ${root.dtype}`,
      });
    }
    return g;
  });
}

/** Gradients created by the engine itself; only those are summed in place (others may alias values). */
const ownedGradients = new WeakSet<Tensor>();

function ownedCopy(g: Tensor): Tensor {
  const c = new Tensor(g.data.slice(), g.shape);
  ownedGradients.add(c);
  return c;
}

/**
 * Gradients that a backward function allocated during the running `backward()` pass and handed to
 * no one else (`markFresh`, e.g. a linear layer's weight and bias gradients): `backward()` adopts
 * such a gradient as a leaf's `.grad` instead of copying it, as PyTorch's AccumulateGrad steals a
 * gradient nobody else holds. Each is tagged with its pass, so a gradient returned by an earlier
 * `grad()` or `backward()` call is never adopted.
 */
const freshGradients = new WeakMap<Tensor, number>();
let passes = 0;
/** The running `backward()` pass (0 outside one). */
let currentPass = 0;

/**
 * Declares `g` a gradient that only the autograd engine holds: freshly allocated by a backward
 * function, shared with no other tensor. Returns `g`.
 */
export function markFresh<T extends Tensor>(g: T): T {
  if (currentPass !== 0) freshGradients.set(g, currentPass);
  return g;
}

/** `g` as a leaf's new `.grad`: adopted when fresh in this pass, else an owned copy. */
function adoptGradient(g: Tensor): Tensor {
  if (freshGradients.get(g) !== currentPass) return ownedCopy(g);
  freshGradients.delete(g);
  ownedGradients.add(g);
  return g;
}

/** `a + b` of two same-shaped gradients, recorded (its backward hands `g` to both). */
function recordedSum(a: Tensor, b: Tensor): Tensor {
  const out = allocate(a.dtype, a.size);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i] + b.data[i];
  return record(new Tensor(out, a.shape), 'add', [a, b], (g) => [g, g], true);
}

export const tensorAlgebra: GradientAlgebra<Tensor> = {
  accumulate(previous, next, createGraph) {
    if (createGraph) return recordedSum(previous, next);
    const acc = ownedGradients.has(previous) ? previous : ownedCopy(previous);
    for (let i = 0; i < acc.data.length; i++) acc.data[i] += next.data[i];
    return acc;
  },
  nonDifferentiable(gradient, operation, sources) {
    const out = new Tensor(gradient.data, gradient.shape);
    if (sources.length === 0) return out;
    out.requiresGrad = true;
    out.gradFn = {
      name: `${operation}Backward`,
      inputs: sources,
      backward: () =>
        fail({
          fn: 'grad',
          argument: 'createGraph',
          value: 'true',
          rule: `the gradient of '${operation}' is not differentiable in losslab (no double backward for it)`,
        }),
      differentiable: null,
      released: false,
    };
    return out;
  },
};

/**
 * `torch.autograd.backward`: back-propagates from `roots` and accumulates into the `.grad` of the
 * leaves that require a gradient (or only of `options.inputs`).
 */
export function backwardFrom(roots: readonly Tensor[], gradients: readonly (Tensor | undefined)[], options: BackwardOptions, fn: string): void {
  const seeds = seedGradients(fn, roots, gradients);
  const createGraph = options.createGraph ?? false;
  const outer = currentPass;
  currentPass = ++passes;
  try {
    runGraph(
      fn,
      roots,
      seeds,
      {
        createGraph,
        retainGraph: options.retainGraph ?? createGraph,
        targets: options.inputs ?? null,
        onTarget: (leaf, g) => {
          if (createGraph) leaf.grad = leaf.grad ? recordedSum(leaf.grad, g) : g;
          else leaf.grad = leaf.grad ? tensorAlgebra.accumulate(leaf.grad, g, false) : adoptGradient(g);
        },
      },
      tensorAlgebra,
    );
  } finally {
    currentPass = outer;
  }
}

function resolveReshape(from: Shape, to: readonly number[]): number[] {
  const total = sizeOf(from);
  const unknown = to.indexOf(-1);
  if (unknown !== to.lastIndexOf(-1)) {
    fail({ fn: 'Tensor.reshape', argument: 'shape', value: formatShape(to), rule: 'at most one dimension may be -1' });
  }
  const shape = [...to];
  if (unknown >= 0) {
    const known = sizeOf(to.filter((_, i) => i !== unknown));
    if (known === 0 || total % known !== 0) {
      fail({ fn: 'Tensor.reshape', argument: 'shape', value: formatShape(to), rule: `it cannot hold ${total} elements` });
    }
    shape[unknown] = total / known;
  }
  checkShape(shape, 'Tensor.reshape');
  if (sizeOf(shape) !== total) {
    fail({ fn: 'Tensor.reshape', argument: 'shape', value: formatShape(to), rule: `it must hold ${total} elements like ${formatShape(from)}` });
  }
  return shape;
}

function toNested(data: AnyTypedArray, shape: Shape): NestedArray {
  if (shape.length === 0) return data[0];
  const strides = stridesOf(shape);
  const build = (dim: number, offset: number): NestedArray => {
    const out: NestedArray[] = [];
    for (let i = 0; i < shape[dim]; i++) {
      out.push(dim === shape.length - 1 ? data[offset + i] : build(dim + 1, offset + i * strides[dim]));
    }
    return out;
  };
  return build(0, 0);
}

/** Infers the shape of nested arrays, checking that they are rectangular. */
export function inferShape(values: NestedArray, fn = 'tensor', argument = 'values'): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  const check = (v: NestedArray, dim: number, path: number[]): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number') {
        fail({ fn, argument, value: `${formatValue(v)} at [${path.join(', ')}]`, rule: 'nested arrays must be rectangular and hold only numbers' });
      }
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      fail({
        fn,
        argument,
        value: `a row of length ${Array.isArray(v) ? v.length : 'none'} at [${path.join(', ')}]`,
        rule: `nested arrays must be rectangular (expected length ${shape[dim]} at depth ${dim})`,
      });
    }
    for (const [i, item] of (v as readonly NestedArray[]).entries()) check(item, dim + 1, [...path, i]);
  };
  check(values, 0, []);
  return shape;
}

function flatten(values: NestedArray, out: number[]): void {
  if (Array.isArray(values)) for (const v of values) flatten(v, out);
  else out.push(values as number);
}

/**
 * Creates a tensor from nested arrays (default dtype float32, like `torch.tensor` for floats).
 * Integer dtype values must be integers.
 */
export function tensor<D extends DType = 'float32'>(values: NestedArray, options: TensorOptions<D> = {}): Tensor<D> {
  const dtype = (options.dtype ?? 'float32') as D;
  const shape = inferShape(values);
  const flat: number[] = [];
  flatten(values, flat);
  const data = allocate(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (dtype === 'int32' && (!Number.isInteger(v) || v < -2147483648 || v > 2147483647)) {
      fail({
        fn: 'tensor',
        argument: 'values',
        value: `${formatValue(v)} at flat index ${i}`,
        rule: 'an int32 tensor holds only integers in [-2^31, 2^31 - 1]',
      });
    }
    data[i] = v;
  }
  return new Tensor<D>(data, shape, options.requiresGrad ?? false);
}

/** Creates a tensor that wraps a typed array (no copy) with the given shape. */
export function fromTypedArray(data: Float32Array, shape: Shape, options?: { requiresGrad?: boolean }): Tensor<'float32'>;
export function fromTypedArray(data: Float64Array, shape: Shape, options?: { requiresGrad?: boolean }): Tensor<'float64'>;
export function fromTypedArray(data: Int32Array, shape: Shape, options?: { requiresGrad?: boolean }): Tensor<'int32'>;
export function fromTypedArray(data: AnyTypedArray, shape: Shape, options?: { requiresGrad?: boolean }): Tensor;
export function fromTypedArray(data: AnyTypedArray, shape: Shape, options: { requiresGrad?: boolean } = {}): Tensor {
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

export type DTypeOf<A extends AnyTypedArray> = A extends Float32Array ? 'float32' : A extends Float64Array ? 'float64' : 'int32';

export function zeros<D extends DType = 'float32'>(shape: Shape, dtype?: D): Tensor<D> {
  const dt = (dtype ?? 'float32') as D;
  return new Tensor<D>(allocate(dt, sizeOf(shape)), shape);
}

export function full<D extends DType = 'float32'>(shape: Shape, value: number, dtype?: D): Tensor<D> {
  const t = zeros(shape, dtype);
  t.data.fill(value);
  return t;
}

export function ones<D extends DType = 'float32'>(shape: Shape, dtype?: D): Tensor<D> {
  return full(shape, 1, dtype);
}

export function zerosLike<D extends DType>(t: Tensor<D>): Tensor<D> {
  return zeros(t.shape, t.dtype);
}

export function onesLike<D extends DType>(t: Tensor<D>): Tensor<D> {
  return ones(t.shape, t.dtype);
}

/** `torch.arange(n)` as int32, or with a float dtype. */
export function arange<D extends DType = 'int32'>(n: number, dtype?: D): Tensor<D> {
  const t = zeros([n], (dtype ?? 'int32') as D);
  for (let i = 0; i < n; i++) t.data[i] = i;
  return t;
}

export function isTensor(value: unknown): value is Tensor {
  return value instanceof Tensor;
}

/** Checks that a tensor has a float dtype, naming the argument when it does not (tfjs-style message). */
export function assertFloat(t: Tensor, fn: string, argument: string): asserts t is Tensor<FloatDType> {
  if (!isFloatDType(t.dtype)) {
    fail({ fn, argument, value: t.dtype, rule: 'it must be float32 or float64' });
  }
}

export function assertSameShape(a: Tensor, b: Tensor, fn: string, names: [string, string]): void {
  if (!shapesEqual(a.shape, b.shape)) {
    fail({ fn, argument: names[1], value: `of shape ${formatShape(b.shape)}`, rule: `it must have the same shape as '${names[0]}' ${formatShape(a.shape)}` });
  }
}
