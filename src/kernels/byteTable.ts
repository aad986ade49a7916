/** The 256 values `byte · scale` rounded to the target float type (`u8 / 255` exactly as NumPy). */
export function byteTable(scale: number, dtype: 'float32' | 'float64' = 'float32'): Float32Array | Float64Array {
  const table = dtype === 'float32' ? new Float32Array(256) : new Float64Array(256);
  // byte / (1/scale) is the correctly rounded quotient, as np.float32(b) / np.float32(255).
  const divisor = 1 / scale;
  const exactDivisor = Number.isInteger(Math.round(divisor)) && Math.abs(divisor - Math.round(divisor)) < 1e-9;
  for (let b = 0; b < 256; b++) table[b] = exactDivisor ? b / Math.round(divisor) : b * scale;
  return table;
}
