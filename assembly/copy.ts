// Copy kernel for the benchmark's bandwidth measurement: dst[i] = src[i] with 128-bit loads and
// regular stores (STREAM "copy", counted as 8 bytes per float32 element).
export function copyF32(src: usize, dst: usize, n: i32): void {
  const bytes = <usize>n << 2;
  let o: usize = 0;
  for (; o + 64 <= bytes; o += 64) {
    const a = v128.load(src + o), b = v128.load(src + o, 16), c = v128.load(src + o, 32), d = v128.load(src + o, 48);
    v128.store(dst + o, a); v128.store(dst + o, b, 16); v128.store(dst + o, c, 32); v128.store(dst + o, d, 48);
  }
  for (; o < bytes; o += 4) store<f32>(dst + o, load<f32>(src + o));
}
