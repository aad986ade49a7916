import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCsvRecord } from '../../src/data/csv.js';
import { ShiftDatabase } from '../../src/node/duckdb/database.js';
import { numericFeatures } from '../../src/node/duckdb/numericColumns.js';
import { withWideScanThreads } from '../../src/node/duckdb/sampleRows.js';
import { scanShift } from '../../src/node/duckdb/scanShift.js';
import { openSource, type SourceSpec } from '../../src/node/duckdb/sources.js';
import { collectEvidence, type ShiftEvidence } from '../../src/shift/analyze.js';
import { DEMO_KINDS, makeDemo } from '../../src/shift/demo.js';
import { compareSorted, numericFeatureTests } from '../../src/shift/featureTests.js';
import { ks2samp } from '../../src/shift/ks.js';
import { withinDuplicates } from '../../src/shift/leakage.js';
import type { Table } from '../../src/shift/table.js';
import { readGolden, replaySample, type SampleRecipe } from '../shift/goldenHelpers.js';

const dir = mkdtempSync(join(tmpdir(), 'losslab-duckdb-'));
let db: ShiftDatabase;

beforeAll(async () => {
  db = await ShiftDatabase.open({ threads: 2 });
});
afterAll(() => db.close());

/** Writes a table as CSV (numbers in shortest round-trip form, so they read back exactly) and as Parquet. */
async function writeTable(name: string, table: Table): Promise<{ csv: string; parquet: string }> {
  const lines = [formatCsvRecord(table.columns.map((c) => c.name))];
  for (let r = 0; r < table.nRows; r++)
    lines.push(formatCsvRecord(table.columns.map((c) => (c.kind === 'numeric' ? (Number.isNaN(c.values[r]) ? '' : String(c.values[r])) : c.values[r]))));
  const csv = join(dir, `${name}.csv`);
  const parquet = join(dir, `${name}.parquet`);
  writeFileSync(csv, lines.join(''));
  const origin = { argument: 'test', value: name };
  await db.rows(`COPY (SELECT * FROM read_csv('${csv}', header = true, nullstr = [''])) TO '${parquet}' (FORMAT parquet)`, origin);
  return { csv, parquet };
}

const file = (argument: string, path: string): SourceSpec => ({ kind: 'file', argument, path });

/** The report sections computed on every row, as JSON text: equal text means equal to the last digit. */
function everyRowSections(e: ShiftEvidence): Record<string, string> {
  return {
    features: JSON.stringify(e.featureTests),
    labels: JSON.stringify(e.labels),
    exactDuplicates: JSON.stringify(e.leakage.exactDuplicates),
    nearDuplicates: JSON.stringify(e.leakage.nearDuplicates),
    duplicatesWithin: JSON.stringify(e.leakage.duplicatesWithin),
    groups: JSON.stringify(e.leakage.groups),
    time: JSON.stringify(e.leakage.time),
    subgroups: JSON.stringify(e.subgroups),
    rows: JSON.stringify(e.rows),
  };
}

describe('the DuckDB path gives the in-memory statistics to the last digit', () => {
  for (const kind of DEMO_KINDS) {
    it(`demo ${kind}: features (KS D and p, Wasserstein, PSI, χ², moments), labels, BBSE, leakage, subgroups; Parquet, CSV, and DuckDB's own sort`, async () => {
      const data = makeDemo(kind, { seed: 3 });
      const roles = { label: data.label, group: data.group, time: data.time, pred: data.pred };
      const expected = everyRowSections(collectEvidence(data.train, data.valid, roles));
      const a = await writeTable(`${kind}-train`, data.train);
      const b = await writeTable(`${kind}-valid`, data.valid);
      for (const [format, budget] of [
        ['parquet', 2 ** 30],
        ['csv', 2 ** 30],
        ['parquet', 1],
      ] as const) {
        const scanned = await scanShift(db, file('TRAIN', a[format]), file('VALID', b[format]), { ...roles, memoryBudget: budget, sampleRows: 500 });
        expect(everyRowSections(scanned.evidence), `${format}, budget ${budget}`).toEqual(expected);
        expect(scanned.evidence.sample.train.nRows).toBe(500);
        expect(scanned.evidence.source).toEqual({ engine: 'duckdb', sampleRows: { train: 500, valid: 500 } });
      }
    });
  }

  interface KsCase {
    x: SampleRecipe;
    y: SampleRecipe;
    results: Record<string, [number, number]>;
  }
  it('the SciPy golden KS cases (5 × 7 … 50 000 × 30 000): D and p identical to ks2samp, both merges', async () => {
    const cases = readGolden<{ ks_2samp: KsCase[] }>('scipy_shift.json').ks_2samp.filter((c) => c.x.size >= 2 && c.y.size >= 2);
    for (const [k, c] of cases.entries()) {
      const x = replaySample(c.x);
      const y = replaySample(c.y);
      const a = await writeTable(`ks${k}-x`, { nRows: x.length, columns: [{ name: 'v', kind: 'numeric', values: x }] });
      const b = await writeTable(`ks${k}-y`, { nRows: y.length, columns: [{ name: 'v', kind: 'numeric', values: y }] });
      const train = await openSource(db, file('TRAIN', a.parquet));
      const valid = await openSource(db, file('VALID', b.parquet));
      const reference = ks2samp(x, y);
      const inMemory = numericFeatureTests('v', compareSorted('v', x.slice().sort(), y.slice().sort(), { train: 0, valid: 0 }));
      // losslab's KS matches SciPy to 1e-14 (test/shift/statistics.test.ts); the DuckDB path must match losslab exactly.
      expect(Math.abs(reference.statistic - c.results['two-sided/auto'][0])).toBeLessThan(1e-14);
      // Sorted here, sorted on the worker thread, sorted by DuckDB.
      for (const [budget, sortThreads] of [
        [2 ** 30, 0],
        [2 ** 30, 1],
        [1, 0],
      ] as const) {
        const tests = (await numericFeatures(db, train, valid, ['v'], { train: x.length, valid: y.length }, { memoryBudget: budget, sortThreads })).get('v');
        const what = `case ${k}, budget ${budget}, sort threads ${sortThreads}`;
        if (tests?.kind !== 'numeric') throw new Error('expected a numeric feature');
        expect(tests.ks, what).toEqual({ statistic: reference.statistic, pvalue: reference.pvalue, method: reference.method });
        // PSI (bins counted by DuckDB on the engine path), Wasserstein, moments: the in-memory numbers.
        expect(JSON.stringify(tests), what).toBe(JSON.stringify(inMemory));
      }
    }
  });
});

describe('leakage by hashing in SQL', () => {
  it('within-set duplicates: copies after the first, distinct repeated rows, (first, copy) examples', async () => {
    const values = [1, 2, 1, 3, 2, 1, Number.NaN, Number.NaN];
    const colour = ['a', 'b', 'a', 'c', 'b', 'a', '', ''];
    const table: Table = {
      nRows: values.length,
      columns: [
        { name: 'x', kind: 'numeric', values: Float64Array.from(values) },
        { name: 'c', kind: 'categorical', values: colour },
      ],
    };
    const t = await writeTable('within', table);
    const source = await openSource(db, file('TRAIN', t.parquet));
    const scanned = await scanShift(db, file('TRAIN', t.parquet), file('VALID', t.parquet), { sampleRows: 10 });
    expect(scanned.evidence.leakage.duplicatesWithin.train).toEqual({
      rows: 4,
      fraction: 0.5,
      distinct: 3,
      examples: [
        [0, 2],
        [1, 4],
        [0, 5],
        [6, 7],
      ],
    });
    expect(source.columns.map((c) => c.kind)).toEqual(['numeric', 'categorical']);
    expect(scanned.evidence.leakage.duplicatesWithin.train).toEqual(withinDuplicates(table, ['x', 'c']));
  });

  it('row numbers at scale: 300,000 rows in 30 row groups read by 2 threads, examples in file order (the temporary table’s rowid)', async () => {
    // Row i repeats row i − 7 when i is a multiple of 20,011; validation row j repeats training row 3j + 1 when j is a multiple of 25,013.
    const origin = { argument: 'test', value: 'rowid' };
    const trainPath = join(dir, 'rowid-train.parquet');
    const validPath = join(dir, 'rowid-valid.parquet');
    const row = (i: string) => `${i} AS a, ${i} % 977 AS b`;
    await db.rows(
      `COPY (SELECT ${row('CASE WHEN i % 20011 = 0 AND i > 0 THEN i - 7 ELSE i END')} FROM range(300000) t(i)) TO '${trainPath}' (FORMAT parquet, ROW_GROUP_SIZE 10000)`,
      origin,
    );
    await db.rows(
      `COPY (SELECT ${row('CASE WHEN j % 25013 = 0 THEN (3 * j + 1) - 7 * CAST((3 * j + 1) % 20011 = 0 AS INT) ELSE 1000000 + j END')} FROM range(100000) t(j)) TO '${validPath}' (FORMAT parquet, ROW_GROUP_SIZE 10000)`,
      origin,
    );
    const scanned = await scanShift(db, file('TRAIN', trainPath), file('VALID', validPath), { sampleRows: 50 });
    const copies = Array.from({ length: 14 }, (_, k) => (k + 1) * 20011);
    expect(scanned.evidence.leakage.duplicatesWithin.train).toEqual({
      rows: 14,
      fraction: 14 / 300000,
      distinct: 14,
      examples: copies.slice(0, 10).map((i) => [i - 7, i]),
    });
    const matches = [0, 1, 2, 3].map((k) => k * 25013);
    expect(scanned.evidence.leakage.exactDuplicates).toEqual({ validRows: 4, fraction: 4 / 100000, examples: matches.map((j) => [3 * j + 1, j]) });
  });

  it('scans of every column run on fewer threads for wide tables, and the setting comes back', async () => {
    const t = await writeTable('threads', { nRows: 2, columns: [{ name: 'x', kind: 'numeric', values: Float64Array.of(1, 2) }] });
    const source = await openSource(db, file('TRAIN', t.parquet));
    const threads = async () => Number((await db.rows(`SELECT current_setting('threads') AS t`, source.origin))[0].t);
    expect(await withWideScanThreads(db, 50, source, threads)).toBe(2);
    expect(await withWideScanThreads(db, 1000, source, threads)).toBe(1);
    expect(await threads()).toBe(2);
    await expect(withWideScanThreads(db, 1000, source, () => db.rows('SELECT * FROM nowhere', source.origin))).rejects.toThrow(/nowhere/);
    expect(await threads()).toBe(2);
  });
});
