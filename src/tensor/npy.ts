import { fail, formatValue } from '../errors.js';
import type { AnyTypedArray, DType } from './dtype.js';
import { sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0), so data moves both ways between losslab
 * and NumPy. Reading accepts little- or big-endian float32/float64, int8/16/32/64, uint8/16/32 and
 * bool, C or Fortran order; integers load as int32 (int64/uint32 values must fit), floats keep their
 * precision. Writing produces version 1.0, little-endian, C order — what `np.save` writes.
 * Platform-free: works on bytes; reading files lives in `node/`.
 */
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function parseNpy(bytes: Uint8Array, source = 'the .npy data'): Tensor {
  const bad = (rule: string): never => fail({ fn: 'readNpy', argument: source, rule });
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) bad('it must start with the .npy magic string \\x93NUMPY');
  const major = bytes[6];
  let headerLength: number;
  let offset: number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    offset = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) bad('its header is truncated');
    headerLength = view.getUint32(8, true);
    offset = 12;
  } else {
    return bad(`its format version ${major}.${bytes[7]} is not one of 1.0, 2.0, 3.0`);
  }
  if (offset + headerLength > bytes.length) bad('its header is truncated');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(offset, offset + headerLength));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    return bad(`its header ${formatValue(header.trim())} must give 'descr', 'fortran_order' and 'shape'`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number(s));
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) bad(`its shape (${shapeText}) must hold non-negative integers`);
  const n = sizeOf(shape);
  const dataStart = offset + headerLength;
  const kind = parseDescr(descr, source);
  if (dataStart + n * kind.bytes > bytes.length) {
    bad(`it must hold ${n} values of ${kind.bytes} bytes after the header, but holds only ${bytes.length - dataStart} bytes`);
  }
  const raw = new DataView(bytes.buffer, bytes.byteOffset + dataStart, n * kind.bytes);
  const out: AnyTypedArray = kind.dtype === 'float32' ? new Float32Array(n) : kind.dtype === 'float64' ? new Float64Array(n) : new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = kind.read(raw, i * kind.bytes);
    if (kind.dtype === 'int32' && (v < -2147483648 || v > 2147483647)) {
      bad(`its value ${v} at flat index ${i} does not fit in int32, which losslab uses for integer data`);
    }
    out[i] = v;
  }
  const data = fortran === 'True' && shape.length > 1 ? fortranToC(out, shape) : out;
  return new Tensor(data, shape);
}

interface ElementKind {
  dtype: DType;
  bytes: number;
  read: (view: DataView, at: number) => number;
}

function parseDescr(descr: string, source: string): ElementKind {
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr) ?? (descr === '|b1' ? ['', '|', 'b', '1'] : null);
  if (!m) {
    return fail({ fn: 'readNpy', argument: source, value: formatValue(descr), rule: 'its dtype must be a plain float, integer or bool array' });
  }
  const little = m[1] !== '>';
  const bytes = Number(m[3]);
  const key = `${m[2]}${bytes}`;
  const readers: Record<string, ElementKind> = {
    f4: { dtype: 'float32', bytes, read: (v, a) => v.getFloat32(a, little) },
    f8: { dtype: 'float64', bytes, read: (v, a) => v.getFloat64(a, little) },
    i1: { dtype: 'int32', bytes, read: (v, a) => v.getInt8(a) },
    i2: { dtype: 'int32', bytes, read: (v, a) => v.getInt16(a, little) },
    i4: { dtype: 'int32', bytes, read: (v, a) => v.getInt32(a, little) },
    i8: { dtype: 'int32', bytes, read: (v, a) => Number(v.getBigInt64(a, little)) },
    u1: { dtype: 'int32', bytes, read: (v, a) => v.getUint8(a) },
    u2: { dtype: 'int32', bytes, read: (v, a) => v.getUint16(a, little) },
    u4: { dtype: 'int32', bytes, read: (v, a) => v.getUint32(a, little) },
    u8: { dtype: 'int32', bytes, read: (v, a) => Number(v.getBigUint64(a, little)) },
    b1: { dtype: 'int32', bytes, read: (v, a) => (v.getUint8(a) ? 1 : 0) },
  };
  const kind = readers[key];
  if (!kind) {
    return fail({
      fn: 'readNpy',
      argument: source,
      value: formatValue(descr),
      rule: 'its dtype must be float32/float64, a signed or unsigned integer, or bool',
    });
  }
  return kind;
}

function fortranToC(data: AnyTypedArray, shape: readonly number[]): AnyTypedArray {
  const out = data.slice();
  const n = data.length;
  const ndim = shape.length;
  const idx = new Array<number>(ndim).fill(0);
  // Walk Fortran order (first index fastest) and place each value at its C-order position.
  const cStrides = new Array<number>(ndim);
  let s = 1;
  for (let d = ndim - 1; d >= 0; d--) {
    cStrides[d] = s;
    s *= shape[d];
  }
  for (let f = 0; f < n; f++) {
    let c = 0;
    for (let d = 0; d < ndim; d++) c += idx[d] * cStrides[d];
    out[c] = data[f];
    for (let d = 0; d < ndim; d++) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** Serialises a tensor as `.npy` version 1.0 (little-endian, C order), readable by `np.load`. */
export function toNpy(t: Tensor): Uint8Array {
  const descr = t.dtype === 'float32' ? '<f4' : t.dtype === 'float64' ? '<f8' : '<i4';
  const shapeText = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1;
  header += `${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const headerBytes = new TextEncoder().encode(header);
  const itemBytes = t.data.BYTES_PER_ELEMENT;
  const out = new Uint8Array(10 + headerBytes.length + t.size * itemBytes);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, headerBytes.length, true);
  out.set(headerBytes, 10);
  const view = new DataView(out.buffer, 10 + headerBytes.length);
  for (let i = 0; i < t.size; i++) {
    const at = i * itemBytes;
    if (t.dtype === 'float32') view.setFloat32(at, t.data[i], true);
    else if (t.dtype === 'float64') view.setFloat64(at, t.data[i], true);
    else view.setInt32(at, t.data[i], true);
  }
  return out;
}
