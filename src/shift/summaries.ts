import { fail, formatValue } from '../errors.js';
import type { ShiftEvidence } from './analyze.js';
import { type ColumnEncoding, MAX_LEVELS } from './design.js';
import { categoricalFeatureTests, checkNumericColumn, compareMerged, type FeatureTests, numericFeatureTests } from './featureTests.js';
import { countBinsValues, histogramEdges, unionRange } from './histogram.js';
import { bbseFromCounts, labelClasses, labelShiftFromCounts } from './labels.js';
import { nearDuplicates } from './leakage.js';
import { psiEdges, psiFromCounts, psiRanks } from './psi.js';
import type { LabelsReport, ShiftReport } from './report.js';
import { SortedMerge } from './sortedMerge.js';
import { samePrediction, subgroupAccuracyFromCounts } from './subgroups.js';
import type { Column, Table } from './table.js';

/**
 * Mergeable summaries of one set (training or validation) — what `losslab shift --from-summaries`
 * reads, and what a warehouse (Spark SQL, Trino, DuckDB) can compute with the standard SQL of
 * docs/shift-report.md. Every part is exact and merges exactly: the summary of a union of
 * partitions is `mergeSummaries` of the partitions' summaries.
 *
 * - Numeric column: its distinct values with their counts (so KS, Wasserstein, PSI and the
 *   moments come out exactly as on the rows). Past `maxDistinct` distinct values the column falls
 *   back to a relative-accuracy sketch (DDSketch's buckets: sign and ⌈ln|x| / ln γ⌉, γ = (1+α)/(1−α)),
 *   whose statistics are those of the values moved to their bucket's centre, each by at most α·|x|.
 * - Categorical column, label, prediction, group: value counts; (prediction, label) and
 *   (group, prediction, label) counts for BBSE and subgroup accuracy.
 * - Row hashes with counts (exact duplicates across and inside the sets).
 * - A bottom-k sample: the k rows with the smallest hash of (seed, feature values), for the
 *   multivariate tests; the k smallest keys of a union are the k smallest of its parts' samples.
 */
export const SUMMARY_SCHEMA = 'losslab.shift-summary/1';

/** Distinct values kept exactly per numeric column before the sketch fallback. */
export const MAX_DISTINCT = 100000;
/** Relative accuracy α of the fallback sketch. */
export const SKETCH_ACCURACY = 1e-3;

export interface ValueCounts<T extends number | string> {
  readonly values: T[];
  readonly counts: number[];
}

export interface NumericSummary {
  readonly name: string;
  readonly kind: 'numeric';
  readonly missing: number;
  /** Exact: distinct values, ascending, with their counts. */
  readonly exact?: ValueCounts<number>;
  /** Fallback: bucket (sign, index) ascending by the value they stand for, with counts. */
  readonly sketch?: { readonly relativeAccuracy: number; readonly sign: number[]; readonly index: number[]; readonly counts: number[] };
}

export interface CategoricalSummary {
  readonly name: string;
  readonly kind: 'categorical';
  readonly missing: number;
  /** Non-missing values ('' is missing), sorted, with their counts. */
  readonly tally: ValueCounts<string>;
}

export type ColumnSummary = NumericSummary | CategoricalSummary;

/** Counts of value tuples (prediction × label, group × prediction × label), rows with any part missing left out. */
export interface TupleCounts {
  readonly tuples: string[][];
  readonly counts: number[];
}

export interface SetSummary {
  readonly schema: typeof SUMMARY_SCHEMA;
  readonly rows: number;
  readonly columns: ColumnSummary[];
  readonly roles: { readonly label?: string; readonly pred?: string; readonly group?: string; readonly time?: string };
  /** Times as numbers, or dates as milliseconds since 1970. */
  readonly timeScale?: 'numeric' | 'date';
  readonly label?: CategoricalSummary;
  readonly pred?: CategoricalSummary;
  readonly group?: CategoricalSummary;
  readonly time?: NumericSummary;
  readonly predLabel?: TupleCounts;
  readonly groupPredLabel?: TupleCounts;
  /** Two 64-bit hashes of each distinct row (decimal strings), sorted, with counts. */
  readonly rowHashes: { readonly h1: string[]; readonly h2: string[]; readonly counts: number[] };
  /** Bottom-k sample: keys (decimal strings of 64-bit hashes) ascending, rows with the feature values in `columns` order. */
  readonly sample: { readonly seed: number; readonly size: number; readonly keys: string[]; readonly rows: (number | string | null)[][] };
}

const FN = 'losslab shift';

/** γ of a sketch with relative accuracy α. */
function gamma(alpha: number): number {
  return (1 + alpha) / (1 - alpha);
}

/** The value a sketch bucket stands for (DDSketch's centre 2γⁱ/(γ + 1)). */
export function bucketValue(sign: number, index: number, alpha: number): number {
  if (sign === 0) return 0;
  const g = gamma(alpha);
  return (sign * 2 * g ** index) / (g + 1);
}

/** The sketch bucket of a value: sign, and ⌈ln|x| / ln γ⌉ (the SQL of docs/shift-report.md). */
export function bucketOf(x: number, alpha: number): [number, number] {
  if (x === 0) return [0, 0];
  return [Math.sign(x), Math.ceil(Math.log(Math.abs(x)) / Math.log(gamma(alpha)))];
}

/** Merges two ascending value lists with counts, adding the counts of equal values. */
function mergeSorted<T extends number | string>(a: ValueCounts<T>, b: ValueCounts<T>, less: (x: T, y: T) => boolean): ValueCounts<T> {
  const values: T[] = [];
  const counts: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.values.length || j < b.values.length) {
    if (j >= b.values.length || (i < a.values.length && less(a.values[i], b.values[j]))) {
      values.push(a.values[i]);
      counts.push(a.counts[i++]);
    } else if (i >= a.values.length || less(b.values[j], a.values[i])) {
      values.push(b.values[j]);
      counts.push(b.counts[j++]);
    } else {
      values.push(a.values[i]);
      counts.push(a.counts[i++] + b.counts[j++]);
    }
  }
  return { values, counts };
}

const numberLess = (x: number, y: number) => x < y;
const stringLess = (x: string, y: string) => x < y;

/** Bucket ids that sort like the values they stand for: sign · (index + 2²⁰) (|index| < 2²⁰ for every finite double at α ≥ 1e-4). */
const ID_OFFSET = 2 ** 20;

/** A sketch's buckets keyed by id, ascending. */
function sketchIds(s: NumericSummary, alpha: number): ValueCounts<number> {
  if (s.sketch) {
    if (s.sketch.relativeAccuracy !== alpha)
      fail({
        fn: FN,
        argument: `column ${JSON.stringify(s.name)}`,
        value: `sketches with α = ${s.sketch.relativeAccuracy} and ${alpha}`,
        rule: 'merged sketches need the same relative accuracy',
      });
    const sketch = s.sketch;
    return { values: sketch.sign.map((g, k) => g * (sketch.index[k] + ID_OFFSET)), counts: [...sketch.counts] };
  }
  const buckets = new Map<number, number>();
  const exact = s.exact as ValueCounts<number>;
  exact.values.forEach((v, k) => {
    const [g, i] = bucketOf(v, alpha);
    const id = g * (i + ID_OFFSET);
    buckets.set(id, (buckets.get(id) ?? 0) + exact.counts[k]);
  });
  const values = [...buckets.keys()].sort((x, y) => x - y);
  return { values, counts: values.map((v) => buckets.get(v) as number) };
}

/** A numeric summary from its (value, count) pairs: exact up to `maxDistinct` values, else the sketch. */
export function numericSummary(name: string, missing: number, exact: ValueCounts<number>, maxDistinct = MAX_DISTINCT, alpha = SKETCH_ACCURACY): NumericSummary {
  if (exact.values.length <= maxDistinct) return { name, kind: 'numeric', missing, exact };
  return sketchSummary(name, missing, sketchIds({ name, kind: 'numeric', missing, exact }, alpha), alpha);
}

function sketchSummary(name: string, missing: number, ids: ValueCounts<number>, alpha: number): NumericSummary {
  const sign = ids.values.map((id) => Math.sign(id));
  const index = ids.values.map((id) => (id === 0 ? 0 : Math.abs(id) - ID_OFFSET));
  return { name, kind: 'numeric', missing, sketch: { relativeAccuracy: alpha, sign, index, counts: ids.counts } };
}

function mergeNumeric(a: NumericSummary, b: NumericSummary, maxDistinct: number): NumericSummary {
  const missing = a.missing + b.missing;
  if (a.exact && b.exact) return numericSummary(a.name, missing, mergeSorted(a.exact, b.exact, numberLess), maxDistinct);
  const alpha = a.sketch?.relativeAccuracy ?? b.sketch?.relativeAccuracy ?? SKETCH_ACCURACY;
  return sketchSummary(a.name, missing, mergeSorted(sketchIds(a, alpha), sketchIds(b, alpha), numberLess), alpha);
}

function mergeCategorical(a: CategoricalSummary, b: CategoricalSummary): CategoricalSummary {
  return { name: a.name, kind: 'categorical', missing: a.missing + b.missing, tally: mergeSorted(a.tally, b.tally, stringLess) };
}

function mergeColumn(a: ColumnSummary, b: ColumnSummary, maxDistinct: number): ColumnSummary {
  if (a.kind !== b.kind)
    fail({
      fn: FN,
      argument: `column ${JSON.stringify(a.name)}`,
      value: `${a.kind} in one summary and ${b.kind} in another`,
      rule: 'a column must have the same type in every part',
    });
  return a.kind === 'numeric' ? mergeNumeric(a, b as NumericSummary, maxDistinct) : mergeCategorical(a, b as CategoricalSummary);
}

function mergeTuples(a: TupleCounts | undefined, b: TupleCounts | undefined): TupleCounts | undefined {
  if (!a || !b) return a ?? b;
  const key = (t: string[]) => JSON.stringify(t);
  const merged = mergeSorted({ values: a.tuples.map(key), counts: a.counts }, { values: b.tuples.map(key), counts: b.counts }, stringLess);
  return { tuples: merged.values.map((k) => JSON.parse(k) as string[]), counts: merged.counts };
}

function optional<T>(a: T | undefined, b: T | undefined, merge: (x: T, y: T) => T): T | undefined {
  return a && b ? merge(a, b) : (a ?? b);
}

/** The summary of the union of two parts (same columns, roles, sample seed and size). */
export function mergeSummaries(a: SetSummary, b: SetSummary, maxDistinct = MAX_DISTINCT): SetSummary {
  const names = (s: SetSummary) => s.columns.map((c) => c.name).join('\u0000');
  if (names(a) !== names(b))
    fail({
      fn: FN,
      argument: '--from-summaries',
      value: 'parts with different columns',
      rule: 'merged summaries must describe the same columns in the same order',
    });
  if (a.sample.seed !== b.sample.seed || a.sample.size !== b.sample.size)
    fail({ fn: FN, argument: '--from-summaries', value: 'parts sampled differently', rule: 'merged summaries need the same sample seed and size' });
  const hashes = mergeSorted(
    { values: a.rowHashes.h1.map((h, k) => `${h.padStart(20, '0')}:${a.rowHashes.h2[k].padStart(20, '0')}`), counts: a.rowHashes.counts },
    { values: b.rowHashes.h1.map((h, k) => `${h.padStart(20, '0')}:${b.rowHashes.h2[k].padStart(20, '0')}`), counts: b.rowHashes.counts },
    stringLess,
  );
  const sampled = [
    ...a.sample.keys.map((k, i) => [BigInt(k), a.sample.rows[i]] as const),
    ...b.sample.keys.map((k, i) => [BigInt(k), b.sample.rows[i]] as const),
  ]
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .slice(0, a.sample.size);
  const strip = (h: string) => h.replace(/^0+(?=\d)/, '');
  return {
    schema: SUMMARY_SCHEMA,
    rows: a.rows + b.rows,
    columns: a.columns.map((c, k) => mergeColumn(c, b.columns[k], maxDistinct)),
    roles: a.roles,
    ...(a.timeScale ? { timeScale: a.timeScale } : {}),
    ...(a.label || b.label ? { label: optional(a.label, b.label, mergeCategorical) } : {}),
    ...(a.pred || b.pred ? { pred: optional(a.pred, b.pred, mergeCategorical) } : {}),
    ...(a.group || b.group ? { group: optional(a.group, b.group, mergeCategorical) } : {}),
    ...(a.time || b.time ? { time: optional(a.time, b.time, (x, y) => mergeNumeric(x, y, Number.POSITIVE_INFINITY)) } : {}),
    ...(a.predLabel || b.predLabel ? { predLabel: mergeTuples(a.predLabel, b.predLabel) } : {}),
    ...(a.groupPredLabel || b.groupPredLabel ? { groupPredLabel: mergeTuples(a.groupPredLabel, b.groupPredLabel) } : {}),
    rowHashes: {
      h1: hashes.values.map((v) => strip(v.split(':')[0])),
      h2: hashes.values.map((v) => strip(v.split(':')[1])),
      counts: hashes.counts,
    },
    sample: { seed: a.sample.seed, size: a.sample.size, keys: sampled.map(([k]) => String(k)), rows: sampled.map(([, r]) => r) },
  };
}

/** Values of a numeric summary as the merge reads them (sketch buckets at their centres). */
function numericValues(s: NumericSummary): ValueCounts<number> {
  if (s.exact) return s.exact;
  const sketch = s.sketch as NonNullable<NumericSummary['sketch']>;
  return { values: sketch.sign.map((g, k) => bucketValue(g, sketch.index[k], sketch.relativeAccuracy)), counts: sketch.counts };
}

/** Count of values ≤ each edge, from ascending values with counts. */
function countsAtMost(vc: ValueCounts<number>, edges: readonly number[]): number[] {
  const out: number[] = [];
  let k = 0;
  let total = 0;
  for (const edge of edges) {
    while (k < vc.values.length && vc.values[k] <= edge) total += vc.counts[k++];
    out.push(total);
  }
  return out;
}

/** Smallest and largest finite value of ascending values. */
function finiteRange(values: readonly number[]): [number, number] | undefined {
  const finite = values.filter(Number.isFinite);
  return finite.length > 0 ? [finite[0], finite[finite.length - 1]] : undefined;
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/** The numeric feature tests from two value-count summaries: the in-memory numbers, exactly. */
function numericFromSummaries(name: string, a: NumericSummary, b: NumericSummary): FeatureTests {
  const va = numericValues(a);
  const vb = numericValues(b);
  const n1 = sum(va.counts);
  const n2 = sum(vb.counts);
  const missing = { train: a.missing, valid: b.missing };
  if (n1 < 2 || n2 < 2) checkNumericColumn(name, { train: n1, valid: n2 }, { train: [0, 1], valid: [0, 1] });
  const merge = new SortedMerge(n1, n2, psiRanks(n1));
  let i = 0;
  let j = 0;
  while (i < va.values.length || j < vb.values.length) {
    if (j >= vb.values.length || (i < va.values.length && va.values[i] < vb.values[j])) merge.push(va.values[i], va.counts[i++], 0);
    else if (i >= va.values.length || vb.values[j] < va.values[i]) merge.push(vb.values[j], 0, vb.counts[j++]);
    else merge.push(va.values[i], va.counts[i++], vb.counts[j++]);
  }
  const result = merge.finish();
  const edges = psiEdges(n1, (rank) => result.orderStatistics.get(rank) as number);
  const psi = psiFromCounts(edges, countsAtMost(va, edges), n1, countsAtMost(vb, edges), n2).psi;
  const bins = histogramEdges(unionRange(finiteRange(va.values), finiteRange(vb.values)));
  const histogram = { edges: bins, train: countBinsValues(va.values, va.counts, bins), valid: countBinsValues(vb.values, vb.counts, bins) };
  return numericFeatureTests(name, compareMerged(result, psi, missing, histogram));
}

function tallyMap(s: CategoricalSummary | undefined): Map<string, number> {
  return new Map((s?.tally.values ?? []).map((v, k) => [v, s?.tally.counts[k] ?? 0]));
}

function sampleTable(summary: SetSummary): Table {
  const rows = summary.sample.rows;
  return {
    nRows: rows.length,
    columns: summary.columns.map(
      (c, k): Column =>
        c.kind === 'numeric'
          ? { name: c.name, kind: 'numeric', values: Float64Array.from(rows, (r) => (r[k] === null ? Number.NaN : Number(r[k]))) }
          : { name: c.name, kind: 'categorical', values: rows.map((r) => (r[k] === null ? '' : String(r[k]))) },
    ),
  };
}

function labelsFromSummaries(train: SetSummary, valid: SetSummary): LabelsReport | undefined {
  if (!train.label) return undefined;
  const trainLabels = tallyMap(train.label);
  const validLabels = tallyMap(valid.label);
  let bbse: LabelsReport['bbse'];
  if (train.predLabel && valid.pred) {
    const joint = new Map<string, Map<string, number>>();
    train.predLabel.tuples.forEach(([p, y], k) => {
      const row = joint.get(p) ?? new Map<string, number>();
      row.set(y, (row.get(y) ?? 0) + (train.predLabel?.counts[k] ?? 0));
      joint.set(p, row);
    });
    const classes = labelClasses([...trainLabels.keys()], [...tallyMap(train.pred).keys()], [...tallyMap(valid.pred).keys()]);
    bbse = bbseFromCounts(classes, joint, tallyMap(valid.pred));
  }
  if (validLabels.size > 0) return { ...labelShiftFromCounts(trainLabels, validLabels), ...(bbse ? { bbse } : {}) };
  if (bbse) return { classes: bbse.classes, trainProportions: bbse.trainProportions, bbse };
  return undefined;
}

function duplicatesFromHashes(train: SetSummary, valid: SetSummary): ShiftReport['leakage']['exactDuplicates'] {
  const key = (s: SetSummary, k: number) => `${s.rowHashes.h1[k]}:${s.rowHashes.h2[k]}`;
  const inTrain = new Set(train.rowHashes.counts.map((_, k) => key(train, k)));
  let rows = 0;
  valid.rowHashes.counts.forEach((c, k) => {
    if (inTrain.has(key(valid, k))) rows += c;
  });
  return { validRows: rows, fraction: valid.rows > 0 ? rows / valid.rows : 0, examples: [] };
}

function withinFromHashes(s: SetSummary): ShiftReport['leakage']['duplicatesWithin']['train'] {
  let rows = 0;
  let distinct = 0;
  for (const c of s.rowHashes.counts) {
    rows += c - 1;
    if (c > 1) distinct++;
  }
  return { rows, fraction: s.rows > 0 ? rows / s.rows : 0, distinct, examples: [] };
}

/**
 * The report's evidence from the summaries of the two sets: per-feature tests, labels, groups,
 * time and exact duplicates exactly as on the rows (duplicate examples need row numbers, which
 * summaries do not carry); near duplicates and the multivariate tests on the bottom-k samples.
 */
export function evidenceFromSummaries(train: SetSummary, valid: SetSummary): ShiftEvidence {
  for (const [s, argument] of [
    [train, 'TRAIN'],
    [valid, 'VALID'],
  ] as const)
    if (s.schema !== SUMMARY_SCHEMA) fail({ fn: FN, argument, value: formatValue(s.schema), rule: `a summary must have "schema": "${SUMMARY_SCHEMA}"` });
  const validByName = new Map(valid.columns.map((c) => [c.name, c]));
  const onlyTrain = train.columns.filter((c) => !validByName.has(c.name)).map((c) => JSON.stringify(c.name));
  const onlyValid = valid.columns.filter((c) => !train.columns.some((t) => t.name === c.name)).map((c) => JSON.stringify(c.name));
  if (onlyTrain.length > 0 || onlyValid.length > 0)
    fail({
      fn: FN,
      argument: 'VALID',
      value: `columns ${[onlyTrain.length ? `only in the training summary: ${onlyTrain.join(', ')}` : '', onlyValid.length ? `only in the validation summary: ${onlyValid.join(', ')}` : ''].filter(Boolean).join('; ')}`,
      rule: 'both sides must have the same feature columns',
    });
  const featureTests: FeatureTests[] = [];
  const encoding: ColumnEncoding[] = [];
  for (const a of train.columns) {
    const b = validByName.get(a.name) as ColumnSummary;
    if (a.kind !== b.kind)
      fail({
        fn: FN,
        argument: `column ${JSON.stringify(a.name)}`,
        value: `${a.kind} in the training summary and ${b.kind} in the validation summary`,
        rule: 'a column must have the same type in both files',
      });
    if (a.kind === 'numeric') {
      const tests = numericFromSummaries(a.name, a, b as NumericSummary);
      featureTests.push(tests);
      if (tests.kind === 'numeric') encoding.push({ name: a.name, kind: 'numeric', mean: tests.mean.train, sd: tests.sd.train > 0 ? tests.sd.train : 1 });
      continue;
    }
    const counts = new Map<string, [number, number]>();
    const bt = (b as CategoricalSummary).tally;
    for (const [k, v] of a.tally.values.entries()) counts.set(v, [a.tally.counts[k], 0]);
    for (const [k, v] of bt.values.entries()) counts.set(v, [counts.get(v)?.[0] ?? 0, bt.counts[k]]);
    featureTests.push(categoricalFeatureTests(a.name, counts, { train: a.missing, valid: b.missing }));
    const levels = a.tally.values
      .map((v, k) => [v, a.tally.counts[k]] as const)
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .slice(0, MAX_LEVELS)
      .map(([v]) => v);
    encoding.push({ name: a.name, kind: 'categorical', levels });
  }
  const sample = { train: sampleTable(train), valid: sampleTable(valid) };
  const names = train.columns.map((c) => c.name);
  const labels = labelsFromSummaries(train, valid);
  const leakage: ShiftReport['leakage'] = {
    exactDuplicates: duplicatesFromHashes(train, valid),
    nearDuplicates: nearDuplicates(sample.train, sample.valid, names),
    duplicatesWithin: { train: withinFromHashes(train), valid: withinFromHashes(valid) },
    ...(train.group && valid.group ? { groups: groupsFromSummaries(train.group, valid.group, valid.rows) } : {}),
    ...(train.time && valid.time ? { time: timeFromSummaries(train.time, valid.time, train.timeScale ?? 'numeric') } : {}),
  };
  const subgroupSource = valid.groupPredLabel ?? train.groupPredLabel;
  const subgroups: ShiftReport['subgroups'] = subgroupSource
    ? (() => {
        const stats = new Map<string, { n: number; correct: number }>();
        subgroupSource.tuples.forEach(([g, p, y], k) => {
          const s = stats.get(g) ?? { n: 0, correct: 0 };
          s.n += subgroupSource.counts[k];
          if (samePrediction(p, y)) s.correct += subgroupSource.counts[k];
          stats.set(g, s);
        });
        return { set: valid.groupPredLabel ? 'valid' : 'train', metric: 'accuracy', groups: subgroupAccuracyFromCounts(stats) };
      })()
    : undefined;
  return {
    rows: { train: train.rows, valid: valid.rows },
    featureTests,
    encoding,
    sample,
    ...(labels ? { labels } : {}),
    leakage,
    ...(subgroups ? { subgroups } : {}),
    source: { engine: 'summaries', sampleRows: { train: sample.train.nRows, valid: sample.valid.nRows } },
  };
}

function groupsFromSummaries(train: CategoricalSummary, valid: CategoricalSummary, validRows: number): NonNullable<ShiftReport['leakage']['groups']> {
  const inTrain = new Set(train.tally.values);
  const shared = valid.tally.values.map((g, k) => [g, valid.tally.counts[k]] as const).filter(([g]) => inTrain.has(g));
  const rows = sum(shared.map(([, n]) => n));
  return {
    trainGroups: train.tally.values.length,
    validGroups: valid.tally.values.length,
    sharedGroups: shared.length,
    validRowsInSharedGroups: rows,
    fraction: validRows > 0 ? rows / validRows : 0,
    examples: shared.slice(0, 10).map(([g]) => g),
  };
}

function timeFromSummaries(train: NumericSummary, valid: NumericSummary, scale: 'numeric' | 'date'): NonNullable<ShiftReport['leakage']['time']> {
  const a = numericValues(train);
  const b = numericValues(valid);
  if (a.values.length === 0 || b.values.length === 0)
    fail({ fn: 'timeOverlap', argument: 'times', value: 'all missing', rule: 'each set needs at least one time value' });
  const tr: [number, number] = [a.values[0], a.values[a.values.length - 1]];
  const va: [number, number] = [b.values[0], b.values[b.values.length - 1]];
  const counted = sum(b.counts);
  const notAfter = countsAtMost(b, [tr[1]])[0];
  return {
    train: tr,
    valid: va,
    overlaps: va[0] <= tr[1] && tr[0] <= va[1],
    validRowsNotAfterTrain: notAfter,
    fraction: counted > 0 ? notAfter / counted : 0,
    scale,
  };
}
