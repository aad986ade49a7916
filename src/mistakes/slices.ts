import { fail, formatValue } from '../errors.js';
import { benjaminiHochberg } from '../shift/multipleTesting.js';
import { wilsonInterval } from '../shift/subgroups.js';
import type { Column } from '../shift/table.js';
import { hypergeometricSf } from './hypergeometric.js';
import { type BinningOptions, columnPredicates, formatPredicate, type Predicate, type PredicateRows, popcount } from './predicates.js';

export interface SliceOptions extends BinningOptions {
  /** Most predicates in one slice (default 3). */
  readonly maxLevel?: number;
  /** Fewest rows in a slice (SliceLine's σ; default max(20, 1 % of the rows)). */
  readonly minSupport?: number;
  /** False-discovery rate of the Benjamini–Hochberg procedure over all tested slices (default 0.05). */
  readonly alpha?: number;
  /** SliceLine's weight of the error term against the size term in the score (default 0.95). */
  readonly scoreWeight?: number;
  /** How many significant slices to report (default 10). */
  readonly topK?: number;
  /** Stop adding levels when a level would test more slices than this (default 2,000,000). */
  readonly maxCandidates?: number;
}

export interface Slice {
  readonly predicates: readonly Predicate[];
  /** `region = north AND age ∈ [60, 75)`. */
  readonly description: string;
  readonly size: number;
  readonly errors: number;
  readonly errorRate: number;
  /** Wilson 95 % interval of the error rate. */
  readonly ci: [number, number];
  /** Error rate of the rows outside the slice. */
  readonly restErrorRate: number;
  /** One-sided Fisher exact test that the slice holds more errors than chance (hypergeometric tail). */
  readonly pvalue: number;
  /** Benjamini–Hochberg adjusted over every tested slice. */
  readonly pvalueAdjusted: number;
  /** SliceLine's score α(ē_S/ē − 1) − (1 − α)(n/|S| − 1): error excess traded against size. */
  readonly score: number;
}

export interface SliceReport {
  readonly n: number;
  readonly errors: number;
  readonly errorRate: number;
  /**
   * Significant slices (BH-adjusted p < alpha), best SliceLine score first, at most topK; of a slice and a
   * refinement whose error rate it already reaches, only the simpler one is listed.
   */
  readonly slices: Slice[];
  /** How many slices were tested (the size of the BH family). */
  readonly tested: number;
  /** Highest level searched (lower than maxLevel when the candidate budget stopped the search). */
  readonly levels: number;
  readonly minSupport: number;
  readonly alpha: number;
  readonly features: string[];
}

interface Candidate {
  readonly parts: readonly number[];
  readonly size: number;
  readonly errors: number;
}

const FN = 'findSlices';

/**
 * Where does a model fail? SliceLine-style slice finding (Sagadeeva & Boehm, "SliceLine: Fast,
 * Linear-Algebra-based Slice Finding for ML Model Debugging", SIGMOD 2021): every conjunction of up to
 * `maxLevel` predicates on different features (categorical values, quantile ranges of numeric
 * features, missing values) with at least `minSupport` rows is a slice; its errors are counted
 * with bitsets, level by level (a slice is extended only when all its sub-slices have enough rows,
 * as in Apriori). Each slice is tested for an error rate above chance with a one-sided Fisher exact
 * test (hypergeometric tail), and the p-values of every tested slice are adjusted together by
 * Benjamini–Hochberg, so on data where errors do not depend on the features no slice is reported
 * (false-alarm rate measured in the tests). Significant slices are ranked by SliceLine's score.
 *
 * The family of tests depends only on the features and the support threshold, never on the errors,
 * so the adjustment is honest; SliceLine's score-based pruning (which looks at errors) is not used.
 */
export function findSlices(features: readonly Column[], errors: ArrayLike<number | boolean>, options: SliceOptions = {}): SliceReport {
  const n = errors.length;
  if (n < 2) fail({ fn: FN, argument: 'errors', value: `${n} rows`, rule: 'slice finding needs at least 2 rows' });
  if (features.length === 0) fail({ fn: FN, argument: 'features', value: 'none', rule: 'at least one feature is needed to describe slices' });
  for (const c of features)
    if (c.values.length !== n)
      fail({ fn: FN, argument: `features (${c.name})`, value: `${c.values.length} rows`, rule: `every feature needs one value per row (${n})` });
  const maxLevel = options.maxLevel ?? 3;
  const minSupport = options.minSupport ?? Math.max(20, Math.ceil(0.01 * n));
  const alpha = options.alpha ?? 0.05;
  const weight = options.scoreWeight ?? 0.95;
  const topK = options.topK ?? 10;
  const budget = options.maxCandidates ?? 2_000_000;
  if (!(Number.isInteger(maxLevel) && maxLevel >= 1))
    fail({ fn: FN, argument: 'maxLevel', value: formatValue(maxLevel), rule: 'it must be a positive integer' });
  if (!(Number.isInteger(minSupport) && minSupport >= 1))
    fail({ fn: FN, argument: 'minSupport', value: formatValue(minSupport), rule: 'it must be a positive integer' });
  if (!(alpha > 0 && alpha < 1)) fail({ fn: FN, argument: 'alpha', value: formatValue(alpha), rule: 'it must lie in (0, 1)' });
  if (!(weight > 0 && weight <= 1)) fail({ fn: FN, argument: 'scoreWeight', value: formatValue(weight), rule: 'it must lie in (0, 1]' });

  const words = (n + 31) >>> 5;
  const errBits = new Uint32Array(words);
  let totalErrors = 0;
  for (let i = 0; i < n; i++) {
    const e = errors[i];
    if (e !== 0 && e !== 1 && e !== true && e !== false)
      fail({ fn: FN, argument: 'errors', value: `${formatValue(e)} at row ${i}`, rule: 'each row is an error (1/true) or not (0/false)' });
    if (e === 1 || e === true) {
      errBits[i >>> 5] |= 1 << (i & 31);
      totalErrors++;
    }
  }
  const predicates = features.flatMap((c, f) => columnPredicates(c, f, options)).filter((p) => p.size >= minSupport);
  const countErrors = (rows: Uint32Array): number => {
    let e = 0;
    for (let w = 0; w < words; w++) e += popcount(rows[w] & errBits[w]);
    return e;
  };
  const tested: Candidate[] = predicates.map((p, i) => ({ parts: [i], size: p.size, errors: countErrors(p.rows) }));
  let levels = 1;

  // Level 2: pairs of predicates on different features; rows kept for extension.
  let pairs: { a: number; b: number; rows: Uint32Array; size: number }[] = [];
  const nPairs = (predicates.length * (predicates.length - 1)) / 2;
  if (maxLevel >= 2 && nPairs <= budget) {
    levels = 2;
    for (let a = 0; a < predicates.length; a++)
      for (let b = a + 1; b < predicates.length; b++) {
        const pa = predicates[a];
        const pb = predicates[b];
        if (pa.featureIndex === pb.featureIndex) continue;
        const rows = new Uint32Array(words);
        let size = 0;
        for (let w = 0; w < words; w++) {
          rows[w] = pa.rows[w] & pb.rows[w];
          size += popcount(rows[w]);
        }
        // too small, or the same rows as a parent (one predicate implies the other)
        if (size < minSupport || size === pa.size || size === pb.size) continue;
        pairs.push({ a, b, rows, size });
        tested.push({ parts: [a, b], size, errors: countErrors(rows) });
      }
  }

  // Level 3: a valid pair (a, b) extended by c > b on a third feature when (a, c) and (b, c) are valid.
  if (maxLevel >= 3 && levels === 2) {
    const valid = new Map<number, number>();
    for (let i = 0; i < pairs.length; i++) valid.set(pairs[i].a * predicates.length + pairs[i].b, i);
    let estimate = 0;
    for (const p of pairs)
      for (let c = p.b + 1; c < predicates.length; c++) if (valid.has(p.a * predicates.length + c) && valid.has(p.b * predicates.length + c)) estimate++;
    if (estimate <= budget) {
      levels = 3;
      for (const p of pairs) {
        for (let c = p.b + 1; c < predicates.length; c++) {
          const ac = valid.get(p.a * predicates.length + c);
          const bc = valid.get(p.b * predicates.length + c);
          if (ac === undefined || bc === undefined) continue;
          const pc = predicates[c];
          if (pc.featureIndex === predicates[p.a].featureIndex || pc.featureIndex === predicates[p.b].featureIndex) continue;
          let size = 0;
          let errs = 0;
          for (let w = 0; w < words; w++) {
            const r = p.rows[w] & pc.rows[w];
            size += popcount(r);
            errs += popcount(r & errBits[w]);
          }
          if (size < minSupport || size === p.size || size === pairs[ac].size || size === pairs[bc].size) continue;
          tested.push({ parts: [p.a, p.b, c], size, errors: errs });
        }
      }
    }
  }
  pairs = [];

  const rate = totalErrors / n;
  const pvalues = tested.map((s) => hypergeometricSf(s.errors, n, totalErrors, s.size));
  const adjusted = tested.length > 0 ? benjaminiHochberg(pvalues) : [];
  const slices: Slice[] = [];
  tested.forEach((s, i) => {
    const errorRate = s.errors / s.size;
    if (!(adjusted[i] < alpha) || errorRate <= rate) return;
    const preds = s.parts.map((t) => predicates[t].predicate);
    slices.push({
      predicates: preds,
      description: preds.map(formatPredicate).join(' AND '),
      size: s.size,
      errors: s.errors,
      errorRate,
      ci: wilsonInterval(s.errors, s.size),
      restErrorRate: n > s.size ? (totalErrors - s.errors) / (n - s.size) : 0,
      pvalue: pvalues[i],
      pvalueAdjusted: adjusted[i],
      score: rate > 0 ? weight * (errorRate / rate - 1) - (1 - weight) * (n / s.size - 1) : 0,
    });
  });
  slices.sort((x, y) => y.score - x.score || x.pvalue - y.pvalue || x.predicates.length - y.predicates.length);
  // A slice and a refinement of it (more predicates) whose error rate the simpler slice already
  // reaches (inside the refinement's Wilson interval) are one finding: keep the simpler slice, in
  // the rank of the better of the two.
  const shown: Slice[] = [];
  const key = (p: Predicate): string => JSON.stringify(p);
  const refines = (fine: Slice, coarse: Slice): boolean => {
    if (coarse.predicates.length >= fine.predicates.length) return false;
    const mine = new Set(fine.predicates.map(key));
    return coarse.predicates.every((p) => mine.has(key(p))) && coarse.errorRate >= fine.ci[0];
  };
  for (const s of slices) {
    if (shown.length === topK) break;
    if (shown.some((t) => refines(s, t))) continue;
    const child = shown.findIndex((t) => refines(t, s));
    if (child >= 0) shown[child] = s;
    else shown.push(s);
  }
  return {
    n,
    errors: totalErrors,
    errorRate: rate,
    slices: shown,
    tested: tested.length,
    levels,
    minSupport,
    alpha,
    features: features.map((c) => c.name),
  };
}

export type { Predicate, PredicateRows };
