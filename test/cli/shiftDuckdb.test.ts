import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ShiftDatabase } from '../../src/node/duckdb/database.js';
import { progressReporter } from '../../src/cli/shiftDatabase.js';
import { losslab } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'losslab-shift-duckdb-'));
const origin = { argument: 'test', value: 'setup' };

/** Rows with a day number, numeric x (drifting with the day), a colour and a user. */
function rows(from: number, to: number): string {
  const lines = ['day,x,colour,user'];
  for (let d = from; d < to; d++) lines.push(`${d},${((d * 7919) % 1000) / 100 + d / 50},${['red', 'green', 'blue'][d % 3]},u${d % 40}`);
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  writeFileSync(join(dir, 'all.csv'), rows(0, 600));
  writeFileSync(join(dir, 'other.csv'), 'day,y\n1,2\n2,3\n3,4\n');
  const db = await ShiftDatabase.open({ path: join(dir, 'events.duckdb') });
  await db.rows(`CREATE TABLE events AS SELECT * FROM read_csv('${join(dir, 'all.csv')}')`, origin);
  await db.rows(`COPY (SELECT * FROM events WHERE day < 400) TO '${join(dir, 'train.parquet')}' (FORMAT parquet)`, origin);
  await db.rows(`COPY (SELECT * FROM events WHERE day >= 400) TO '${join(dir, 'valid.parquet')}' (FORMAT parquet)`, origin);
  for (let p = 0; p < 4; p++)
    await db.rows(`COPY (SELECT * FROM events WHERE day < 400 AND day % 4 = ${p}) TO '${join(dir, `part-${p}.parquet`)}' (FORMAT parquet)`, origin);
  db.close();
});

describe('losslab shift through DuckDB', () => {
  it('Parquet files, a glob of partitions, and a time split taken by SQL from a DuckDB table give the same report', async () => {
    const files = await losslab(['shift', 'train.parquet', 'valid.parquet', '--time', 'day', '--group', 'user', '--json', 'files.json'], { cwd: dir });
    expect(files.status).toBe(0);
    expect(files.stdout).toMatch(/train\.parquet \(400 rows\) vs valid\.parquet \(200 rows\)/);
    const glob = await losslab(['shift', 'part-*.parquet', 'valid.parquet', '--time', 'day', '--group', 'user', '--json', 'glob.json'], { cwd: dir });
    expect(glob.status).toBe(0);
    const sql = await losslab(
      [
        'shift',
        '--db',
        'events.duckdb',
        '--train-sql',
        'SELECT * FROM events WHERE day < 400',
        '--valid-sql',
        'SELECT * FROM events WHERE day >= 400',
        '--time',
        'day',
        '--group',
        'user',
        '--json',
        'sql.json',
      ],
      { cwd: dir },
    );
    expect(sql.status).toBe(0);
    const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
    const [a, b, c] = [read('files.json'), read('glob.json'), read('sql.json')];
    expect(a.source).toEqual({ engine: 'duckdb', sampleRows: { train: 400, valid: 200 } });
    expect(a.leakage.time).toMatchObject({ overlaps: false, validRowsNotAfterTrain: 0 });
    expect(a.leakage.groups.sharedGroups).toBe(40);
    // Row order differs in the glob (4 files); every per-feature statistic is order-free.
    expect(b.features).toEqual(a.features);
    expect(c.features).toEqual(a.features);
    expect(c.leakage).toEqual(a.leakage);
    // Three full reports through DuckDB: 12 s on a quiet machine, past the default 60 s at a load average of 25.
  }, 180_000);

  it('the in-memory CSV path and --engine duckdb agree on every per-feature statistic', async () => {
    writeFileSync(join(dir, 'train.csv'), rows(0, 400));
    writeFileSync(join(dir, 'valid.csv'), rows(400, 600));
    const memory = await losslab(['shift', 'train.csv', 'valid.csv', '--json', 'memory.json'], { cwd: dir });
    const duck = await losslab(['shift', 'train.csv', 'valid.csv', '--engine', 'duckdb', '--json', 'duck.json'], { cwd: dir });
    expect([memory.status, duck.status]).toEqual([0, 0]);
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    expect(JSON.parse(read('duck.json')).features).toEqual(JSON.parse(read('memory.json')).features);
  });

  it('--write-summaries on 4 partitions, then --from-summaries with the parts merged: the report of the whole', async () => {
    for (let p = 0; p < 4; p++) {
      const r = await losslab(['shift', `part-${p}.parquet`, 'valid.parquet', '--group', 'user', '--write-summaries', `s${p}`, '--sample-rows', '100'], {
        cwd: dir,
      });
      expect(r.status).toBe(0);
    }
    const whole = await losslab(['shift', 'train.parquet', 'valid.parquet', '--group', 'user', '--sample-rows', '100', '--json', 'whole.json'], { cwd: dir });
    const parts = ['s0', 's1', 's2', 's3'].map((s) => `${s}/train.summary.json`).join(',');
    const merged = await losslab(['shift', '--from-summaries', parts, 's0/valid.summary.json', '--json', 'merged.json'], { cwd: dir });
    expect([whole.status, merged.status]).toEqual([0, 0]);
    const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
    const [a, b] = [read('whole.json'), read('merged.json')];
    expect(b.source).toEqual({ engine: 'summaries', sampleRows: { train: 100, valid: 100 } });
    expect(b.features).toEqual(a.features);
    expect(b.multivariate).toEqual(a.multivariate);
    // Summaries keep no row order: shared groups are listed by value instead of by first appearance.
    expect({ ...b.leakage.groups, examples: [] }).toEqual({ ...a.leakage.groups, examples: [] });
    const missing = await losslab(['shift', '--from-summaries', 'nope.json', 's0/valid.summary.json'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/argument 'TRAIN' is ".*nope\.json", but no such file/);
  });

  it('a missing file, a glob that matches nothing, a failing query and different columns are one message each, exit 2', async () => {
    const missing = await losslab(['shift', 'nope.parquet', 'valid.parquet'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/argument 'TRAIN' is ".*nope\.parquet", but no such file/);
    const glob = await losslab(['shift', 'none-*.parquet', 'valid.parquet'], { cwd: dir });
    expect(glob.status).toBe(2);
    expect(glob.stderr).toMatch(/argument 'TRAIN' is ".*none-\*\.parquet", but no file matches the pattern/);
    const query = await losslab(['shift', '--db', ':memory:', '--train-sql', 'SELECT * FROM nowhere', '--valid-sql', 'SELECT 1 AS x'], { cwd: dir });
    expect(query.status).toBe(2);
    expect(query.stderr).toMatch(
      /argument '--train-sql' is "SELECT \* FROM nowhere", but DuckDB could not read it: Catalog Error: Table with name nowhere does not exist/,
    );
    const columns = await losslab(['shift', 'train.parquet', 'other.csv', '--engine', 'duckdb'], { cwd: dir });
    expect(columns.status).toBe(2);
    expect(columns.stderr).toMatch(
      /argument 'VALID' is columns only in train\.parquet: "x", "colour", "user"; only in other\.csv: "y", but both sides must have the same feature columns/,
    );
    expect(columns.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('progress on long scans: phase, columns done and rows read, a line per tenth of the columns off a terminal', () => {
    let text = '';
    const io = {
      stdout: () => {},
      stderr: (t: string) => {
        text += t;
      },
      cwd: dir,
      isTTY: false,
    };
    const progress = progressReporter(io, 0);
    for (let done = 0; done <= 20; done++)
      progress.update({ phase: 'columns', columnsDone: done, columns: 20, rowsRead: done * 1e5, rows: 2e6, pass: 1, passes: 1 });
    progress.update({ phase: 'leakage', columnsDone: 20, columns: 20, rowsRead: 0, rows: 2e6 });
    const lines = text.trim().split('\n');
    expect(lines).toContain('columns: 10/20 columns done; pass 1/1 over the data: 1.00 of 2.00 M rows read');
    expect(lines.at(-1)).toBe('leakage: 20/20 columns done');
    expect(lines.length).toBe(12);
  });
});
