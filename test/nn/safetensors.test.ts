import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noGrad } from '../../src/autograd/gradMode.js';
import { Sequential } from '../../src/nn/containers.js';
import { ReLU } from '../../src/nn/layers/activation.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { BatchNorm1d } from '../../src/nn/layers/normalization.js';
import { manualSeed } from '../../src/nn/generator.js';
import type { Module } from '../../src/nn/module.js';
import { loadSafetensors, saveSafetensors } from '../../src/nn/safetensors.js';
import { loadModelWeights, readSafetensorsFile, saveModelWeights } from '../../src/node/safetensorsFile.js';
import { fromTypedArray, tensor } from '../../src/tensor/tensor.js';
import { lenet } from './models.js';

const golden = new URL('../golden/torch_safetensors/', import.meta.url);
const reference = JSON.parse(readFileSync(new URL('reference.json', golden), 'utf8')) as {
  inputs: number[];
  inputShape: number[];
  outputs: Record<string, number[]>;
};

function mlp(): Sequential {
  return new Sequential(new Linear(784, 32), new ReLU(), new Linear(32, 10));
}
const MODELS: Record<string, { make: () => Module; shape: (n: number) => number[] }> = {
  mlp: { make: mlp, shape: (n) => [n, 784] },
  lenet: { make: () => lenet(), shape: (n) => [n, 1, 28, 28] },
};

function outputs(m: Module, name: string, x: Float32Array, n: number): Float32Array {
  return noGrad(() => m.eval().forward(fromTypedArray(x, MODELS[name].shape(n))).data as Float32Array);
}

describe('safetensors: weights from PyTorch and back', () => {
  for (const name of Object.keys(MODELS)) {
    it(`a ${name} saved by PyTorch loads into the same losslab architecture and gives PyTorch's outputs`, () => {
      const m = MODELS[name].make();
      loadModelWeights(m, join(golden.pathname, `${name}.safetensors`));
      const y = outputs(m, name, Float32Array.from(reference.inputs), reference.inputShape[0]);
      const expected = reference.outputs[name];
      for (let i = 0; i < expected.length; i++) expect(Math.abs(y[i] - expected[i]), `output ${i}`).toBeLessThan(1e-5 * (1 + Math.abs(expected[i])));
    });
  }

  it('losslab writes what it reads: names, dtypes, shapes, values and metadata (float32, float64, int32)', () => {
    const tensors = {
      'a.weight': tensor([
        [1.5, -2],
        [3, 4],
      ]),
      b: tensor([1e-300, -0, Infinity, Number.NaN], { dtype: 'float64' }),
      count: tensor(7, { dtype: 'int32' }),
      empty: fromTypedArray(new Float32Array(0), [0, 3]),
    };
    const bytes = saveSafetensors(tensors, { format: 'pt' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const back = loadSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    for (const [k, t] of Object.entries(tensors)) {
      expect(back.tensors[k].dtype).toBe(t.dtype);
      expect(back.tensors[k].shape).toEqual(t.shape);
      expect(Array.from(back.tensors[k].data)).toEqual(Array.from(t.data));
    }
    // the official layout: larger dtypes first, then by name
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(Object.keys(header)).toEqual(['__metadata__', 'b', 'a.weight', 'count', 'empty']);
  });

  it('reads PyTorch’s int64 buffers (BatchNorm num_batches_tracked) and half precision', () => {
    const bn = new BatchNorm1d(2);
    const bytes = saveSafetensors(bn.stateDict());
    const state = loadSafetensors(bytes).tensors;
    expect(state.num_batches_tracked.dtype).toBe('int32');
    // hand-made F16 / BF16 / I64 file
    const header = JSON.stringify({
      h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] },
      b: { dtype: 'BF16', shape: [1], data_offsets: [6, 8] },
      i: { dtype: 'I64', shape: [1], data_offsets: [8, 16] },
    });
    const out = new Uint8Array(8 + header.length + 16);
    const view = new DataView(out.buffer);
    view.setBigUint64(0, BigInt(header.length), true);
    out.set(new TextEncoder().encode(header), 8);
    const d = 8 + header.length;
    view.setUint16(d, 0x3c00, true); // 1
    view.setUint16(d + 2, 0xc000, true); // -2
    view.setUint16(d + 4, 0x7c00, true); // +inf
    view.setUint16(d + 6, 0x3fc0, true); // bf16 1.5
    view.setBigInt64(d + 8, -5n, true);
    const r = loadSafetensors(out).tensors;
    expect(Array.from(r.h.data)).toEqual([1, -2, Infinity]);
    expect(Array.from(r.b.data)).toEqual([1.5]);
    expect(Array.from(r.i.data)).toEqual([-5]);
    view.setBigInt64(d + 8, 2n ** 40n, true);
    expect(() => loadSafetensors(out)).toThrow(/int64 values are read into int32/);
  });

  it('refuses malformed files with a message naming the problem', () => {
    const good = saveSafetensors({ w: tensor([1, 2]) });
    expect(() => loadSafetensors(good.subarray(0, 4))).toThrow(/starts with an 8-byte header length/);
    expect(() => loadSafetensors(good.subarray(0, good.length - 4))).toThrow(/the header describes 8 bytes of tensor data/);
    const bad = good.slice();
    new DataView(bad.buffer).setBigUint64(0, 10n ** 12n, true);
    expect(() => loadSafetensors(bad)).toThrow(/the header must fit in the file/);
    const text = (h: object): Uint8Array => {
      const s = new TextEncoder().encode(JSON.stringify(h));
      const b = new Uint8Array(8 + s.length + 8);
      new DataView(b.buffer).setBigUint64(0, BigInt(s.length), true);
      b.set(s, 8);
      return b;
    };
    expect(() => loadSafetensors(text({ w: { dtype: 'F8', shape: [2], data_offsets: [0, 8] } }))).toThrow(/w\.dtype.*must be one of/);
    expect(() => loadSafetensors(text({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }))).toThrow(/takes 12 bytes/);
    expect(() =>
      loadSafetensors(text({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 8] }, v: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } })),
    ).toThrow(/back to back/);
  });

  it('a state dict with a missing or mis-shaped key is refused when loading', () => {
    const dir = mkdtempSync(join(tmpdir(), 'losslab-st-'));
    try {
      const path = join(dir, 'w.safetensors');
      saveModelWeights(new Sequential(new Linear(4, 3)), path);
      expect(() => loadModelWeights(new Sequential(new Linear(4, 2)), path)).toThrow(
        "Module.loadStateDict: argument 'state['0.weight']' is of shape [3, 4], but it must have the model's shape [2, 4].",
      );
      expect(() => loadModelWeights(new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 1)), path)).toThrow(/missing '2\.weight', '2\.bias'/);
      expect(() => readSafetensorsFile(join(dir, 'none.safetensors'))).toThrow(/the file must be readable \(ENOENT\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const python = process.env.LOSSLAB_BENCH_PYTHON ?? '/usr/bin/python3';
  const hasTorch = existsSync(python) && spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasTorch)('losslab’s weights load back into PyTorch (MLP and LeNet-5) and give losslab’s outputs (needs python3-torch)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'losslab-st-'));
    try {
      manualSeed(5);
      const n = 2;
      const x = Float32Array.from({ length: n * 784 }, (_, i) => (Math.sin(i) + 1) / 2);
      const expected: Record<string, number[]> = {};
      for (const name of Object.keys(MODELS)) {
        const m = MODELS[name].make();
        saveModelWeights(m, join(dir, `${name}.safetensors`));
        expected[name] = Array.from(outputs(m, name, x, n));
      }
      writeFileSync(join(dir, 'inputs.json'), JSON.stringify({ values: Array.from(x), shape: [n, 784] }));
      writeFileSync(join(dir, 'outputs.json'), JSON.stringify(expected));
      const r = spawnSync(python, ['scripts/golden_torch_safetensors.py', '--check', dir], { encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as Record<string, { maxAbsDiff: number; keys: string[] }>;
      expect([...report.lenet.keys].sort()).toEqual(Object.keys(lenet().stateDict()).sort());
      expect(report.mlp.maxAbsDiff).toBeLessThan(1e-5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
