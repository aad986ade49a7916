import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeNpyFile } from '../../src/node/npyFile.js';
import { RandomState } from '../../src/tensor/random.js';
import { fromTypedArray } from '../../src/tensor/tensor.js';
import { losslab, tempDir } from './harness.js';

/**
 * Byte identity of the command line: every README example (and a few more) is run in-process and
 * its status, stdout, stderr and written files are compared with `test/cli/examples/<name>.txt`,
 * captured before the architecture refactoring (#17). Refactors must leave these bytes alone; a
 * deliberate change of output is recorded by rerunning with `UPDATE_CLI_EXAMPLES=1`.
 */

interface Example {
  readonly name: string;
  readonly argv: readonly string[];
  /** Files or folders (relative to the working folder) the command writes. */
  readonly writes?: readonly string[];
}

const UPDATE = process.env.UPDATE_CLI_EXAMPLES === '1';
const EXPECTED = join(import.meta.dirname, 'examples');
/** Written files up to this size are kept as text; larger ones (and binary ones) by their SHA-256. */
const INLINE_BYTES = 4096;
const BINARY = /\.(png|bin|npy)$/;

const dir = tempDir('examples');

const COMMANDS = ['tour', 'softmax', 'loss', 'plot', 'explain', 'train', 'evaluate', 'predict', 'split', 'shift', 'serve'];
const LOSS_FILES: Readonly<Record<string, readonly string[]>> = {
  'cross-entropy': ['--input', 'logits.json', '--target', 'classes.json'],
  nll: ['--input', 'logp.json', '--target', 'classes.json'],
  mse: ['--input', 'pred.json', '--target', 'y.json'],
  l2: ['--input', 'pred.json', '--target', 'y.json'],
  l1: ['--input', 'pred.json', '--target', 'y.json'],
  huber: ['--input', 'pred.json', '--target', 'y.json', '--delta', '0.5'],
  'smooth-l1': ['--input', 'pred.json', '--target', 'y.json', '--beta', '0.5'],
  'bce-with-logits': ['--input', 'pred.json', '--target', 'p.json'],
  'gaussian-nll': ['--input', 'pred.json', '--target', 'y.json', '--var', 'var.json', '--full'],
  'kl-div': ['--input', 'logp.json', '--target', 'probs.json', '--reduction', 'batchmean'],
};
const REGRESSION = ['l2', 'mse', 'l1', 'huber', 'smooth-l1', 'gaussian-nll'];
const STRATEGIES: Readonly<Record<string, readonly string[]>> = {
  kfold: ['--folds', '4'],
  stratified: ['--label', 'label', '--shuffle', '--seed', '3'],
  group: ['--group', 'user'],
  'stratified-group': ['--label', 'label', '--group', 'user', '--folds', '3'],
  'time-series': ['--time', 'day', '--folds', '3', '--gap', '1'],
  'leave-one-group-out': ['--group', 'user'],
  'leave-p-groups-out': ['--group', 'user', '--p-groups', '2'],
  shuffle: ['--folds', '3', '--test-size', '0.25', '--seed', '1'],
  'stratified-shuffle': ['--label', 'label', '--folds', '2', '--seed', '0'],
  'group-shuffle': ['--group', 'user', '--folds', '2', '--seed', '0'],
  'stratified-group-shuffle': ['--label', 'label', '--group', 'user', '--folds', '2', '--seed', '0'],
  purged: ['--time', 'day', '--folds', '3', '--embargo', '2'],
  'repeated-kfold': ['--folds', '3', '--repeats', '2', '--seed', '0'],
  'repeated-stratified': ['--label', 'label', '--folds', '3', '--repeats', '2', '--seed', '0'],
};

const EXAMPLES: readonly Example[] = [
  { name: 'help', argv: ['--help'] },
  { name: 'version', argv: ['--version'] },
  ...COMMANDS.map((c) => ({ name: `help-${c}`, argv: [c, '--help'] })),
  { name: 'tour', argv: ['tour'] },
  { name: 'softmax', argv: ['softmax', '2', '1', '0.1'] },
  { name: 'softmax-target', argv: ['softmax', '2', '1', '0.1', '--temperature', '2', '--target', '0'] },
  { name: 'softmax-json', argv: ['softmax', '1000', '0', '-1000', '--target', '1', '--dtype', 'float32', '--json'] },
  ...Object.entries(LOSS_FILES).map(([loss, files]) => ({ name: `loss-${loss}`, argv: ['loss', loss, ...files] })),
  { name: 'loss-cross-entropy-json', argv: ['loss', 'cross-entropy', ...LOSS_FILES['cross-entropy'], '--label-smoothing', '0.1', '--json'] },
  { name: 'loss-cross-entropy-probs', argv: ['loss', 'cross-entropy', '--input', 'logits.json', '--target', 'probs.json', '--reduction', 'none'] },
  { name: 'loss-l1-sum-float64', argv: ['loss', 'l1', ...LOSS_FILES.l1, '--reduction', 'sum', '--dtype', 'float64', '--json'] },
  { name: 'loss-error-name', argv: ['loss', 'l3', '--input', 'pred.json', '--target', 'y.json'] },
  { name: 'loss-error-option', argv: ['loss', 'l2', '--input', 'pred.json', '--target', 'y.json', '--delta', '2'] },
  ...[...REGRESSION, 'cross-entropy', 'bce', 'softmax'].map((figure) => ({
    name: `plot-${figure}-csv`,
    argv: ['plot', figure, '--out', `plot-${figure}.csv`, ...(figure === 'softmax' ? ['--logits', '2,1,0.1'] : ['--points', '11'])],
    writes: [`plot-${figure}.csv`],
  })),
  { name: 'plot-huber-json', argv: ['plot', 'huber', '--delta', '2', '--target', '1', '--points', '7', '--out', 'huber.json'], writes: ['huber.json'] },
  { name: 'plot-l2-svg', argv: ['plot', 'l2', '--out', 'l2.svg'], writes: ['l2.svg'] },
  { name: 'plot-smooth-l1-zh-svg', argv: ['plot', 'smooth-l1', '--beta', '0.5', '--lang', 'zh', '--out', 'sl1.svg'], writes: ['sl1.svg'] },
  { name: 'plot-l2-zh-png', argv: ['plot', 'l2', '--lang', 'zh', '--out', 'l2.png'], writes: ['l2.png'] },
  { name: 'plot-softmax-naive-svg', argv: ['plot', 'softmax', '--naive', '--logits', '1000,999,998', '--out', 'naive.svg'], writes: ['naive.svg'] },
  { name: 'plot-error-option', argv: ['plot', 'l2', '--delta', '2', '--out', 'x.svg'] },
  { name: 'plot-error-name', argv: ['plot', 'l3', '--out', 'x.svg'] },
  ...['l2', 'mse', 'l1', 'huber', 'smooth-l1', 'gaussian-nll', 'bce'].map((loss) => ({
    name: `explain-loss-${loss}`,
    argv: ['explain', 'loss', '--loss', loss],
  })),
  { name: 'explain-softmax', argv: ['explain', 'softmax'] },
  { name: 'explain-cross-entropy', argv: ['explain', 'cross-entropy'] },
  { name: 'explain-huber-zh', argv: ['explain', 'loss', '--loss', 'huber', '--delta', '0.5', '--lang', 'zh'] },
  { name: 'explain-gaussian-nll-markdown', argv: ['explain', 'loss', '--loss', 'gaussian-nll', '--sigma', '2', '--format', 'markdown'] },
  { name: 'explain-cross-entropy-zh-markdown', argv: ['explain', 'cross-entropy', '--lang', 'zh', '--format', 'markdown'] },
  { name: 'explain-error-topic', argv: ['explain', 'entropy'] },
  { name: 'explain-topic-l2', argv: ['explain', 'l2'] },
  { name: 'explain-topic-bce-with-logits', argv: ['explain', 'bce-with-logits', '--target', '0', '--lang', 'zh'] },
  { name: 'loss-bce-alias', argv: ['loss', 'bce', '--input', 'pred.json', '--target', 'p.json'] },
  // Issue #19: the tour in Chinese, cross-entropy's curves against p, the warning for probabilities passed as logits.
  { name: 'tour-zh', argv: ['tour', '--lang', 'zh'] },
  {
    name: 'plot-cross-entropy-probability-csv',
    argv: ['plot', 'cross-entropy', '--against', 'probability', '--points', '11', '--out', 'plot-ce-p.csv'],
    writes: ['plot-ce-p.csv'],
  },
  { name: 'loss-cross-entropy-probabilities-warning', argv: ['loss', 'cross-entropy', '--input', 'probs.json', '--target', 'classes.json'] },
  { name: 'plot-bce-with-logits-alias-csv', argv: ['plot', 'bce-with-logits', '--points', '11', '--out', 'plot-bcewl.csv'], writes: ['plot-bcewl.csv'] },
  {
    name: 'split-readme',
    argv: ['split', 'data.csv', '--strategy', 'group', '--group', 'user', '--out', 'folds.csv', '--figure', 'folds.svg'],
    writes: ['folds.csv', 'folds.svg'],
  },
  ...Object.entries(STRATEGIES).map(([strategy, extra]) => ({
    name: `split-${strategy}`,
    argv: ['split', 'data.csv', '--strategy', strategy, ...extra, '--out', `folds-${strategy}.json`],
    writes: [`folds-${strategy}.json`],
  })),
  { name: 'split-error-missing', argv: ['split', 'data.csv', '--strategy', 'group'] },
  { name: 'split-error-option', argv: ['split', 'data.csv', '--strategy', 'kfold', '--repeats', '2'] },
  { name: 'shift-demo', argv: ['shift', '--demo', 'covariate', '--out-dir', 'shift-demo'], writes: ['shift-demo'] },
  {
    name: 'shift-readme',
    argv: ['shift', 'shift-demo/train.csv', 'shift-demo/valid.csv', '--label', 'y', '--group', 'user', '--report', 'report.html', '--json', 'out.json'],
    writes: ['report.html', 'out.json'],
  },
  { name: 'shift-demo-time', argv: ['shift', '--demo', 'time', '--no-embedding'] },
  {
    name: 'train-csv',
    argv: ['train', '--dataset', 'numbers.csv', '--label-column', 'y', '--epochs', '2', '--threads', '1', '--out', 'runs/csv'],
    writes: ['runs/csv'],
  },
  {
    name: 'train-mlp-npy',
    argv: [
      'train',
      '--dataset',
      'x.npy',
      '--labels',
      'y.npy',
      '--model',
      'mlp',
      '--hidden',
      '8',
      '--epochs',
      '2',
      '--optimizer',
      'adam',
      '--no-figures',
      '--out',
      'runs/mlp',
    ],
    writes: ['runs/mlp'],
  },
  {
    name: 'train-fashion-mnist',
    argv: ['train', '--limit', '1000', '--epochs', '1', '--threads', '1', '--batch-size', '64', '--out', 'runs/fm'],
    writes: ['runs/fm'],
  },
  { name: 'evaluate', argv: ['evaluate', '--model', 'runs/fm', '--limit', '200', '--out', 'confusion.csv'], writes: ['confusion.csv'] },
  { name: 'predict', argv: ['predict', '--model', 'runs/mlp', 'x.npy', '--top', '2'] },
  { name: 'predict-json', argv: ['predict', '--model', 'runs/csv', 'rows.npy', '--json'] },
  // The two losses added through the registry (PyTorch's PoissonNLLLoss and SoftMarginLoss).
  { name: 'loss-poisson-nll', argv: ['loss', 'poisson-nll', '--input', 'pred.json', '--target', 'counts.json'] },
  {
    name: 'loss-poisson-nll-rate-full',
    argv: ['loss', 'poisson-nll', '--input', 'p.json', '--target', 'counts.json', '--no-log-input', '--full', '--reduction', 'none', '--json'],
  },
  { name: 'loss-soft-margin', argv: ['loss', 'soft-margin', '--input', 'pred.json', '--target', 'signs.json', '--reduction', 'sum'] },
  { name: 'plot-poisson-nll-csv', argv: ['plot', 'poisson-nll', '--points', '11', '--out', 'plot-poisson.csv'], writes: ['plot-poisson.csv'] },
  {
    name: 'plot-soft-margin-csv',
    argv: ['plot', 'soft-margin', '--target', '-1', '--points', '11', '--out', 'plot-soft-margin.csv'],
    writes: ['plot-soft-margin.csv'],
  },
  { name: 'explain-poisson-nll-zh', argv: ['explain', 'poisson-nll', '--lang', 'zh'] },
  { name: 'explain-soft-margin', argv: ['explain', 'soft-margin', '--prediction', '-2'] },
  { name: 'error-command', argv: ['lose'] },
  { name: 'error-option', argv: ['softmax', '1', '2', '--temprature', '2'] },
];

const json = (name: string, value: unknown) => writeFileSync(join(dir, name), JSON.stringify(value));

beforeAll(() => {
  json('logits.json', [
    [2, 1, 0.1],
    [0.5, -1, 3],
  ]);
  json('logp.json', [
    [-0.417, -1.417, -2.317],
    [-2.6, -4.1, -0.1],
  ]);
  json('classes.json', [0, 2]);
  json('probs.json', [
    [0.7, 0.2, 0.1],
    [0.1, 0.1, 0.8],
  ]);
  json('pred.json', [
    [0.5, -1.2, 3],
    [2, 0, -0.7],
  ]);
  json('y.json', [
    [0, -1, 2.5],
    [1, 0.3, -2],
  ]);
  json('p.json', [
    [1, 0, 1],
    [0, 1, 0.5],
  ]);
  json('counts.json', [
    [1, 0, 3],
    [5, 2, 1],
  ]);
  json('signs.json', [
    [1, -1, 1],
    [-1, 1, -1],
  ]);
  json('var.json', [
    [1, 0.5, 2],
    [0.1, 1, 3],
  ]);
  // 24 rows: 8 users of 3 rows, an imbalanced label, a sorted day.
  const rows = Array.from({ length: 24 }, (_, i) => `u${Math.floor(i / 3)},${i % 4 === 0 ? 'b' : 'a'},${i * 2}`);
  writeFileSync(join(dir, 'data.csv'), `user,label,day\n${rows.join('\n')}\n`);
  // Numeric features with a label that depends on them (for train from CSV and .npy).
  const rs = new RandomState(7);
  const x = new Float32Array(300 * 4);
  const y = new Int32Array(300);
  const lines = ['a,b,c,d,y'];
  for (let i = 0; i < 300; i++) {
    for (let j = 0; j < 4; j++) x[i * 4 + j] = Math.round(rs.standardNormal() * 1000) / 1000;
    y[i] = (x[i * 4] > 0 ? 1 : 0) + (x[i * 4 + 1] > 0.5 ? 1 : 0);
    lines.push([...x.subarray(i * 4, i * 4 + 4), y[i]].join(','));
  }
  writeFileSync(join(dir, 'numbers.csv'), `${lines.join('\n')}\n`);
  writeNpyFile(join(dir, 'x.npy'), fromTypedArray(x.slice(0, 40 * 4), [40, 4]));
  writeNpyFile(join(dir, 'y.npy'), fromTypedArray(y.slice(0, 40), [40]));
  writeNpyFile(join(dir, 'rows.npy'), fromTypedArray(x.slice(0, 3 * 4), [3, 4]));
});

/** Values that differ from run to run (wall-clock seconds, the temporary folder, the cache path). */
function normalise(text: string): string {
  return text
    .split(dir)
    .join('<dir>')
    .replace(/("seconds": )[0-9.e-]+/g, '$1<s>')
    .replace(/^( +\d+ +[0-9.]+ +[0-9.]+% +[0-9.]+% +)[0-9.]+$/gm, '$1<s>')
    .replace(/cache [^;)\n]+/g, 'cache <cache>');
}

function listFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => listFiles(join(path, entry)));
}

function describeFile(path: string): string {
  const bytes = readFileSync(path);
  const name = relative(dir, path);
  if (BINARY.test(path) || bytes.length > INLINE_BYTES) {
    const text = BINARY.test(path) ? bytes : Buffer.from(normalise(bytes.toString('utf8')));
    return `--- file ${name}: ${text.length} bytes, sha256 ${createHash('sha256').update(text).digest('hex')}\n`;
  }
  return `--- file ${name}\n${normalise(bytes.toString('utf8'))}\n`;
}

async function transcript(example: Example): Promise<string> {
  const r = await losslab(example.argv, { cwd: dir });
  const files = (example.writes ?? []).flatMap((w) => (existsSync(join(dir, w)) ? listFiles(join(dir, w)) : [join(dir, `${w} (missing)`)]));
  const written = files.map((f) => (existsSync(f) ? describeFile(f) : `--- file ${relative(dir, f)}\n`)).join('');
  return normalise(`$ losslab ${example.argv.join(' ')}\nstatus ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n`) + written;
}

describe('the command line prints the same bytes as before (README examples and more)', () => {
  for (const example of EXAMPLES) {
    it(example.name, async () => {
      const actual = await transcript(example);
      const path = join(EXPECTED, `${example.name}.txt`);
      if (UPDATE) {
        mkdirSync(EXPECTED, { recursive: true });
        writeFileSync(path, actual);
      }
      expect(existsSync(path), `${path} is missing: run UPDATE_CLI_EXAMPLES=1 npx vitest run test/cli/examples.test.ts`).toBe(true);
      expect(actual).toBe(readFileSync(path, 'utf8'));
    });
  }

  it('has one expected transcript per example and none left over', () => {
    const names = new Set(EXAMPLES.map((e) => `${e.name}.txt`));
    expect(names.size).toBe(EXAMPLES.length);
    expect(readdirSync(EXPECTED).filter((f) => !names.has(f))).toEqual([]);
  });
});
