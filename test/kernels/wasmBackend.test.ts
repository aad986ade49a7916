import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { kernelBackend, linearForward, setKernelBackend, softmaxCrossEntropyRows, typescriptBackend } from '../../src/kernels/backend.js';
import { releaseWasmArray, wasmFloat32Array } from '../../src/kernels/wasm/heap.js';
import { startParallelKernels } from '../../src/node/parallel.js';
import { closeness, hashedLogits } from './wasmBackends.js';

afterEach(() => {
  setKernelBackend('auto');
});

describe('kernel backend selection', () => {
  it("picks WebAssembly SIMD by default in Node 20 and 'ts' on request", () => {
    expect(setKernelBackend('auto').name).toBe('wasm');
    expect(setKernelBackend('ts')).toBe(typescriptBackend);
    expect(kernelBackend().name).toBe('ts');
    expect(setKernelBackend('wasm').name).toBe('wasm');
  });

  it('dispatches the exported kernels to the chosen backend', () => {
    const [x, y] = hashedLogits(64, 10);
    const g1 = new Float32Array(640),
      g2 = new Float32Array(640);
    setKernelBackend('ts');
    const a = softmaxCrossEntropyRows(x, y, 64, 10, g1, 1 / 64);
    setKernelBackend('wasm');
    const b = softmaxCrossEntropyRows(x, y, 64, 10, g2, 1 / 64);
    expect(Math.abs(a - b) / a).toBeLessThan(1e-7);
    expect(closeness(g2, g1, 1e-5, 1e-9)).toBeLessThanOrEqual(1);
    const Y = new Float32Array(4);
    linearForward(Float32Array.from([1, 2]), Float32Array.from([1, 0, 0, 1]), Float32Array.from([0.5, -0.5]), Y, 2, 1, 2);
    expect(Array.from(Y)).toEqual([1.5, -0.5, 2.5, -0.5]);
  });

  it('rejects an unknown backend name with a clear message', () => {
    expect(() => setKernelBackend('gpu' as 'ts')).toThrow(`setKernelBackend: argument 'backend' is "gpu", but it must be 'ts', 'wasm' or 'auto'.`);
  });

  it('reads LOSSLAB_KERNELS and reports a bad value naming the variable', () => {
    // a fresh process per value: the variable is read once, at first use
    const dir = mkdtempSync(path.join(tmpdir(), 'losslab-kernels-'));
    const entry = path.join(dir, 'probe.mjs');
    buildSync({
      stdin: {
        contents: "import { kernelBackend } from './src/kernels/backend.ts';\ntry { console.log(kernelBackend().name); } catch (e) { console.log(e.message); }",
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: entry,
      logLevel: 'silent',
    });
    const run = (value: string): string =>
      spawnSync(process.execPath, [entry], { env: { ...process.env, LOSSLAB_KERNELS: value }, encoding: 'utf8' }).stdout.trim();
    try {
      expect(run('ts')).toBe('ts');
      expect(run('wasm')).toBe('wasm');
      expect(run('')).toBe('wasm');
      expect(run('fast')).toBe(`losslab: argument 'LOSSLAB_KERNELS' is "fast", but it must be 'ts', 'wasm' or 'auto'.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the 2-thread backend gives the 1-thread results and is selectable', async () => {
    const pool = startParallelKernels({ minElements: 0 });
    expect(pool).not.toBeNull();
    if (!pool) return;
    try {
      const [x, y] = hashedLogits(333, 100);
      const g1 = new Float32Array(33300),
        g2 = new Float32Array(33300);
      setKernelBackend('wasm');
      const one = softmaxCrossEntropyRows(x, y, 333, 100, g1, 1 / 333);
      setKernelBackend(pool.backend);
      expect(kernelBackend().name).toBe('wasm-2t');
      const two = softmaxCrossEntropyRows(x, y, 333, 100, g2, 1 / 333);
      expect(Math.abs(one - two) / one).toBeLessThan(1e-12);
      expect(Array.from(g2)).toEqual(Array.from(g1));
    } finally {
      await pool.close();
    }
  });
});

describe('arrays in the WebAssembly memory', () => {
  it('are zeroed, used in place, and their blocks are reused after releaseWasmArray', () => {
    const a = wasmFloat32Array(1000);
    expect(a).toBeInstanceOf(Float32Array);
    expect(a.every((v) => v === 0)).toBe(true);
    a.fill(3);
    const offset = a.byteOffset;
    releaseWasmArray(a);
    const b = wasmFloat32Array(1000);
    expect(b.byteOffset).toBe(offset);
    expect(b.every((v) => v === 0)).toBe(true);
    releaseWasmArray(new Float32Array(4)); // not in the heap: ignored
    releaseWasmArray(b);
  });
});
