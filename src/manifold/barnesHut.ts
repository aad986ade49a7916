import { kernelBackend, type ThreadSplitter } from '../kernels/backend.js';
import { type WasmHeap, wasmHeap } from '../kernels/wasm/heap.js';
import type { CsrMatrix } from './affinities.js';
import { QuadTree } from './quadTree.js';

/** scikit-learn's `np.finfo(np.float32).tiny`, the floor inside the Barnes–Hut KL estimate. */
const FLOAT32_TINY = 1.1754943508222875e-38;

/** A t-SNE objective: the gradient of KL(P‖Q) at Y, and KL itself when asked (NaN otherwise). */
export interface TsneObjective {
  evaluate(Y: Float64Array, grad: Float64Array, computeError: boolean): number;
  /** Multiplies P by s (early exaggeration). */
  scaleP(s: number): void;
  /** Frees what the objective holds outside the JavaScript heap. */
  dispose(): void;
}

/**
 * scikit-learn's `_kl_divergence_bh`: attractive forces over the sparse P, repulsive forces by a
 * Barnes–Hut walk of a quadtree/octree, gradient = c·(F_attr − F_rep / Z) with c = 2(dof + 1)/dof,
 * and the KL estimate Σ p·log(max(p, tiny)/max(q/Z, tiny)). In 2-D with one degree of freedom
 * the tree, its walk and the attractive forces run on the WebAssembly kernels of assembly/tsne.ts
 * (P copied there once), on two threads when the kernel backend has two; otherwise in TypeScript.
 */
export function barnesHutObjective(P: CsrMatrix, dims: number, dof: number, angle: number): TsneObjective {
  const heap = dims === 2 && dof === 1 && kernelBackend().name.startsWith('wasm') ? wasmHeap() : null;
  return heap ? new WasmBarnesHut(heap, P, angle, kernelBackend().threads ?? null) : new TsBarnesHut(P, dims, dof, angle);
}

class TsBarnesHut implements TsneObjective {
  private readonly tree: QuadTree;
  private readonly neg: Float64Array;

  constructor(
    private readonly P: CsrMatrix,
    private readonly dims: number,
    private readonly dof: number,
    private readonly angle: number,
  ) {
    this.tree = new QuadTree(dims, P.n);
    this.neg = new Float64Array(P.n * dims);
  }

  scaleP(s: number): void {
    for (let t = 0; t < this.P.data.length; t++) this.P.data[t] *= s;
  }

  dispose(): void {}

  evaluate(Y: Float64Array, grad: Float64Array, computeError: boolean): number {
    const { n, indptr, indices, data } = this.P;
    const { dims, dof, neg } = this;
    this.tree.build(Y, n);
    const sumQ = this.tree.repulsion(Y, n, this.angle * this.angle, dof, neg);
    const exponent = (dof + 1) / 2;
    const c = (2 * (dof + 1)) / dof;
    let C = 0;
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < dims; a++) grad[i * dims + a] = 0;
      for (let t = indptr[i]; t < indptr[i + 1]; t++) {
        const j = indices[t];
        const p = data[t];
        let d2 = 0;
        for (let a = 0; a < dims; a++) {
          const diff = Y[i * dims + a] - Y[j * dims + a];
          d2 += diff * diff;
        }
        let q = dof / (dof + d2);
        if (dof !== 1) q = q ** exponent;
        if (computeError) C += p * Math.log(Math.max(p, FLOAT32_TINY) / Math.max(q / sumQ, FLOAT32_TINY));
        const m = p * q;
        for (let a = 0; a < dims; a++) grad[i * dims + a] += m * (Y[i * dims + a] - Y[j * dims + a]);
      }
      for (let a = 0; a < dims; a++) grad[i * dims + a] = c * (grad[i * dims + a] - neg[i * dims + a] / sumQ);
    }
    return computeError ? C : Number.NaN;
  }
}

/** Evaluations between two reorderings of the walk's points (they move little from one iteration to the next). */
const REORDER_EVERY = 10;

/** The 16 low bits of v spread to the even bits of a 32-bit word (for Morton codes). */
function spreadBits(v: number): number {
  let x = v & 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x;
}

/** Points from which the 2-D walk and the attractive forces are split between two threads (when the backend has two). */
const MIN_SPLIT_POINTS = 1024;

/**
 * The 2-D, one-degree-of-freedom objective on the WebAssembly kernels (assembly/tsne.ts): the tree
 * is built there and walked in preorder without a stack; P, Y and the forces live in their memory.
 * With a second thread (`kernelBackend().threads`, src/node/parallel.ts) the walk and the
 * attractive forces are split by points, the second half on the other thread. The result is the
 * same to the bit with one thread or two: each point's force and share of Z are computed alone,
 * the shares are summed in point order on this thread, and the KL estimate (every 50 iterations)
 * is summed on one thread in row order.
 */
class WasmBarnesHut implements TsneObjective {
  private readonly ptr: { indptr: number; indices: number; data: number; Y: number; pos: number; neg: number; z: number; order: number };
  private tree = { capacity: 0, cells: 0, bounds: 0, walk: 0, stack: 0 };
  private evaluations = 0;
  private readonly keys: Float64Array;

  constructor(
    private readonly heap: WasmHeap,
    private readonly P: CsrMatrix,
    private readonly angle: number,
    private readonly threads: ThreadSplitter | null,
  ) {
    const n = P.n;
    const nnz = P.data.length;
    this.ptr = {
      indptr: heap.alloc((n + 1) * 4),
      indices: heap.alloc(nnz * 4),
      data: heap.alloc(nnz * 8),
      Y: heap.alloc(n * 16),
      pos: heap.alloc(n * 16),
      neg: heap.alloc(n * 16),
      z: heap.alloc(n * 8),
      order: heap.alloc(n * 4),
    };
    this.keys = new Float64Array(n);
    new Int32Array(heap.buffer, this.ptr.indptr, n + 1).set(P.indptr);
    new Int32Array(heap.buffer, this.ptr.indices, nnz).set(P.indices);
    new Float64Array(heap.buffer, this.ptr.data, nnz).set(P.data);
    this.allocTree(Math.max(16, 2 * n));
  }

  private allocTree(capacity: number): void {
    this.releaseTree();
    const { heap } = this;
    this.tree = {
      capacity,
      cells: heap.alloc(capacity * 48),
      bounds: heap.alloc(capacity * 32),
      walk: heap.alloc(capacity * 32),
      stack: heap.alloc(heap.kernels.exports.tsneTreeStackBytes(capacity)),
    };
  }

  private releaseTree(): void {
    const { capacity, ...blocks } = this.tree;
    if (capacity) for (const p of Object.values(blocks)) this.heap.release(p);
  }

  /**
   * Orders the points along a Z-order (Morton) curve of their current positions, so that the walk
   * visits neighbouring points one after the other and finds the cells they open still in the
   * cache (a quarter less time on Fashion-MNIST's 10,000). Any order gives the same forces.
   */
  private reorder(Y: Float64Array, n: number): void {
    const order = new Int32Array(this.heap.buffer, this.ptr.order, n);
    if (n > 2 ** 21) {
      for (let i = 0; i < n; i++) order[i] = i;
      return;
    }
    let lo0 = Infinity;
    let hi0 = -Infinity;
    let lo1 = Infinity;
    let hi1 = -Infinity;
    for (let i = 0; i < n; i++) {
      const y0 = Y[2 * i];
      const y1 = Y[2 * i + 1];
      if (y0 < lo0) lo0 = y0;
      if (y0 > hi0) hi0 = y0;
      if (y1 < lo1) lo1 = y1;
      if (y1 > hi1) hi1 = y1;
    }
    const s0 = hi0 > lo0 ? 65535 / (hi0 - lo0) : 0;
    const s1 = hi1 > lo1 ? 65535 / (hi1 - lo1) : 0;
    const keys = this.keys;
    for (let i = 0; i < n; i++) {
      const a = spreadBits(Math.floor((Y[2 * i] - lo0) * s0));
      const b = spreadBits(Math.floor((Y[2 * i + 1] - lo1) * s1));
      // the 32-bit Morton code, then the point (n < 2²¹: exact in a double)
      keys[i] = (((a << 1) | b) >>> 0) * n + i;
    }
    keys.sort();
    for (let t = 0; t < n; t++) order[t] = keys[t] % n;
  }

  scaleP(s: number): void {
    const data = new Float64Array(this.heap.buffer, this.ptr.data, this.P.data.length);
    for (let t = 0; t < data.length; t++) data[t] *= s;
  }

  dispose(): void {
    for (const p of Object.values(this.ptr)) this.heap.release(p);
    this.releaseTree();
  }

  evaluate(Y: Float64Array, grad: Float64Array, computeError: boolean): number {
    const n = this.P.n;
    const { heap, ptr } = this;
    const k = heap.kernels.exports;
    new Float64Array(heap.buffer, ptr.Y, 2 * n).set(Y.subarray(0, 2 * n));
    while (k.tsneBuildTree2d(ptr.Y, n, this.tree.cells, this.tree.bounds, this.tree.walk, this.tree.capacity, this.tree.stack) < 0)
      this.allocTree(2 * this.tree.capacity);
    if (this.evaluations++ % REORDER_EVERY === 0) this.reorder(Y, n);
    const squaredTheta = this.angle * this.angle;
    const split = this.threads !== null && n >= MIN_SPLIT_POINTS ? n >> 1 : n;
    if (split < n) this.threads?.start('tsneRepulsion2d', [this.tree.walk, ptr.Y, ptr.order, split, n, squaredTheta, ptr.neg, ptr.z]);
    k.tsneRepulsion2d(this.tree.walk, ptr.Y, ptr.order, 0, split, squaredTheta, ptr.neg, ptr.z);
    if (split < n) this.threads?.finish();
    const z = new Float64Array(heap.buffer, ptr.z, n);
    let sumQ = 0;
    for (let i = 0; i < n; i++) sumQ += z[i];
    let C = 0;
    if (computeError || split === n) C = k.tsneAttraction2d(ptr.indptr, ptr.indices, ptr.data, ptr.Y, 0, n, computeError ? sumQ : 0, ptr.pos);
    else {
      this.threads?.start('tsneAttraction2d', [ptr.indptr, ptr.indices, ptr.data, ptr.Y, split, n, 0, ptr.pos]);
      k.tsneAttraction2d(ptr.indptr, ptr.indices, ptr.data, ptr.Y, 0, split, 0, ptr.pos);
      this.threads?.finish();
    }
    const pos = new Float64Array(heap.buffer, ptr.pos, 2 * n);
    const neg = new Float64Array(heap.buffer, ptr.neg, 2 * n);
    for (let t = 0; t < 2 * n; t++) grad[t] = 4 * (pos[t] - neg[t] / sumQ);
    return computeError ? C : Number.NaN;
  }
}
