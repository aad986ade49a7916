import { describe, expect, it } from 'vitest';
import { analyzeShift } from '../../src/shift/analyze.js';
import type { NumericFeatureReport } from '../../src/shift/report.js';
import { makeDemo, type DemoKind } from '../../src/shift/demo.js';
import { shiftSummaryText } from '../../src/shift/summary.js';
import { shiftReportHtml } from '../../src/reports/shiftReport.js';
import type { Table } from '../../src/shift/table.js';

function run(kind: DemoKind, seed = 3) {
  const d = makeDemo(kind, { seed });
  return analyzeShift(d.train, d.valid, { label: d.label, group: d.group, time: d.time, pred: d.pred, seed, embedding: false, mmdPermutations: 99 });
}
const flagged = (r: ReturnType<typeof run>): string[] => r.features.filter((f) => f.flagged).map((f) => f.name);

describe('the report finds the shift each demo plants', () => {
  it('covariate: x1, x3 and colour are flagged; x2 and x4 are not', () => {
    const r = run('covariate');
    expect(r.verdict.shift).toBe(true);
    expect(flagged(r).sort()).toEqual(['colour', 'x1', 'x3']);
    expect(r.multivariate.domainClassifier.ci[0]).toBeGreaterThan(0.5);
    expect(r.advice.map((a) => a.topic)).toContain('weighting');
    const x1 = r.features.find((f) => f.name === 'x1') as NumericFeatureReport;
    expect(x1.effectSize.value).toBeGreaterThan(0.3);
  });
  it('label: class proportions differ, and BBSE recovers the validation prior (0.2, 0.3, 0.5)', () => {
    const r = run('label');
    expect(r.labels?.chi2?.pvalue).toBeLessThan(1e-6);
    const q = r.labels!.bbse!.estimatedValidProportions;
    [0.2, 0.3, 0.5].forEach((t, k) => {
      expect(Math.abs(q[k] - t)).toBeLessThan(0.06);
    });
    expect(r.advice.some((a) => a.topic === 'labels' && a.text.includes('stratify'))).toBe(true);
  });
  it('group-leak: shared users and the 50 planted duplicate rows are found; advice says split by group', () => {
    const r = run('group-leak');
    expect(r.verdict.leakage).toBe(true);
    expect(r.leakage.groups!.sharedGroups).toBeGreaterThanOrEqual(50);
    expect(r.leakage.exactDuplicates.validRows).toBe(50);
    expect(r.leakage.nearDuplicates.validRows).toBeGreaterThanOrEqual(50);
    expect(r.advice[0].text).toMatch(/GroupKFold/);
  });
  it('time: overlapping ranges and the drifting x1 are found; advice says split by time', () => {
    const r = run('time');
    expect(r.leakage.time!.overlaps).toBe(true);
    expect(r.leakage.time!.fraction).toBeGreaterThan(0.4);
    expect(flagged(r)).toContain('x1');
    expect(r.advice.some((a) => /TimeSeriesSplit/.test(a.text))).toBe(true);
  });
  it('none: no shift, no leakage, and the advice says a random split is fine', () => {
    const r = run('none');
    expect(r.verdict).toMatchObject({ shift: false, leakage: false });
    expect(r.advice).toHaveLength(1);
    expect(r.advice[0].text).toMatch(/No evidence/);
  });
});

describe('the report does not cry wolf', () => {
  it('false-alarm rate over 40 seeds of --demo none is near the nominal α = 0.05', () => {
    let alarms = 0;
    const reasons: string[] = [];
    for (let seed = 100; seed < 140; seed++) {
      const d = makeDemo('none', { seed, trainRows: 240, validRows: 160 });
      const r = analyzeShift(d.train, d.valid, {
        label: d.label,
        group: d.group,
        pred: d.pred,
        seed,
        embedding: false,
        mmdRows: 80,
        mmdPermutations: 49,
        domainRows: 240,
      });
      if (r.verdict.shift) {
        alarms++;
        reasons.push(...r.verdict.reasons.map((x) => x.split(':')[0]));
      }
    }
    // Binomial(40, 0.05): mean 2; P(X ≥ 7) ≈ 0.003.
    expect(alarms, `false alarms from: ${reasons.join(', ')}`).toBeLessThanOrEqual(6);
  });
});

function table(columns: Record<string, number[] | string[]>): Table {
  const entries = Object.entries(columns);
  return {
    nRows: entries[0][1].length,
    columns: entries.map(([name, values]) =>
      typeof values[0] === 'number' || Number.isNaN(values[0])
        ? { name, kind: 'numeric' as const, values: Float64Array.from(values as number[]) }
        : { name, kind: 'categorical' as const, values: values as string[] },
    ),
  };
}

describe('bad input gets a clear message', () => {
  const ok = { a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], c: ['x', 'y', 'x', 'y', 'x', 'y', 'x', 'y', 'x', 'y'] };
  it('a file with one row', () => {
    expect(() => analyzeShift(table(ok), table({ a: [1], c: ['x'] }), { embedding: false })).toThrow(
      /losslab shift: argument 'VALID' is 1 data row, but the validation file needs at least 2 data rows/,
    );
  });
  it('a constant column', () => {
    expect(() => analyzeShift(table({ ...ok, k: Array<number>(10).fill(7) }), table({ ...ok, k: Array<number>(10).fill(7) }), { embedding: false })).toThrow(
      /argument 'column "k"' is constant \(7 in both files\), but a feature must vary to be compared. Leave it out/,
    );
  });
  it('a column of different kinds in the two files', () => {
    expect(() => analyzeShift(table(ok), table({ a: ok.c, c: ok.c }), { embedding: false })).toThrow(
      /column "a"' is numeric in the training file and categorical in the validation file, but a column must have the same type in both files/,
    );
  });
  it('missing values are left out of the univariate tests and counted (documented policy)', () => {
    const valid = table({ a: [1, NaN, 3, 4, NaN, 6, 7, 8, 9, 10], c: ['x', '', 'x', 'y', 'x', 'y', 'x', 'y', 'x', 'y'] });
    const r = analyzeShift(table(ok), valid, { embedding: false, mmdPermutations: 19 });
    expect(r.features[0]).toMatchObject({ missing: { train: 0, valid: 2 }, n: { train: 10, valid: 8 } });
    expect(r.features[1]).toMatchObject({ missing: { train: 0, valid: 1 } });
  });
  it('a column that is all missing in one file', () => {
    const valid = table({ a: Array<number>(10).fill(NaN), c: ok.c });
    expect(() => analyzeShift(table(ok), valid, { embedding: false })).toThrow(
      /column "a"' is 0 non-missing values in the validation file, but a feature needs at least 2 values in each file/,
    );
  });
  it('--pred without --label does nothing, so it is rejected', () => {
    expect(() => analyzeShift(table(ok), table(ok), { pred: 'c', embedding: false })).toThrow(
      /argument '--pred' is "c", but predictions are only used together with --label/,
    );
  });
  it('an unknown role column', () => {
    expect(() => analyzeShift(table(ok), table(ok), { label: 'y', embedding: false })).toThrow(
      /argument '--label' is "y", but the training file has no such column/,
    );
  });
});

describe('text and HTML renderings', () => {
  it('the summary and the HTML carry the verdict, every feature and the advice, offline', () => {
    const d = makeDemo('covariate', { seed: 1, trainRows: 400, validRows: 300 });
    const r = analyzeShift(d.train, d.valid, { label: 'y', group: 'user', pred: 'pred', embedding: false, mmdPermutations: 49 });
    const text = shiftSummaryText(r, { train: 'a.csv', valid: 'b.csv' });
    expect(text).toMatch(/verdict: SHIFT DETECTED/);
    for (const f of r.features) expect(text).toContain(f.name);
    const html = shiftReportHtml(
      r,
      { trainName: 'a<b>.csv', validName: 'b.csv' },
      { effectSizes: '<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>' },
    );
    expect(html).toContain('a&lt;b&gt;.csv');
    expect(html).not.toContain('<script');
    expect(html).toContain('<svg');
    expect(html.match(/(?:src|href)=["']https?:/g)).toBeNull();
    expect(html).toContain('Advice');
  });
});
