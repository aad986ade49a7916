import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShiftDatabase } from '../../src/node/duckdb/database.js';
import { BYTES_PER_VALUE, numericFeatures } from '../../src/node/duckdb/numericColumns.js';
import { SortPool } from '../../src/node/duckdb/sortPool.js';
import { openSource } from '../../src/node/duckdb/sources.js';
import { compareSorted, numericFeatureTests } from '../../src/shift/featureTests.js';

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Seeded values with ties, both zeros, infinities and subnormals. */
function values(n: number, seed: number): number[] {
  const pool = [0, -0, 1.5, -1.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5e-324, -5e-324, 1e300, 3];
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s % 3 === 0 ? pool[s % pool.length] : (s / 2 ** 32 - 0.5) * 1e3;
  });
}

describe('SortPool sorts on the worker thread exactly as Float64Array.prototype.sort', () => {
  it('float64 and float32, above and below the radix threshold, buffers reused', async () => {
    for (const threads of [0, 1] as const) {
      const pool = new SortPool(threads);
      try {
        for (const [n, seed] of [
          [100, 1],
          [70000, 2],
          [70000, 3],
          [50000, 4],
        ]) {
          const xs = values(n, seed);
          const f64 = pool.allocate(n + 5, false);
          f64.set(xs);
          const sorted64 = await pool.sort(f64, n);
          expect(sameBits(sorted64, Float64Array.from(xs).sort()), `float64 n ${n}, threads ${threads}`).toBe(true);
          pool.release(sorted64);
          const f32 = pool.allocate(n, true);
          f32.set(xs);
          const sorted32 = await pool.sort(f32, n);
          expect(sameBits(sorted32, Float64Array.from(Float32Array.from(xs)).sort()), `float32 n ${n}, threads ${threads}`).toBe(true);
          pool.release(sorted32);
        }
      } finally {
        await pool.close();
      }
    }
  });
});

describe('numericFeatures: the pipelined worker sort gives the in-memory numbers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'losslab-sortpool-'));
  let db: ShiftDatabase;
  beforeAll(async () => {
    db = await ShiftDatabase.open({ threads: 2 });
  });
  afterAll(() => db.close());

  it('five columns (double, float, missing values), one column per batch and in one batch', async () => {
    const rows = { train: 40000, valid: 30000 };
    const origin = { argument: 'test', value: 'sortPool' };
    // Column j of side s: a hash-derived value; every 97th row of x1 is NULL and every 89th of x2 NaN; x3 and x4 are FLOAT.
    const cell = (j: number, seed: number) => `(hash(i * 5 + ${j}, ${seed}) % 100000)::DOUBLE / 7.0 - ${j}`;
    const select = (seed: number) =>
      [
        `${cell(0, seed)} AS x0`,
        `CASE WHEN i % 97 = 0 THEN NULL ELSE ${cell(1, seed)} END AS x1`,
        `CASE WHEN i % 89 = 0 THEN 'NaN'::DOUBLE ELSE ${cell(2, seed)} END AS x2`,
        `CAST(${cell(3, seed)} AS FLOAT) AS x3`,
        `CAST(round(${cell(4, seed)}) AS FLOAT) AS x4`,
      ].join(', ');
    const paths = { train: join(dir, 'train.parquet'), valid: join(dir, 'valid.parquet') };
    await db.rows(`COPY (SELECT ${select(1)} FROM range(${rows.train}) t(i)) TO '${paths.train}' (FORMAT parquet)`, origin);
    await db.rows(`COPY (SELECT ${select(2)} FROM range(${rows.valid}) t(i)) TO '${paths.valid}' (FORMAT parquet)`, origin);
    const train = await openSource(db, { kind: 'file', argument: 'TRAIN', path: paths.train });
    const valid = await openSource(db, { kind: 'file', argument: 'VALID', path: paths.valid });
    const names = ['x0', 'x1', 'x2', 'x3', 'x4'];
    // The reference: every column read whole and compared by the in-memory functions.
    const expected = new Map<string, string>();
    for (const name of names) {
      const read = async (relation: string, float32: boolean) => {
        const result = await db.rows(`SELECT ${float32 ? `CAST("${name}" AS DOUBLE)` : `"${name}"`} AS v FROM ${relation}`, origin);
        const all = result.map((r) => (r.v === null ? Number.NaN : Number(r.v)));
        const present = Float64Array.from(all.filter((v) => !Number.isNaN(v))).sort();
        return { present, missing: all.length - present.length };
      };
      const a = await read(train.relation, train.float32.has(name));
      const b = await read(valid.relation, valid.float32.has(name));
      expected.set(name, JSON.stringify(numericFeatureTests(name, compareSorted(name, a.present, b.present, { train: a.missing, valid: b.missing }))));
    }
    const perColumn = (rows.train + rows.valid) * BYTES_PER_VALUE;
    for (const [memoryBudget, sortThreads] of [
      [2 * perColumn, 1],
      [2 ** 30, 1],
      [perColumn, 0],
    ] as const) {
      const passes: number[] = [];
      const tests = await numericFeatures(db, train, valid, names, rows, { memoryBudget, sortThreads, onColumn: (_, __, pass) => passes.push(pass) });
      for (const name of names)
        expect(JSON.stringify(tests.get(name)), `${name}, budget ${memoryBudget}, sort threads ${sortThreads}`).toBe(expected.get(name));
      expect(Math.max(...passes), `budget ${memoryBudget}, sort threads ${sortThreads}`).toBe(memoryBudget === 2 ** 30 ? 1 : 5);
    }
  });
});
