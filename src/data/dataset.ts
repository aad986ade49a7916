import { fail, formatValue } from '../errors.js';
import { byteTable } from '../kernels/byteTable.js';

export { byteTable };

/**
 * An in-memory classification dataset: `n` rows of `features` values and one integer label per row.
 *
 * Pixels can stay as bytes (`Uint8Array` with a `scale`, e.g. 1/255 for Fashion-MNIST: 47 MB
 * instead of 188 MB of float32) and are converted row by row when a minibatch is assembled, exactly
 * as `X.astype(np.float32) / np.float32(255)` would have converted them up front.
 */
export interface Dataset {
  /** Feature values, row-major `[n, features]`: bytes (times `scale`) or float32. */
  readonly x: Uint8Array | Float32Array;
  /** Multiplies byte features (`x / 255` is a scale of 1/255); 1 for float32 features. */
  readonly scale: number;
  /** Class index of each row, in `[0, numClasses)`. */
  readonly y: Int32Array;
  readonly n: number;
  readonly features: number;
  readonly numClasses: number;
  /** Display names of the classes (index → name), when known. */
  readonly classNames?: readonly string[];
  /** Height and width when the rows are images (28×28 for Fashion-MNIST). */
  readonly imageShape?: readonly [number, number];
}

export interface DatasetOptions {
  readonly features: number;
  readonly numClasses?: number;
  readonly scale?: number;
  readonly classNames?: readonly string[];
  readonly imageShape?: readonly [number, number];
  /** Names the data in error messages (a file name, or the argument). */
  readonly source?: string;
}

/**
 * Builds a dataset from flat arrays, checking that the sizes agree, that every feature is finite and
 * that every label is an integer class index (`numClasses` defaults to max label + 1).
 */
export function createDataset(x: Uint8Array | Float32Array, y: Int32Array, options: DatasetOptions): Dataset {
  const source = options.source ?? 'x';
  const fn = 'createDataset';
  const { features } = options;
  if (!Number.isInteger(features) || features < 1) {
    fail({ fn, argument: 'features', value: formatValue(features), rule: 'it must be a positive integer' });
  }
  if (x.length !== y.length * features) {
    fail({
      fn,
      argument: source,
      value: `${x.length} values for ${y.length} labels`,
      rule: `each row must hold exactly ${features} values (${y.length} × ${features} = ${y.length * features})`,
    });
  }
  if (x instanceof Float32Array) {
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) {
        fail({
          fn,
          argument: source,
          value: formatValue(x[i]),
          rule: `features must be finite numbers (row ${Math.floor(i / features)}, column ${i % features})`,
        });
      }
    }
  }
  let maxLabel = -1;
  for (let i = 0; i < y.length; i++) if (y[i] > maxLabel) maxLabel = y[i];
  const numClasses = options.numClasses ?? maxLabel + 1;
  for (let i = 0; i < y.length; i++) {
    if (y[i] < 0 || y[i] >= numClasses) {
      fail({
        fn,
        argument: `labels of ${source}`,
        value: `${y[i]} at row ${i}`,
        rule: `class indices must lie in [0, ${numClasses - 1}] (${numClasses} classes)`,
      });
    }
  }
  if (options.classNames && options.classNames.length !== numClasses) {
    fail({ fn, argument: 'classNames', value: formatValue([...options.classNames]), rule: `it must name all ${numClasses} classes` });
  }
  return {
    x,
    scale: options.scale ?? 1,
    y,
    n: y.length,
    features,
    numClasses,
    classNames: options.classNames,
    imageShape: options.imageShape,
  };
}

/** The first `count` rows of a dataset in the given row order (`--limit`), sharing nothing. */
export function selectRows(data: Dataset, rows: ArrayLike<number>): Dataset {
  const d = data.features;
  const x = data.x instanceof Uint8Array ? new Uint8Array(rows.length * d) : new Float32Array(rows.length * d);
  const y = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    x.set(data.x.subarray(i * d, (i + 1) * d), r * d);
    y[r] = data.y[i];
  }
  return { ...data, x, y, n: rows.length };
}

/**
 * The same dataset with float32 features (byte features converted once through the byte table, so
 * the values are bit-identical to converting per minibatch). Trades memory (4 bytes per value: 188 MB
 * for Fashion-MNIST's training set) for a minibatch gather that is a plain row copy — what PyTorch's
 * `X.float() / 255` before training does.
 */
export function toFloat32(data: Dataset): Dataset {
  if (data.x instanceof Float32Array) return data;
  const table = byteTable(data.scale, 'float32');
  const x = new Float32Array(data.x.length);
  const bytes = data.x;
  for (let i = 0; i < bytes.length; i++) x[i] = table[bytes[i]];
  return { ...data, x, scale: 1 };
}

/**
 * Copies rows `order[start .. start+count)` of the dataset into `out` (`[count, features]`) as
 * floats, applying the byte scale through a 256-entry table (one load per pixel, no division).
 */
export function gatherRows(
  data: Dataset,
  order: ArrayLike<number>,
  start: number,
  count: number,
  out: Float32Array | Float64Array,
  table: Float32Array | Float64Array | null = null,
): void {
  const d = data.features;
  const x = data.x;
  if (x instanceof Uint8Array) {
    const lut = table ?? byteTable(data.scale, out instanceof Float64Array ? 'float64' : 'float32');
    for (let r = 0; r < count; r++) {
      const src = order[start + r] * d;
      const dst = r * d;
      for (let k = 0; k < d; k++) out[dst + k] = lut[x[src + k]];
    }
  } else {
    for (let r = 0; r < count; r++) {
      const src = order[start + r] * d;
      out.set(x.subarray(src, src + d), r * d);
    }
  }
}

/** Identity order `[0, 1, …, n-1]`. */
export function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}
