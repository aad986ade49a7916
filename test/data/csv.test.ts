import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvParser, CsvTableReader, formatCsvRecord, parseCsv, parseCsvNumber } from '../../src/data/csv.js';
import { LosslabError } from '../../src/errors.js';

function chunked(text: string, size: number): string[][] {
  const parser = new CsvParser();
  const out: string[][] = [];
  for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)).map((r) => r.fields));
  out.push(...parser.end().map((r) => r.fields));
  return out;
}

describe('CsvParser (RFC 4180)', () => {
  it('quoted fields, escaped quotes, embedded delimiters and newlines', () => {
    const text = 'a,b,c\n"x, y","say ""hi""","line1\nline2"\n1,,3\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'line1\nline2'],
      ['1', '', '3'],
    ]);
  });

  it('CRLF and CR line ends, BOM, no final newline, blank lines skipped', () => {
    expect(parseCsv('\ufeffh1,h2\r\n1,2\r\n\r\n3,4\r5,6')).toEqual([
      ['h1', 'h2'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('an empty quoted field on its own line is a record, not a blank line', () => {
    expect(parseCsv('h\n""\nx\n')).toEqual([['h'], [''], ['x']]);
  });

  it('gives the same records for any chunking (property)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é', '1') });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        (rows, size, crlf) => {
          const text = rows
            .map((r) => formatCsvRecord(r))
            .join('')
            .replace(/\n(?=[^"]*(?:"[^"]*"[^"]*)*$)/g, crlf ? '\r\n' : '\n');
          const expected = rows.filter((r) => !(r.length === 1 && r[0] === ''));
          expect(chunked(text, size)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('errors name the source, row, line and column', () => {
    expect(() => parseCsv('a,b\n"x"y,2\n', { source: 'data.csv' })).toThrow(
      /read CSV: argument 'data.csv' is row 2 \(line 2\), column 1, but a closing quote must be followed by a delimiter or a line break \(got "y"\)/,
    );
    expect(() => parseCsv('a,b\n1,"never closed\n2,3\n', { source: 'data.csv' })).toThrow(/line 2.*a quoted field is never closed/);
  });
});

describe('CsvTableReader', () => {
  const text = 'id,label,time,note\n1,cat,0.5,"a, b"\n2,dog,NA,\n3,,2e3,x\n';

  function read(requests: ConstructorParameters<typeof CsvTableReader>[0], input = text) {
    const reader = new CsvTableReader(requests, { source: 'data.csv' });
    reader.push(input);
    return reader.finish();
  }

  it('reads numbers, strings and auto columns with missing values kept', () => {
    const t = read([{ name: 'label' }, { name: 'time', type: 'number' }, { name: 'id' }]);
    expect(t.rowCount).toBe(3);
    expect(t.header).toEqual(['id', 'label', 'time', 'note']);
    expect(t.columns.get('label')).toEqual({ name: 'label', kind: 'string', values: ['cat', 'dog', null], missing: 1 });
    const time = t.columns.get('time');
    expect(time?.kind).toBe('number');
    expect(Array.from(time?.values as Float64Array)).toEqual([0.5, NaN, 2000]);
    expect(time?.missing).toBe(1);
    expect(t.columns.get('id')?.kind).toBe('number');
  });

  it('errors: missing column, non-numeric number column, missing value with missing: error, ragged row, empty input', () => {
    expect(() => read([{ name: 'group', argument: '--group' }])).toThrow(
      /has no column "group" \(named by --group\)\. The columns are "id", "label", "time", "note"\./,
    );
    expect(() => read([{ name: 'label', type: 'number', argument: '--time' }])).toThrow(
      /row 1 \(line 2\), column "label" = "cat", but column "label" \(--time\) must hold numbers/,
    );
    expect(() => read([{ name: 'label', missing: 'error' }])).toThrow(/row 3 \(line 4\), column "label" = "", but column "label" must not have missing values/);
    expect(() => read([], 'a,b\n1,2,3\n')).toThrow(/row 1 \(line 2\) with 3 fields, but every row must have as many fields as the header \(2\)/);
    expect(() => read([], '')).toThrow(LosslabError);
    expect(() => read([], '\n\n')).toThrow(/it is empty: a CSV needs a header row/);
  });

  it('parses numbers strictly', () => {
    expect(parseCsvNumber(' 1.5e-3 ')).toBe(0.0015);
    expect(parseCsvNumber('-inf')).toBe(-Infinity);
    expect(parseCsvNumber('0x10')).toBeUndefined();
    expect(parseCsvNumber('1,5')).toBeUndefined();
    expect(parseCsvNumber('2021-01-01')).toBeUndefined();
  });
});
