import { kernelBackend } from '../kernels/backend.js';
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
 * both force loops run on the WebAssembly kernels of assembly/tsne.ts (P copied there once);
 * otherwise in TypeScript.
 */
export function barnesHutObjective(P: CsrMatrix, dims: number, dof: number, angle: number): TsneObjective {
  const heap = dims === 2 && dof === 1 && kernelBackend().name.startsWith('wasm') ? wasmHeap() : null;
  return heap ? new WasmBarnesHut(heap, P, angle) : new TsBarnesHut(P, dims, dof, angle);
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

/** The 2-D, one-degree-of-freedom objective on the WebAssembly kernels; P, Y and the forces live in their memory. */
class WasmBarnesHut implements TsneObjective {
  private readonly tree: QuadTree;
  private readonly ptr: { indptr: number; indices: number; data: number; Y: number; pos: number; neg: number; stack: number };
  private cells = 0;
  private cellsBytes = 0;

  constructor(
    private readonly heap: WasmHeap,
    private readonly P: CsrMatrix,
    private readonly angle: number,
  ) {
    const n = P.n;
    const nnz = P.data.length;
    this.tree = new QuadTree(2, n);
    this.ptr = {
      indptr: heap.alloc((n + 1) * 4),
      indices: heap.alloc(nnz * 4),
      data: heap.alloc(nnz * 8),
      Y: heap.alloc(n * 16),
      pos: heap.alloc(n * 16),
      neg: heap.alloc(n * 16),
      stack: heap.alloc(QuadTree.STACK_SLOTS * 4),
    };
    new Int32Array(heap.buffer, this.ptr.indptr, n + 1).set(P.indptr);
    new Int32Array(heap.buffer, this.ptr.indices, nnz).set(P.indices);
    new Float64Array(heap.buffer, this.ptr.data, nnz).set(P.data);
  }

  scaleP(s: number): void {
    const data = new Float64Array(this.heap.buffer, this.ptr.data, this.P.data.length);
    for (let t = 0; t < data.length; t++) data[t] *= s;
  }

  dispose(): void {
    for (const p of Object.values(this.ptr)) this.heap.release(p);
    if (this.cells) this.heap.release(this.cells);
  }

  evaluate(Y: Float64Array, grad: Float64Array, computeError: boolean): number {
    const n = this.P.n;
    const { heap, ptr } = this;
    const k = heap.kernels.exports;
    this.tree.build(Y, n);
    const cellValues = this.tree.cellRecords();
    if (cellValues.byteLength > this.cellsBytes) {
      if (this.cells) heap.release(this.cells);
      this.cellsBytes = 2 * cellValues.byteLength;
      this.cells = heap.alloc(this.cellsBytes);
    }
    new Float64Array(heap.buffer, this.cells, cellValues.length).set(cellValues);
    new Float64Array(heap.buffer, ptr.Y, 2 * n).set(Y.subarray(0, 2 * n));
    const sumQ = k.tsneRepulsion2d(this.cells, ptr.Y, n, this.angle * this.angle, ptr.stack, ptr.neg);
    const C = k.tsneAttraction2d(ptr.indptr, ptr.indices, ptr.data, ptr.Y, n, computeError ? sumQ : 0, ptr.pos);
    const pos = new Float64Array(heap.buffer, ptr.pos, 2 * n);
    const neg = new Float64Array(heap.buffer, ptr.neg, 2 * n);
    for (let t = 0; t < 2 * n; t++) grad[t] = 4 * (pos[t] - neg[t] / sumQ);
    return computeError ? C : Number.NaN;
  }
}
