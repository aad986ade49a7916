import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { losslab } from './harness.js';
import { readTensorFile, writeTensorFile } from '../../src/cli/tensorFile.js';
import type { FloatDType } from '../../src/tensor/dtype.js';
import { toNpy } from '../../src/tensor/npy.js';
import { bceWithLogits } from '../../src/functional/bceWithLogits.js';
import { crossEntropy } from '../../src/functional/crossEntropy.js';
import { gaussianNllLoss } from '../../src/functional/gaussianNllLoss.js';
import { huberLoss } from '../../src/functional/huberLoss.js';
import { l1Loss } from '../../src/functional/l1Loss.js';
import { l2Loss } from '../../src/functional/l2Loss.js';
import { smoothL1Loss } from '../../src/functional/smoothL1Loss.js';
import { fromTypedArray, tensor, type Tensor } from '../../src/tensor/tensor.js';
import { decode, expectClose, loadGolden, type GoldenCase, type JsonNumber } from '../functional/golden.js';

let dir = '';
const golden = loadGolden();

const run = (...argv: string[]) => losslab(['loss', ...argv], { cwd: dir });

function writeJson(name: string, value: unknown): string {
  writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
  return name;
}

/** Nested arrays from a flat golden list and a shape (non-finite numbers stay strings). */
function nest(flat: readonly JsonNumber[], shape: readonly number[]): unknown {
  if (shape.length === 0) return flat[0];
  const step = flat.length / Math.max(shape[0], 1);
  return Array.from({ length: shape[0] }, (_, i) => nest(flat.slice(i * step, (i + 1) * step), shape.slice(1)));
}

function flatten(v: unknown): number[] {
  return Array.isArray(v) ? v.flatMap(flatten) : [decode(v as JsonNumber)];
}

function goldenCase(name: string, dtype = 'float64'): GoldenCase {
  const c = golden.cases.find((g) => g.name === name && g.dtype === dtype);
  if (!c) throw new Error(`no golden case ${name}`);
  return c;
}

/** Writes a golden case's tensors to JSON files and returns the CLI arguments for them. */
function filesFor(c: GoldenCase, tag: string): string[] {
  const args = [
    '--input',
    writeJson(`${tag}-input.json`, nest(c.input, c.shape)),
    '--target',
    writeJson(`${tag}-target.json`, nest(c.target ?? [], c.targetShape ?? [])),
  ];
  if (c.weight) args.push('--weight', writeJson(`${tag}-weight.json`, c.weight));
  return args;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'losslab-loss-'));
});

describe('losslab loss agrees with PyTorch (golden cases through JSON files)', () => {
  const cases: [string, string, string[]][] = [
    ['crossEntropy weight mean', 'cross-entropy', ['--reduction', 'mean']],
    ['crossEntropy labelSmoothing 0.3 weight ignore none', 'cross-entropy', ['--reduction', 'none', '--label-smoothing', '0.3']],
    ['crossEntropy ignoreIndex 2 weight sum', 'cross-entropy', ['--reduction', 'sum', '--ignore-index', '2']],
    ['crossEntropy probabilities weight labelSmoothing 0.2 mean', 'cross-entropy', ['--label-smoothing', '0.2']],
    ['crossEntropy [N,C,d1,d2] none', 'cross-entropy', ['--reduction', 'none']],
    ['nllLoss weight ignoreIndex mean', 'nll', []],
    ['klDiv logTarget True batchmean', 'kl-div', ['--reduction', 'batchmean', '--log-target']],
    ['klDiv zero probabilities sum', 'kl-div', ['--reduction', 'sum']],
  ];
  for (const dtype of ['float64', 'float32'] as const) {
    it.each(cases)(`${dtype}: %s`, async (name, loss, extra) => {
      const c = goldenCase(name, dtype);
      const r = await run(loss, ...filesFor(c, `${dtype}-${loss}`), ...extra, '--dtype', dtype, '--json');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout) as { value: unknown; grad: unknown };
      expectClose(flatten(out.value), c.value, dtype, 'value');
      expectClose(flatten(out.grad), c.grad, dtype, 'grad');
    });
  }

  it('reads .npy files (int64 labels from NumPy load as int32) and keeps their float dtype', async () => {
    const c = goldenCase('crossEntropy [N,C] sum');
    writeFileSync(join(dir, 'x.npy'), toNpy(fromTypedArray(Float64Array.from(c.input, decode), c.shape)));
    writeFileSync(join(dir, 'y.npy'), toNpy(fromTypedArray(Int32Array.from(c.target ?? [], decode), c.targetShape ?? [])));
    const r = await run('cross-entropy', '--input', 'x.npy', '--target', 'y.npy', '--reduction', 'sum', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { value: number; grad: unknown };
    expectClose([out.value], c.value, 'float64', 'value');
    expectClose(flatten(out.grad), c.grad, 'float64', 'grad');
  });
});

describe('tensor files (.npy and .json)', () => {
  it('write atomically and read back the same tensor, non-finite numbers included', () => {
    const t = fromTypedArray(Float64Array.of(1.5, -Infinity, NaN, Infinity, -0.25, 3), [2, 3]);
    for (const name of ['round.json', 'round.npy']) {
      writeTensorFile(name, t, dir);
      const back = readTensorFile(name, { fn: 'test', argument: '--in', cwd: dir, jsonDType: () => 'float64' });
      expect(back.shape).toEqual([2, 3]);
      expect(back.dtype).toBe('float64');
      expect(Array.from(back.data)).toEqual(Array.from(t.data));
    }
    expect(readFileSync(join(dir, 'round.json'), 'utf8')).toBe('[[1.5,"-Infinity","NaN"],["Infinity",-0.25,3]]\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(() => writeTensorFile('out.txt', t, dir)).toThrow('write: argument \'--out\' is "out.txt", but it must end in .npy or .json.');
  });

  it('loads a JSON scalar and an empty list', () => {
    writeJson('scalar.json', 2.5);
    writeJson('empty.json', []);
    const opts = { fn: 'test', argument: '--in', cwd: dir, jsonDType: () => 'float32' as const };
    expect(readTensorFile('scalar.json', opts).shape).toEqual([]);
    expect(readTensorFile('empty.json', opts).shape).toEqual([0]);
  });
});

describe('losslab loss', () => {
  it('writes non-finite numbers as strings, both ways', async () => {
    const input = writeJson('masked.json', [
      [0, '-Infinity', 1],
      ['-Infinity', '-Infinity', '-Infinity'],
    ]);
    const target = writeJson('masked-target.json', [1, 0]);
    const r = await run('cross-entropy', '--input', input, '--target', target, '--reduction', 'none', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { value: JsonNumber[]; grad: JsonNumber[][] };
    expect(out.value).toEqual(['Infinity', 'NaN']);
    expect(out.grad[0][1]).toBe(-1);
    expect(out.grad[1]).toEqual(['NaN', 'NaN', 'NaN']);
  });

  it('prints a readable table without --json', async () => {
    const input = writeJson('t-input.json', [
      [2, 1, 0.1],
      [0, 0, 0],
    ]);
    const target = writeJson('t-target.json', [0, 2]);
    const r = await run('cross-entropy', '--input', input, '--target', target);
    expect(r.status).toBe(0);
    const p = [2, 1, 0.1].map(Math.exp);
    const s = p.reduce((a, b) => a + b, 0);
    const expected = (-Math.log(p[0] / s) + Math.log(3)) / 2;
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('cross-entropy (reduction mean, float32) of input [2, 3]');
    expect(Number(lines[1].replace('value', '').trim())).toBeCloseTo(expected, 5);
    expect(lines[2]).toBe('gradient of sum(value) w.r.t. input [2, 3]:');
    expect(lines[3].trim().startsWith('[0]')).toBe(true);
    expect(Number(lines[4].trim().split(/\s+/)[3])).toBeCloseTo((1 / 3 - 1) / 2, 5);
  });

  it('cross-entropy warns on stderr (and still computes, exit 0) when every input row looks like probabilities', async () => {
    writeJson('softmaxed.json', [
      [0.659, 0.2424, 0.0986],
      [0.0746, 0.0166, 0.9088],
    ]);
    writeJson('two-classes.json', [0, 2]);
    const mistaken = await run('cross-entropy', '--input', 'softmaxed.json', '--target', 'two-classes.json', '--json');
    expect(mistaken.status).toBe(0);
    expect(mistaken.stderr).toMatch(/^losslab loss cross-entropy: warning: every row of --input lies in \[0, 1\] and sums to 1/);
    expect(mistaken.stderr).toContain('Cross-entropy takes logits');
    expect(mistaken.stderr.trim().split('\n')).toHaveLength(1);
    // The value is still computed, exactly as PyTorch computes F.cross_entropy(probabilities, target).
    const asLogits = tensor(
      [
        [0.659, 0.2424, 0.0986],
        [0.0746, 0.0166, 0.9088],
      ],
      { dtype: 'float32' },
    );
    const expected = crossEntropy(asLogits, tensor([0, 2], { dtype: 'int32' })).item();
    expect(JSON.parse(mistaken.stdout).value).toBe(expected);
    // Logits, a row that does not sum to 1, a negative value, a 1-D probability vector.
    writeJson('logits2.json', [
      [2, 1, 0.1],
      [0.5, -1, 3],
    ]);
    writeJson('not-normalised.json', [
      [0.5, 0.2, 0.1],
      [0.1, 0.1, 0.8],
    ]);
    writeJson('one-class.json', 0);
    writeJson('vector.json', [0.2, 0.3, 0.5]);
    for (const [input, target, warns] of [
      ['logits2.json', 'two-classes.json', false],
      ['not-normalised.json', 'two-classes.json', false],
      ['vector.json', 'one-class.json', true],
    ] as const) {
      const r = await run('cross-entropy', '--input', input, '--target', target);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr.includes('warning'), input).toBe(warns);
    }
    // nll takes log-probabilities: no such warning.
    const nll = await run('nll', '--input', 'softmaxed.json', '--target', 'two-classes.json');
    expect(nll.stderr).toBe('');
  });

  it('cross-entropy reads a JSON target shaped like the input as probabilities', async () => {
    const input = writeJson('p-input.json', [[2, 1, 0.1]]);
    const onehot = writeJson('p-target.json', [[1, 0, 0]]);
    const indices = writeJson('p-indices.json', [0]);
    const a = JSON.parse((await run('cross-entropy', '--input', input, '--target', onehot, '--json')).stdout) as { value: number };
    const b = JSON.parse((await run('cross-entropy', '--input', input, '--target', indices, '--json')).stdout) as { value: number };
    expect(a.value).toBeCloseTo(b.value, 6);
  });

  it('runs the regression losses of numerics-regression (mse, with its value and gradient)', async () => {
    const input = writeJson('r-input.json', [1, 2, 4]);
    const target = writeJson('r-target.json', [0, 2, 1]);
    const r = await run('mse', '--input', input, '--target', target, '--dtype', 'float64', '--json');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ value: (1 + 0 + 9) / 3, grad: [2 / 3, 0, 2] });
  });

  it.each([
    ['l2', [], (x: Tensor<FloatDType>, y: Tensor<FloatDType>) => l2Loss(x, y)],
    ['l1', ['--reduction', 'sum'], (x: Tensor<FloatDType>, y: Tensor<FloatDType>) => l1Loss(x, y, { reduction: 'sum' })],
    ['huber', ['--delta', '0.5'], (x: Tensor<FloatDType>, y: Tensor<FloatDType>) => huberLoss(x, y, { delta: 0.5 })],
    [
      'smooth-l1',
      ['--beta', '0.25', '--reduction', 'none'],
      (x: Tensor<FloatDType>, y: Tensor<FloatDType>) => smoothL1Loss(x, y, { beta: 0.25, reduction: 'none' }),
    ],
    [
      'bce-with-logits',
      ['--pos-weight', 'pw.json'],
      (x: Tensor<FloatDType>, y: Tensor<FloatDType>) => bceWithLogits(x, y, { posWeight: tensor([2, 0.5, 1], { dtype: 'float64' }) }),
    ],
    [
      'gaussian-nll',
      ['--var', 'var.json', '--full', '--eps', '0.01'],
      (x: Tensor<FloatDType>, y: Tensor<FloatDType>) =>
        gaussianNllLoss(
          x,
          y,
          tensor(
            [
              [0.5, 1, 2],
              [0.001, 1, 3],
            ],
            { dtype: 'float64' },
          ),
          { full: true, eps: 0.01 },
        ),
    ],
  ] as const)('passes the options of %s to the library function', async (loss, extra, direct) => {
    const x = [
      [0.5, -1, 2],
      [1.5, 0, -0.25],
    ];
    const y = [
      [1, 0, 1],
      [0, 1, 0.5],
    ];
    writeJson('pw.json', [2, 0.5, 1]);
    writeJson('var.json', [
      [0.5, 1, 2],
      [0.001, 1, 3],
    ]);
    const r = await run(loss, '--input', writeJson('w-input.json', x), '--target', writeJson('w-target.json', y), ...extra, '--dtype', 'float64', '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { value: unknown; grad: unknown };
    const input = tensor(x, { dtype: 'float64', requiresGrad: true });
    const value = direct(input, tensor(y, { dtype: 'float64' }));
    value.backward(fromTypedArray(new Float64Array(value.size).fill(1), value.shape));
    expect(flatten(out.value)).toEqual(Array.from(value.data));
    expect(flatten(out.grad)).toEqual(Array.from(input.grad?.data ?? []));
  });

  const mistakes: [string, () => string[], string][] = [
    [
      'shape mismatch',
      () => [
        'cross-entropy',
        '--input',
        writeJson('e-in.json', [
          [1, 2, 3],
          [4, 5, 6],
        ]),
        '--target',
        writeJson('e-t3.json', [0, 1, 2]),
      ],
      "error: losslab loss cross-entropy: argument '--target' is of shape [3], but for input of shape [2, 3] it must have shape [2] (class indices) or [2, 3] (class probabilities).\n",
    ],
    [
      'class index out of range',
      () => ['cross-entropy', '--input', 'e-in.json', '--target', writeJson('e-t-range.json', [0, 3])],
      "error: losslab loss cross-entropy: argument '--target' is 3 at [1], but class indices must lie in [0, 2] (C = 3) or equal ignoreIndex (-100).\n",
    ],
    [
      'class index not an integer',
      () => ['nll', '--input', 'e-in.json', '--target', writeJson('e-t-frac.json', [0, 1.5])],
      'error: losslab loss nll: argument \'--target\' is 1.5 at [1] in "e-t-frac.json", but class indices must be integers.\n',
    ],
    [
      'wrong dtype (float .npy labels)',
      () => {
        writeFileSync(join(dir, 'e-float-labels.npy'), toNpy(fromTypedArray(Float32Array.of(0, 1), [2])));
        return ['cross-entropy', '--input', 'e-in.json', '--target', 'e-float-labels.npy'];
      },
      "error: losslab loss cross-entropy: argument '--target' is a float32 tensor of shape [2], but class indices must be an int32 tensor, and class probabilities must have the input's shape [2, 3]. Convert the indices with target.to('int32').\n",
    ],
    [
      'wrong dtype (integer .npy input)',
      () => {
        writeFileSync(join(dir, 'e-int-input.npy'), toNpy(fromTypedArray(Int32Array.of(1, 2), [2])));
        return ['mse', '--input', 'e-int-input.npy', '--target', 'e-in.json'];
      },
      "error: losslab loss mse: argument '--input' is \"e-int-input.npy\" (int32 data), but it must hold floating-point numbers for 'mse'. Save it as float32 or float64.\n",
    ],
    [
      'an option that does not apply',
      () => ['cross-entropy', '--input', 'e-in.json', '--target', 'e-t3.json', '--delta', '2'],
      "error: losslab loss cross-entropy: argument '--delta' is 2, but it does not apply to 'cross-entropy' (only to huber). Leave it out.\n",
    ],
    [
      'an unknown option',
      () => ['cross-entropy', '--input', 'e-in.json', '--target', 'e-t3.json', '--smoothing', '0.1'],
      "error: losslab loss: argument '--smoothing', but it is not an option of 'loss'. Run 'losslab loss --help' for the list of options.\n",
    ],
    [
      'batchmean outside kl-div',
      () => ['mse', '--input', 'e-in.json', '--target', 'e-in.json', '--reduction', 'batchmean'],
      'error: losslab loss mse: argument \'--reduction\' is "batchmean", but batchmean applies only to kl-div; use none, mean or sum.\n',
    ],
    [
      'an unknown loss',
      () => ['hinge', '--input', 'e-in.json', '--target', 'e-in.json'],
      'error: losslab loss: argument \'<name>\' is "hinge", but it must be one of cross-entropy, nll, l2, mse, l1, huber, smooth-l1, gaussian-nll, poisson-nll, bce-with-logits, soft-margin, kl-div.\n',
    ],
    ['a missing --target', () => ['mse', '--input', 'e-in.json'], "error: losslab loss mse: argument '--target', but it is required: a .npy or .json file.\n"],
    [
      'an unreadable file',
      () => ['mse', '--input', 'missing.json', '--target', 'e-in.json'],
      'error: losslab loss mse: argument \'--input\' is "missing.json", but the file must exist and be readable (ENOENT).\n',
    ],
    ['malformed JSON', () => ['mse', '--input', writeJson('e-bad.json', '[[1, 2], [3'), '--target', 'e-in.json'], 'MALFORMED'],
    [
      'a ragged list',
      () => ['mse', '--input', writeJson('e-ragged.json', [[1, 2], [3]]), '--target', 'e-in.json'],
      'error: losslab loss mse: argument \'--input\' is a list of length 1 at [1] in "e-ragged.json", but nested lists must be rectangular (a list of length 2 expected at depth 1, as for shape [2, 2]).\n',
    ],
    [
      'a string that is not a number',
      () => ['mse', '--input', writeJson('e-str.json', [1, 'inf']), '--target', 'e-in.json'],
      'error: losslab loss mse: argument \'--input\' is "inf" at [1] in "e-str.json", but it must hold numbers, or the strings "Infinity", "-Infinity", "NaN".\n',
    ],
    [
      'a file that is neither .npy nor .json',
      () => ['mse', '--input', 'data.csv', '--target', 'e-in.json'],
      'error: losslab loss mse: argument \'--input\' is "data.csv", but it must be a .npy or a .json file.\n',
    ],
    [
      'a truncated .npy file',
      () => {
        writeFileSync(join(dir, 'e-trunc.npy'), toNpy(fromTypedArray(Float64Array.of(1, 2, 3), [3])).subarray(0, 70));
        return ['mse', '--input', 'e-trunc.npy', '--target', 'e-in.json'];
      },
      'TRUNCATED',
    ],
  ];
  it.each(mistakes)('a user mistake exits 2 with one clear message: %s', async (_name, argv, message) => {
    const r = await run(...argv());
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
    if (message === 'MALFORMED')
      expect(r.stderr).toMatch(/^error: losslab loss mse: argument '--input' is "e-bad.json", but it must hold valid JSON \(.+\)\.\n$/);
    else if (message === 'TRUNCATED') expect(r.stderr).toMatch(/^error: readNpy: argument '--input "e-trunc.npy"', but its header is truncated\.\n$/);
    else expect(r.stderr).toBe(message);
  });

  it('runs as the real losslab command (subprocess): a result and a mistake', () => {
    const input = writeJson('s-input.json', [[2, 1, 0.1]]);
    const target = writeJson('s-target.json', [0]);
    const ok = spawnSync(
      process.execPath,
      [join(process.cwd(), 'bin/losslab.js'), 'loss', 'cross-entropy', '--input', input, '--target', target, '--json', '--dtype', 'float64'],
      { encoding: 'utf8', cwd: dir },
    );
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const p = [2, 1, 0.1].map(Math.exp);
    expect((JSON.parse(ok.stdout) as { value: number }).value).toBeCloseTo(-Math.log(p[0] / (p[0] + p[1] + p[2])), 14);
    const bad = spawnSync(
      process.execPath,
      [join(process.cwd(), 'bin/losslab.js'), 'loss', 'cross-entropy', '--input', input, '--target', writeJson('s-bad.json', [7])],
      { encoding: 'utf8', cwd: dir },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      "error: losslab loss cross-entropy: argument '--target' is 7 at [0], but class indices must lie in [0, 2] (C = 3) or equal ignoreIndex (-100).\n",
    );
  });
});
