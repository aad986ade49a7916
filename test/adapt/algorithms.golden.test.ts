import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DomainAlgorithm } from '../../src/adapt/algorithm.js';
import { createAlgorithm, type DANN } from '../../src/adapt/algorithms/index.js';
import { type AlgorithmName, hparamSpecs, type HparamValue } from '../../src/adapt/hparams.js';
import { mlp } from '../../src/adapt/networks.js';
import { Linear } from '../../src/nn/layers/linear.js';
import type { Module } from '../../src/nn/module.js';
import { RandomState } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';

interface Case {
  id: string;
  algorithm: AlgorithmName;
  hparams: Record<string, HparamValue>;
  sizes: number[];
  steps: number;
  nUnlabeled: number;
  drawSeed: number;
  dIn: number;
  width: number;
  k: number;
  batches: { x: number[][]; y: number[][]; u: number[][] }[];
  init: number[][];
  losses: number[];
  final: number[][];
}
const golden = JSON.parse(readFileSync(new URL('../golden/domainbed.json', import.meta.url), 'utf8')) as {
  checkedAgainstDomainBed: string[];
  cases: Case[];
};

/** DomainBed's snake_case hyperparameters → losslab's names, for this algorithm. */
function hparamsOf(c: Case): Record<string, HparamValue> {
  const out: Record<string, HparamValue> = {};
  for (const s of hparamSpecs(c.algorithm)) {
    const v = c.hparams[s.domainbedName];
    if (v !== undefined) out[s.name] = v;
  }
  return out;
}

function loadFlat(module: Module, flat: number[]): void {
  let k = 0;
  for (const p of module.parameters()) {
    p.data.set(flat.slice(k, k + p.size));
    k += p.size;
  }
}

function build(c: Case): DomainAlgorithm {
  const defaults = hparamSpecs(c.algorithm);
  const hparams: Record<string, HparamValue> = Object.fromEntries(defaults.map((s) => [s.name, s.default]));
  Object.assign(hparams, hparamsOf(c));
  const algorithm = createAlgorithm(c.algorithm, {
    inputShape: [c.dIn],
    numClasses: c.k,
    numDomains: c.sizes.length,
    numUnlabeled: c.nUnlabeled,
    featurizer: mlp(c.dIn, c.width, { width: c.width, depth: 3 }),
    classifier: new Linear(c.width, c.k),
    features: c.width,
    hparams,
    totalSteps: c.steps,
    generator: new RandomState(c.drawSeed),
  });
  const modules: Module[] = [algorithm.featurizer, algorithm.classifier];
  if (c.algorithm === 'dann') modules.push((algorithm as DANN).discriminator);
  modules.forEach((m, i) => {
    loadFlat(m, c.init[i]);
  });
  return algorithm;
}

describe('domain algorithms against DomainBed’s updates (PyTorch loops, float32; the same data, weights and random draws)', () => {
  it('the PyTorch loops were checked against DomainBed’s own classes', () => {
    expect(golden.checkedAgainstDomainBed).toEqual(
      expect.arrayContaining(['erm', 'irm', 'vrex', 'groupdro', 'mixup', 'mldg', 'coral', 'mmd', 'dann', 'dann-gp-d2']),
    );
  });
  for (const c of golden.cases) {
    it(`${c.id}: the loss of every step and every parameter after the last`, () => {
      const algorithm = build(c);
      c.batches.forEach((b, s) => {
        const minibatches = b.x.map((x, e) => ({
          x: new Tensor<'float32'>(Float32Array.from(x), [c.sizes[e], c.dIn]),
          y: new Tensor<'int32'>(Int32Array.from(b.y[e]), [c.sizes[e]]),
        }));
        const unlabeled = b.u.map((u) => new Tensor<'float32'>(Float32Array.from(u), [u.length / c.dIn, c.dIn]));
        const r = algorithm.update(minibatches, unlabeled);
        expect(Math.abs(r.loss - c.losses[s])).toBeLessThan(2e-5 * Math.max(1, Math.abs(c.losses[s])));
      });
      const modules: Module[] = [algorithm.featurizer, algorithm.classifier];
      if (c.algorithm === 'dann') modules.push((algorithm as DANN).discriminator);
      modules.forEach((m, i) => {
        const got = m.parameters().flatMap((p) => Array.from(p.data));
        const want = c.final[i];
        expect(got.length).toBe(want.length);
        let worst = 0;
        for (let j = 0; j < want.length; j++) worst = Math.max(worst, Math.abs(got[j] - want[j]));
        expect(worst).toBeLessThan(3e-5);
      });
    });
  }
});
