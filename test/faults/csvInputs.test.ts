/**
 * Fault injection: CSV files that were read without a word (issue #13).
 * - `inf` in a numeric column of `losslab shift` ended in "mmdPermutationTest: argument 'x' is NaN
 *   at row 0": now the reader names the file, the row, the column and the text as written.
 * - A header naming a column twice was accepted (every reader took the first): now refused,
 *   naming both positions.
 * - Bytes that are not UTF-8 became U+FFFD, so the four Latin-1 group labels "Genève", "Zürich",
 *   "Köln", "Málaga" were read as one label; now an error naming line and column, with
 *   `--encoding latin1` as the fix (and as an option).
 * Both CSV readers are covered: the byte-level fast path (`FastCsvColumns`, unquoted files in
 * `shift`) and the general RFC 4180 reader (quoted files, `split`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FastCsvColumns } from '../../src/data/fastCsv.js';
import { firstInvalidUtf8, TextChunkDecoder } from '../../src/data/textDecoding.js';
import { LosslabError } from '../../src/errors.js';
import { readCsvColumns } from '../../src/node/csvFile.js';
import { losslab, tempDir } from '../cli/harness.js';

const dir = tempDir('csv-faults');
const file = (name: string, contents: string | Uint8Array): string => {
  writeFileSync(join(dir, name), contents);
  return name;
};
const noStackTrace = (stderr: string): void => expect(stderr).not.toMatch(/\n\s+at |TypeError|RangeError/);

/** Rows with a numeric feature `x` and a text feature `g`, `n` rows, value `x` of row `bad` replaced. */
function shiftCsv(n: number, bad: number, written: string, quoted = false): string {
  const rows = ['x,g'];
  for (let i = 0; i < n; i++) rows.push(`${i === bad ? written : String((i * 7) % 11)},${quoted ? `"g${i % 3}"` : `g${i % 3}`}`);
  return `${rows.join('\n')}\n`;
}

describe('a non-finite number in a numeric column of losslab shift', () => {
  for (const written of ['inf', '-Infinity', '1e999']) {
    for (const quoted of [false, true]) {
      it(`${JSON.stringify(written)} (${quoted ? 'quoted file: general reader' : 'fast reader'}) names file, row, column and text`, async () => {
        const train = file(`train-${quoted}.csv`, shiftCsv(40, 6, written, quoted));
        const valid = file('valid.csv', shiftCsv(40, -1, ''));
        const r = await losslab(['shift', train, valid], { cwd: dir });
        expect(r.status, r.stderr).toBe(2);
        expect(r.stderr).toBe(
          `error: read CSV: argument '${join(dir, train)}' is row 7 (line 8), column "x" = ${JSON.stringify(written)}, but column "x" (numeric in the first rows; --categorical reads it as text) must hold finite numbers. Write a missing value (empty or NA) instead, or drop the row.\n`,
        );
        expect(r.stderr).not.toMatch(/mmdPermutationTest|NaN/);
      });
    }
  }

  it('finite files still run', async () => {
    const r = await losslab(['shift', file('ok-train.csv', shiftCsv(40, -1, '')), file('ok-valid.csv', shiftCsv(40, -1, ''))], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
  });
});

describe('duplicate column names', () => {
  const csv = 'id,label,x,label\n1,a,0.5,b\n2,b,0.25,a\n3,a,1,b\n4,b,2,a\n';
  it('losslab split refuses them, naming both positions', async () => {
    const r = await losslab(['split', file('dup.csv', csv), '--strategy', 'stratified', '--label', 'label', '--folds', '2'], { cwd: dir });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      `error: read CSV: argument '${join(dir, 'dup.csv')}' is a header with column "label" at positions 2 and 4, but column names must be unique (a reader would take the first and silently ignore the other). Rename or drop one of them.\n`,
    );
  });

  it('losslab shift refuses them (fast and quoted files)', async () => {
    for (const [name, text] of [
      ['dup-fast.csv', 'x,y,x\n1,2,3\n4,5,6\n'],
      ['dup-quoted.csv', '"x",y,"x"\n1,2,3\n4,5,6\n'],
    ]) {
      const r = await losslab(['shift', file(name, text), file(`ok-${name}`, 'x,y\n1,2\n3,4\n')], { cwd: dir });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/is a header with column "x" at positions 1 and 3, but column names must be unique/);
    }
  });

  it('the fast reader refuses them too (after trimming, as pandas compares names)', () => {
    const reader = new FastCsvColumns([{ name: 'a', type: 'number' }], 'f.csv');
    expect(() => reader.push(new TextEncoder().encode('a, b ,b\n1,2,3\n'))).toThrow(/column "b" at positions 2 and 3/);
  });
});

describe('bytes that are not UTF-8', () => {
  const latin1 = Buffer.from('user,x\nGenève,1\nZürich,2\nKöln,3\nMálaga,4\nGenève,5\nZürich,6\nKöln,7\nMálaga,8\n', 'latin1');

  it('losslab split refuses a Latin-1 file, naming line, column and byte, with the --encoding hint', async () => {
    const r = await losslab(['split', file('latin1.csv', latin1), '--strategy', 'group', '--group', 'user', '--folds', '2'], { cwd: dir });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      `error: read CSV: argument '${join(dir, 'latin1.csv')}' is byte 0xE8 at line 2, column 4, but the file must be UTF-8 text (this byte is not part of a valid UTF-8 character). If it was saved as Latin-1 (ISO-8859-1, common from older Excel on Windows), read it with --encoding latin1, or convert it: iconv -f latin1 -t utf-8.\n`,
    );
    noStackTrace(r.stderr);
  });

  it('--encoding latin1 reads the four group labels as four', async () => {
    const r = await losslab(['split', 'latin1.csv', '--strategy', 'leave-one-group-out', '--group', 'user', '--encoding', 'latin1', '--out', 'folds.csv'], {
      cwd: dir,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/LeaveOneGroupOut: 4 splits of 8 rows/);
    const table = await readCsvColumns(join(dir, 'folds.csv'), [{ name: 'user', type: 'string' }]);
    const users = table.columns.get('user');
    expect(users?.kind === 'string' && new Set(users.values)).toEqual(new Set(['Genève', 'Zürich', 'Köln', 'Málaga']));
  });

  it('losslab shift (fast reader) refuses it too, and reads it with --encoding latin1', async () => {
    const valid = file('latin1-valid.csv', latin1);
    const refused = await losslab(['shift', 'latin1.csv', valid], { cwd: dir });
    expect(refused.status, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/is byte 0xE8 at line 2, column 4, but the file must be UTF-8 text/);
    const read = await losslab(['shift', 'latin1.csv', valid, '--encoding', 'latin1', '--json', 'latin1.json'], { cwd: dir });
    expect(read.status, read.stderr).toBe(0);
  });

  it('an error after a chunk boundary in the middle of a character still names the right line and column', async () => {
    // 'é' (2 bytes) is split by every chunk size; the bad byte 0xFF sits on line 3 after "éé,"
    const bytes = Buffer.concat([Buffer.from('a,b\nééé,1\néé,', 'utf8'), Buffer.from([0xff]), Buffer.from(',2\n')]);
    for (const chunkSize of [1, 2, 3, 5, 7, 64]) {
      const path = join(dir, `chunked-${chunkSize}.csv`);
      writeFileSync(path, bytes);
      await expect(readCsvColumns(path, [], { chunkSize })).rejects.toThrow(/is byte 0xFF at line 3, column 4, but/);
    }
  });

  it('the decoder agrees with TextDecoder on arbitrary bytes and chunkings', () => {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }), (bytes, sizes) => {
        let expected: string | undefined;
        try {
          expected = strict.decode(bytes);
        } catch {
          expected = undefined;
        }
        const decoder = new TextChunkDecoder('utf8', 'f');
        let got = '';
        try {
          for (let i = 0, k = 0; i < bytes.length; i += sizes[k % sizes.length], k++) got += decoder.push(bytes.subarray(i, i + sizes[k % sizes.length]));
          got += decoder.end();
        } catch (error) {
          expect(error).toBeInstanceOf(LosslabError);
          expect(expected).toBeUndefined();
          return;
        }
        expect(got).toBe(expected);
        expect(firstInvalidUtf8(bytes)).toBe(-1);
      }),
      { numRuns: 2000 },
    );
  });
});
