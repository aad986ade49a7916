import { createDataset } from '../data/dataset.js';
import { createDomainDataset, type DomainDataset } from '../data/domainDataset.js';
import { fail, formatValue } from '../errors.js';
import { Sequential } from '../nn/containers.js';
import { xavierUniform_ } from '../nn/init.js';
import { Flatten, ReLU } from '../nn/layers/activation.js';
import { Linear } from '../nn/layers/linear.js';
import type { Module } from '../nn/module.js';
import { RandomState } from '../tensor/random.js';
import { DomainTrainer, type StepRecord } from './trainer.js';

/**
 * The IRM paper's Colored MNIST protocol (Arjovsky et al. 2019, `reproduce_paper_results.sh`): an MLP
 * din → h → h → 1 (ReLU; Xavier-uniform weights, zero biases) trained full-batch with Adam on the two
 * training environments of a `coloredMnist(…, { variant: 'irm' })` dataset, then scored on all three.
 * It runs on the domain trainer: IRM in the paper's form (one logit with BCE; loss = mean_e R_e +
 * l2 Σ‖θ‖² + λ_t mean_e P_e, divided by λ_t when λ_t > 1); ERM and the grayscale model are the same loop
 * with λ = 0 (the paper's `--penalty_weight 0`). The grayscale model sums the two colour channels (an
 * invariant model by construction, the oracle).
 */
export type IrmProtocolMethod = 'irm' | 'erm' | 'gray';

export const IRM_PAPER_HPARAMS: Readonly<
  Record<IrmProtocolMethod, { hidden: number; l2: number; lr: number; anneal: number; penaltyWeight: number; steps: number }>
> = {
  irm: { hidden: 390, l2: 0.00110794568, lr: 0.0004898536566546834, anneal: 190, penaltyWeight: 91257.18613115903, steps: 501 },
  erm: { hidden: 256, l2: 0.001, lr: 0.001, anneal: 0, penaltyWeight: 0, steps: 501 },
  gray: { hidden: 83, l2: 0.0008602868865288383, lr: 0.0028171488133821726, anneal: 0, penaltyWeight: 0, steps: 101 },
};

export interface IrmProtocolResult {
  readonly method: IrmProtocolMethod;
  readonly seed: number;
  /** Mean accuracy of the two training environments. */
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly finalLoss: number;
  /** Seconds of the training loop (building the data and the final evaluation excluded). */
  readonly seconds: number;
}

/** The dataset with its two colour channels summed (the grayscale model's input, `[1, H, W]`). */
export function grayscaleDomainDataset(data: DomainDataset): DomainDataset {
  const [channels, ...rest] = data.inputShape;
  const plane = data.features / channels;
  const x = new Float32Array(data.n * plane);
  const scale = Math.fround(data.scale);
  for (let r = 0; r < data.n; r++) {
    for (let j = 0; j < data.features; j++) {
      const v = data.x instanceof Uint8Array ? Math.fround(data.x[r * data.features + j] * scale) : data.x[r * data.features + j];
      x[r * plane + (j % plane)] += v;
    }
  }
  const base = createDataset(x, data.y, { features: plane, numClasses: data.numClasses, classNames: data.classNames });
  return createDomainDataset(base, data.domains, {
    domainNames: data.domainNames,
    inputShape: [1, ...rest],
    defaultTestDomains: data.defaultTestDomains,
    description: `${data.description}; colour channels summed`,
  });
}

function paperModel(inputs: number, hidden: number, seed: number): { featurizer: Module; classifier: Linear } {
  const lins = [new Linear(inputs, hidden), new Linear(hidden, hidden), new Linear(hidden, 1)];
  const rng = new RandomState(seed);
  for (const lin of lins) {
    xavierUniform_(lin.weight, 1, { generator: rng });
    lin.bias?.data.fill(0);
  }
  return { featurizer: new Sequential(new Flatten(), lins[0], new ReLU(), lins[1], new ReLU()), classifier: lins[2] };
}

/** The protocol's trainer for one restart (the caller steps it; `runIrmColored` runs it). */
export function irmColoredTrainer(
  data: DomainDataset,
  method: IrmProtocolMethod,
  options: { seed?: number; steps?: number; init?: Float32Array } = {},
): DomainTrainer {
  const h = IRM_PAPER_HPARAMS[method];
  if (!h) fail({ fn: 'runIrmColored', argument: 'method', value: formatValue(method), rule: 'it must be irm, erm or gray' });
  if (data.domainNames.length !== 3 || data.numClasses !== 2) {
    fail({
      fn: 'runIrmColored',
      argument: 'data',
      value: data.description,
      rule: 'it must be a Colored MNIST dataset with two training environments and one test environment',
    });
  }
  const input = method === 'gray' ? grayscaleDomainDataset(data) : data;
  const seed = options.seed ?? 0;
  const model = paperModel(input.features, h.hidden, seed);
  if (options.init) {
    const params = [...model.featurizer.parameters(), ...model.classifier.parameters()];
    const total = params.reduce((s, p) => s + p.size, 0);
    if (options.init.length !== total)
      fail({ fn: 'runIrmColored', argument: 'init', value: `${options.init.length} values`, rule: `the model has ${total} parameters` });
    let k = 0;
    for (const p of params) {
      p.data.set(options.init.subarray(k, k + p.size));
      k += p.size;
    }
  }
  const steps = options.steps ?? h.steps;
  return new DomainTrainer(input, {
    algorithm: 'irm',
    hparams: { lr: h.lr, irmLambda: h.penaltyWeight, irmPenaltyAnnealIters: h.anneal, form: 'irm-paper', l2RegularizerWeight: h.l2 },
    model,
    outputs: 1,
    testDomains: [2],
    holdoutFraction: 0,
    fullBatch: true,
    steps,
    checkpointEvery: steps,
    seed,
  });
}

/** Runs the protocol once (one restart); `onStep` sees every step's record (return `false` to stop early). */
export function runIrmColored(
  data: DomainDataset,
  method: IrmProtocolMethod,
  options: { seed?: number; steps?: number; init?: Float32Array; onStep?: (r: StepRecord) => boolean | undefined } = {},
): IrmProtocolResult {
  const trainer = irmColoredTrainer(data, method, options);
  const t0 = performance.now();
  let last: StepRecord | null = null;
  while (!trainer.done) {
    last = trainer.step();
    if (options.onStep?.(last) === false) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  const acc = [0, 1, 2].map((d) => trainer.accuracy(trainer.split.in[d]));
  return { method, seed: options.seed ?? 0, trainAccuracy: (acc[0] + acc[1]) / 2, testAccuracy: acc[2], finalLoss: last?.loss ?? Number.NaN, seconds };
}

/** The initial parameters `runIrmColored` draws for (data, method, seed), in PyTorch's order and layout (for the peers). */
export function irmColoredInit(data: DomainDataset, method: IrmProtocolMethod, seed = 0): Float32Array {
  const h = IRM_PAPER_HPARAMS[method];
  const inputs = method === 'gray' ? data.features / 2 : data.features;
  const { featurizer, classifier } = paperModel(inputs, h.hidden, seed);
  const parts = [...featurizer.parameters(), ...classifier.parameters()].map((p) => p.data as Float32Array);
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}
