/** Points closer than this in every coordinate share a leaf (scikit-learn's `EPSILON = 1e-6`). */
const EPSILON = 1e-6;

/**
 * The space-partitioning tree of Barnes–Hut t-SNE: a quadtree in 2-D, an octree in 3-D, as
 * scikit-learn's `_QuadTree` (sklearn/neighbors/_quad_tree.pyx): cells split at their centre, each
 * keeps the barycentre and count of its points, duplicates (within 1e-6) share a leaf. Stored as
 * flat typed arrays (structure of arrays), so building and walking it allocates nothing per node.
 */
export class QuadTree {
  readonly dims: number;
  private readonly fanout: number;
  private capacity = 0;
  count = 0;
  minBounds = new Float64Array(0);
  maxBounds = new Float64Array(0);
  center = new Float64Array(0);
  barycenter = new Float64Array(0);
  squaredMaxWidth = new Float64Array(0);
  size = new Int32Array(0);
  isLeaf = new Uint8Array(0);
  children = new Int32Array(0);
  private readonly stack: Int32Array;

  constructor(dims: number, maxPoints: number) {
    this.dims = dims;
    this.fanout = 1 << dims;
    this.grow(Math.max(16, 2 * maxPoints));
    // depth is bounded by the float precision of the coordinates; 64 levels × fanout is ample
    this.stack = new Int32Array(64 * this.fanout + 8);
  }

  private grow(capacity: number): void {
    const d = this.dims;
    const f = this.fanout;
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(a: T, per: number, make: (n: number) => T): T => {
      const b = make(capacity * per);
      b.set(a.subarray(0, this.count * per));
      return b;
    };
    this.minBounds = copy(this.minBounds, d, (n) => new Float64Array(n));
    this.maxBounds = copy(this.maxBounds, d, (n) => new Float64Array(n));
    this.center = copy(this.center, d, (n) => new Float64Array(n));
    this.barycenter = copy(this.barycenter, d, (n) => new Float64Array(n));
    this.squaredMaxWidth = copy(this.squaredMaxWidth, 1, (n) => new Float64Array(n));
    this.size = copy(this.size, 1, (n) => new Int32Array(n));
    this.isLeaf = copy(this.isLeaf, 1, (n) => new Uint8Array(n));
    this.children = copy(this.children, f, (n) => new Int32Array(n));
    this.capacity = capacity;
  }

  private newCell(): number {
    if (this.count === this.capacity) this.grow(2 * this.capacity);
    const c = this.count++;
    this.isLeaf[c] = 1;
    this.size[c] = 0;
    this.squaredMaxWidth[c] = 0;
    this.children.fill(-1, c * this.fanout, (c + 1) * this.fanout);
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
      this.minBounds[root * d + a] = lo;
      this.maxBounds[root * d + a] = hi;
      this.center[root * d + a] = (lo + hi) / 2;
      sq = Math.max(sq, (hi - lo) * (hi - lo));
    }
    this.squaredMaxWidth[root] = sq;
    for (let i = 0; i < n; i++) this.insert(Y, i * d);
  }

  private insert(Y: Float64Array, p: number): void {
    const d = this.dims;
    let cell = 0;
    for (;;) {
      const n = this.size[cell];
      if (n === 0) {
        this.size[cell] = 1;
        for (let a = 0; a < d; a++) this.barycenter[cell * d + a] = Y[p + a];
        return;
      }
      if (!this.isLeaf[cell]) {
        for (let a = 0; a < d; a++) this.barycenter[cell * d + a] = (n * this.barycenter[cell * d + a] + Y[p + a]) / (n + 1);
        this.size[cell] = n + 1;
        const slot = this.childSlot(cell, Y, p);
        const child = this.children[cell * this.fanout + slot];
        if (child === -1) {
          this.newChild(cell, slot, Y, p, 1);
          return;
        }
        cell = child;
        continue;
      }
      // a leaf holding points: a duplicate joins it, anything else splits it
      let duplicate = true;
      for (let a = 0; a < d; a++) duplicate &&= Math.abs(Y[p + a] - this.barycenter[cell * d + a]) <= EPSILON;
      if (duplicate) {
        this.size[cell] = n + 1;
        return;
      }
      const slot = this.childSlot(cell, this.barycenter, cell * d);
      this.newChild(cell, slot, this.barycenter, cell * d, n);
      // the cell is now internal with the old points in one child; insert the new point again
    }
  }

  private childSlot(cell: number, P: Float64Array, p: number): number {
    let slot = 0;
    for (let a = 0; a < this.dims; a++) slot = 2 * slot + (P[p + a] >= this.center[cell * this.dims + a] ? 1 : 0);
    return slot;
  }

  /** Creates the child `slot` of `cell` holding `size` points at P[p..]; `cell` becomes internal. */
  private newChild(cell: number, slot: number, P: Float64Array, p: number, size: number): void {
    const d = this.dims;
    const point = Array.from({ length: d }, (_, a) => P[p + a]); // P may be reallocated by newCell
    const child = this.newCell();
    this.isLeaf[cell] = 0;
    let sq = 0;
    for (let a = 0; a < d; a++) {
      const c = this.center[cell * d + a];
      const upper = point[a] >= c;
      const lo = upper ? c : this.minBounds[cell * d + a];
      const hi = upper ? this.maxBounds[cell * d + a] : c;
      this.minBounds[child * d + a] = lo;
      this.maxBounds[child * d + a] = hi;
      this.center[child * d + a] = (lo + hi) / 2;
      this.barycenter[child * d + a] = point[a];
      sq = Math.max(sq, (hi - lo) * (hi - lo));
    }
    this.squaredMaxWidth[child] = sq;
    this.size[child] = size;
    this.children[cell * this.fanout + slot] = child;
  }

  /**
   * The Barnes–Hut negative force on point y (Y[p..]) and its share of the normaliser Z:
   * walks the tree as scikit-learn's `summarize`, treating a cell as one body when it is a leaf or
   * when width²/distance² < θ², skipping the leaf that holds y itself (and its duplicates). For each
   * body of `size` points at squared distance d²: q = (dof/(dof + d²))^((dof+1)/2), Z += size·q,
   * force += size·q²·(y − barycentre). Adds into force[0..dims) and returns the Z contribution.
   */
  negativeForce(Y: Float64Array, p: number, squaredTheta: number, dof: number, force: Float64Array): number {
    const d = this.dims;
    const f = this.fanout;
    const stack = this.stack;
    const exponent = (dof + 1) / 2;
    let top = 0;
    stack[top++] = 0;
    let z = 0;
    const y0 = Y[p];
    const y1 = d > 1 ? Y[p + 1] : 0;
    const y2 = d > 2 ? Y[p + 2] : 0;
    while (top > 0) {
      const cell = stack[--top];
      const b = cell * d;
      const dx = y0 - this.barycenter[b];
      const dy = d > 1 ? y1 - this.barycenter[b + 1] : 0;
      const dz = d > 2 ? y2 - this.barycenter[b + 2] : 0;
      const dist2 = dx * dx + dy * dy + dz * dz;
      const leaf = this.isLeaf[cell] === 1;
      if (leaf && Math.abs(dx) <= EPSILON && Math.abs(dy) <= EPSILON && Math.abs(dz) <= EPSILON) continue;
      if (leaf || this.squaredMaxWidth[cell] / dist2 < squaredTheta) {
        const size = this.size[cell];
        let q = dof / (dof + dist2);
        if (dof !== 1) q = q ** exponent;
        z += size * q;
        const mult = size * q * q;
        force[0] += mult * dx;
        if (d > 1) force[1] += mult * dy;
        if (d > 2) force[2] += mult * dz;
        continue;
      }
      // children in reverse, so they are visited in order 0, 1, … as scikit-learn's recursion does
      for (let c = f - 1; c >= 0; c--) {
        const child = this.children[cell * f + c];
        if (child !== -1) stack[top++] = child;
      }
    }
    return z;
  }
}
