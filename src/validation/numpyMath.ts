/**
 * NumPy's float64 summation orders, reproduced so that scikit-learn's tie-breaking comparisons
 * (`StratifiedGroupKFold` compares standard deviations with `<` and `np.isclose`) come out the same
 * to the last bit. `np.add.reduce` over a contiguous 1-d run uses pairwise summation (blocks of 8
 * partial sums up to 128 elements, then halving); a reduction over axis 0 of a C-ordered matrix with
 * more than one column adds the rows in order.
 */

/** `np.add.reduce(a[start : start + n*stride : stride])` for a contiguous run (pairwise). */
export function pairwiseSum(a: ArrayLike<number>, start: number, n: number, stride = 1): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i * stride];
    return res;
  }
  if (n <= 128) {
    const r0 = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < 8; j++) r0[j] = a[start + j * stride];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r0[j] += a[start + (i + j) * stride];
    let res = r0[0] + r0[1] + (r0[2] + r0[3]) + (r0[4] + r0[5] + (r0[6] + r0[7]));
    for (; i < n; i++) res += a[start + i * stride];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2, stride) + pairwiseSum(a, start + n2 * stride, n - n2, stride);
}

/** `np.std(m, axis=0)` of a row-major `rows × cols` matrix (population std, ddof = 0). */
export function stdAxis0(m: Float64Array, rows: number, cols: number, out: Float64Array): Float64Array {
  for (let c = 0; c < cols; c++) {
    let mean: number;
    let ss: number;
    if (cols === 1) {
      mean = pairwiseSum(m, 0, rows) / rows;
      const sq = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        const d = m[r] - mean;
        sq[r] = d * d;
      }
      ss = pairwiseSum(sq, 0, rows);
    } else {
      let s = 0;
      for (let r = 0; r < rows; r++) s += m[r * cols + c];
      mean = s / rows;
      ss = 0;
      for (let r = 0; r < rows; r++) {
        const d = m[r * cols + c] - mean;
        ss += d * d;
      }
    }
    out[c] = Math.sqrt(ss / rows);
  }
  return out;
}

/** `np.std(row)` of one contiguous row `m[start : start + n]` (pairwise sums). */
export function stdRow(m: Float64Array, start: number, n: number, scratch: Float64Array): number {
  const mean = pairwiseSum(m, start, n) / n;
  for (let i = 0; i < n; i++) {
    const d = m[start + i] - mean;
    scratch[i] = d * d;
  }
  return Math.sqrt(pairwiseSum(scratch, 0, n) / n);
}

/** `np.isclose(a, b)` with the default rtol = 1e-5, atol = 1e-8. */
export function isClose(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
}
