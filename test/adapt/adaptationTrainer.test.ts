import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type AdaptationMethod, AdaptationTrainer } from '../../src/adapt/adaptationTrainer.js';
import type { Module } from '../../src/nn/module.js';
import { Tensor } from '../../src/tensor/tensor.js';

type State = Record<string, { shape: number[]; data: number[] }>;
interface Case {
  method: AdaptationMethod;
  steps: number;
  n: number;
  d: number;
  k: number;
  width: number;
  xs: number[];
  ys: number[];
  xt: number[];
  init: { featurizer: State; classifier: State; discriminator: State };
  records: { loss: number; classLoss: number; transferLoss: number; lam: number }[];
  classifier: State;
}
const golden = JSON.parse(readFileSync(new URL('../golden/adaptation.json', import.meta.url), 'utf8')) as { cases: Case[] };

function load(module: Module, state: State): void {
  const tensors: Record<string, Tensor> = {};
  for (const [name, { shape, data }] of Object.entries(state)) tensors[name] = new Tensor<'float32'>(Float32Array.from(data), shape);
  module.loadStateDict(tensors);
}

describe('AdaptationTrainer against PyTorch (same data, PyTorch’s initial weights, float32)', () => {
  for (const c of golden.cases) {
    it(`${c.method}: every step's losses and the classifier after the last step`, () => {
      const trainer = new AdaptationTrainer({ method: c.method, inputShape: [c.d], numClasses: c.k, totalSteps: c.steps, width: c.width });
      load(trainer.featurizer, c.init.featurizer);
      load(trainer.classifier, c.init.classifier);
      if (trainer.discriminator) load(trainer.discriminator, c.init.discriminator);
      const size = c.n * c.d;
      for (let s = 0; s < c.steps; s++) {
        const m = trainer.step(
          { x: Float32Array.from(c.xs.slice(s * size, (s + 1) * size)), y: Int32Array.from(c.ys.slice(s * c.n, (s + 1) * c.n)), n: c.n },
          { x: Float32Array.from(c.xt.slice(s * size, (s + 1) * size)), n: c.n },
        );
        const want = c.records[s];
        expect(m.lambda).toBeCloseTo(want.lam, 12);
        expect(Math.abs(m.classLoss - want.classLoss)).toBeLessThan(1e-5);
        expect(Math.abs(m.transferLoss - want.transferLoss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want.transferLoss)));
        expect(Math.abs(m.loss - want.loss)).toBeLessThan(2e-5 * Math.max(1, Math.abs(want.loss)));
      }
      const state = trainer.classifier.stateDict();
      for (const [name, { data }] of Object.entries(c.classifier)) {
        const got = state[name].data;
        for (let i = 0; i < data.length; i++) expect(Math.abs(got[i] - data[i])).toBeLessThan(2e-5);
      }
    });
  }

  it('rejects an unknown method and a CNN without an image shape', () => {
    expect(() => new AdaptationTrainer({ method: 'cdan' as AdaptationMethod, inputShape: [4], numClasses: 2, totalSteps: 1 })).toThrow(
      /AdaptationTrainer: argument 'method' is "cdan", but it must be one of source-only, dann, deep-coral, dan/,
    );
    expect(() => new AdaptationTrainer({ method: 'dann', inputShape: [4], numClasses: 2, totalSteps: 1, model: 'cnn' })).toThrow(
      /the CNN needs images \[C, H, W\]/,
    );
  });
});
