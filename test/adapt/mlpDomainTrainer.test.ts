import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { environmentBatch, runIrmColored } from '../../src/adapt/irmProtocol.js';
import { MlpDomainTrainer, type LogitMethod } from '../../src/adapt/mlpDomainTrainer.js';
import { coloredMnist } from '../../src/data/coloredMnist.js';
import { selectRows } from '../../src/data/dataset.js';
import { benchmarkSource } from '../../src/node/domainData.js';

interface Case {
  name: string;
  k: number;
  widths: number[];
  steps: number;
  lr: number;
  method: LogitMethod;
  form: 'irm-paper' | 'domainbed';
  l2: number;
  penaltyWeight: number;
  anneal: number;
  eta: number;
  envs: { x: number[]; y: number[]; n: number }[];
  init: { W: number[]; b: number[] }[];
  losses: number[];
  final: { W: number[]; b: number[] }[];
}
const golden = JSON.parse(readFileSync(new URL('../golden/mlp_domain.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('MlpDomainTrainer against PyTorch (same data, same initial weights, float32)', () => {
  for (const c of golden.cases) {
    it(`${c.name}: the loss of every step and the final parameters`, () => {
      const trainer = new MlpDomainTrainer(c.widths[0], {
        method: c.method,
        hidden: c.widths.slice(1, -1),
        outputs: c.k,
        lr: c.lr,
        l2: c.l2,
        penaltyWeight: c.penaltyWeight,
        anneal: c.anneal,
        groupDroEta: c.eta,
        form: c.form,
      });
      c.init.forEach((layer, l) => {
        trainer.network.weight(l).data.set(layer.W);
        trainer.network.bias(l).data.set(layer.b);
      });
      const domains = c.envs.map((e) => ({ x: Float32Array.from(e.x), y: Int32Array.from(e.y), n: e.n }));
      const losses = Array.from({ length: c.steps }, () => trainer.step(domains).loss);
      for (let i = 0; i < c.steps; i++) expect(Math.abs(losses[i] - c.losses[i])).toBeLessThan(2e-5 * Math.max(1, Math.abs(c.losses[i])));
      c.final.forEach((layer, l) => {
        const W = trainer.network.weight(l).data;
        for (let i = 0; i < layer.W.length; i++) expect(Math.abs(W[i] - layer.W[i])).toBeLessThan(2e-5);
        const b = trainer.network.bias(l).data;
        for (let i = 0; i < layer.b.length; i++) expect(Math.abs(b[i] - layer.b[i])).toBeLessThan(2e-5);
      });
    });
  }

  it('rejects an unknown method', () => {
    expect(() => new MlpDomainTrainer(3, { method: 'dro' as LogitMethod, hidden: [2], outputs: 1, lr: 0.1 })).toThrow(
      /MlpDomainTrainer: argument 'method' is "dro", but it must be one of erm, irm, vrex, groupdro/,
    );
  });
});

describe('IRM Colored Fashion-MNIST protocol on a small subset (the full protocol runs in the benchmark)', () => {
  it('the grayscale model learns the shape (train ≈ test ≈ 70%); ERM is fooled by the colour on the test environment', () => {
    const source = benchmarkSource('fashion-mnist').data;
    const small = selectRows(
      source,
      Int32Array.from({ length: 3000 }, (_, i) => i * 23),
    );
    const data = coloredMnist(small, { trainCount: 2000 });
    const gray = runIrmColored(data, 'gray', { steps: 60 });
    expect(gray.testAccuracy).toBeGreaterThan(0.6);
    expect(Math.abs(gray.trainAccuracy - gray.testAccuracy)).toBeLessThan(0.1);
    const erm = runIrmColored(data, 'erm', { steps: 50 });
    expect(erm.testAccuracy).toBeLessThan(0.45);
    expect(erm.trainAccuracy - erm.testAccuracy).toBeGreaterThan(0.3);
    const batch = environmentBatch(data, 0, true);
    expect(batch.x.length).toBe(batch.n * 196);
  }, 180_000);
});
