import { describe, expect, it } from 'vitest';
import { wasmHeap } from '../../src/kernels/wasm/heap.js';

/** e^x by the kernels' vectorised exp (assembly/exp.ts) for float32 inputs. */
function wasmExp(xs: Float32Array): Float32Array {
  const heap = wasmHeap();
  if (!heap) throw new Error('WebAssembly kernels unavailable');
  const n = Math.ceil(xs.length / 4) * 4;
  const src = heap.alloc(n * 4);
  const dst = heap.alloc(n * 4);
  heap.float32(src, n).set(xs);
  heap.kernels.exports.expNegInto(src, dst, n);
  const out = heap.float32(dst, xs.length).slice();
  heap.release(src);
  heap.release(dst);
  return out;
}

describe('vectorised exp (range reduction + polynomial)', () => {
  it('is within 2 float32 ulp (2.4e-7 relative) of e^x on a dense grid of [−87.3, 0]', () => {
    const n = 1 << 18;
    const xs = new Float32Array(n);
    for (let i = 0; i < n; i++) xs[i] = Math.fround(-87.3 * (i / (n - 1)));
    const e = wasmExp(xs);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const exact = Math.exp(xs[i]);
      worst = Math.max(worst, Math.abs(e[i] - exact) / exact);
    }
    expect(worst).toBeLessThan(2.4e-7);
  });

  it('is exact at 0 and accurate near the reduction boundaries ±ln2/2', () => {
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: −0.6931472 is −ln 2 rounded to float32 on purpose (a range-reduction boundary)
    const xs = Float32Array.from([0, -0.34657359, -0.34657362, -0.6931472, -1, -1e-7, -20.5]);
    const e = wasmExp(xs);
    expect(e[0]).toBe(1);
    for (let i = 1; i < xs.length; i++) expect(Math.abs(e[i] / Math.exp(xs[i]) - 1)).toBeLessThan(2.4e-7);
  });

  it('underflow: gives exactly 0 below ln(FLT_MIN) and for −∞; NaN stays NaN', () => {
    const e = wasmExp(Float32Array.from([-87.34, -100, -Infinity, NaN]));
    expect(e[0]).toBe(0);
    expect(e[1]).toBe(0);
    expect(e[2]).toBe(0);
    expect(e[3]).toBeNaN();
  });
});
