import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFashionMnist } from '../../src/node/fashionMnistCache.js';
import { writeNpyFile } from '../../src/node/npyFile.js';
import { encodeGrayPng, encodeRgbPng } from '../../src/node/png.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { losslab, tempDir } from './harness.js';

describe('losslab predict', () => {
  let model = '';
  let dir = '';
  const { test } = loadFashionMnist();
  const image = (row: number) => test.x.subarray(row * 784, (row + 1) * 784) as Uint8Array;
  beforeAll(async () => {
    model = tempDir('predict-model');
    dir = tempDir('predict-inputs');
    const r = await losslab(['train', '--limit', '3000', '--epochs', '2', '--batch-size', '20', '--no-figures', '--out', model]);
    expect(r.status, r.stderr).toBe(0);
  }, 120_000);

  it('IMAGE.png: top-K classes with probabilities; the same image as gray or RGB PNG gives the same answer', async () => {
    const row = 1000 * 9 + 3; // an ankle boot (class-major test split)
    writeFileSync(join(dir, 'boot.png'), encodeGrayPng({ width: 28, height: 28, pixels: image(row) }));
    const rgb = new Uint8Array(784 * 3);
    image(row).forEach((v, i) => {
      rgb.fill(v, 3 * i, 3 * i + 3);
    });
    writeFileSync(join(dir, 'boot-rgb.png'), encodeRgbPng({ width: 28, height: 28, pixels: rgb }));
    const a = await losslab(['predict', '--model', model, join(dir, 'boot.png'), '--top', '4']);
    expect(a.status, a.stderr).toBe(0);
    const lines = a.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    const probs = lines.slice(1).map((l) => Number(/([\d.]+)%/.exec(l)![1]));
    expect([...probs].sort((x, y) => y - x)).toEqual(probs);
    expect(lines[1]).toContain(lines[0]);
    const b = await losslab(['predict', '--model', model, join(dir, 'boot-rgb.png'), '--top', '4']);
    expect(b.stdout).toBe(a.stdout);
  });

  it('X.npy: bytes are scaled like the training data; JSON output agrees with evaluate-style accuracy', async () => {
    const rows = [0, 1500, 4200, 9100];
    const x = new Int32Array(rows.length * 784);
    rows.forEach((r, i) => {
      x.set(image(r), i * 784);
    });
    writeNpyFile(join(dir, 'X.npy'), new Tensor(x, [rows.length, 28, 28]));
    const r = await losslab(['predict', '--model', model, join(dir, 'X.npy'), '--json', '--top', '10']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { predictions: { predicted: number; top: { probability: number }[] }[] };
    expect(out.predictions).toHaveLength(4);
    for (const p of out.predictions) expect(p.top.reduce((s, t) => s + t.probability, 0)).toBeCloseTo(1, 5);
    const floats = new Float32Array(x.length).map((_, i) => x[i] / 255);
    writeNpyFile(join(dir, 'Xf.npy'), new Tensor(floats, [rows.length, 784]));
    const f = JSON.parse((await losslab(['predict', '--model', model, join(dir, 'Xf.npy'), '--json'])).stdout) as typeof out;
    expect(f.predictions.map((p) => p.predicted)).toEqual(out.predictions.map((p) => p.predicted));
  });

  it('bad input: an image of the wrong size, a non-PNG file, a wrong .npy shape (exit 2)', async () => {
    writeFileSync(join(dir, 'small.png'), encodeGrayPng({ width: 20, height: 28, pixels: new Uint8Array(560) }));
    let r = await losslab(['predict', '--model', model, join(dir, 'small.png')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/small\.png' is a 20×28 image, but the model takes 28×28 images \(width × height\)\. Resize it to 28×28 first\./);
    writeFileSync(join(dir, 'fake.png'), 'hello');
    r = await losslab(['predict', '--model', model, join(dir, 'fake.png')]);
    expect(r.stderr).toMatch(/fake\.png', but it must be a PNG file/);
    writeNpyFile(join(dir, 'wrong.npy'), new Tensor(new Float32Array(10), [2, 5]));
    r = await losslab(['predict', '--model', model, join(dir, 'wrong.npy')]);
    expect(r.stderr).toMatch(/wrong\.npy' is shape \[2, 5\], but rows must hold 784 features/);
    r = await losslab(['predict', '--model', model]);
    expect(r.stderr).toMatch(/argument 'INPUT' is missing, but give exactly one IMAGE\.png or X\.npy/);
    expect(readFileSync(join(model, 'model.json'), 'utf8')).toContain('"format": "losslab-model"');
  });
});
