import { fail, formatValue } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * The safetensors format (huggingface/safetensors), read and written without dependencies:
 *
 *   [8 bytes]  N, the header length, unsigned 64-bit little-endian
 *   [N bytes]  a JSON header: { name: { dtype, shape, data_offsets: [begin, end] }, …, "__metadata__": { key: value } }
 *              (padded with spaces to a multiple of 8 bytes)
 *   [rest]     the tensors' bytes, little-endian and row-major, at data_offsets relative to the end of the header
 *
 * losslab writes float32 (F32), float64 (F64) and int32 (I32) tensors, ordered as the official
 * writer orders them (larger dtypes first, then by name), and reads F64, F32, F16, BF16 (into
 * float32), I64, I32, I16, I8, U8 and BOOL (into int32, with a range check for I64). Reading
 * checks what the official reader checks: the header's size and JSON, every dtype and shape, and
 * that the offsets tile the data exactly.
 */

export type SafetensorsDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

const BYTES: Record<SafetensorsDType, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
const MAX_HEADER = 100_000_000;

export interface SafetensorsContents {
  readonly tensors: Record<string, Tensor>;
  readonly metadata: Record<string, string>;
}

interface Entry {
  dtype: SafetensorsDType;
  shape: number[];
  data_offsets: [number, number];
}

const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Serialises tensors (a state dict) to safetensors bytes, with optional string metadata (`safetensors.torch.save`). */
export function saveSafetensors(tensors: Record<string, Tensor> | ReadonlyMap<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const fn = 'saveSafetensors';
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors as Record<string, Tensor>);
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) fail({ fn, argument: `tensors['${name}']`, value: typeof t, rule: 'it must be a Tensor' });
    if (name === '__metadata__' || name.length === 0)
      fail({ fn, argument: 'tensors', value: formatValue(name), rule: "tensor names must be non-empty and not '__metadata__'" });
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') fail({ fn, argument: `metadata['${k}']`, value: formatValue(v), rule: 'metadata values must be strings (as in safetensors)' });
  }
  const dtypeOf = (t: Tensor): SafetensorsDType => (t.dtype === 'float64' ? 'F64' : t.dtype === 'float32' ? 'F32' : 'I32');
  // the official writer's order: by dtype size (largest first), then by name
  const ordered = [...entries].sort(([na, a], [nb, b]) => BYTES[dtypeOf(b)] - BYTES[dtypeOf(a)] || (na < nb ? -1 : na > nb ? 1 : 0));
  const header: Record<string, Entry | Record<string, string>> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  let offset = 0;
  for (const [name, t] of ordered) {
    const size = t.size * BYTES[dtypeOf(t)];
    header[name] = { dtype: dtypeOf(t), shape: [...t.shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const [, t] of ordered) {
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    if (isLittleEndian) out.set(bytes, at);
    else writeLittleEndian(out, at, t);
    at += bytes.length;
  }
  return out;
}

function writeLittleEndian(out: Uint8Array, at: number, t: Tensor): void {
  const view = new DataView(out.buffer, out.byteOffset);
  const step = t.dtype === 'float64' ? 8 : 4;
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i];
    if (t.dtype === 'float64') view.setFloat64(at + i * step, v, true);
    else if (t.dtype === 'float32') view.setFloat32(at + i * step, v, true);
    else view.setInt32(at + i * step, v, true);
  }
}

/** Parses safetensors bytes (`safetensors.torch.load`). */
export function loadSafetensors(bytes: Uint8Array): SafetensorsContents {
  const fn = 'loadSafetensors';
  if (!(bytes instanceof Uint8Array)) fail({ fn, argument: 'bytes', value: typeof bytes, rule: 'it must be a Uint8Array' });
  if (bytes.length < 8) fail({ fn, argument: 'bytes', value: `${bytes.length} bytes`, rule: 'a safetensors file starts with an 8-byte header length' });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER) || Number(n) + 8 > bytes.length) {
    fail({
      fn,
      argument: 'bytes',
      value: `a header length of ${n}`,
      rule: `the header must fit in the file (${bytes.length} bytes) and be at most ${MAX_HEADER} bytes`,
    });
  }
  const headerLength = Number(n);
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
    if (!text.startsWith('{')) throw new Error('not an object');
    header = JSON.parse(text);
  } catch (e) {
    fail({ fn, argument: 'bytes', value: 'the header', rule: `it must be a UTF-8 JSON object (${e instanceof Error ? e.message : String(e)})` });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail({ fn, argument: 'bytes', value: 'the header', rule: 'it must be a JSON object' });
  const data = bytes.subarray(8 + headerLength);
  const metadata: Record<string, string> = {};
  const entries: [string, Entry][] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null) fail({ fn, argument: '__metadata__', value: formatValue(raw), rule: 'it must be an object of strings' });
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail({ fn, argument: `__metadata__['${k}']`, value: formatValue(v), rule: 'metadata values must be strings' });
        metadata[k] = v;
      }
      continue;
    }
    entries.push([name, checkEntry(fn, name, raw)]);
  }
  // the offsets must tile the data buffer exactly, in some order
  const sorted = [...entries].sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0]);
  let expected = 0;
  for (const [name, e] of sorted) {
    if (e.data_offsets[0] !== expected) {
      fail({
        fn,
        argument: `${name}.data_offsets`,
        value: formatValue(e.data_offsets),
        rule: `tensors must be stored back to back from offset 0 (expected a start at ${expected})`,
      });
    }
    expected = e.data_offsets[1];
  }
  if (expected !== data.length)
    fail({ fn, argument: 'bytes', value: `${data.length} data bytes`, rule: `the header describes ${expected} bytes of tensor data` });
  const tensors: Record<string, Tensor> = {};
  for (const [name, e] of entries) tensors[name] = decodeTensor(fn, name, e, data.subarray(e.data_offsets[0], e.data_offsets[1]));
  return { tensors, metadata };
}

function checkEntry(fn: string, name: string, raw: unknown): Entry {
  if (typeof raw !== 'object' || raw === null)
    fail({ fn, argument: name, value: formatValue(raw), rule: 'each tensor entry must be an object { dtype, shape, data_offsets }' });
  const e = raw as Record<string, unknown>;
  const dtype = e.dtype as SafetensorsDType;
  if (typeof dtype !== 'string' || !(dtype in BYTES))
    fail({ fn, argument: `${name}.dtype`, value: formatValue(e.dtype), rule: `it must be one of ${Object.keys(BYTES).join(', ')}` });
  const shape = e.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
    fail({ fn, argument: `${name}.shape`, value: formatValue(shape), rule: 'it must be a list of non-negative integers' });
  const off = e.data_offsets;
  if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0) || off[1] < off[0]) {
    fail({ fn, argument: `${name}.data_offsets`, value: formatValue(off), rule: 'it must be [begin, end] with 0 ≤ begin ≤ end' });
  }
  const numel = (shape as number[]).reduce((p, d) => p * d, 1);
  if ((off[1] as number) - (off[0] as number) !== numel * BYTES[dtype]) {
    fail({
      fn,
      argument: `${name}.data_offsets`,
      value: formatValue(off),
      rule: `a ${dtype} tensor of shape [${(shape as number[]).join(', ')}] takes ${numel * BYTES[dtype]} bytes`,
    });
  }
  return { dtype, shape: shape as number[], data_offsets: off as [number, number] };
}

function decodeTensor(fn: string, name: string, e: Entry, bytes: Uint8Array): Tensor {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = e.shape.reduce((p, d) => p * d, 1);
  switch (e.dtype) {
    case 'F64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
      return new Tensor(out, e.shape);
    }
    case 'F32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
      return new Tensor(out, e.shape);
    }
    case 'F16':
    case 'BF16': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = e.dtype === 'F16' ? halfToFloat(view.getUint16(2 * i, true)) : bfloatToFloat(view.getUint16(2 * i, true));
      return new Tensor(out, e.shape);
    }
    default: {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        let v: number;
        if (e.dtype === 'I64') {
          const big = view.getBigInt64(8 * i, true);
          if (big > 2147483647n || big < -2147483648n)
            fail({ fn, argument: name, value: `${big} at flat index ${i}`, rule: 'int64 values are read into int32 and must lie in [-2^31, 2^31 - 1]' });
          v = Number(big);
        } else if (e.dtype === 'I32') v = view.getInt32(4 * i, true);
        else if (e.dtype === 'I16') v = view.getInt16(2 * i, true);
        else if (e.dtype === 'I8') v = view.getInt8(i);
        else v = view.getUint8(i);
        out[i] = v;
      }
      return new Tensor(out, e.shape);
    }
  }
}

/** IEEE 754 half precision to a number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (mantissa / 1024);
  if (exponent === 31) return mantissa ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + mantissa / 1024);
}

/** bfloat16 (the top half of a float32) to a number. */
function bfloatToFloat(b: number): number {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setUint32(0, b << 16);
  return buf.getFloat32(0);
}
