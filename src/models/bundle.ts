import { fail, formatValue } from '../errors.js';

/**
 * A tensor bundle: named arrays packed one after another into a little-endian binary blob, described
 * by JSON entries `{ name, dtype, shape, offset }` (offset in bytes, each array 8-byte aligned).
 * Model files and checkpoints both store their arrays this way (the JSON goes into their header).
 */
export type BundleDType = 'float32' | 'float64' | 'int32';
export type BundleArray = Float32Array | Float64Array | Int32Array;

export interface BundleEntry {
  readonly name: string;
  readonly dtype: BundleDType;
  readonly shape: readonly number[];
  readonly offset: number;
}

export interface EncodedBundle {
  readonly entries: BundleEntry[];
  readonly blob: Uint8Array;
  /** FNV-1a 32-bit hash of the blob, `fnv1a32:xxxxxxxx` (detects truncation and corruption). */
  readonly checksum: string;
}

const BYTES: Record<BundleDType, number> = { float32: 4, float64: 8, int32: 4 };

function dtypeOf(a: BundleArray): BundleDType {
  return a instanceof Float32Array ? 'float32' : a instanceof Float64Array ? 'float64' : 'int32';
}

/** Packs arrays (with their shapes) into one little-endian blob. */
export function encodeBundle(arrays: readonly { name: string; shape: readonly number[]; data: BundleArray }[]): EncodedBundle {
  const entries: BundleEntry[] = [];
  let offset = 0;
  for (const a of arrays) {
    entries.push({ name: a.name, dtype: dtypeOf(a.data), shape: [...a.shape], offset });
    offset += Math.ceil((a.data.length * BYTES[dtypeOf(a.data)]) / 8) * 8;
  }
  const blob = new Uint8Array(offset);
  const view = new DataView(blob.buffer);
  arrays.forEach((a, k) => {
    const at = entries[k].offset;
    const d = a.data;
    if (d instanceof Float32Array) for (let i = 0; i < d.length; i++) view.setFloat32(at + 4 * i, d[i], true);
    else if (d instanceof Float64Array) for (let i = 0; i < d.length; i++) view.setFloat64(at + 8 * i, d[i], true);
    else for (let i = 0; i < d.length; i++) view.setInt32(at + 4 * i, d[i], true);
  });
  return { entries, blob, checksum: checksumOf(blob) };
}

/** FNV-1a (32-bit) of the bytes as `fnv1a32:` + 8 hex digits; platform-free and fast. */
export function checksumOf(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return `fnv1a32:${(h >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Unpacks the arrays described by `entries` from `blob`, checking the checksum, each entry's bounds
 * and dtype; `source` names the file in errors ("model.bin is truncated …").
 */
export function decodeBundle(entries: unknown, blob: Uint8Array, checksum: unknown, source: string): Map<string, BundleArray> {
  return new Map([...decodeBundleTensors(entries, blob, checksum, source)].map(([name, t]) => [name, t.data]));
}

/** As `decodeBundle`, with each array's stored shape (so a transposed [10, 784] is told from [784, 10]). */
export function decodeBundleTensors(
  entries: unknown,
  blob: Uint8Array,
  checksum: unknown,
  source: string,
): Map<string, { readonly shape: readonly number[]; readonly data: BundleArray }> {
  const fn = 'loadModel';
  if (!Array.isArray(entries)) fail({ fn, argument: source, rule: "its header must list the stored arrays under 'tensors'" });
  if (typeof checksum === 'string' && checksumOf(blob) !== checksum) {
    fail({
      fn,
      argument: source,
      value: `${blob.length} bytes with checksum ${checksumOf(blob)}`,
      rule: `the checksum must be ${checksum}: the file is corrupt or belongs to another model`,
      fix: 'Train again or copy the model folder again.',
    });
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const out = new Map<string, { readonly shape: readonly number[]; readonly data: BundleArray }>();
  for (const e of entries as unknown[]) {
    const entry = e as Partial<BundleEntry>;
    const ok =
      typeof entry.name === 'string' &&
      (entry.dtype === 'float32' || entry.dtype === 'float64' || entry.dtype === 'int32') &&
      Array.isArray(entry.shape) &&
      entry.shape.every((s) => Number.isInteger(s) && s >= 0) &&
      Number.isInteger(entry.offset) &&
      (entry.offset as number) >= 0;
    if (!ok)
      fail({
        fn,
        argument: source,
        value: formatValue(JSON.stringify(e)),
        rule: 'each tensor entry needs a name, a dtype (float32, float64, int32), a shape and a byte offset',
      });
    const { name, dtype, shape, offset } = entry as BundleEntry;
    const length = shape.reduce((a, b) => a * b, 1);
    const size = BYTES[dtype];
    if (offset + length * size > blob.length) {
      fail({
        fn,
        argument: source,
        value: `${blob.length} bytes`,
        rule: `it must hold tensor '${name}' (${length} ${dtype} values at byte ${offset}); the file is truncated`,
      });
    }
    let data: BundleArray;
    if (dtype === 'float32') {
      const a = new Float32Array(length);
      for (let i = 0; i < length; i++) a[i] = view.getFloat32(offset + 4 * i, true);
      data = a;
    } else if (dtype === 'float64') {
      const a = new Float64Array(length);
      for (let i = 0; i < length; i++) a[i] = view.getFloat64(offset + 8 * i, true);
      data = a;
    } else {
      const a = new Int32Array(length);
      for (let i = 0; i < length; i++) a[i] = view.getInt32(offset + 4 * i, true);
      data = a;
    }
    out.set(name, { shape: [...shape], data });
  }
  return out;
}
