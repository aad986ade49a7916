import { describe, expect, it, beforeAll } from 'vitest';
import { losslab } from './harness.js';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { GroupKFold, StratifiedKFold, TimeSeriesSplit } from '../../src/validation/index.js';
import { parseCsv } from '../../src/data/csv.js';

let dir: string;

const split = (...argv: string[]) => losslab(['split', ...argv], { cwd: dir });

// 24 rows: user (8 users, 3 rows each), label (a/b, imbalanced), day (sorted), a quoted note with a comma and a newline.
const users = Array.from({ length: 24 }, (_, i) => `u${Math.floor(i / 3)}`);
const labels = Array.from({ length: 24 }, (_, i) => (i % 4 === 0 ? 'b' : 'a'));
const days = Array.from({ length: 24 }, (_, i) => i * 2);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'losslab-split-'));
  const rows = users.map((u, i) => `${u},${labels[i]},${days[i]},"note ${i}, line\nbreak"`);
  writeFileSync(join(dir, 'data.csv'), `user,label,day,note\r\n${rows.join('\r\n')}\r\n`);
  writeFileSync(join(dir, 'empty.csv'), '');
  writeFileSync(join(dir, 'words.csv'), 'day,label\nmonday,a\ntuesday,b\n');
  writeFileSync(join(dir, 'missing.csv'), 'user,label\nu1,a\nu2,\nu3,b\n');
});

describe('losslab split', () => {
  it('--out folds.json holds exactly what StratifiedKFold.split yields', async () => {
    const r = await split('data.csv', '--strategy', 'stratified', '--label', 'label', '--folds', '3', '--shuffle', '--seed', '7', '--out', 'folds.json');
    expect(r.status, r.stderr).toBe(0);
    const expected = [...new StratifiedKFold({ nSplits: 3, shuffle: true, randomState: 7 }).split({ n: 24 }, labels)].map((s) => ({
      train: Array.from(s.train),
      test: Array.from(s.test),
    }));
    expect(JSON.parse(readFileSync(join(dir, 'folds.json'), 'utf8'))).toEqual(expected);
    expect(r.stdout).toMatch(/StratifiedKFold: 3 splits of 24 rows/);
    expect(r.stdout).toMatch(/split 0 {2}train 16 {2}test 8 {2}classes b:25% a:75%/);
    expect(r.stdout).toMatch(/no empty or badly stratified splits/);
  });

  it('--out folds.csv keeps every input row (quotes, CRLF) and adds the fold column', async () => {
    const r = await split('data.csv', '--strategy', 'group', '--group', 'user', '--folds', '4', '--out', 'folds.csv');
    expect(r.status, r.stderr).toBe(0);
    const rows = parseCsv(readFileSync(join(dir, 'folds.csv'), 'utf8'));
    expect(rows[0]).toEqual(['user', 'label', 'day', 'note', 'fold']);
    expect(rows[1].slice(0, 4)).toEqual(['u0', 'b', '0', 'note 0, line\nbreak']);
    const folds = [...new GroupKFold({ nSplits: 4 }).split({ n: 24 }, null, users)];
    const expected = new Array<string>(24);
    folds.forEach((s, f) => {
      s.test.forEach((i) => {
        expected[i] = String(f);
      });
    });
    expect(rows.slice(1).map((row) => row[4])).toEqual(expected);
    expect(r.stdout).toMatch(/groups test 2 \/ train 6/);
  });

  it('time-series: one column per split, train/test/blank for the gap', async () => {
    const r = await split('data.csv', '--strategy', 'time-series', '--time', 'day', '--folds', '3', '--gap', '2', '--out', 'ts.csv');
    expect(r.status, r.stderr).toBe(0);
    const rows = parseCsv(readFileSync(join(dir, 'ts.csv'), 'utf8'));
    expect(rows[0].slice(4)).toEqual(['split_0', 'split_1', 'split_2']);
    const first = [...new TimeSeriesSplit({ nSplits: 3, gap: 2 }).split({ n: 24 })][0];
    const col = rows.slice(1).map((row) => row[4]);
    expect(col.filter((v) => v === 'train').length).toBe(first.train.length);
    expect(col.filter((v) => v === 'test').length).toBe(first.test.length);
    expect(col.filter((v) => v === '').length).toBe(24 - first.train.length - first.test.length);
    expect(r.stdout).toMatch(/time train 0…/);
  });

  it('prints warnings and flags badly stratified folds', async () => {
    const r = await split('data.csv', '--strategy', 'kfold', '--label', 'user', '--folds', '4');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/! split 0: class u0 is 50.0% of the test set vs 12.5% overall/);
    const w = await split('data.csv', '--strategy', 'stratified', '--label', 'label', '--folds', '7');
    expect(w.stderr).toMatch(/warning: The least populated class in y has only 6 members, which is less than n_splits=7\./);
  });

  it('writes the folds figure', async () => {
    const r = await split('data.csv', '--strategy', 'stratified-group', '--label', 'label', '--group', 'user', '--folds', '3', '--figure', 'folds.svg');
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'folds.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('user mistakes exit 2 with a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [['data.csv', '--strategy', 'group', '--group', 'nope'], /has no column "nope" \(named by --group\)\. The columns are "user", "label", "day", "note"/],
      [['data.csv', '--strategy', 'group'], /--group.*--strategy group needs it/],
      [['words.csv', '--strategy', 'time-series', '--time', 'day'], /column "day" \(--time\) must hold numbers/],
      [['empty.csv'], /it is empty: a CSV needs a header row/],
      [
        ['missing.csv', '--strategy', 'stratified', '--label', 'label', '--folds', '2'],
        /row 2 \(line 3\), column "label" = "", but column "label" \(--label\) must not have missing values/,
      ],
      [['nowhere.csv'], /the file does not exist/],
      [['data.csv', '--strategy', 'kfold', '--seed', '3'], /setting a random_state has no effect since shuffle is False/],
      [['data.csv', '--strategy', 'kfold', '--gap', '3'], /--gap.*has no effect with --strategy kfold/],
      [
        ['data.csv', '--strategy', 'time-series', '--folds', '3', '--test-size', '8', '--gap', '1'],
        /too many splits=3 for number of samples=24 with test_size=8 and gap=1/,
      ],
      [['data.csv', '--folds', '30'], /n_splits=30 greater than the number of samples: n_samples=24/],
      [['data.csv', '--out', 'folds.txt'], /it must end in \.json or \.csv/],
    ];
    for (const [argv, pattern] of cases) {
      const r = await split(...argv);
      expect(r.status, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toMatch(pattern);
    }
  });

  it('runs as a subprocess through bin/losslab.js', () => {
    expect(existsSync('dist/cli/main.js')).toBe(true);
    const r = spawnSync(
      process.execPath,
      ['bin/losslab.js', 'split', join(dir, 'data.csv'), '--strategy', 'leave-one-group-out', '--group', 'user', '--out', join(dir, 'logo.json')],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'logo.json'), 'utf8'))).toHaveLength(8);
    const bad = spawnSync(process.execPath, ['bin/losslab.js', 'split', join(dir, 'empty.csv')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: read CSV: .*it is empty/);
  });
});
