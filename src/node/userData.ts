import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { CsvParser, checkUniqueHeader, parseCsvNumber } from '../data/csv.js';
import { createDataset, type Dataset } from '../data/dataset.js';
import { fail, formatValue } from '../errors.js';
import { readNpyFile } from './npyFile.js';

/**
 * The user's own training data for `losslab train --dataset FILE`:
 *
 * - `.npy` pair: `X.npy` `[n, features]` (any numeric dtype) and integer labels `y.npy` `[n]`. The
 *   labels file is `--labels FILE`, else the sibling whose name swaps a leading `X` for `y`
 *   (`X.npy` → `y.npy`, `X_train.npy` → `y_train.npy`). A folder holding `X.npy` and `y.npy` works too.
 * - CSV with a header row: the label column is `--label-column NAME`, else a column named `label`,
 *   else the last column; every other column is a numeric feature. Integer labels ≥ 0 are class
 *   indices; any other labels are class names, numbered in sorted order (scikit-learn's
 *   `LabelEncoder`). A missing or non-numeric feature cell is an error naming the file, row and column.
 */
export interface UserDataOptions {
  /** Path of the labels `.npy` (for an `X.npy`). */
  readonly labels?: string;
  /** Name of the CSV label column. */
  readonly labelColumn?: string;
}

export function loadUserDataset(path: string, options: UserDataOptions = {}): Dataset {
  if (!existsSync(path))
    fail({ fn: 'losslab train', argument: '--dataset', value: JSON.stringify(path), rule: 'the file must exist (or use --dataset fashion-mnist)' });
  if (statSync(path).isDirectory()) return loadNpyPair(join(path, 'X.npy'), options.labels ?? join(path, 'y.npy'));
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') return loadNpyPair(path, options.labels ?? siblingLabels(path));
  if (ext === '.csv') return loadCsv(path, options.labelColumn);
  return fail({
    fn: 'losslab train',
    argument: '--dataset',
    value: JSON.stringify(path),
    rule: 'it must be fashion-mnist, a .npy file of features (with its labels), a folder with X.npy and y.npy, or a .csv file',
  });
}

function siblingLabels(xPath: string): string {
  const name = basename(xPath);
  if (!/^X/.test(name)) {
    fail({
      fn: 'losslab train',
      argument: '--dataset',
      value: JSON.stringify(xPath),
      rule: "the labels file cannot be guessed (the name does not start with 'X')",
      fix: 'Pass --labels y.npy.',
    });
  }
  return join(dirname(xPath), `y${name.slice(1)}`);
}

function loadNpyPair(xPath: string, yPath: string): Dataset {
  const X = readNpyFile(xPath, '--dataset');
  const y = readNpyFile(yPath, '--labels');
  if (X.ndim !== 2) fail({ fn: 'losslab train', argument: xPath, value: `shape [${X.shape.join(', ')}]`, rule: 'features must be a 2-d array [n, features]' });
  if (y.ndim !== 1 || y.shape[0] !== X.shape[0]) {
    fail({
      fn: 'losslab train',
      argument: yPath,
      value: `shape [${y.shape.join(', ')}]`,
      rule: `labels must be a 1-d array with one label per row of ${basename(xPath)} (${X.shape[0]})`,
    });
  }
  const labels = new Int32Array(y.size);
  for (let i = 0; i < y.size; i++) {
    const v = y.data[i];
    if (!Number.isInteger(v) || v < 0)
      fail({ fn: 'losslab train', argument: yPath, value: `${formatValue(v)} at row ${i}`, rule: 'labels must be class indices: integers ≥ 0' });
    labels[i] = v;
  }
  const x = X.dtype === 'float32' ? (X.data as Float32Array) : Float32Array.from(X.data);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      fail({
        fn: 'losslab train',
        argument: xPath,
        value: `${formatValue(x[i])} at row ${Math.floor(i / X.shape[1])}, column ${i % X.shape[1]}`,
        rule: 'features must be finite numbers (float32)',
      });
    }
  }
  return createDataset(x, labels, { features: X.shape[1], source: xPath });
}

function* readChunks(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.alloc(1 << 20);
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      yield decoder.write(buffer.subarray(0, n));
    }
    yield decoder.end();
  } finally {
    closeSync(fd);
  }
}

function loadCsv(path: string, labelColumn: string | undefined): Dataset {
  const parser = new CsvParser({ source: path });
  let header: string[] | null = null;
  let labelIndex = -1;
  const features: number[] = [];
  const labelTexts: string[] = [];
  let row = 0;
  const take = (fields: string[], line: number): void => {
    if (header === null) {
      header = fields.map((f) => f.trim());
      checkUniqueHeader(header, path);
      if (labelColumn !== undefined) {
        labelIndex = header.indexOf(labelColumn);
        if (labelIndex < 0)
          fail({
            fn: 'losslab train',
            argument: '--label-column',
            value: JSON.stringify(labelColumn),
            rule: `${path} must have that column (its columns are ${header.map((h) => JSON.stringify(h)).join(', ')})`,
          });
      } else {
        labelIndex = header.indexOf('label');
        if (labelIndex < 0) labelIndex = header.length - 1;
      }
      if (header.length < 2) fail({ fn: 'losslab train', argument: path, rule: 'a CSV needs a label column and at least one feature column' });
      return;
    }
    row++;
    if (fields.length !== header.length) {
      fail({
        fn: 'losslab train',
        argument: path,
        value: `row ${row} (line ${line}) with ${fields.length} fields`,
        rule: `every row must have as many fields as the header (${header.length})`,
      });
    }
    for (let j = 0; j < fields.length; j++) {
      if (j === labelIndex) {
        const label = fields[j].trim();
        if (label === '')
          fail({
            fn: 'losslab train',
            argument: path,
            value: `row ${row} (line ${line}), column ${JSON.stringify(header[j])}`,
            rule: 'every row needs a label',
          });
        labelTexts.push(label);
        continue;
      }
      const v = parseCsvNumber(fields[j]);
      if (v === undefined || !Number.isFinite(v)) {
        fail({
          fn: 'losslab train',
          argument: path,
          value: `row ${row} (line ${line}), column ${JSON.stringify(header[j])} = ${JSON.stringify(fields[j])}`,
          rule: 'feature cells must be finite numbers',
          fix: 'Fill missing values and encode text columns as numbers first, or name the label column with --label-column.',
        });
      }
      features.push(v);
    }
  };
  for (const chunk of readChunks(path)) for (const r of parser.push(chunk)) take(r.fields, r.line);
  for (const r of parser.end()) take(r.fields, r.line);
  if (header === null || row === 0) fail({ fn: 'losslab train', argument: path, rule: 'the CSV must have a header row and at least one data row' });
  const h = header as string[];
  const allIndices = labelTexts.every((t) => /^\d+$/.test(t));
  let labels: Int32Array;
  let classNames: string[] | undefined;
  if (allIndices) {
    labels = Int32Array.from(labelTexts, Number);
  } else {
    classNames = [...new Set(labelTexts)].sort();
    const index = new Map(classNames.map((c, i) => [c, i]));
    labels = Int32Array.from(labelTexts, (t) => index.get(t) ?? 0);
  }
  return createDataset(Float32Array.from(features), labels, { features: h.length - 1, classNames, source: path });
}
