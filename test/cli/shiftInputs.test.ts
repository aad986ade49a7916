import { mkdtempSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reviveJsonNumbers } from '../../src/data/jsonNumbers.js';
import { buildModule, ModuleNetwork, type Architecture } from '../../src/models/moduleNetwork.js';
import { encodeModel, MODEL_HEADER_FILE, MODEL_WEIGHTS_FILE } from '../../src/models/serialize.js';
import { RandomState } from '../../src/tensor/random.js';
import { losslab } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'losslab-shift-inputs-'));

/** A model folder as `losslab train --model mlp --hidden 32` writes it (random weights: the features need no training). */
function mlpFolder(name: string): string {
  const a: Architecture = { kind: 'mlp', sizes: [784, 32, 10] };
  const network = new ModuleNetwork(a, buildModule(a, 'float32', new RandomState(7)));
  const { header, blob } = encodeModel({ kind: 'mlp', network, classNames: null, imageShape: [28, 28], inputScale: 1 / 255 });
  const out = join(dir, name);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, MODEL_HEADER_FILE), header);
  writeFileSync(join(out, MODEL_WEIGHTS_FILE), blob);
  return out;
}

describe('losslab shift --dataset fashion-mnist, --features-from, --embedding', () => {
  it('Fashion-MNIST training split vs test split: pixel columns, class names as labels, a t-SNE embedding', async () => {
    const json = join(dir, 'fm.json');
    const r = await losslab(['shift', '--dataset', 'fashion-mnist', '--limit', '400', '--embedding', 'tsne', '--embedding-rows', '60', '--json', json]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Fashion-MNIST training split \(400 random rows\)/);
    expect(r.stdout).toMatch(/the 20 largest effects/);
    const report = JSON.parse(readFileSync(json, 'utf8'), reviveJsonNumbers) as {
      rows: { train: number; valid: number };
      features: { name: string }[];
      labels: { classes: string[] };
      embedding: { method: string; points: { set: string }[] };
    };
    expect(report.rows).toEqual({ train: 400, valid: 400 });
    expect(report.features.length).toBeGreaterThan(600); // blank corner pixels of a 400-row sample are left out
    expect(report.features.every((f) => /^pixel\d+$/.test(f.name))).toBe(true);
    expect(report.labels.classes).toContain('Ankle boot');
    expect(report.embedding.method).toBe('tsne');
    expect(report.embedding.points.filter((p) => p.set === 'train').length).toBe(60);
    expect(report.embedding.points.length).toBe(120);
  });

  it('--features-from runs/NAME compares the penultimate-layer features (h1 … h32)', async () => {
    const model = mlpFolder('mlp');
    const json = join(dir, 'features.json');
    const r = await losslab(['shift', '--dataset', 'fashion-mnist', '--limit', '300', '--features-from', model, '--no-embedding', '--json', json]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/penultimate-layer features of/);
    const report = JSON.parse(readFileSync(json, 'utf8'), reviveJsonNumbers) as { features: { name: string }[]; embedding?: unknown };
    expect(report.features.length).toBeGreaterThan(0);
    expect(report.features.length).toBeLessThanOrEqual(32);
    expect(report.features.every((f) => /^h\d+$/.test(f.name))).toBe(true);
    expect(report.embedding).toBeUndefined();
  });

  it('--features-from on two CSV files: the feature columns go through the model; label and group stay', async () => {
    const a: Architecture = { kind: 'mlp', sizes: [6, 5, 3] };
    const network = new ModuleNetwork(a, buildModule(a, 'float32', new RandomState(11)));
    const { header, blob } = encodeModel({ kind: 'mlp', network, classNames: null, imageShape: null, inputScale: 1 });
    const out = join(dir, 'small');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, MODEL_HEADER_FILE), header);
    writeFileSync(join(out, MODEL_WEIGHTS_FILE), blob);
    const rs = new RandomState(12);
    const file = (name: string, shift: number): string => {
      const lines = ['x1,x2,x3,x4,x5,x6,y,g'];
      for (let i = 0; i < 200; i++)
        lines.push([...Array.from({ length: 6 }, () => (rs.standardNormal() + shift).toFixed(4)), String(i % 3), `g${i % 9}`].join(','));
      const path = join(dir, name);
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    };
    const json = join(dir, 'small.json');
    const r = await losslab([
      'shift',
      file('a.csv', 0),
      file('b.csv', 1.5),
      '--label',
      'y',
      '--group',
      'g',
      '--features-from',
      out,
      '--no-embedding',
      '--json',
      json,
    ]);
    expect(r.stderr).toBe(`wrote ${json}\n`);
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8'), reviveJsonNumbers) as {
      features: { name: string }[];
      verdict: { shift: boolean };
      leakage: { groups: { sharedGroups: number } };
    };
    expect(report.features.map((f) => f.name).every((n) => /^h[1-5]$/.test(n))).toBe(true);
    expect(report.verdict.shift).toBe(true);
    expect(report.leakage.groups.sharedGroups).toBe(9);
    const wrong = await losslab(['shift', file('c.csv', 0), file('d.csv', 0), '--features', 'x1,x2', '--features-from', out]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/takes 6 inputs per row/);
  });

  it('bad combinations are one message each, exit 2', async () => {
    let r = await losslab(['shift', 'a.csv', 'b.csv', '--dataset', 'fashion-mnist']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--dataset/);
    r = await losslab(['shift', '--demo', 'none', '--features-from', join(dir, 'nowhere')]);
    expect(r.status).toBe(2);
    r = await losslab(['shift', '--dataset', 'fashion-mnist', '--limit', '50', '--features-from', join(dir, 'nowhere')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--features-from/);
    r = await losslab(['shift', '--demo', 'none', '--embedding', 'pca']);
    expect(r.status).toBe(2);
  });
});
