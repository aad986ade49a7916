import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RandomState } from '../../src/tensor/random.js';
import { losslab } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'losslab-shift-'));

/** Writes a CSV with numeric columns a, b (b shifted by `shift`), a categorical c and extra columns. */
function csv(name: string, rows: number, seed: number, shift: number, extra: (i: number) => Record<string, string> = () => ({})): string {
  const rs = new RandomState(seed);
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const row: Record<string, string> = {
      a: rs.standardNormal().toFixed(6),
      b: (rs.standardNormal() + shift).toFixed(6),
      c: ['red', 'green', 'blue'][rs.randint(0, 3)],
      ...extra(i),
    };
    if (i === 0) lines.push(Object.keys(row).join(','));
    lines.push(Object.values(row).join(','));
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('losslab shift on CSV files', () => {
  it('prints a summary, writes the JSON (documented schema) and a self-contained HTML report', async () => {
    const extra = (i: number) => ({ y: String(i % 3), g: `g${i % 7}`, t: String(i), p: String(i % 5 === 0 ? (i + 1) % 3 : i % 3) });
    const train = csv('train.csv', 200, 1, 0, extra);
    const valid = csv('valid.csv', 150, 2, 0.8, (i) => ({ ...extra(i), t: String(i + 150) }));
    const r = await losslab([
      'shift',
      train,
      valid,
      '--label',
      'y',
      '--group',
      'g',
      '--time',
      't',
      '--pred',
      'p',
      '--json',
      join(dir, 'out.json'),
      '--report',
      join(dir, 'report.html'),
      '--seed',
      '3',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/verdict: SHIFT DETECTED/);
    expect(r.stdout).toMatch(/^b\s+numeric\s+D=/m);
    const json = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    expect(json.schema).toBe('losslab.shift/1');
    expect(json.features.map((f: { name: string }) => f.name)).toEqual(['a', 'b', 'c']);
    const [a, , c] = json.features;
    expect(a).toMatchObject({
      name: 'a',
      kind: 'numeric',
      ks: { statistic: expect.any(Number), pvalue: expect.any(Number) },
      wasserstein: expect.any(Number),
      psi: expect.any(Number),
      effectSize: { measure: 'cohen-d' },
      pvalueAdjusted: { bonferroni: expect.any(Number), bh: expect.any(Number) },
    });
    // 20 bins, every non-missing value counted once per set.
    expect(a.histogram.edges).toHaveLength(21);
    expect(a.histogram.train.reduce((s: number, n: number) => s + n, 0)).toBe(a.n.train);
    expect(a.histogram.valid.reduce((s: number, n: number) => s + n, 0)).toBe(a.n.valid);
    expect(c).toMatchObject({
      name: 'c',
      kind: 'categorical',
      chi2: { statistic: expect.any(Number), pvalue: expect.any(Number), dof: 2 },
      jensenShannon: expect.any(Number),
      effectSize: { measure: 'cramer-v' },
    });
    expect(json.features[1].flagged).toBe(true);
    expect(json.multivariate.domainClassifier.drivers[0].feature).toBe('b');
    expect(json.leakage.groups.sharedGroups).toBe(7);
    expect(json.leakage.time.overlaps).toBe(true);
    expect(json.labels.bbse.weights).toHaveLength(3);
    expect(json.subgroups.groups).toHaveLength(7);
    expect(json.embedding.points).toHaveLength(350);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    // Effect sizes, histograms, embedding, subgroups.
    expect(html.match(/<svg/g)?.length).toBe(4);
    expect(html.match(/(?:src|href)=["']https?:/g)).toBeNull();
    expect(html).not.toMatch(/<script|<link|@import/);
  });

  it('--demo writes its data and reports; --demo none does not cry wolf', async () => {
    const out = join(dir, 'demo');
    let r = await losslab(['shift', '--demo', 'group-leak', '--out-dir', out, '--no-embedding']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/LEAKAGE FOUND/);
    expect(readFileSync(join(out, 'train.csv'), 'utf8').split('\n')[0]).toBe('x1,x2,x3,x4,colour,user,y,pred');
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(json.leakage.exactDuplicates.validRows).toBe(50);
    expect(json.embedding).toBeUndefined();
    // The written files reproduce the same findings when analysed as files.
    r = await losslab(['shift', join(out, 'train.csv'), join(out, 'valid.csv'), '--group', 'user', '--label', 'y', '--pred', 'pred']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/50 exact and \d+ near duplicate validation rows; \d+ groups on both sides/);
    r = await losslab(['shift', '--demo', 'none']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/verdict: no evidence of shift/);
  });
});

describe('losslab shift: bad input exits 2 with a clear message', () => {
  const train = csv('ok-train.csv', 50, 5, 0);
  it('columns that differ between the files', async () => {
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'a,b,d\n1,2,3\n4,5,6\n');
    const r = await losslab(['shift', train, other]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /losslab shift: argument 'VALID' is columns only in .*ok-train\.csv: "c"; only in .*other\.csv: "d", but both files must have the same feature columns\. Rename the columns, or compare a common subset with --features a,b,c\./,
    );
  });
  it('a non-numeric value in a numeric column', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'a,b,c\n1,2,red\n3,oops,blue\n5,6,red\n');
    const r = await losslab(['shift', train, bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /read CSV: argument '.*bad\.csv' is row 2 \(line 3\), column "b" = "oops", but column "b" \(numeric in the first rows; --categorical reads it as text\) must hold numbers/,
    );
  });
  it('missing values: kept and counted by default, an error with --missing error', async () => {
    const gaps = join(dir, 'gaps.csv');
    writeFileSync(gaps, 'a,b,c\n1,2,red\n,0.5,blue\n5,NA,\n0.3,1,green\n');
    let r = await losslab(['shift', train, gaps, '--json', join(dir, 'gaps.json'), '--no-embedding']);
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'gaps.json'), 'utf8'));
    expect(json.features.map((f: { missing: { valid: number } }) => f.missing.valid)).toEqual([1, 1, 1]);
    r = await losslab(['shift', train, gaps, '--missing', 'error']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /gaps\.csv' is row 2 \(line 3\), column "a" = "", but column "a" .* must not have missing values\. Fill or drop the rows with missing values first\./,
    );
  });
  it('a constant column', async () => {
    const t = join(dir, 'const-train.csv');
    const v = join(dir, 'const-valid.csv');
    writeFileSync(t, 'a,k\n1,3\n2,3\n3,3\n');
    writeFileSync(v, 'a,k\n2,3\n5,3\n1,3\n');
    const r = await losslab(['shift', t, v]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /argument 'column "k"' is constant \(3 in both files\), but a feature must vary to be compared\. Leave it out: list the other columns with --features\./,
    );
  });
  it('a file with one row', async () => {
    const one = join(dir, 'one.csv');
    writeFileSync(one, 'a,b,c\n1,2,red\n');
    const r = await losslab(['shift', train, one]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/argument 'VALID' is 1 data row, but the validation file needs at least 2 data rows/);
  });
  it('wrong file count, unknown columns and misplaced options', async () => {
    let r = await losslab(['shift', train]);
    expect(r.stderr).toMatch(/argument 'TRAIN.csv VALID.csv' is 1 file, but it needs exactly two CSV files/);
    r = await losslab(['shift', train, train, '--label', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/argument '--label' is "nope", but the training file has no such column/);
    r = await losslab(['shift', train, join(dir, 'missing.csv')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/missing\.csv", but the file does not exist/);
    r = await losslab(['shift', train, train, '--out-dir', dir]);
    expect(r.stderr).toMatch(/argument '--out-dir' is ".*", but it only applies with --demo/);
  });
});
