/** Points closer than this in every coordinate share a leaf (scikit-learn's `EPSILON = 1e-6`). */
const EPSILON = 1e-6;

/**
 * The space-partitioning tree of Barnes–Hut t-SNE (the TypeScript reference; on the WebAssembly
 * backend assembly/tsne.ts builds the same 2-D tree, cell for cell): a quadtree in 2-D, an octree in 3-D (1-D: a
 * binary tree), as scikit-learn's `_QuadTree` (sklearn/neighbors/_quad_tree.pyx): cells split at
 * their centre, each keeps the barycentre and count of its points, duplicates (within 1e-6) share a
 * leaf. The cells the force walk reads are one flat record each —
 * `[barycentre (dims), squared max width, size, leaf flag, children (2^dims)]` — so a visit touches
 * one cache line; the bounds used only while building live apart.
 */
export class QuadTree {
  readonly dims: number;
  private readonly fanout: number;
  /** Doubles per cell record. */
  private readonly stride: number;
  private capacity = 0;
  /** Number of cells. */
  count = 0;
  /** Cell records (see the class comment). */
  cells = new Float64Array(0);
  private lower = new Float64Array(0);
  private upper = new Float64Array(0);
  /** Slots of the walk's stack: depth is bounded by float precision; 64 levels × 8 children is ample. */
  static readonly STACK_SLOTS = 64 * 8 + 8;
  private readonly stack = new Int32Array(QuadTree.STACK_SLOTS);
  private readonly point: Float64Array;

  constructor(dims: number, maxPoints: number) {
    this.dims = dims;
    this.fanout = 1 << dims;
    this.stride = dims + 3 + this.fanout;
    this.grow(Math.max(16, 2 * maxPoints));
    this.point = new Float64Array(dims);
  }

  private grow(capacity: number): void {
    const cells = new Float64Array(capacity * this.stride);
    cells.set(this.cells.subarray(0, this.count * this.stride));
    const lower = new Float64Array(capacity * this.dims);
    lower.set(this.lower.subarray(0, this.count * this.dims));
    const upper = new Float64Array(capacity * this.dims);
    upper.set(this.upper.subarray(0, this.count * this.dims));
    this.cells = cells;
    this.lower = lower;
    this.upper = upper;
    this.capacity = capacity;
  }

  private newCell(): number {
    if (this.count === this.capacity) this.grow(2 * this.capacity);
    const c = this.count++;
    const r = c * this.stride;
    const d = this.dims;
    this.cells[r + d] = 0; // squared max width
    this.cells[r + d + 1] = 0; // size
    this.cells[r + d + 2] = 1; // leaf
    this.cells.fill(-1, r + d + 3, r + this.stride);
    return c;
  }

  /** Rebuilds the tree over the n points of Y ([n, dims] row-major). */
  build(Y: Float64Array, n: number): void {
    const d = this.dims;
    this.count = 0;
    const root = this.newCell();
    let sq = 0;
    for (let a = 0; a < d; a++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = Y[i * d + a];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      // scikit-learn: M = max(M·(1 + 1e-3·sign(M)), M + 1e-3), so every point lies strictly inside
      hi = Math.max(hi * (1 + 1e-3 * Math.sign(hi)), hi + 1e-3);
      this.lower[root * d + a] = lo;
      this.upper[root * d + a] = hi;
      sq = Math.max(sq, (hi - lo) * (hi - lo));
    }
    this.cells[root * this.stride + d] = sq;
    for (let i = 0; i < n; i++) this.insert(Y, i * d);
  }

  private insert(Y: Float64Array, p: number): void {
    const d = this.dims;
    const s = this.stride;
    let cell = 0;
    for (;;) {
      const r = cell * s;
      const n = this.cells[r + d + 1];
      if (n === 0) {
        this.cells[r + d + 1] = 1;
        for (let a = 0; a < d; a++) this.cells[r + a] = Y[p + a];
        return;
      }
      if (this.cells[r + d + 2] === 0) {
        for (let a = 0; a < d; a++) this.cells[r + a] = (n * this.cells[r + a] + Y[p + a]) / (n + 1);
        this.cells[r + d + 1] = n + 1;
        const slot = this.childSlot(cell, Y, p);
        const child = this.cells[r + d + 3 + slot];
        if (child === -1) {
          for (let a = 0; a < d; a++) this.point[a] = Y[p + a];
          this.newChild(cell, slot, 1);
          return;
        }
        cell = child;
        continue;
      }
      // a leaf holding points: a duplicate joins it, anything else splits it
      let duplicate = true;
      for (let a = 0; a < d; a++) duplicate &&= Math.abs(Y[p + a] - this.cells[r + a]) <= EPSILON;
      if (duplicate) {
        this.cells[r + d + 1] = n + 1;
        return;
      }
      for (let a = 0; a < d; a++) this.point[a] = this.cells[r + a];
      this.newChild(cell, this.childSlot(cell, this.point, 0), n);
      // the cell is now internal with its old points in one child; insert the new point again
    }
  }

  private childSlot(cell: number, P: Float64Array, p: number): number {
    const d = this.dims;
    let slot = 0;
    for (let a = 0; a < d; a++) slot = 2 * slot + (P[p + a] >= (this.lower[cell * d + a] + this.upper[cell * d + a]) / 2 ? 1 : 0);
    return slot;
  }

  /** Creates child `slot` of `cell` holding `size` points at `this.point`; `cell` becomes internal. */
  private newChild(cell: number, slot: number, size: number): void {
    const d = this.dims;
    const child = this.newCell();
    const r = child * this.stride;
    this.cells[cell * this.stride + d + 2] = 0;
    let sq = 0;
    for (let a = 0; a < d; a++) {
      const lo0 = this.lower[cell * d + a];
      const hi0 = this.upper[cell * d + a];
      const c = (lo0 + hi0) / 2;
      const up = this.point[a] >= c;
      const lo = up ? c : lo0;
      const hi = up ? hi0 : c;
      this.lower[child * d + a] = lo;
      this.upper[child * d + a] = hi;
      this.cells[r + a] = this.point[a];
      sq = Math.max(sq, (hi - lo) * (hi - lo));
    }
    this.cells[r + d] = sq;
    this.cells[r + d + 1] = size;
    this.cells[cell * this.stride + d + 3 + slot] = child;
  }

  /**
   * The Barnes–Hut repulsive force on point y = Y[p..] and its share of the normaliser Z, walking
   * the tree as scikit-learn's `summarize`: a cell counts as one body when it is a leaf or when
   * width²/distance² < θ²; the leaf holding y itself (and its duplicates) is skipped. For a body of
   * `size` points at squared distance d²: q = (dof/(dof + d²))^((dof+1)/2), Z += size·q,
   * force += size·q²·(y − barycentre). Adds into force[0..dims) and returns the Z contribution.
   */
  negativeForce(Y: Float64Array, p: number, squaredTheta: number, dof: number, force: Float64Array): number {
    if (this.dims === 2 && dof === 1) return this.negativeForce2d(Y[p], Y[p + 1], squaredTheta, force);
    const d = this.dims;
    const s = this.stride;
    const f = this.fanout;
    const cells = this.cells;
    const stack = this.stack;
    const exponent = (dof + 1) / 2;
    let top = 0;
    stack[top++] = 0;
    let z = 0;
    while (top > 0) {
      const r = stack[--top] * s;
      let dist2 = 0;
      let near = true;
      for (let a = 0; a < d; a++) {
        const diff = Y[p + a] - cells[r + a];
        dist2 += diff * diff;
        near &&= Math.abs(diff) <= EPSILON;
      }
      const leaf = cells[r + d + 2] === 1;
      if (leaf && near) continue;
      if (leaf || cells[r + d] / dist2 < squaredTheta) {
        const size = cells[r + d + 1];
        let q = dof / (dof + dist2);
        if (dof !== 1) q **= exponent;
        z += size * q;
        const mult = size * q * q;
        for (let a = 0; a < d; a++) force[a] += mult * (Y[p + a] - cells[r + a]);
        continue;
      }
      // children in reverse, so they are visited in order 0, 1, … as scikit-learn's recursion does
      for (let c = f - 1; c >= 0; c--) {
        const child = cells[r + d + 3 + c];
        if (child !== -1) stack[top++] = child;
      }
    }
    return z;
  }

  /** `negativeForce` for every point: writes the forces into out ([n, dims]) and returns Σ Z. */
  repulsion(Y: Float64Array, n: number, squaredTheta: number, dof: number, out: Float64Array): number {
    const d = this.dims;
    const force = new Float64Array(3);
    let z = 0;
    for (let i = 0; i < n; i++) {
      force.fill(0);
      z += this.negativeForce(Y, i * d, squaredTheta, dof, force);
      for (let a = 0; a < d; a++) out[i * d + a] = force[a];
    }
    return z;
  }

  /** `negativeForce` for 2-D embeddings with one degree of freedom (the default), unrolled. */
  private negativeForce2d(y0: number, y1: number, squaredTheta: number, force: Float64Array): number {
    const cells = this.cells;
    const stack = this.stack;
    let top = 0;
    stack[top++] = 0;
    let z = 0;
    let f0 = 0;
    let f1 = 0;
    while (top > 0) {
      const r = stack[--top] * 9;
      const dx = y0 - cells[r];
      const dy = y1 - cells[r + 1];
      const dist2 = dx * dx + dy * dy;
      if (cells[r + 4] === 1) {
        if (Math.abs(dx) <= EPSILON && Math.abs(dy) <= EPSILON) continue;
      } else if (cells[r + 2] >= squaredTheta * dist2) {
        // open the cell: children 3, 2, 1, 0 onto the stack so 0 is visited first
        const c3 = cells[r + 8];
        if (c3 !== -1) stack[top++] = c3;
        const c2 = cells[r + 7];
        if (c2 !== -1) stack[top++] = c2;
        const c1 = cells[r + 6];
        if (c1 !== -1) stack[top++] = c1;
        const c0 = cells[r + 5];
        if (c0 !== -1) stack[top++] = c0;
        continue;
      }
      const size = cells[r + 3];
      const q = 1 / (1 + dist2);
      z += size * q;
      const mult = size * q * q;
      f0 += mult * dx;
      f1 += mult * dy;
    }
    force[0] += f0;
    force[1] += f1;
    return z;
  }
}
