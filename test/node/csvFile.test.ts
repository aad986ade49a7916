import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendCsvColumns, countCsvRows, readCsvColumns, readCsvHeader } from '../../src/node/csvFile.js';
import { parseCsv } from '../../src/data/csv.js';

describe('streaming CSV files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'losslab-csv-'));
  // ~140 KB read in 4 KiB chunks, so records (multi-byte characters, quoted CRLFs) straddle chunk boundaries.
  const n = 4_000;
  const chunkSize = 4096;
  const lines = ['id,name,value'];
  for (let i = 0; i < n; i++) lines.push(`${i},"né ${i % 97}, ""q""\r\nline",${i % 5 === 0 ? 'NA' : (i * 0.25).toString()}`);
  const text = `${lines.join('\r\n')}\r\n`;
  const path = join(dir, 'big.csv');
  writeFileSync(path, text);

  it('reads columns across chunk boundaries exactly as a one-shot parse', async () => {
    const table = await readCsvColumns(path, [{ name: 'name' }, { name: 'value', type: 'number' }], { chunkSize });
    const whole = parseCsv(text).slice(1);
    expect(table.rowCount).toBe(n);
    const names = table.columns.get('name');
    expect(names?.kind).toBe('string');
    expect(names?.values).toEqual(whole.map((r) => r[1]));
    const values = table.columns.get('value');
    expect(values?.missing).toBe(n / 5);
    expect(Array.from(values?.values as Float64Array).slice(0, 3)).toEqual([NaN, 0.25, 0.5]);
    expect(await countCsvRows(path, { chunkSize })).toBe(n);
    expect(await readCsvHeader(path)).toEqual(['id', 'name', 'value']);
  });

  it('appends columns atomically, row for row', async () => {
    const out = join(dir, 'out.csv');
    const rows = await appendCsvColumns(path, out, [{ name: 'fold', value: (r) => String(r % 3) }], { chunkSize });
    expect(rows).toBe(n);
    const parsed = parseCsv(readFileSync(out, 'utf8'));
    expect(parsed[0]).toEqual(['id', 'name', 'value', 'fold']);
    expect(parsed.slice(1).map((r) => r.slice(0, 3))).toEqual(parseCsv(text).slice(1));
    expect(parsed[n][3]).toBe(String((n - 1) % 3));
  });

  it('a missing file names the path', async () => {
    await expect(readCsvColumns(join(dir, 'nope.csv'), [])).rejects.toThrow(/nope\.csv", but the file does not exist/);
    await expect(readCsvColumns(dir, [])).rejects.toThrow(/it is a folder, not a CSV file/);
  });
});
