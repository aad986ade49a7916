// Barnes–Hut t-SNE in 2-D (one degree of freedom) and its exact nearest-neighbour search.
//
// The tree (scikit-learn's `_QuadTree`, as src/manifold/quadTree.ts builds it in TypeScript) is
// built here in two arrays of cells: build records of 48 bytes
//   [barycentre x, y (f64), squared max width (f64), size (f64), children 0..3 (i32, −1: none)]
// beside bounds of 32 bytes [lower x, lower y, upper x, upper y]; the walk then reads a copy laid
// out in depth-first preorder (children in order 0..3), 32 bytes a cell:
//   [barycentre x, y (f64), squared max width (f64; −1 marks a leaf), size (i32), next (i32)]
// where `next` is the cell after the subtree. Walking it needs no stack: opening a cell goes to the
// next record, summarising or skipping it jumps to `next`, which visits the cells in exactly the
// order of scikit-learn's recursion, so the sums are the same, term by term.
// Pointers are byte offsets into the module's memory.

import { gemm } from './gemm';

const EPSILON: f64 = 1e-6;
const BUILD: usize = 48;
const BOUNDS: usize = 32;
const WALK: usize = 32;

// @ts-ignore: decorator
@inline
function newCell(cells: usize, bounds: usize, c: i32): usize {
  const r = cells + <usize>c * BUILD;
  store<f64>(r, 0, 16);
  store<f64>(r, 0, 24);
  store<i64>(r, -1, 32);
  store<i64>(r, -1, 40);
  return r;
}

/**
 * Builds the quadtree over the n points of Y ([n, 2] f64) into `cells` / `bounds` (room for
 * `capacity` cells) and its preorder copy into `walk` (room for `capacity` records). Returns the
 * number of cells, or −1 when `capacity` was too small (the caller grows the arrays and calls again).
 */
export function tsneBuildTree2d(Y: usize, n: i32, cells: usize, bounds: usize, walk: usize, capacity: i32, stack: usize): i32 {
  if (capacity < 1) return -1;
  let count: i32 = 1;
  const root = newCell(cells, bounds, 0);
  let sq: f64 = 0;
  for (let a = 0; a < 2; a++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = load<f64>(Y + ((<usize>i * 2 + a) << 3));
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    // scikit-learn: M = max(M·(1 + 1e-3·sign(M)), M + 1e-3), so every point lies strictly inside
    hi = max<f64>(hi * (1 + 1e-3 * Math.sign(hi)), hi + 1e-3);
    store<f64>(bounds + (<usize>a << 3), lo);
    store<f64>(bounds + (<usize>a << 3), hi, 16);
    sq = max<f64>(sq, (hi - lo) * (hi - lo));
  }
  store<f64>(root, sq, 16);
  for (let i = 0; i < n; i++) {
    const y0 = load<f64>(Y + (<usize>i << 4));
    const y1 = load<f64>(Y + (<usize>i << 4), 8);
    let cell: i32 = 0;
    for (;;) {
      const r = cells + <usize>cell * BUILD;
      const b = bounds + <usize>cell * BOUNDS;
      const size = load<f64>(r, 24);
      if (size == 0) {
        store<f64>(r, 1, 24);
        store<f64>(r, y0);
        store<f64>(r, y1, 8);
        break;
      }
      const leaf = (load<i64>(r, 32) & load<i64>(r, 40)) == -1;
      let p0 = y0;
      let p1 = y1;
      let childSize = size;
      if (!leaf) {
        store<f64>(r, (size * load<f64>(r) + y0) / (size + 1));
        store<f64>(r, (size * load<f64>(r, 8) + y1) / (size + 1), 8);
        store<f64>(r, size + 1, 24);
        childSize = 1;
      } else {
        // a leaf holding points: a duplicate joins it, anything else splits it
        const bx = load<f64>(r);
        const by = load<f64>(r, 8);
        if (abs<f64>(y0 - bx) <= EPSILON && abs<f64>(y1 - by) <= EPSILON) {
          store<f64>(r, size + 1, 24);
          break;
        }
        p0 = bx;
        p1 = by;
      }
      const lo0 = load<f64>(b);
      const lo1 = load<f64>(b, 8);
      const hi0 = load<f64>(b, 16);
      const hi1 = load<f64>(b, 24);
      const m0 = (lo0 + hi0) / 2;
      const m1 = (lo1 + hi1) / 2;
      const up0 = p0 >= m0;
      const up1 = p1 >= m1;
      const slot: usize = ((up0 ? 2 : 0) + (up1 ? 1 : 0)) << 2;
      const child = load<i32>(r + slot, 32);
      if (!leaf && child != -1) {
        cell = child;
        continue;
      }
      // a new child in `slot` holding childSize points at (p0, p1); the cell becomes internal
      if (count == capacity) return -1;
      const c = count++;
      const cr = newCell(cells, bounds, c);
      const cb = bounds + <usize>c * BOUNDS;
      const clo0 = up0 ? m0 : lo0;
      const chi0 = up0 ? hi0 : m0;
      const clo1 = up1 ? m1 : lo1;
      const chi1 = up1 ? hi1 : m1;
      store<f64>(cb, clo0);
      store<f64>(cb, clo1, 8);
      store<f64>(cb, chi0, 16);
      store<f64>(cb, chi1, 24);
      store<f64>(cr, p0);
      store<f64>(cr, p1, 8);
      store<f64>(cr, max<f64>(max<f64>(0, (chi0 - clo0) * (chi0 - clo0)), (chi1 - clo1) * (chi1 - clo1)), 16);
      store<f64>(cr, childSize, 24);
      store<i32>(r + slot, c, 32);
      if (!leaf) break;
      // the split leaf is now internal with its old points in one child: insert the point again
    }
  }
  // the preorder copy for the walk (children pushed 3, 2, 1, 0 so that 0 comes first)
  let top: i32 = 1;
  store<i32>(stack, 0);
  let out: i32 = 0;
  // `next` of a cell is known once its subtree is written: keep (walk index) on a second stack
  const pending = stack + (<usize>capacity << 2);
  let open: i32 = 0;
  while (top > 0) {
    top--;
    const cell = load<i32>(stack + (<usize>top << 2));
    // every pending cell whose subtree has ended before this one gets next = out
    while (open > 0) {
      const w = load<i32>(pending + (<usize>(open - 1) << 3));
      const end = load<i32>(pending + (<usize>(open - 1) << 3), 4);
      if (top >= end) break;
      store<i32>(walk + <usize>w * WALK, out, 28);
      open--;
    }
    const r = cells + <usize>cell * BUILD;
    const wr = walk + <usize>out * WALK;
    store<f64>(wr, load<f64>(r));
    store<f64>(wr, load<f64>(r, 8), 8);
    store<i32>(wr, <i32>load<f64>(r, 24), 24);
    const leaf = (load<i64>(r, 32) & load<i64>(r, 40)) == -1;
    if (leaf) {
      store<f64>(wr, -1, 16);
      store<i32>(wr, out + 1, 28);
    } else {
      store<f64>(wr, load<f64>(r, 16), 16);
      // its subtree ends when the stack falls back to `top` entries
      store<i32>(pending + (<usize>open << 3), out);
      store<i32>(pending + (<usize>open << 3), top, 4);
      open++;
      for (let s = 3; s >= 0; s--) {
        const child = load<i32>(r + (<usize>s << 2), 32);
        if (child != -1) {
          store<i32>(stack + (<usize>top << 2), child);
          top++;
        }
      }
    }
    out++;
  }
  while (open > 0) {
    open--;
    store<i32>(walk + <usize>load<i32>(pending + (<usize>open << 3)) * WALK, out, 28);
  }
  return count;
}

/** Bytes of the `stack` argument of `tsneBuildTree2d` for `capacity` cells. */
export function tsneTreeStackBytes(capacity: i32): i32 {
  return capacity * 12 + 64;
}

/**
 * For the points t0 ≤ t < t1 of Y ([n, 2] f64) — point i = order[t] when `order` ≠ 0, else i = t —
 * walks the preorder tree from the root, summarising a cell when it is a leaf or when
 * width² < θ²·distance² (skipping the leaf that holds the point itself), and accumulates
 * q = 1/(1 + d²), Z += size·q and force += size·q²·(y − barycentre). Writes the force into out
 * ([n, 2] f64) and the point's Z into z ([n] f64): the caller sums z in index order, so the total is
 * the same whichever thread ran which points.
 */
export function tsneRepulsion2d(walk: usize, Y: usize, order: usize, t0: i32, t1: i32, squaredTheta: f64, out: usize, z: usize): void {
  for (let t = t0; t < t1; t++) {
    const i: usize = order ? <usize>load<i32>(order + (<usize>t << 2)) : <usize>t;
    const yp = Y + (i << 4);
    const y0 = load<f64>(yp);
    const y1 = load<f64>(yp, 8);
    let zi: f64 = 0;
    let f0: f64 = 0;
    let f1: f64 = 0;
    let cell: i32 = 0;
    // the root's next is the number of cells
    const end = load<i32>(walk, 28);
    while (cell < end) {
      const r = walk + <usize>cell * WALK;
      const dx = y0 - load<f64>(r);
      const dy = y1 - load<f64>(r, 8);
      const d2 = dx * dx + dy * dy;
      const w2 = load<f64>(r, 16);
      if (w2 < 0) {
        if (abs<f64>(dx) <= EPSILON && abs<f64>(dy) <= EPSILON) {
          cell++;
          continue;
        }
      } else if (w2 >= squaredTheta * d2) {
        cell++;
        continue;
      }
      const size = <f64>load<i32>(r, 24);
      const q = 1 / (1 + d2);
      zi += size * q;
      const m = size * q * q;
      f0 += m * dx;
      f1 += m * dy;
      cell = load<i32>(r, 28);
    }
    const op = out + (i << 4);
    store<f64>(op, f0);
    store<f64>(op, f1, 8);
    store<f64>(z + (i << 3), zi);
  }
}

/**
 * The attractive forces of t-SNE in 2-D over the sparse joint probabilities P (CSR: indptr [n + 1],
 * indices, data as int32 / int32 / float64) for rows i0 ≤ i < i1: force_i = Σ_j p_ij·q_ij·(y_i − y_j)
 * with q_ij = 1/(1 + ‖y_i − y_j‖²). Writes the forces into out ([n, 2] float64). When `sumQ` > 0
 * also returns the KL estimate Σ p·log(max(p, tiny)/max(q/sumQ, tiny)) over those rows
 * (scikit-learn's Barnes–Hut error), else 0.
 */
export function tsneAttraction2d(indptr: usize, indices: usize, data: usize, Y: usize, i0: i32, i1: i32, sumQ: f64, out: usize): f64 {
  const tiny: f64 = 1.1754943508222875e-38;
  let C: f64 = 0;
  for (let i = i0; i < i1; i++) {
    const yp = Y + (<usize>i << 4);
    const y0 = load<f64>(yp);
    const y1 = load<f64>(yp, 8);
    let g0: f64 = 0;
    let g1: f64 = 0;
    const t1 = load<i32>(indptr + (<usize>(i + 1) << 2));
    if (sumQ > 0) {
      for (let t = load<i32>(indptr + (<usize>i << 2)); t < t1; t++) {
        const j = <usize>load<i32>(indices + (<usize>t << 2));
        const p = load<f64>(data + (<usize>t << 3));
        const jp = Y + (j << 4);
        const dx = y0 - load<f64>(jp);
        const dy = y1 - load<f64>(jp, 8);
        const q = 1 / (1 + dx * dx + dy * dy);
        C += p * Math.log(max<f64>(p, tiny) / max<f64>(q / sumQ, tiny));
        const m = p * q;
        g0 += m * dx;
        g1 += m * dy;
      }
    } else {
      for (let t = load<i32>(indptr + (<usize>i << 2)); t < t1; t++) {
        const j = <usize>load<i32>(indices + (<usize>t << 2));
        const p = load<f64>(data + (<usize>t << 3));
        const jp = Y + (j << 4);
        const dx = y0 - load<f64>(jp);
        const dy = y1 - load<f64>(jp, 8);
        const m = p * (1 / (1 + dx * dx + dy * dy));
        g0 += m * dx;
        g1 += m * dy;
      }
    }
    const op = out + (<usize>i << 4);
    store<f64>(op, g0);
    store<f64>(op, g1, 8);
  }
  return C;
}

/** Rows of X whose products one `tsneNeighbors` step computes (a multiple of the GEMM's 4-row tiles). */
const NN_BLOCK: i32 = 128;

/** Bytes of the `work` argument of `tsneNeighbors` for n rows and m candidates (the GEMM's packing scratch not included). */
export function tsneNeighborsWorkBytes(n: i32, m: i32): i32 {
  return NN_BLOCK * n * 4 + m * 24 + 64;
}

// @ts-ignore: decorator
@inline
function worse(d1: f64, j1: i32, d2: f64, j2: i32): bool {
  return d1 > d2 || (d1 == d2 && j1 > j2);
}

/**
 * Exact k nearest neighbours (Euclidean, itself excluded, nearest first, ties to the lower index)
 * of rows r0 ≤ i < r1 (r0 a multiple of 4) of X, as src/manifold/neighbors.ts describes: the
 * float32 products of a block of 128 rows with every row (`gemm`, X32 [n, d]) screen the m = k + 8
 * best candidates by ‖xᵢ‖² + ‖xⱼ‖² − 2 xᵢ·xⱼ (norms [n] f64, ties to the lower index), whose float64
 * distances (X64 [n, d], the dot product summed in order) then rank them. Writes indices (i32) and
 * squared distances (f64) into outIdx / outD ([n, k]). A row's result does not depend on r0, r1.
 */
export function tsneNeighbors(
  X32: usize,
  X64: usize,
  norms: usize,
  n: i32,
  d: i32,
  r0: i32,
  r1: i32,
  k: i32,
  m: i32,
  outIdx: usize,
  outD: usize,
  work: usize,
  scratch: usize,
): void {
  const dots = work;
  const heapD = dots + (<usize>(NN_BLOCK * n) << 2);
  const heapI = heapD + (<usize>m << 3);
  const exact = heapI + (<usize>m << 2);
  const order = exact + (<usize>m << 3);
  const rowBytes = <usize>d << 3;
  for (let b0 = r0; b0 < r1; b0 += NN_BLOCK) {
    const rows = min(NN_BLOCK, r1 - b0);
    gemm(0, 1, rows, n, d, X32 + (<usize>b0 * <usize>d << 2), d, X32, d, dots, n, 0, scratch);
    for (let i = b0; i < b0 + rows; i++) {
      const ni = load<f64>(norms + (<usize>i << 3));
      const o = dots + (<usize>((i - b0) * n) << 2);
      // the m smallest approximate distances in a bounded max-heap (worse = farther, then higher index)
      let size: i32 = 0;
      for (let j = 0; j < n; j++) {
        if (j == i) continue;
        const v = ni + load<f64>(norms + (<usize>j << 3)) - 2 * <f64>load<f32>(o + (<usize>j << 2));
        if (size < m) {
          let c = size++;
          while (c > 0) {
            const p = (c - 1) >> 1;
            const pd = load<f64>(heapD + (<usize>p << 3));
            const pj = load<i32>(heapI + (<usize>p << 2));
            if (!worse(v, j, pd, pj)) break;
            store<f64>(heapD + (<usize>c << 3), pd);
            store<i32>(heapI + (<usize>c << 2), pj);
            c = p;
          }
          store<f64>(heapD + (<usize>c << 3), v);
          store<i32>(heapI + (<usize>c << 2), j);
        } else if (worse(load<f64>(heapD), load<i32>(heapI), v, j)) {
          let p: i32 = 0;
          for (;;) {
            const l = 2 * p + 1;
            if (l >= size) break;
            let c = l;
            const r = l + 1;
            if (r < size && worse(load<f64>(heapD + (<usize>r << 3)), load<i32>(heapI + (<usize>r << 2)), load<f64>(heapD + (<usize>l << 3)), load<i32>(heapI + (<usize>l << 2)))) c = r;
            const cd = load<f64>(heapD + (<usize>c << 3));
            const cj = load<i32>(heapI + (<usize>c << 2));
            if (!worse(cd, cj, v, j)) break;
            store<f64>(heapD + (<usize>p << 3), cd);
            store<i32>(heapI + (<usize>p << 2), cj);
            p = c;
          }
          store<f64>(heapD + (<usize>p << 3), v);
          store<i32>(heapI + (<usize>p << 2), j);
        }
      }
      // float64 distances of the candidates (dot product in order, as scikit-learn's formula), insertion-sorted
      const xi = X64 + <usize>i * rowBytes;
      for (let t = 0; t < size; t++) {
        const j = load<i32>(heapI + (<usize>t << 2));
        const xj = X64 + <usize>j * rowBytes;
        let dot: f64 = 0;
        for (let a: usize = 0; a < rowBytes; a += 8) dot += load<f64>(xi + a) * load<f64>(xj + a);
        const e = max<f64>(ni + load<f64>(norms + (<usize>j << 3)) - 2 * dot, 0);
        let c = t;
        while (c > 0) {
          const pd = load<f64>(exact + (<usize>(c - 1) << 3));
          const pj = load<i32>(order + (<usize>(c - 1) << 2));
          if (!worse(pd, pj, e, j)) break;
          store<f64>(exact + (<usize>c << 3), pd);
          store<i32>(order + (<usize>c << 2), pj);
          c--;
        }
        store<f64>(exact + (<usize>c << 3), e);
        store<i32>(order + (<usize>c << 2), j);
      }
      const oi = <usize>i * <usize>k;
      for (let t = 0; t < k; t++) {
        store<i32>(outIdx + ((oi + <usize>t) << 2), load<i32>(order + (<usize>t << 2)));
        store<f64>(outD + ((oi + <usize>t) << 3), load<f64>(exact + (<usize>t << 3)));
      }
    }
  }
}
