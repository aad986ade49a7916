/** Small statistics for the benchmark tables. */

/** The q-quantile (0 ≤ q ≤ 1) of `values` by the nearest-rank rule used in ../shared/peers. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Relative agreement of a check value with the reference: |a − b| ≤ atol + rtol·|b|. */
export function agrees(a: number, b: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

/** Formats a number with about three significant digits. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  if (a >= 100) return x.toFixed(1);
  if (a >= 10) return x.toFixed(2);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}
