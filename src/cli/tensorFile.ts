import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { decodeJsonNumber, encodeJsonNumber, type JsonNumber } from '../data/jsonNumbers.js';
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
  const { values, shape } = decodeNested(parsed, (what, at, rule) =>
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

function positionOf(flat: number, shape: readonly number[]): string {
  const strides = stridesOf(shape);
  return `[${strides.map((s, i) => Math.floor(flat / s) % shape[i]).join(', ')}]`;
}

/** Flattens rectangular nested arrays of numbers (and the non-finite strings), reporting where they break. */
function decodeNested(root: unknown, problem: (what: string, at: number[], rule: string) => never): { values: number[]; shape: number[] } {
  const shape: number[] = [];
  for (let level = root; Array.isArray(level); level = level[0]) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  const values: number[] = [];
  const visit = (node: unknown, depth: number, at: number[]): void => {
    if (depth === shape.length) {
      const value = decodeJsonNumber(node);
      if (value !== undefined) values.push(value);
      else
        problem(
          formatValue(Array.isArray(node) ? node : typeof node === 'object' ? JSON.stringify(node) : node),
          at,
          'it must hold numbers, or the strings "Infinity", "-Infinity", "NaN"',
        );
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      problem(
        Array.isArray(node) ? `a list of length ${node.length}` : formatValue(typeof node === 'object' ? JSON.stringify(node) : node),
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

/**
 * A tensor as aligned text: one line for a scalar or a vector, and for higher ranks one line per
 * row of the last dimension, labelled with the leading indices (`[1, 0]  0.25  -0.5`).
 */
export function formatTensorTable(t: Tensor, indent = '  '): string {
  const cells = Array.from(t.data, formatNumber);
  const width = Math.max(1, ...cells.map((c) => c.length));
  const last = t.ndim === 0 ? 1 : t.shape[t.ndim - 1];
  if (t.ndim <= 1) return `${indent}${cells.map((c) => c.padStart(width)).join('  ')}`;
  const lead = t.shape.slice(0, -1);
  const rows = last === 0 ? 0 : cells.length / last;
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const label = positionOf(r, lead);
    lines.push(
      `${indent}${label}  ${cells
        .slice(r * last, (r + 1) * last)
        .map((c) => c.padStart(width))
        .join('  ')}`,
    );
  }
  return lines.length > 0 ? lines.join('\n') : `${indent}(empty, shape ${formatShape(t.shape)})`;
}
