// The repulsive forces of Barnes–Hut t-SNE in 2-D (src/manifold/quadTree.ts builds the tree; this
// walks it for every point). Cell records are 9 float64 values:
// [barycentre x, y, squared max width, size, leaf flag, children 0..3 (−1: none)].
// Pointers are byte offsets into the module's memory.

const EPSILON: f64 = 1e-6;
const RECORD: usize = 72;

/**
 * For each of the n points of Y ([n, 2] float64): walks the tree from the root, summarising a cell
 * when it is a leaf or when width² < θ²·distance² (skipping the leaf that holds the point itself),
 * and accumulates q = 1/(1 + d²), Z += size·q and force += size·q²·(y − barycentre). Writes the
 * forces into out ([n, 2] float64) and returns Σ Z. `stack` holds at least 256 int32 slots.
 */
export function tsneRepulsion2d(cells: usize, Y: usize, n: i32, squaredTheta: f64, stack: usize, out: usize): f64 {
  let sumQ: f64 = 0;
  for (let i = 0; i < n; i++) {
    const yp = Y + (<usize>i << 4);
    const y0 = load<f64>(yp);
    const y1 = load<f64>(yp, 8);
    store<i32>(stack, 0);
    let top: i32 = 1;
    let z: f64 = 0;
    let f0: f64 = 0;
    let f1: f64 = 0;
    while (top > 0) {
      top--;
      const r = cells + <usize>load<i32>(stack + (<usize>top << 2)) * RECORD;
      const dx = y0 - load<f64>(r);
      const dy = y1 - load<f64>(r, 8);
      const d2 = dx * dx + dy * dy;
      if (load<f64>(r, 32) == 1) {
        if (abs<f64>(dx) <= EPSILON && abs<f64>(dy) <= EPSILON) continue;
      } else if (load<f64>(r, 16) >= squaredTheta * d2) {
        // open the cell: children 3, 2, 1, 0 onto the stack so that 0 is visited first
        const c3 = load<f64>(r, 64);
        if (c3 >= 0) {
          store<i32>(stack + (<usize>top << 2), <i32>c3);
          top++;
        }
        const c2 = load<f64>(r, 56);
        if (c2 >= 0) {
          store<i32>(stack + (<usize>top << 2), <i32>c2);
          top++;
        }
        const c1 = load<f64>(r, 48);
        if (c1 >= 0) {
          store<i32>(stack + (<usize>top << 2), <i32>c1);
          top++;
        }
        const c0 = load<f64>(r, 40);
        if (c0 >= 0) {
          store<i32>(stack + (<usize>top << 2), <i32>c0);
          top++;
        }
        continue;
      }
      const size = load<f64>(r, 24);
      const q = 1 / (1 + d2);
      z += size * q;
      const m = size * q * q;
      f0 += m * dx;
      f1 += m * dy;
    }
    const op = out + (<usize>i << 4);
    store<f64>(op, f0);
    store<f64>(op, f1, 8);
    sumQ += z;
  }
  return sumQ;
}

/**
 * The attractive forces of t-SNE in 2-D over the sparse joint probabilities P (CSR: indptr [n + 1],
 * indices, data as int32 / int32 / float64): for each i, force_i = Σ_j p_ij·q_ij·(y_i − y_j) with
 * q_ij = 1/(1 + ‖y_i − y_j‖²). Writes the forces into out ([n, 2] float64). When `sumQ` > 0 also
 * returns the KL estimate Σ p·log(max(p, tiny)/max(q/sumQ, tiny)) (scikit-learn's Barnes–Hut error),
 * else 0.
 */
export function tsneAttraction2d(indptr: usize, indices: usize, data: usize, Y: usize, n: i32, sumQ: f64, out: usize): f64 {
  const tiny: f64 = 1.1754943508222875e-38;
  let C: f64 = 0;
  for (let i = 0; i < n; i++) {
    const yp = Y + (<usize>i << 4);
    const y0 = load<f64>(yp);
    const y1 = load<f64>(yp, 8);
    let g0: f64 = 0;
    let g1: f64 = 0;
    const t1 = load<i32>(indptr + (<usize>(i + 1) << 2));
    for (let t = load<i32>(indptr + (<usize>i << 2)); t < t1; t++) {
      const j = <usize>load<i32>(indices + (<usize>t << 2));
      const p = load<f64>(data + (<usize>t << 3));
      const jp = Y + (j << 4);
      const dx = y0 - load<f64>(jp);
      const dy = y1 - load<f64>(jp, 8);
      const q = 1 / (1 + dx * dx + dy * dy);
      if (sumQ > 0) C += p * Math.log(max<f64>(p, tiny) / max<f64>(q / sumQ, tiny));
      const m = p * q;
      g0 += m * dx;
      g1 += m * dy;
    }
    const op = out + (<usize>i << 4);
    store<f64>(op, g0);
    store<f64>(op, g1, 8);
  }
  return C;
}
