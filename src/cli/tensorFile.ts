import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { decodeJsonNumber, encodeJsonNumber, type JsonNumber } from '../data/jsonNumbers.js';
import { JsonTensorReader, type JsonTensorRead } from '../data/jsonTensorReader.js';
import { fail, formatShape, formatValue } from '../errors.js';
import { writeFileAtomic } from '../node/atomicWrite.js';
import { writeNpyFile } from '../node/npyFile.js';
import { parseNpy } from '../tensor/npy.js';
import { allocate, type DType } from '../tensor/dtype.js';
import { stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Tensors in files, for the CLI: `.npy` (NumPy's format, any dtype it stores, read as float32,
 * float64 or int32) or `.json` (nested arrays of numbers, where the strings "Infinity",
 * "-Infinity" and "NaN" stand for those values — JSON itself has none).
 * A JSON file carries no dtype, so the caller picks one from the shape it finds
 * (e.g. int32 for class indices that lack the class dimension).
 */
export interface ReadTensorOptions {
  /** The command, for messages (e.g. `losslab loss`). */
  readonly fn: string;
  /** The option that named the file (e.g. `--target`). */
  readonly argument: string;
  /** Folder that relative paths start from. */
  readonly cwd: string;
  /** The dtype of a JSON tensor, chosen from its shape. */
  readonly jsonDType: (shape: readonly number[]) => DType;
}

/** Reads a tensor from a `.npy` or `.json` file, with errors that name the option, the file and the rule. */
export function readTensorFile(path: string, options: ReadTensorOptions): Tensor {
  const { fn, argument } = options;
  const full = resolve(options.cwd, path);
  const ext = extname(path).toLowerCase();
  if (ext !== '.npy' && ext !== '.json') {
    return fail({ fn, argument, value: JSON.stringify(path), rule: 'it must be a .npy or a .json file' });
  }
  if (ext === '.json') {
    const streamed = streamJsonTensor(full);
    if (streamed !== undefined) return streamedTensor(streamed, path, options);
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(full);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    return fail({ fn, argument, value: JSON.stringify(path), rule: `the file must exist and be readable (${code})` });
  }
  if (ext === '.npy') return parseNpy(bytes, `${argument} ${JSON.stringify(path)}`);
  const text = new TextDecoder().decode(bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail({ fn, argument, value: JSON.stringify(path), rule: `it must hold valid JSON (${reason})` });
  }
  const { values, shape } = decodeNested(parsed, text.length, (what, at, rule) =>
    fail({ fn, argument, value: `${what}${at.length > 0 ? ` at [${at.join(', ')}]` : ''} in ${JSON.stringify(path)}`, rule }),
  );
  const dtype = options.jsonDType(shape);
  const data = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (dtype === 'int32' && !(Number.isInteger(v) && v >= -2147483648 && v <= 2147483647)) {
      fail({ fn, argument, value: `${formatValue(v)} at ${positionOf(i, shape)} in ${JSON.stringify(path)}`, rule: 'class indices must be integers' });
    }
    data[i] = v;
  }
  return new Tensor(data, shape);
}

/**
 * Reads a JSON tensor file in 1 MiB chunks with the streaming reader (memory: the numbers, 8 bytes
 * each); undefined when the file is anything but plain rectangular numeric lists, or cannot be
 * read — then `JSON.parse` reads it and gives the precise message.
 */
function streamJsonTensor(path: string): JsonTensorRead | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(1 << 20, fstatSync(fd).size)));
    const reader = new JsonTensorReader(MAX_JSON_DIMS);
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      reader.push(buffer.subarray(0, n));
      if (reader.unsupported) return undefined;
    }
    return reader.end();
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function streamedTensor(read: JsonTensorRead, path: string, options: ReadTensorOptions): Tensor {
  const { shape, size } = read;
  const dtype = options.jsonDType(shape);
  const data = allocate(dtype, size);
  if (dtype === 'int32') {
    for (let i = 0; i < size; i++) {
      const v = read.at(i);
      if (!(Number.isInteger(v) && v >= -2147483648 && v <= 2147483647))
        fail({
          fn: options.fn,
          argument: options.argument,
          value: `${formatValue(v)} at ${positionOf(i, shape)} in ${JSON.stringify(path)}`,
          rule: 'class indices must be integers',
        });
    }
  }
  read.copyInto(data);
  return new Tensor(data, shape);
}

function positionOf(flat: number, shape: readonly number[]): string {
  const strides = stridesOf(shape);
  return `[${strides.map((s, i) => Math.floor(flat / s) % shape[i]).join(', ')}]`;
}

/** Most dimensions of a JSON tensor: NumPy's limit (`numpy.MAXDIMS`, 64 since NumPy 2; 32 before). */
export const MAX_JSON_DIMS = 64;

/** A short description of a JSON value for a message, bounded whatever its size or depth. */
function describeJsonValue(node: unknown): string {
  if (Array.isArray(node)) return `a list of length ${node.length}`;
  if (node !== null && typeof node === 'object') return `an object with keys ${formatValue(Object.keys(node).slice(0, 4))}`;
  return formatValue(node);
}

/** Flattens rectangular nested arrays of numbers (and the non-finite strings), reporting where they break. */
function decodeNested(
  root: unknown,
  textLength: number,
  problem: (what: string, at: number[], rule: string) => never,
): { values: Float64Array; shape: number[] } {
  const shape: number[] = [];
  for (let level = root; Array.isArray(level); level = level[0]) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  // checked before walking the lists, so depth never turns into a stack overflow
  if (shape.length > MAX_JSON_DIMS) {
    problem(`lists nested ${shape.length} deep`, [], `a tensor has at most ${MAX_JSON_DIMS} dimensions (NumPy's limit, numpy.MAXDIMS)`);
  }
  // one float64 per element (not a JS array of boxed numbers): the size the shape promises, unless
  // the text is too short to hold that many numbers (then the lists are not rectangular: said below)
  const promised = shape.reduce((a, b) => a * b, 1);
  if (promised > textLength / 2 + 1) {
    problem(
      `lists of shape ${formatShape(shape)} along their first entries`,
      [],
      `nested lists must be rectangular, and the file is too short for ${promised} numbers`,
    );
  }
  const values = new Float64Array(promised);
  let filled = 0;
  const visit = (node: unknown, depth: number, at: number[]): void => {
    if (depth === shape.length) {
      const value = decodeJsonNumber(node);
      if (value !== undefined) values[filled++] = value;
      else problem(describeJsonValue(node), at, 'it must hold numbers, or the strings "Infinity", "-Infinity", "NaN"');
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      problem(
        Array.isArray(node) ? `a list of length ${node.length}` : describeJsonValue(node),
        at,
        `nested lists must be rectangular (a list of length ${shape[depth]} expected at depth ${depth}, as for shape ${formatShape(shape)})`,
      );
    }
    for (const [i, child] of node.entries()) visit(child, depth + 1, [...at, i]);
  };
  visit(root, 0, []);
  return { values, shape };
}

/** A JSON value for a tensor: nested arrays (a number for a scalar), non-finite numbers as strings. */
export type JsonTensor = JsonNumber | JsonTensor[];

/** Nested arrays of a tensor for JSON output, like `tensor.tolist()` with non-finite numbers as strings. */
export function tensorToJson(t: Tensor): JsonTensor {
  const strides = stridesOf(t.shape);
  const build = (dim: number, offset: number): JsonTensor => {
    if (dim === t.ndim) return encodeJsonNumber(t.data[offset]);
    return Array.from({ length: t.shape[dim] }, (_, i) => build(dim + 1, offset + i * strides[dim]));
  };
  return build(0, 0);
}

/** Writes a tensor to a `.npy` or `.json` file atomically (the format follows the extension). */
export function writeTensorFile(path: string, t: Tensor, cwd: string, argument = '--out'): void {
  const full = resolve(cwd, path);
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') writeNpyFile(full, t, argument);
  else if (ext === '.json') writeFileAtomic(full, `${JSON.stringify(tensorToJson(t))}\n`, argument);
  else fail({ fn: 'write', argument, value: JSON.stringify(path), rule: 'it must end in .npy or .json' });
}

/** A number for a terminal table: 6 significant digits, non-finite as Infinity / -Infinity / NaN. */
export function formatNumber(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(encodeJsonNumber(v));
}

/** Above this many elements, tables are summarised (NumPy's `threshold` of `set_printoptions`). */
export const SUMMARY_THRESHOLD = 1000;
/** Items kept at each end of a summarised dimension (NumPy's `edgeitems`). */
export const EDGE_ITEMS = 3;

/** Indices of a dimension of `n` shown: all, or the first and last `EDGE_ITEMS` with `-1` for the gap. */
function shownIndices(n: number, summarise: boolean): number[] {
  if (!summarise || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: EDGE_ITEMS }, (_, i) => i), -1, ...Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i)];
}

/**
 * A tensor as aligned text: one line for a scalar or a vector, and for higher ranks one line per
 * row of the last dimension, labelled with the leading indices (`[1, 0]  0.25  -0.5`). Tensors of
 * more than 1,000 elements are summarised as NumPy prints them: the first and last 3 entries of
 * every dimension, with `...` for the rest; only the shown numbers are formatted, so printing
 * costs the same for 10⁹ elements as for 10³.
 */
export function formatTensorTable(t: Tensor, indent = '  '): string {
  if (t.size === 0) return `${indent}(empty, shape ${formatShape(t.shape)})`;
  const summarise = t.size > SUMMARY_THRESHOLD;
  const strides = stridesOf(t.shape);
  const cell = (flat: number): string => formatNumber(t.data[flat]);
  if (t.ndim <= 1) {
    const cells = shownIndices(t.ndim === 0 ? 1 : t.shape[0], summarise).map((i) => (i < 0 ? '...' : cell(i)));
    const width = cells.reduce((w, c) => (c === '...' ? w : Math.max(w, c.length)), 1);
    return `${indent}${cells.map((c) => (c === '...' ? c : c.padStart(width))).join('  ')}`;
  }
  // every shown row: its leading indices (−1 marks a gap line), then its shown cells
  const lead = t.shape.slice(0, -1);
  const columns = shownIndices(t.shape[t.ndim - 1], summarise);
  const rows: (number[] | null)[] = [];
  const walk = (dim: number, at: number[]): void => {
    if (dim === lead.length) {
      rows.push(at);
      return;
    }
    for (const i of shownIndices(lead[dim], summarise)) {
      if (i < 0) {
        if (rows[rows.length - 1] !== null) rows.push(null);
      } else walk(dim + 1, [...at, i]);
    }
  };
  walk(0, []);
  const table = rows.map((at) => {
    if (at === null) return null;
    const offset = at.reduce((o, i, d) => o + i * strides[d], 0);
    return { label: `[${at.join(', ')}]`, cells: columns.map((j) => (j < 0 ? '...' : cell(offset + j * strides[t.ndim - 1]))) };
  });
  const width = table.reduce((w, r) => (r ? r.cells.reduce((m, c) => (c === '...' ? m : Math.max(m, c.length)), w) : w), 1);
  return table.map((r) => (r ? `${indent}${r.label}  ${r.cells.map((c) => (c === '...' ? c : c.padStart(width))).join('  ')}` : `${indent}...`)).join('\n');
}
