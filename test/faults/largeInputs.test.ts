/**
 * Fault injection: deep, large and empty inputs to `losslab loss` (issue #13). Each must end in a
 * result or one clear message with exit 2 — never a stack trace, never a silent NaN:
 * - a JSON tensor nested 10,000 deep crashed with "Maximum call stack size exceeded";
 * - two 200,000-element `.npy` files crashed the text printer (`Math.max(...cells)`); large results
 *   are now summarised as NumPy prints them;
 * - a mean over zero elements printed `value NaN` with exit 0 and no word of why.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTensorTable, MAX_JSON_DIMS } from '../../src/cli/tensorFile.js';
import { toNpy } from '../../src/tensor/npy.js';
import { fromTypedArray } from '../../src/tensor/tensor.js';
import { losslab } from '../cli/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'losslab-large-'));
const file = (name: string, contents: string | Uint8Array): string => {
  writeFileSync(join(dir, name), contents);
  return name;
};
const noStackTrace = (stderr: string): void => expect(stderr).not.toMatch(/RangeError|Maximum call stack|\n\s+at /);

describe('deep JSON', () => {
  it('a tensor nested 10,000 deep is refused with one message (exit 2)', async () => {
    const deep = file('deep.json', `${'['.repeat(10_000)}1${']'.repeat(10_000)}`);
    const r = await losslab(['loss', 'mse', '--input', deep, '--target', deep], { cwd: dir });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      `error: losslab loss mse: argument '--input' is lists nested 10000 deep in "deep.json", but a tensor has at most ${MAX_JSON_DIMS} dimensions (NumPy's limit, numpy.MAXDIMS).\n`,
    );
    noStackTrace(r.stderr);
  });

  it('an object nested 10,000 deep where a number belongs is described, not printed', async () => {
    const deep = file('deep-object.json', `[${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}]`);
    const r = await losslab(['loss', 'mse', '--input', deep, '--target', deep], { cwd: dir });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/argument '--input' is an object with keys \["a"\] at \[0\] in "deep-object\.json", but it must hold numbers/);
    noStackTrace(r.stderr);
  });

  it('64 dimensions are read', async () => {
    const ok = file('dims64.json', `${'['.repeat(64)}2${']'.repeat(64)}`);
    const r = await losslab(['loss', 'mse', '--input', ok, '--target', ok], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/value {2}0\n/);
  });
});

describe('large results are printed summarised, as NumPy does', () => {
  it('losslab loss mse --reduction none on two 200,000-element .npy files', async () => {
    const n = 200_000;
    const a = fromTypedArray(
      Float32Array.from({ length: n }, (_, i) => i % 7),
      [n],
    );
    const b = fromTypedArray(
      Float32Array.from({ length: n }, (_, i) => i % 5),
      [n],
    );
    const r = await losslab(['loss', 'mse', '--input', file('a.npy', toNpy(a)), '--target', file('b.npy', toNpy(b)), '--reduction', 'none'], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    noStackTrace(r.stderr);
    // value and gradient: the first and last 3 of 200,000, with ... between
    expect(r.stdout).toContain('value [200000]:\n  0  0  0  ...  4  4  4\ngradient of sum(value) w.r.t. input [200000]:\n   0   0   0  ...  -4  -4  -4\n');
    expect(r.stdout.length).toBeLessThan(400);
  });

  it('summarises every dimension of a large matrix (first and last 3 rows and columns)', () => {
    const t = fromTypedArray(
      Float32Array.from({ length: 40 * 50 }, (_, i) => i),
      [40, 50],
    );
    expect(formatTensorTable(t)).toBe(
      [
        '  [0]     0     1     2  ...    47    48    49',
        '  [1]    50    51    52  ...    97    98    99',
        '  [2]   100   101   102  ...   147   148   149',
        '  ...',
        '  [37]  1850  1851  1852  ...  1897  1898  1899',
        '  [38]  1900  1901  1902  ...  1947  1948  1949',
        '  [39]  1950  1951  1952  ...  1997  1998  1999',
      ].join('\n'),
    );
  });

  it('small tensors are printed whole', () => {
    const t = fromTypedArray(
      Float32Array.from({ length: 2 * 3 }, (_, i) => i / 4),
      [2, 3],
    );
    expect(formatTensorTable(t)).toBe('  [0]     0  0.25   0.5\n  [1]  0.75     1  1.25');
  });
});

describe('a mean over zero elements is NaN, and the CLI says why', () => {
  for (const loss of ['mse', 'l1', 'huber', 'smooth-l1', 'bce-with-logits']) {
    it(`${loss} on empty inputs`, async () => {
      const empty = file('empty.json', '[]');
      const r = await losslab(['loss', loss, '--input', empty, '--target', empty], { cwd: dir });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/value {2}NaN/);
      expect(r.stderr).toMatch(
        new RegExp(
          `warning: losslab loss ${loss}: the value is NaN because the input \\[0\\] has no elements, and a mean over zero elements is 0/0 \\(PyTorch returns NaN too\\)`,
        ),
      );
    });
  }

  it('cross-entropy where every target is the ignore index', async () => {
    const r = await losslab(['loss', 'cross-entropy', '--input', file('logits.json', '[[1, 2], [3, 4]]'), '--target', file('t.json', '[-100, -100]')], {
      cwd: dir,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/value {2}NaN/);
    expect(r.stderr).toMatch(/the value is NaN because no element counts \(every target is the ignore index/);
  });
});
