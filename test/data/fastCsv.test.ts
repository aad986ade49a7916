import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvTableReader } from '../../src/data/csv.js';
import { FastCsvColumns, NeedsGeneralCsvReader } from '../../src/data/fastCsv.js';

const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => v.toFixed(6)),
  fc.integer({ min: -1e9, max: 1e9 }).map(String),
  fc.constantFrom(
    '1e5',
    '-2.5E-3',
    '0.1',
    '.5',
    '5.',
    '-0',
    '+3',
    '00012.50',
    '123456789012345678',
    '1e400',
    ' 7 ',
    'inf',
    '-Infinity',
    '',
    'NA',
    'nan',
    'null',
    '9007199254740993',
    '0.30000000000000004',
  ),
);

function readFast(text: string, cuts: number[], types: ('number' | 'string')[]) {
  const bytes = new TextEncoder().encode(text);
  const reader = new FastCsvColumns(
    types.map((type, k) => ({ name: `c${k}`, type })),
    'f.csv',
  );
  let last = 0;
  for (const cut of [...cuts.map((c) => Math.floor(c * bytes.length))].sort((a, b) => a - b)) {
    reader.push(bytes.subarray(last, cut));
    last = cut;
  }
  reader.push(bytes.subarray(last));
  return reader.finish();
}

function readGeneral(text: string, types: ('number' | 'string')[]) {
  const reader = new CsvTableReader(
    types.map((type, k) => ({ name: `c${k}`, type })),
    { source: 'f.csv' },
  );
  reader.push(text);
  return reader.finish();
}

describe('FastCsvColumns reads exactly what CsvTableReader reads', () => {
  it('numbers in every format, missing tokens, CRLF, blank lines, any chunking (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(numberText, numberText, fc.constantFrom('red', 'a b', '', 'NA', 'x')), { minLength: 1, maxLength: 30 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
        fc.boolean(),
        (rows, eol, cuts, blank) => {
          const lines = ['c0,c1,c2', ...rows.map((r) => r.join(','))];
          if (blank) lines.splice(1, 0, '');
          const text = lines.join(eol) + (cuts.length % 2 === 0 ? eol : '');
          const types: ('number' | 'string')[] = ['number', 'number', 'string'];
          let general: ReturnType<typeof readGeneral> | undefined;
          let generalError = '';
          try {
            general = readGeneral(text, types);
          } catch (e) {
            generalError = (e as Error).message;
          }
          if (!general) {
            expect(() => readFast(text, cuts, types)).toThrow(generalError);
            return;
          }
          const fast = readFast(text, cuts, types);
          expect(fast.rowCount).toBe(general.rowCount);
          for (const k of [0, 1]) {
            const g = general.columns.get(`c${k}`)!;
            const f = fast.columns[k];
            expect(f.missing).toBe(g.missing);
            Array.from(g.values as Float64Array).forEach((v, i) => {
              expect(Object.is(f.values[i], v), `row ${i}: fast ${f.values[i]} vs ${v}`).toBe(true);
            });
          }
          expect(fast.columns[2].values).toEqual((general.columns.get('c2')!.values as (string | null)[]).map((v) => v ?? ''));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names the row, column and value of a non-numeric field like the general reader', () => {
    const text = 'c0,c1\n1,2\n3,oops\n';
    expect(() => readFast(text, [], ['number', 'number'])).toThrow(
      'read CSV: argument \'f.csv\' is row 2 (line 3), column "c1" = "oops", but column "c1" must hold numbers.',
    );
    expect(() => readGeneral(text, ['number', 'number'])).toThrow(
      'read CSV: argument \'f.csv\' is row 2 (line 3), column "c1" = "oops", but column "c1" must hold numbers.',
    );
  });

  it('a short row is an error; quotes hand over to the general reader', () => {
    expect(() => readFast('c0,c1\n1\n', [], ['number', 'number'])).toThrow(
      /is row 1 \(line 2\) with 1 field, but every row must have as many fields as the header \(2\)/,
    );
    expect(() => readFast('c0,c1\n"1",2\n', [], ['number', 'number'])).toThrow(NeedsGeneralCsvReader);
  });
});
