/**
 * The reverse-mode graph, independent of any tensor type: the tensor layer (src/tensor/) builds
 * nodes with `record` and runs them with `runGraph`; this layer imports nothing from it.
 */

/** What the graph needs from a tensor: its shape, whether it needs a gradient, its producer, its `.grad`. */
export interface GraphTensor<T> {
  readonly shape: readonly number[];
  readonly dtype: string;
  requiresGrad: boolean;
  gradFn: GradNode<T> | null;
  grad: T | null;
}

/** A vector–Jacobian product: the output's gradient → one gradient per input (`null` for none). */
export type Backward<T> = (gradOutput: T) => readonly (T | null)[];

/**
 * A node of the reverse-mode graph: the operation that produced a tensor, its inputs, and its
 * vector–Jacobian product. `backward` is the fast form, run with grad mode off. `differentiable` is
 * a form built from recorded operations, run with grad mode on when `createGraph` is set (double
 * backward); `null` when the operation has none — differentiating its gradient then fails with a
 * message naming the operation.
 */
export interface GradNode<T> {
  readonly name: string;
  readonly inputs: readonly T[];
  backward: Backward<T>;
  differentiable: Backward<T> | null;
  /** Set when a backward pass without `retainGraph` has gone through this node (its saved values are dropped). */
  released: boolean;
}
