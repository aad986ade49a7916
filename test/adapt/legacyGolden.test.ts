import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAlgorithm, type DANN } from '../../src/adapt/algorithms/index.js';
import { type AlgorithmName, resolveHparams } from '../../src/adapt/hparams.js';
import { Sequential } from '../../src/nn/containers.js';
import { Flatten, ReLU } from '../../src/nn/layers/activation.js';
import { Linear } from '../../src/nn/layers/linear.js';
import type { Module } from '../../src/nn/module.js';
import { Adam } from '../../src/optim/adam.js';
import { Tensor } from '../../src/tensor/tensor.js';

/**
 * The golden loops of the first adapt trainers (scripts/golden_mlp_domain.py: the IRM paper's loop and DomainBed's
 * IRM / VREx / GroupDRO on an MLP; scripts/golden_adaptation.py: source-only, DANN with gradient reversal, Deep
 * CORAL, DAN from one source to one target), now run through the domain algorithms on user-built nn modules.
 */

interface MlpCase {
  name: string;
  k: number;
  widths: number[];
  steps: number;
  lr: number;
  method: 'erm' | 'irm' | 'vrex' | 'groupdro';
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
const mlpGolden = JSON.parse(readFileSync(new URL('../golden/mlp_domain.json', import.meta.url), 'utf8')) as { cases: MlpCase[] };

/** losslab's old layout [in, out] → Linear's [out, in]. */
function transpose(W: number[], fanIn: number, fanOut: number): Float32Array {
  const out = new Float32Array(W.length);
  for (let i = 0; i < fanIn; i++) for (let o = 0; o < fanOut; o++) out[o * fanIn + i] = W[i * fanOut + o];
  return out;
}

describe('the IRM paper’s loop and DomainBed’s IRM / VREx / GroupDRO on a user MLP (scripts/golden_mlp_domain.py)', () => {
  for (const c of mlpGolden.cases) {
    it(`${c.name}: the loss of every step and the final parameters`, () => {
      const [d, h1, h2, k] = c.widths;
      const lins = [new Linear(d, h1), new Linear(h1, h2), new Linear(h2, k)];
      lins.forEach((lin, l) => {
        lin.weight.data.set(transpose(c.init[l].W, c.widths[l], c.widths[l + 1]));
        lin.bias?.data.set(c.init[l].b);
      });
      // the paper's ERM is its IRM loop with penalty weight 0: the mean of the environments' risks (DomainBed's ERM pools the rows)
      const paperErm = c.method === 'erm' && c.form === 'irm-paper';
      const method = paperErm ? 'irm' : c.method;
      const hparams = resolveHparams(method, {
        lr: c.lr,
        ...(paperErm ? { irmLambda: 0, irmPenaltyAnnealIters: 0, form: 'irm-paper', l2RegularizerWeight: c.l2 } : {}),
        ...(c.method === 'erm' && !paperErm ? { l2RegularizerWeight: c.l2 } : {}),
        ...(c.method === 'irm' ? { irmLambda: c.penaltyWeight, irmPenaltyAnnealIters: c.anneal, form: c.form, l2RegularizerWeight: c.l2 } : {}),
        ...(c.method === 'vrex' ? { vrexLambda: c.penaltyWeight, vrexPenaltyAnnealIters: c.anneal } : {}),
        ...(c.method === 'groupdro' ? { groupdroEta: c.eta } : {}),
      });
      const algorithm = createAlgorithm(method, {
        inputShape: [d],
        numClasses: k,
        numDomains: c.envs.length,
        featurizer: new Sequential(lins[0], new ReLU(), lins[1], new ReLU()),
        classifier: lins[2],
        features: h2,
        hparams,
      });
      const minibatches = c.envs.map((e) => ({
        x: new Tensor<'float32'>(Float32Array.from(e.x), [e.n, d]),
        y: new Tensor<'int32'>(Int32Array.from(e.y), [e.n]),
      }));
      for (let s = 0; s < c.steps; s++) {
        const loss = algorithm.update(minibatches).loss;
        expect(Math.abs(loss - c.losses[s])).toBeLessThan(2e-5 * Math.max(1, Math.abs(c.losses[s])));
      }
      c.final.forEach((layer, l) => {
        const W = transpose(layer.W, c.widths[l], c.widths[l + 1]);
        lins[l].weight.data.forEach((v, i) => {
          expect(Math.abs(v - W[i])).toBeLessThan(2e-5);
        });
        lins[l].bias?.data.forEach((v, i) => {
          expect(Math.abs(v - layer.b[i])).toBeLessThan(2e-5);
        });
      });
    });
  }
});

type State = Record<string, { shape: number[]; data: number[] }>;
interface AdaptCase {
  method: 'source-only' | 'dann' | 'deep-coral' | 'dan';
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
const adaptGolden = JSON.parse(readFileSync(new URL('../golden/adaptation.json', import.meta.url), 'utf8')) as { cases: AdaptCase[] };

function load(module: Module, state: State): void {
  const tensors: Record<string, Tensor> = {};
  for (const [name, { shape, data }] of Object.entries(state)) tensors[name] = new Tensor<'float32'>(Float32Array.from(data), shape);
  module.loadStateDict(tensors);
}

const ALGORITHM: Record<AdaptCase['method'], AlgorithmName> = { 'source-only': 'erm', dann: 'dann', 'deep-coral': 'coral', dan: 'dan' };

describe('source → target adaptation on user modules (scripts/golden_adaptation.py)', () => {
  for (const c of adaptGolden.cases) {
    it(`${c.method}: every step's losses and the classifier after the last step`, () => {
      const W = c.width;
      const featurizer = new Sequential(new Flatten(), new Linear(c.d, W), new ReLU(), new Linear(W, W), new ReLU());
      const classifier = new Linear(W, c.k);
      const name = ALGORITHM[c.method];
      const algorithm = createAlgorithm(name, {
        inputShape: [c.d],
        numClasses: c.k,
        numDomains: 1,
        numUnlabeled: 1,
        featurizer,
        classifier,
        features: W,
        hparams: resolveHparams(name, name === 'dann' ? { adversary: 'reversal', mlpWidth: W } : {}),
        // the golden loops use one Adam(lr 1e-3, betas (0.5, 0.9)) for every method
        optimizer: (params) => new Adam(params, { lr: 1e-3, betas: [0.5, 0.9] }),
        totalSteps: c.steps,
      });
      load(featurizer, c.init.featurizer);
      load(classifier, c.init.classifier);
      if (name === 'dann') load((algorithm as DANN).discriminator, c.init.discriminator);
      const size = c.n * c.d;
      for (let s = 0; s < c.steps; s++) {
        const r = algorithm.update(
          [
            {
              x: new Tensor<'float32'>(Float32Array.from(c.xs.slice(s * size, (s + 1) * size)), [c.n, c.d]),
              y: new Tensor<'int32'>(Int32Array.from(c.ys.slice(s * c.n, (s + 1) * c.n)), [c.n]),
            },
          ],
          [new Tensor<'float32'>(Float32Array.from(c.xt.slice(s * size, (s + 1) * size)), [c.n, c.d])],
        );
        const want = c.records[s];
        const classLoss = r.terms.classLoss ?? r.terms.nll;
        const transfer = name === 'dann' ? r.terms.discLoss : (r.terms.penalty ?? 0);
        if (name === 'dann') expect(r.terms.lambda).toBeCloseTo(want.lam, 12);
        expect(Math.abs(classLoss - want.classLoss)).toBeLessThan(1e-5);
        expect(Math.abs(transfer - want.transferLoss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want.transferLoss)));
        expect(Math.abs(r.loss - want.loss)).toBeLessThan(2e-5 * Math.max(1, Math.abs(want.loss)));
      }
      const state = classifier.stateDict();
      for (const [key, { data }] of Object.entries(c.classifier)) {
        const got = state[key].data;
        for (let i = 0; i < data.length; i++) expect(Math.abs(got[i] - data[i])).toBeLessThan(2e-5);
      }
    });
  }
});
