import { fail, formatValue } from '../errors.js';
import type { Column } from '../shift/table.js';

/** One condition on one feature: a categorical value, a numeric range [lo, hi), or "missing". */
export type Predicate =
  | { readonly feature: string; readonly kind: 'equals'; readonly value: string }
  | { readonly feature: string; readonly kind: 'range'; readonly lo: number; readonly hi: number }
  | { readonly feature: string; readonly kind: 'missing' };

/** A predicate with the rows it selects, as a bitset (bit i of word i >> 5). */
export interface PredicateRows {
  readonly predicate: Predicate;
  /** Index of the feature (predicates of one feature are never combined). */
  readonly featureIndex: number;
  readonly rows: Uint32Array;
  readonly size: number;
}

export interface BinningOptions {
  /** Quantile bins per numeric feature (default 5: quintiles). */
  readonly bins?: number;
  /** Numeric features with at most this many distinct values get one predicate per value (default 10). */
  readonly maxDistinctAsLevels?: number;
  /** Most frequent categorical levels kept per feature (default 20); the rest form no predicate. */
  readonly maxLevels?: number;
}

/** Human-readable form: `colour = red`, `age ∈ [30, 45)`, `age ≥ 60`, `income is missing`. */
export function formatPredicate(p: Predicate): string {
  if (p.kind === 'equals') return `${p.feature} = ${p.value}`;
  if (p.kind === 'missing') return `${p.feature} is missing`;
  const num = (v: number): string => String(Number(v.toPrecision(6)));
  if (p.lo === -Infinity) return `${p.feature} < ${num(p.hi)}`;
  if (p.hi === Infinity) return `${p.feature} ≥ ${num(p.lo)}`;
  return `${p.feature} ∈ [${num(p.lo)}, ${num(p.hi)})`;
}

/** Numeric quantile (NumPy's default 'linear') of sorted values. */
function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * The predicates of one column, SliceLine-style recoding (Sagadeeva & Boehm 2021): categorical
 * columns give one predicate per frequent level; numeric columns with few distinct values give one
 * per value; other numeric columns are cut at their quantiles into `bins` ranges [lo, hi) (edges
 * deduplicated, the outer bins open-ended); missing values form their own predicate.
 */
export function columnPredicates(column: Column, featureIndex: number, options: BinningOptions = {}): PredicateRows[] {
  const bins = options.bins ?? 5;
  const maxDistinct = options.maxDistinctAsLevels ?? 10;
  const maxLevels = options.maxLevels ?? 20;
  if (!(Number.isInteger(bins) && bins >= 2)) fail({ fn: 'columnPredicates', argument: 'bins', value: formatValue(bins), rule: 'it must be an integer ≥ 2' });
  const n = column.values.length;
  const words = (n + 31) >>> 5;
  const out: PredicateRows[] = [];
  const make = (predicate: Predicate, test: (i: number) => boolean): void => {
    const rows = new Uint32Array(words);
    let size = 0;
    for (let i = 0; i < n; i++)
      if (test(i)) {
        rows[i >>> 5] |= 1 << (i & 31);
        size++;
      }
    if (size > 0 && size < n) out.push({ predicate, featureIndex, rows, size });
  };
  const feature = column.name;
  if (column.kind === 'categorical') {
    const counts = new Map<string, number>();
    for (const v of column.values) if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
    const levels = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, maxLevels)
      .map(([v]) => v);
    for (const value of levels) make({ feature, kind: 'equals', value }, (i) => column.values[i] === value);
    if (counts.size < n && column.values.some((v) => v === '')) make({ feature, kind: 'missing' }, (i) => column.values[i] === '');
    return out;
  }
  const values = column.values;
  const finite = Float64Array.from(values.filter((v) => !Number.isNaN(v))).sort();
  const distinct = [...new Set(finite)];
  if (distinct.length <= maxDistinct) {
    for (const v of distinct) make({ feature, kind: 'equals', value: String(v) }, (i) => values[i] === v);
  } else {
    const edges = [...new Set(Array.from({ length: bins - 1 }, (_, b) => quantileSorted(finite, (b + 1) / bins)))];
    const cuts = [-Infinity, ...edges, Infinity];
    for (let b = 0; b + 1 < cuts.length; b++) {
      const lo = cuts[b];
      const hi = cuts[b + 1];
      make({ feature, kind: 'range', lo, hi }, (i) => values[i] >= lo && values[i] < hi);
    }
  }
  if (finite.length < n) make({ feature, kind: 'missing' }, (i) => Number.isNaN(values[i]));
  return out;
}

/** Number of set bits. */
export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
