import { fail, formatValue } from '../errors.js';
import type { Column, Table } from './table.js';

export interface DuplicateResult {
  /** Validation rows that also occur in training (exact / near rule), counted once each. */
  readonly validRows: number;
  readonly fraction: number;
  /** Up to 10 example pairs (training row, validation row), 0-based data-row indices. */
  readonly examples: [number, number][];
}

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

/** One round of MurmurHash3's 32-bit block mixing. */
function mix(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * A 53-bit hash key per row over the listed columns, computed column by column (cache-friendly on
 * columnar data): two independent 32-bit MurmurHash3-style hashes combined. Numbers hash by their
 * float bits (−0 as +0; `transform` maps a value first), strings by their UTF-16 code units.
 */
function rowKeys(columns: readonly Column[], n: number, transforms?: readonly ((v: number) => number)[]): Float64Array {
  const a = new Int32Array(n).fill(0x9747b28c | 0);
  const b = new Int32Array(n).fill(0x2f6b1d3a);
  columns.forEach((column, c) => {
    if (column.kind === 'numeric') {
      const values = column.values;
      const f = transforms?.[c];
      for (let i = 0; i < n; i++) {
        const v = values[i];
        scratch[0] = f && !Number.isNaN(v) ? f(v) : v;
        if (scratch[0] === 0) scratch[0] = 0;
        const lo = scratchWords[0];
        const hi = scratchWords[1];
        // Fold the 64 bits into one word per chain, two different ways, then one mixing round each.
        a[i] = mix(a[i], lo ^ Math.imul(hi, 0x9e3779b1));
        b[i] = mix(b[i], hi ^ Math.imul(lo ^ 0x3c6ef372, 0x85ebca6b));
      }
    } else {
      const values = column.values;
      for (let i = 0; i < n; i++) {
        const s = values[i];
        let x = a[i];
        let y = b[i];
        for (let j = 0; j < s.length; j++) {
          const ch = s.charCodeAt(j);
          x = mix(x, ch);
          y = mix(y, ch ^ 0x5bd1e995);
        }
        a[i] = mix(x, 0x1f); // separator so ("ab","c") ≠ ("a","bc")
        b[i] = mix(y, 0x2f);
      }
    }
  });
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (a[i] >>> 0) * 2097152 + (b[i] >>> 11);
  return keys;
}

/** Row keys of the untransformed columns, cached per table (the exact and within-set checks share them). */
const keyCache = new WeakMap<Table, { names: readonly string[]; keys: Float64Array }>();

function tableKeys(table: Table, names: readonly string[]): Float64Array {
  const hit = keyCache.get(table);
  if (hit && hit.names.length === names.length && hit.names.every((n, i) => n === names[i])) return hit.keys;
  const keys = rowKeys(pickColumns(table, names), table.nRows);
  keyCache.set(table, { names: [...names], keys });
  return keys;
}

function sameRow(trainCols: readonly Column[], i: number, validCols: readonly Column[], j: number, transforms?: readonly ((v: number) => number)[]): boolean {
  for (let c = 0; c < trainCols.length; c++) {
    const a = trainCols[c];
    const b = validCols[c];
    if (a.kind === 'numeric' && b.kind === 'numeric') {
      const f = transforms?.[c];
      const x = f ? f(a.values[i]) : a.values[i];
      const y = f ? f(b.values[j]) : b.values[j];
      if (!(x === y || (Number.isNaN(x) && Number.isNaN(y)))) return false;
    } else if (String(a.values[i]) !== String(b.values[j])) return false;
  }
  return true;
}

function matchRows(
  trainCols: Column[],
  validCols: Column[],
  nTrain: number,
  nValid: number,
  transforms?: ((v: number) => number)[],
  keys?: { train: Float64Array; valid: Float64Array },
): DuplicateResult {
  const trainKeys = keys?.train ?? rowKeys(trainCols, nTrain, transforms);
  const validKeys = keys?.valid ?? rowKeys(validCols, nValid, transforms);
  const firstRow = new Map<number, number>();
  for (let i = 0; i < nTrain; i++) if (!firstRow.has(trainKeys[i])) firstRow.set(trainKeys[i], i);
  let count = 0;
  const examples: [number, number][] = [];
  for (let j = 0; j < nValid; j++) {
    const i = firstRow.get(validKeys[j]);
    // Verify on the values, so a hash collision never reports a false duplicate.
    if (i !== undefined && sameRow(trainCols, i, validCols, j, transforms)) {
      count++;
      if (examples.length < 10) examples.push([i, j]);
    }
  }
  return { validRows: count, fraction: nValid > 0 ? count / nValid : 0, examples };
}

function pickColumns(table: Table, names: readonly string[]): Column[] {
  return names.map((n) => table.columns.find((c) => c.name === n) as Column);
}

/**
 * Validation rows identical to a training row in every listed column. Rows are hashed (two
 * independent 32-bit hashes → one 53-bit key) in O(n) time; every hash match is confirmed on the
 * values. NaN equals NaN here (two rows with the same missing cells are duplicates).
 */
export function exactDuplicates(train: Table, valid: Table, names: readonly string[]): DuplicateResult {
  return matchRows(pickColumns(train, names), pickColumns(valid, names), train.nRows, valid.nRows, undefined, {
    train: tableKeys(train, names),
    valid: tableKeys(valid, names),
  });
}

export interface WithinDuplicateResult {
  /** Rows identical to an earlier row of the same set (a row seen k times counts k − 1). */
  readonly rows: number;
  readonly fraction: number;
  /** Distinct row values that occur more than once. */
  readonly distinct: number;
  /** Up to 10 example pairs (first occurrence, copy), 0-based data-row indices. */
  readonly examples: [number, number][];
}

/**
 * Duplicate rows inside one set (identical in every listed column, NaN equal to NaN): copies
 * inflate the weight of some examples in training, or count twice in a validation score. Same
 * hashing and value check as `exactDuplicates`, O(n).
 */
export function withinDuplicates(table: Table, names: readonly string[]): WithinDuplicateResult {
  const cols = pickColumns(table, names);
  const keys = tableKeys(table, names);
  const first = new Map<number, number[]>();
  const duplicated = new Set<number>();
  let rows = 0;
  const examples: [number, number][] = [];
  for (let i = 0; i < table.nRows; i++) {
    const candidates = first.get(keys[i]);
    const match = candidates?.find((j) => sameRow(cols, j, cols, i));
    if (match === undefined) {
      if (candidates) candidates.push(i);
      else first.set(keys[i], [i]);
      continue;
    }
    rows++;
    duplicated.add(match);
    if (examples.length < 10) examples.push([match, i]);
  }
  return { rows, fraction: table.nRows > 0 ? rows / table.nRows : 0, distinct: duplicated.size, examples };
}

/**
 * Near duplicates, by a documented linear-time rule: each numeric column is standardised by the
 * training mean and standard deviation and rounded to a grid of `resolution` standard deviations
 * (default 0.01); categorical columns must match exactly. Two rows are near duplicates when they
 * fall in the same grid cell in every column — so rows within `resolution`/2 SD in every numeric
 * feature are usually caught, but a pair that straddles a cell boundary is missed (the price of
 * O(n) hashing instead of O(n²) pairwise distances). Exact duplicates are near duplicates too.
 */
export function nearDuplicates(
  train: Table,
  valid: Table,
  names: readonly string[],
  options: { resolution?: number } = {},
): DuplicateResult & { resolution: number } {
  const resolution = options.resolution ?? 0.01;
  if (!(resolution > 0)) fail({ fn: 'nearDuplicates', argument: 'resolution', value: formatValue(resolution), rule: 'it must be positive' });
  const trainCols = pickColumns(train, names);
  const transforms = trainCols.map((c) => {
    if (c.kind !== 'numeric') return (v: number) => v;
    let n = 0;
    let mean = 0;
    let m2 = 0;
    for (const v of c.values) {
      if (Number.isNaN(v)) continue;
      n++;
      const d = v - mean;
      mean += d / n;
      m2 += d * (v - mean);
    }
    const sd = n > 1 && m2 > 0 ? Math.sqrt(m2 / (n - 1)) : 1;
    return (v: number) => Math.round((v - mean) / sd / resolution);
  });
  return { ...matchRows(trainCols, pickColumns(valid, names), train.nRows, valid.nRows, transforms), resolution };
}

export interface GroupOverlapResult {
  readonly trainGroups: number;
  readonly validGroups: number;
  /** Groups with rows in both sets. */
  readonly sharedGroups: number;
  readonly validRowsInSharedGroups: number;
  readonly fraction: number;
  readonly examples: string[];
}

/** Groups (e.g. users, patients, devices) present in both sets, and the validation rows they cover. */
export function groupOverlap(trainGroups: readonly string[], validGroups: readonly string[]): GroupOverlapResult {
  const train = new Set(trainGroups.filter((g) => g !== ''));
  const valid = new Set(validGroups.filter((g) => g !== ''));
  const shared = [...valid].filter((g) => train.has(g));
  const sharedSet = new Set(shared);
  const rows = validGroups.reduce((s, g) => s + (sharedSet.has(g) ? 1 : 0), 0);
  return {
    trainGroups: train.size,
    validGroups: valid.size,
    sharedGroups: shared.length,
    validRowsInSharedGroups: rows,
    fraction: validGroups.length > 0 ? rows / validGroups.length : 0,
    examples: shared.slice(0, 10),
  };
}

export interface TimeOverlapResult {
  readonly train: [number, number];
  readonly valid: [number, number];
  /** True when the ranges intersect. */
  readonly overlaps: boolean;
  /** Validation rows no later than the last training time (they are not "in the future"). */
  readonly validRowsNotAfterTrain: number;
  readonly fraction: number;
  /** 'numeric' or 'date' (parsed with Date.parse, in milliseconds since 1970). */
  readonly scale: 'numeric' | 'date';
}

/** Converts a time column to numbers: numeric columns as is, text as ISO dates (Date.parse). */
export function timeValues(column: Column, file: string): { values: Float64Array; scale: 'numeric' | 'date' } {
  if (column.kind === 'numeric') return { values: column.values, scale: 'numeric' };
  const values = new Float64Array(column.values.length);
  column.values.forEach((s, i) => {
    if (s === '') {
      values[i] = NaN;
      return;
    }
    const t = Date.parse(s);
    if (Number.isNaN(t))
      fail({
        fn: 'losslab shift',
        argument: '--time',
        value: `${formatValue(s)} in row ${i + 1} of ${file}`,
        rule: 'a time column must hold numbers or ISO 8601 dates',
      });
    values[i] = t;
  });
  return { values, scale: 'date' };
}

function range(values: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Whether the training and validation time ranges overlap (a random split of time-ordered data). */
export function timeOverlap(trainTimes: Float64Array, validTimes: Float64Array, scale: 'numeric' | 'date' = 'numeric'): TimeOverlapResult {
  const train = range(trainTimes);
  const valid = range(validTimes);
  if (!Number.isFinite(train[0]) || !Number.isFinite(valid[0]))
    fail({ fn: 'timeOverlap', argument: 'times', value: 'all missing', rule: 'each set needs at least one time value' });
  let notAfter = 0;
  let counted = 0;
  for (const v of validTimes) {
    if (Number.isNaN(v)) continue;
    counted++;
    if (v <= train[1]) notAfter++;
  }
  return {
    train,
    valid,
    overlaps: valid[0] <= train[1] && train[0] <= valid[1],
    validRowsNotAfterTrain: notAfter,
    fraction: counted > 0 ? notAfter / counted : 0,
    scale,
  };
}
