/**
 * LSD radix sorts of floating-point columns (no NaN), for the per-feature tests on columns read
 * from a database: the same ascending order as `Float64Array.prototype.sort` (−0 before +0),
 * several times faster on millions of values. Keys are the IEEE bits with the sign bit flipped
 * (positive numbers) or all bits flipped (negative numbers), which orders them as unsigned integers.
 */

/** Below this many values the built-in sort is as fast (radix histograms cost a fixed amount). */
const SMALL = 1 << 15;

/** The float32 values, sorted ascending, widened to float64 (exactly). */
export function sortedFloat32(values: Float32Array): Float64Array {
  const n = values.length;
  if (n < SMALL) return Float64Array.from(values).sort();
  const bits = new Uint32Array(values.buffer, values.byteOffset, n);
  let a = new Uint32Array(n);
  let b = new Uint32Array(n);
  const h0 = new Uint32Array(2048);
  const h1 = new Uint32Array(2048);
  const h2 = new Uint32Array(1024);
  for (let i = 0; i < n; i++) {
    const x = bits[i];
    const k = x & 0x80000000 ? ~x >>> 0 : (x | 0x80000000) >>> 0;
    a[i] = k;
    h0[k & 2047]++;
    h1[(k >>> 11) & 2047]++;
    h2[k >>> 22]++;
  }
  prefixSums(h0);
  prefixSums(h1);
  prefixSums(h2);
  for (let i = 0; i < n; i++) {
    const k = a[i];
    b[h0[k & 2047]++] = k;
  }
  [a, b] = [b, a];
  for (let i = 0; i < n; i++) {
    const k = a[i];
    b[h1[(k >>> 11) & 2047]++] = k;
  }
  [a, b] = [b, a];
  for (let i = 0; i < n; i++) {
    const k = a[i];
    b[h2[k >>> 22]++] = k;
  }
  const out = new Float64Array(n);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  for (let i = 0; i < n; i++) {
    const k = b[i];
    u32[0] = k & 0x80000000 ? k & 0x7fffffff : ~k >>> 0;
    out[i] = f32[0];
  }
  return out;
}

/** Sorts float64 values ascending in place and returns them. */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < SMALL) return values.sort();
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  const hist = [new Uint32Array(65536), new Uint32Array(65536), new Uint32Array(65536), new Uint32Array(65536)];
  const [c0, c1, c2, c3] = hist;
  for (let i = 0; i < n; i++) {
    // Little-endian: the low word of value i is words[2i].
    const l = words[2 * i];
    const h = words[2 * i + 1];
    const negative = h & 0x80000000;
    const kl = negative ? ~l >>> 0 : l;
    const kh = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    lo[i] = kl;
    hi[i] = kh;
    c0[kl & 0xffff]++;
    c1[kl >>> 16]++;
    c2[kh & 0xffff]++;
    c3[kh >>> 16]++;
  }
  for (let pass = 0; pass < 4; pass++) {
    const counts = hist[pass];
    // A digit that every key shares leaves the order as it is.
    if (counts[digit(pass, lo[0], hi[0])] === n) continue;
    prefixSums(counts);
    for (let i = 0; i < n; i++) {
      const d = counts[digit(pass, lo[i], hi[i])]++;
      lo2[d] = lo[i];
      hi2[d] = hi[i];
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
  }
  for (let i = 0; i < n; i++) {
    const kh = hi[i];
    const negative = !(kh & 0x80000000);
    words[2 * i] = negative ? ~lo[i] >>> 0 : lo[i];
    words[2 * i + 1] = negative ? ~kh >>> 0 : kh & 0x7fffffff;
  }
  return values;
}

function digit(pass: number, lo: number, hi: number): number {
  return pass === 0 ? lo & 0xffff : pass === 1 ? lo >>> 16 : pass === 2 ? hi & 0xffff : hi >>> 16;
}

function prefixSums(counts: Uint32Array): void {
  let sum = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    counts[i] = sum;
    sum += c;
  }
}
