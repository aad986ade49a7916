/**
 * Fuzzing the readers of user files (issue #13): `.npy`, JSON tensors, CSV (both readers, with the
 * strict UTF-8 decoder) and PNG get arbitrary bytes and mutations of valid files (bytes flipped,
 * inserted, deleted, cut). Every input must end in a result or one `LosslabError` — never a
 * TypeError, RangeError or a hang. The budget here is small (a few seconds); a long run is
 * `LOSSLAB_FUZZ_RUNS=200000 npx vitest run test/faults/readersFuzz.test.ts` (the inputs tried are
 * printed). A failure prints the input as hex, to add to the tests by name.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readTensorFile } from '../../src/cli/tensorFile.js';
import { CsvTableReader } from '../../src/data/csv.js';
import { FastCsvColumns, NeedsGeneralCsvReader } from '../../src/data/fastCsv.js';
import { decodeJsonNumber } from '../../src/data/jsonNumbers.js';
import { JsonTensorReader } from '../../src/data/jsonTensorReader.js';
import { TextChunkDecoder } from '../../src/data/textDecoding.js';
import { LosslabError } from '../../src/errors.js';
import { decodePngGray, encodeGrayPng, encodeRgbPng } from '../../src/node/png.js';
import { parseNpy, toNpy } from '../../src/tensor/npy.js';
import { fromTypedArray } from '../../src/tensor/tensor.js';

const RUNS = Number(process.env.LOSSLAB_FUZZ_RUNS ?? 400);
/** Per-test time limit that grows with a long run's budget. */
const LIMIT = 60_000 + RUNS * 50;
const dir = mkdtempSync(join(tmpdir(), 'losslab-fuzz-'));
const tried: Record<string, number> = {};

/** Runs `read`; a result or a LosslabError passes, anything else fails with the input in hex. */
function endsCleanly(name: string, bytes: Uint8Array, read: (bytes: Uint8Array) => unknown): void {
  tried[name] = (tried[name] ?? 0) + 1;
  try {
    read(bytes);
  } catch (error) {
    if (error instanceof LosslabError) return;
    throw new Error(`${name}: ${String(error)} for input ${Buffer.from(bytes).toString('hex')}`);
  }
}

/** Arbitrary bytes, and mutations of the valid examples (flip, insert, delete, cut, splice). */
function inputs(valid: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const mutation = fc
    .record({
      base: fc.constantFrom(...valid),
      edits: fc.array(fc.record({ kind: fc.constantFrom('flip', 'set', 'insert', 'delete', 'cut'), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), {
        minLength: 1,
        maxLength: 6,
      }),
    })
    .map(({ base, edits }) => {
      let bytes = Array.from(base);
      for (const e of edits) {
        const at = bytes.length === 0 ? 0 : e.at % bytes.length;
        if (e.kind === 'flip' && bytes.length > 0) bytes[at] ^= 1 << (e.value % 8);
        else if (e.kind === 'set' && bytes.length > 0) bytes[at] = e.value;
        else if (e.kind === 'insert') bytes.splice(at, 0, e.value);
        else if (e.kind === 'delete') bytes.splice(at, 1);
        else if (e.kind === 'cut') bytes = bytes.slice(0, at);
      }
      return Uint8Array.from(bytes);
    });
  return fc.oneof(fc.uint8Array({ maxLength: 200 }), mutation, mutation);
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

afterAll(() => {
  // the count of inputs each reader was given (reported for the long run)
  process.stderr.write(`fuzzed inputs: ${JSON.stringify(tried)}\n`);
});

describe('every reader ends in a result or one LosslabError', () => {
  it(
    '.npy (parseNpy)',
    () => {
      const valid = [
        toNpy(fromTypedArray(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3])),
        toNpy(fromTypedArray(Float64Array.of(-1, 0.5), [2])),
        toNpy(fromTypedArray(Int32Array.of(7), [])),
      ];
      fc.assert(
        fc.property(inputs(valid), (bytes) => endsCleanly('npy', bytes, (b) => parseNpy(b, 'fuzz.npy'))),
        { numRuns: RUNS },
      );
    },
    LIMIT,
  );

  it(
    'JSON tensors (readTensorFile: the streaming reader, then JSON.parse)',
    () => {
      const valid = [text('[[1, 2.5, -3e-2], [4, "NaN", "Infinity"]]'), text('[0, 1, 2]'), text('7'), text('[[[]]]')];
      const path = join(dir, 'fuzz.json');
      let k = 0;
      fc.assert(
        fc.property(inputs(valid), (bytes) =>
          endsCleanly('json', bytes, (b) => {
            writeFileSync(path, b);
            return readTensorFile('fuzz.json', { fn: 'fuzz', argument: '--input', cwd: dir, jsonDType: () => (k++ % 2 === 0 ? 'float32' : 'int32') });
          }),
        ),
        { numRuns: RUNS },
      );
    },
    LIMIT,
  );

  it(
    'the streaming JSON reader agrees with JSON.parse, in chunks of any size from a reused buffer',
    () => {
      const leaf = fc.oneof(
        fc.double({ noNaN: true }).map((x) => JSON.stringify(x)),
        fc.integer().map(String),
        fc.constantFrom('"NaN"', '"Infinity"', '"-Infinity"', '-0', '1e400', '0.1e-3', '5E+2'),
      );
      const tensorText = fc
        .tuple(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), fc.infiniteStream(leaf), fc.constantFrom('', ' ', '\n '))
        .map(([shape, leaves, space]) => {
          const build = (dims: number[]): string =>
            dims.length === 0 ? leaves.next().value : `[${space}${Array.from({ length: dims[0] }, () => build(dims.slice(1))).join(`,${space}`)}]`;
          return build(shape);
        });
      fc.assert(
        fc.property(
          fc.oneof(
            tensorText,
            tensorText.map((t) => t.replace(/,/, ', x')),
          ),
          fc.integer({ min: 1, max: 9 }),
          (json, chunk) => {
            tried['json-stream'] = (tried['json-stream'] ?? 0) + 1;
            const bytes = text(json);
            const buffer = Buffer.alloc(chunk);
            const reader = new JsonTensorReader();
            for (let i = 0; i < bytes.length; i += chunk) {
              const n = Math.min(chunk, bytes.length - i);
              buffer.set(bytes.subarray(i, i + n));
              reader.push(buffer.subarray(0, n)); // the same memory every time, as readSync into one buffer
            }
            const read = reader.end();
            let parsed: unknown;
            try {
              parsed = JSON.parse(json);
            } catch {
              expect(read).toBeUndefined();
              return;
            }
            if (read === undefined) return; // not a plain numeric tensor: JSON.parse's path reads it
            const flat = (v: unknown): unknown[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
            const expected = flat(parsed).map((v) => decodeJsonNumber(v));
            const got = Array.from({ length: read.size }, (_, i) => read.at(i));
            expect(got).toEqual(expected);
          },
        ),
        { numRuns: RUNS },
      );
    },
    LIMIT,
  );

  it(
    'CSV (strict UTF-8 decoding, the RFC 4180 reader and the byte-level fast reader)',
    () => {
      const valid = [text('a,b,c\n1,x,2.5\n-3,"y, z",NA\n4,w,1e3\n'), text('\ufeffa,b\r\n1,2\r\n'), text('a,b,c\n1,é,3\n')];
      fc.assert(
        fc.property(inputs(valid), fc.integer({ min: 1, max: 16 }), (bytes, chunk) => {
          endsCleanly('csv', bytes, (b) => {
            const decoder = new TextChunkDecoder('utf8', 'fuzz.csv');
            const reader = new CsvTableReader(
              [
                { name: 'a', type: 'number' },
                { name: 'b', type: 'auto' },
              ],
              { source: 'fuzz.csv' },
            );
            for (let i = 0; i < b.length; i += chunk) reader.push(decoder.push(b.subarray(i, i + chunk)));
            reader.push(decoder.end());
            return reader.finish();
          });
          endsCleanly('csv-fast', bytes, (b) => {
            const reader = new FastCsvColumns(
              [
                { name: 'a', type: 'number', finite: true },
                { name: 'b', type: 'string' },
              ],
              'fuzz.csv',
            );
            try {
              for (let i = 0; i < b.length; i += chunk) reader.push(b.subarray(i, i + chunk));
              return reader.finish();
            } catch (error) {
              if (error instanceof NeedsGeneralCsvReader) return undefined; // the caller's documented fallback
              throw error;
            }
          });
        }),
        { numRuns: RUNS },
      );
    },
    LIMIT,
  );

  it(
    'PNG (decodePngGray)',
    () => {
      const valid = [
        encodeGrayPng({ width: 3, height: 2, pixels: Uint8Array.of(0, 50, 100, 150, 200, 250) }),
        encodeRgbPng({ width: 2, height: 2, pixels: Uint8Array.from({ length: 12 }, (_, i) => i * 20) }),
      ];
      fc.assert(
        fc.property(inputs(valid), (bytes) => endsCleanly('png', bytes, (b) => decodePngGray(b, 'fuzz.png'))),
        { numRuns: RUNS },
      );
    },
    LIMIT,
  );

  it('tried every reader', () => {
    for (const name of ['npy', 'json', 'json-stream', 'csv', 'csv-fast', 'png']) expect(tried[name], name).toBeGreaterThanOrEqual(RUNS);
  });
});
