import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCsvRecord } from '../../src/data/csv.js';
import { ShiftDatabase } from '../../src/node/duckdb/database.js';
import { openSource, type Source } from '../../src/node/duckdb/sources.js';
import { summarizeSource } from '../../src/node/duckdb/summarize.js';
import { collectEvidence, shiftReportFromEvidence } from '../../src/shift/analyze.js';
import { makeDemo } from '../../src/shift/demo.js';
import { evidenceFromSummaries, mergeSummaries, type NumericSummary, type SetSummary } from '../../src/shift/summaries.js';
import type { Table } from '../../src/shift/table.js';

const dir = mkdtempSync(join(tmpdir(), 'losslab-summaries-'));
const origin = { argument: 'test', value: 'setup' };
let db: ShiftDatabase;
const data = makeDemo('group-leak', { seed: 5 });
const roles = { label: data.label, group: data.group, pred: data.pred };
const features = ['x1', 'x2', 'x3', 'x4', 'colour'];

function csv(table: Table): string {
  const lines = [formatCsvRecord(table.columns.map((c) => c.name))];
  for (let r = 0; r < table.nRows; r++)
    lines.push(formatCsvRecord(table.columns.map((c) => (c.kind === 'numeric' ? (Number.isNaN(c.values[r]) ? '' : String(c.values[r])) : c.values[r]))));
  return lines.join('');
}

async function source(path: string, argument = 'TRAIN'): Promise<Source> {
  return openSource(db, { kind: 'file', argument, path }, [data.label, data.group, data.pred]);
}

beforeAll(async () => {
  db = await ShiftDatabase.open({ threads: 2 });
  for (const side of ['train', 'valid'] as const) {
    writeFileSync(join(dir, `${side}.csv`), csv(data[side]));
    await db.rows(
      `COPY (SELECT * FROM read_csv('${join(dir, `${side}.csv`)}', header = true, nullstr = [''])) TO '${join(dir, `${side}.parquet`)}' (FORMAT parquet)`,
      origin,
    );
  }
  // Four partitions of the training rows, of unequal sizes and interleaved.
  for (let p = 0; p < 4; p++)
    await db.rows(
      `COPY (SELECT * EXCLUDE (r) FROM (SELECT *, row_number() OVER () AS r FROM read_parquet('${join(dir, 'train.parquet')}')) WHERE (r * 7) % 10 % 4 = ${p}) TO '${join(dir, `part-${p}.parquet`)}' (FORMAT parquet)`,
      origin,
    );
});
afterAll(() => db.close());

const options = { features, roles, seed: 0, sampleRows: 400 };

describe('mergeable summaries', () => {
  it('the summaries of 4 partitions merge into the summary of the whole, and give the same report', async () => {
    const whole = await summarizeSource(db, await source(join(dir, 'train.parquet')), options);
    const parts: SetSummary[] = [];
    for (let p = 0; p < 4; p++) parts.push(await summarizeSource(db, await source(join(dir, `part-${p}.parquet`)), options));
    expect(parts.map((s) => s.rows).reduce((a, b) => a + b, 0)).toBe(2000);
    const merged = parts.reduce((a, b) => mergeSummaries(a, b));
    expect(merged).toEqual(whole);
    // Merging is associative and commutative.
    expect(mergeSummaries(mergeSummaries(parts[3], parts[1]), mergeSummaries(parts[2], parts[0]))).toEqual(whole);

    const valid = await summarizeSource(db, await source(join(dir, 'valid.parquet'), 'VALID'), options);
    const fromParts = shiftReportFromEvidence(evidenceFromSummaries(merged, valid), { ...roles, embedding: false });
    const fromWhole = shiftReportFromEvidence(evidenceFromSummaries(whole, valid), { ...roles, embedding: false });
    expect(JSON.stringify(fromParts)).toBe(JSON.stringify(fromWhole));
    expect(fromParts.source).toEqual({ engine: 'summaries', sampleRows: { train: 400, valid: 400 } });

    // Everything computed on every row equals the in-memory path to the last digit.
    const memory = collectEvidence(data.train, data.valid, roles);
    const summaries = evidenceFromSummaries(merged, valid);
    expect(JSON.stringify(summaries.featureTests)).toBe(JSON.stringify(memory.featureTests));
    expect(JSON.stringify(summaries.labels)).toBe(JSON.stringify(memory.labels));
    expect(JSON.stringify(summaries.subgroups)).toBe(JSON.stringify(memory.subgroups));
    expect(summaries.leakage.exactDuplicates.validRows).toBe(memory.leakage.exactDuplicates.validRows);
    expect(summaries.leakage.duplicatesWithin.train.rows).toBe(memory.leakage.duplicatesWithin.train.rows);
    expect(summaries.leakage.groups).toEqual(memory.leakage.groups && { ...memory.leakage.groups, examples: expect.any(Array) });
  });

  it('past maxDistinct a column falls back to a sketch that merges exactly and keeps KS within the bucket resolution', async () => {
    const small = { ...options, maxDistinct: 50 };
    const whole = await summarizeSource(db, await source(join(dir, 'train.parquet')), small);
    const parts: SetSummary[] = [];
    for (let p = 0; p < 4; p++) parts.push(await summarizeSource(db, await source(join(dir, `part-${p}.parquet`)), small));
    const merged = parts.reduce((a, b) => mergeSummaries(a, b, 50));
    expect(merged).toEqual(whole);
    const x1 = merged.columns[0] as NumericSummary;
    expect(x1.exact).toBeUndefined();
    expect(x1.sketch?.counts.reduce((a, b) => a + b, 0)).toBe(2000);
    const valid = await summarizeSource(db, await source(join(dir, 'valid.parquet'), 'VALID'), small);
    const sketched = evidenceFromSummaries(merged, valid).featureTests[0];
    const exact = collectEvidence(data.train, data.valid, roles).featureTests[0];
    if (sketched.kind !== 'numeric' || exact.kind !== 'numeric') throw new Error('x1 is numeric');
    expect(Math.abs(sketched.ks.statistic - exact.ks.statistic)).toBeLessThan(0.01);
    expect(Math.abs(sketched.wasserstein - exact.wasserstein)).toBeLessThan(1e-3 * 2 * 3);
  });
});
