/** Counting sort is used when the values are integers spanning at most this many values (and at most 4·n). */
const COUNTING_RANGE = 1 << 16;

/**
 * The non-missing values of a numeric column in ascending order (NaN dropped), as a fresh
 * Float64Array. Columns of small integers — pixels 0…255, counts, ages, codes — are sorted by
 * counting in O(n + range), about ten times faster than a comparison sort on 60,000 rows; anything
 * else goes through the typed-array sort. Both give the same array (−0 comes out as 0 from the
 * counting path, which no rank statistic can tell apart).
 */
export function sortedFinite(values: Float64Array): Float64Array {
  const n = values.length;
  let lo = Infinity;
  let hi = -Infinity;
  let integers = true;
  let finite = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) continue; // NaN: missing
    finite++;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (integers && Math.floor(v) !== v) integers = false;
  }
  if (finite === 0) return new Float64Array(0);
  const range = hi - lo + 1;
  if (integers && range <= COUNTING_RANGE && range <= 4 * n + 16) {
    const counts = new Int32Array(range);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === v) counts[v - lo]++;
    }
    const out = new Float64Array(finite);
    let k = 0;
    for (let c = 0; c < range; c++) {
      const m = counts[c];
      if (m === 0) continue;
      out.fill(c + lo, k, k + m);
      k += m;
    }
    return out;
  }
  const sorted = values.slice().sort();
  return finite === n ? sorted : sorted.subarray(0, finite);
}
