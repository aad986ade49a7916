import { resolve } from 'node:path';
import { selectRows, type Dataset } from '../data/dataset.js';
import { fail, formatValue } from '../errors.js';
import { penultimateFeatures } from '../models/penultimate.js';
import type { SavedModel } from '../models/serialize.js';
import { loadFashionMnist } from '../node/fashionMnistCache.js';
import type { Column, Table } from '../shift/table.js';
import { RandomState } from '../tensor/random.js';
import { loadModelDir } from './commands/evaluate.js';

/**
 * The inputs of `losslab shift` beyond two CSV files: `--dataset fashion-mnist` (its training split
 * against its test split) and `--features-from runs/NAME` (a trained model's penultimate-layer
 * features in place of the raw columns).
 */

const FN = 'losslab shift';

/** Fashion-MNIST's fixed split from the cache; `limit` keeps a seeded random subset of each split. */
export function fashionMnistSplits(seed: number, limit: number | undefined): { train: Dataset; test: Dataset; names: { train: string; valid: string } } {
  const fm = loadFashionMnist();
  const pick = (d: Dataset, salt: number): Dataset =>
    limit === undefined || limit >= d.n ? d : selectRows(d, new RandomState(seed + salt).permutation(d.n).subarray(0, limit));
  const train = pick(fm.train, 0);
  const test = pick(fm.test, 1);
  const name = (split: string, d: Dataset, all: Dataset): string => `Fashion-MNIST ${split} split${d.n < all.n ? ` (${d.n} random rows)` : ''}`;
  return { train, test, names: { train: name('training', train, fm.train), valid: name('test', test, fm.test) } };
}

/**
 * A dataset as a table: one numeric column per feature (`pixel1` … `pixel784` with the byte
 * values, as in the usual CSV export of Fashion-MNIST; float features as they are) and the class
 * name as `label`.
 */
export function datasetTable(data: Dataset, prefix = 'pixel'): Table {
  const d = data.features;
  const columns: Column[] = [];
  for (let k = 0; k < d; k++) {
    const values = new Float64Array(data.n);
    for (let i = 0; i < data.n; i++) values[i] = data.x[i * d + k];
    columns.push({ name: `${prefix}${k + 1}`, kind: 'numeric', values });
  }
  const names = data.classNames;
  columns.push({ name: 'label', kind: 'categorical', values: Array.from(data.y, (y) => names?.[y] ?? String(y)) });
  return { nRows: data.n, columns };
}

/** Loads the model folder of `--features-from` (written by `losslab train --out DIR`). */
export function loadFeatureModel(dir: string, cwd: string): SavedModel {
  return loadModelDir(resolve(cwd, dir), FN, '--features-from');
}

/** One line for the report: whose features these are. */
export function featureSourceNote(dir: string, model: SavedModel, width: number): string {
  return `Features: the penultimate-layer features of ${dir} (${model.kind}, ${model.network.describe()}; ${width} per row, named h1 … h${width}), not the raw columns.`;
}

/** The model's penultimate-layer features of a dataset as a table (`h1` … `hK`, and `label`). */
export function penultimateTable(model: SavedModel, data: Dataset): Table {
  if (Math.abs(data.scale - model.inputScale) > 1e-12 * model.inputScale)
    fail({
      fn: FN,
      argument: '--features-from',
      value: `a model trained on inputs scaled by ${model.inputScale}`,
      rule: `the data's inputs are scaled by ${data.scale}`,
    });
  const f = penultimateFeatures(model.network, data, FN);
  return datasetTable({ ...data, x: f.values, features: f.width, scale: 1 }, 'h');
}

/**
 * The feature columns of a CSV table as the model's input rows (in `features` order, times the
 * model's `inputScale`, as `losslab predict` scales pixels), then its penultimate-layer features in
 * their place; the other columns (label, group, time, prediction) are kept.
 */
export function tableThroughModel(model: SavedModel, table: Table, features: readonly string[]): { table: Table; features: string[] } {
  const net = model.network;
  if (features.length !== net.inputSize)
    fail({
      fn: FN,
      argument: '--features-from',
      value: `a model that takes ${net.inputSize} inputs per row`,
      rule: `the files have ${features.length} feature columns`,
      fix: 'Choose the input columns with --features a,b,c (in the order the model was trained on).',
    });
  const x = new Float32Array(table.nRows * features.length);
  for (const [k, name] of features.entries()) {
    const c = table.columns.find((col) => col.name === name);
    if (c?.kind !== 'numeric')
      return fail({ fn: FN, argument: '--features-from', value: formatValue(name), rule: 'every model input must be a numeric column' });
    for (let i = 0; i < table.nRows; i++) {
      const v = c.values[i];
      if (!Number.isFinite(v))
        fail({
          fn: FN,
          argument: '--features-from',
          value: `${formatValue(v)} in column ${JSON.stringify(name)}, row ${i + 1}`,
          rule: 'model inputs must be finite numbers',
        });
      x[i * features.length + k] = v * model.inputScale;
    }
  }
  const data: Dataset = { x, scale: 1, y: new Int32Array(table.nRows), n: table.nRows, features: features.length, numClasses: net.numClasses };
  const f = penultimateFeatures(net, data, FN);
  const names = Array.from({ length: f.width }, (_, j) => `h${j + 1}`);
  const hidden: Column[] = names.map((name, j) => ({
    name,
    kind: 'numeric',
    values: Float64Array.from({ length: table.nRows }, (_, i) => f.values[i * f.width + j]),
  }));
  const rest = table.columns.filter((c) => !features.includes(c.name));
  return { table: { nRows: table.nRows, columns: [...hidden, ...rest] }, features: names };
}

/**
 * Feature columns with more than one value over both tables. Blank border pixels and dead ReLU
 * units are constant, and a constant column has no distribution to compare (an error in `analyzeShift`).
 */
export function varyingFeatures(train: Table, valid: Table, features: readonly string[]): { kept: string[]; dropped: string[] } {
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const name of features) {
    const a = train.columns.find((c) => c.name === name);
    const b = valid.columns.find((c) => c.name === name);
    let first: number | string | undefined;
    let varies = false;
    for (const c of [a, b]) {
      if (!c || varies) continue;
      for (const v of c.values) {
        if (typeof v === 'number' && Number.isNaN(v)) continue;
        if (first === undefined) first = v;
        else if (v !== first) {
          varies = true;
          break;
        }
      }
    }
    (varies ? kept : dropped).push(name);
  }
  return { kept, dropped };
}
