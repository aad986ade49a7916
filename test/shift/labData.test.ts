import { describe, expect, it } from 'vitest';
import { LosslabError } from '../../src/errors.js';
import { analyzeShift } from '../../src/shift/analyze.js';
import { LAB_DEMO_VALID_SHARE, labDemoTable, type LabDemoId } from '../../src/shift/demo.js';
import { sliceTable, tableFromCsvText } from '../../src/shift/table.js';

describe("the validation lab's data: CSV text to a table, the lab's demos", () => {
  it('reads CSV with quotes and missing values into numeric and categorical columns', () => {
    const table = tableFromCsvText('x,city,y\n1.5,"Paris, FR",a\n,Rome,b\n3,"Say ""hi""",a\n', 'demo.csv');
    expect(table.nRows).toBe(3);
    const [x, city, y] = table.columns;
    expect(x.kind).toBe('numeric');
    if (x.kind === 'numeric') expect(Array.from(x.values)).toEqual([1.5, Number.NaN, 3]);
    expect(city).toEqual({ name: 'city', kind: 'categorical', values: ['Paris, FR', 'Rome', 'Say "hi"'] });
    expect(y.kind).toBe('categorical');
    expect(sliceTable(table, 1, 3).nRows).toBe(2);
  });

  it('names the file and the row for a ragged CSV, and refuses a file with one data row', () => {
    expect(() => tableFromCsvText('a,b\n1,2\n3\n', 'bad.csv')).toThrow(LosslabError);
    expect(() => tableFromCsvText('a,b\n1,2\n3\n', 'bad.csv')).toThrow(/bad\.csv/);
    expect(() => tableFromCsvText('a,b\n1,2\n', 'one.csv')).toThrow(/one\.csv.*at least 2 data rows/);
  });

  const expected: Record<LabDemoId, string> = { covariate: 'x1', label: 'label', group: 'x2', time: 'x1' };
  it.each(Object.entries(expected))('the %s demo has a shift that analyzeShift finds in %s, and is reproducible', (id, feature) => {
    const table = labDemoTable(id as LabDemoId, 0);
    expect(labDemoTable(id as LabDemoId, 0)).toEqual(table);
    const cut = Math.round(table.nRows * (1 - LAB_DEMO_VALID_SHARE));
    const report = analyzeShift(sliceTable(table, 0, cut), sliceTable(table, cut, table.nRows), {
      features: ['x1', 'x2', 'label'],
      mmdPermutations: 100,
      mmdRows: 100,
      domainRows: 200,
    });
    const flagged = report.features.filter((f) => f.flagged).map((f) => f.name);
    expect(flagged).toContain(feature);
    expect(report.verdict.shift).toBe(true);
  });
});
