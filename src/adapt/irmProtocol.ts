import { createDataset } from '../data/dataset.js';
import { createDomainDataset, type DomainDataset, domainRows } from '../data/domainDataset.js';
import { fail, formatValue } from '../errors.js';
import { Sequential } from '../nn/containers.js';
import { xavierUniform_ } from '../nn/init.js';
import { Flatten, ReLU } from '../nn/layers/activation.js';
import { Linear } from '../nn/layers/linear.js';
import type { Module } from '../nn/module.js';
import { RandomState } from '../tensor/random.js';
import { IrmFusedMlp } from './irmFused.js';
import { DomainTrainer, domainInputs, type StepRecord } from './trainer.js';

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

function checkProtocol(data: DomainDataset, method: IrmProtocolMethod): void {
  if (!Object.hasOwn(IRM_PAPER_HPARAMS, method))
    fail({ fn: 'runIrmColored', argument: 'method', value: formatValue(method), rule: 'it must be irm, erm or gray' });
  if (data.domainNames.length !== 3 || data.numClasses !== 2) {
    fail({
      fn: 'runIrmColored',
      argument: 'data',
      value: data.description,
      rule: 'it must be a Colored MNIST dataset with two training environments and one test environment',
    });
  }
}

/** The protocol's trainer for one restart (the caller steps it; `runIrmColored` runs it). */
export function irmColoredTrainer(
  data: DomainDataset,
  method: IrmProtocolMethod,
  options: Pick<IrmProtocolOptions, 'seed' | 'steps' | 'init' | 'hparams'> = {},
): DomainTrainer {
  checkProtocol(data, method);
  const h = { ...IRM_PAPER_HPARAMS[method], ...options.hparams };
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

/**
 * How `runIrmColored` trains: `fused` (default) is the full-batch step written out on the kernel
 * backend's matrix products with activations kept in the WebAssembly memory (`IrmFusedMlp`);
 * `modules` is the generic path, the `DomainTrainer` with the `IRM` algorithm on nn modules and
 * autograd. Both compute the same updates (test/adapt/irmFused.test.ts).
 */
export type IrmProtocolEngine = 'fused' | 'modules';

export interface IrmProtocolOptions {
  readonly seed?: number;
  readonly steps?: number;
  readonly init?: Float32Array;
  readonly engine?: IrmProtocolEngine;
  /** Overrides of the paper's hyperparameters (tests: an earlier penalty step). */
  readonly hparams?: Partial<(typeof IRM_PAPER_HPARAMS)[IrmProtocolMethod]>;
  /** Sees every step's record; return `false` to stop early. */
  readonly onStep?: (r: StepRecord) => boolean | undefined;
}

/** Runs the protocol once (one restart); the kernels are the current backend's (`setKernelBackend`; a 2-thread backend splits the products). */
export function runIrmColored(data: DomainDataset, method: IrmProtocolMethod, options: IrmProtocolOptions = {}): IrmProtocolResult {
  if (options.engine !== undefined && options.engine !== 'fused' && options.engine !== 'modules')
    fail({ fn: 'runIrmColored', argument: 'engine', value: formatValue(options.engine), rule: "it must be 'fused' or 'modules'" });
  if ((options.engine ?? 'fused') === 'fused') return runFused(data, method, options);
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

function accuracyOf(z: Float32Array, y: Float32Array): number {
  let correct = 0;
  for (let i = 0; i < z.length; i++) if ((z[i] > 0 ? 1 : 0) === y[i]) correct++;
  return correct / z.length;
}

function runFused(data: DomainDataset, method: IrmProtocolMethod, options: IrmProtocolOptions): IrmProtocolResult {
  checkProtocol(data, method);
  const h = { ...IRM_PAPER_HPARAMS[method], ...options.hparams };
  const input = method === 'gray' ? grayscaleDomainDataset(data) : data;
  const seed = options.seed ?? 0;
  const init = options.init ?? irmColoredInit(data, method, seed, h.hidden);
  const rows = [0, 1, 2].map((d) => domainRows(input, d));
  const train = Int32Array.from([...rows[0], ...rows[1]]);
  const labels = (r: Int32Array) => Float32Array.from(r, (i) => input.y[i]);
  const ytrain = labels(train);
  const model = new IrmFusedMlp(domainInputs(input, train), ytrain, [rows[0].length, rows[1].length], input.features, h, init);
  try {
    const steps = options.steps ?? h.steps;
    const t0 = performance.now();
    let loss = Number.NaN;
    while (model.stepCount < steps) {
      const r = model.step();
      loss = r.loss;
      const record: StepRecord = {
        step: r.step,
        loss: r.loss,
        terms: { nll: r.nll, penalty: r.penalty, penaltyWeight: r.penaltyWeight },
        domains: r.envs.map((m, domain) => ({ domain, ...m })),
      };
      if (options.onStep?.(record) === false) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    const zTrain = model.logits(domainInputs(input, train), train.length);
    const n0 = rows[0].length;
    const acc0 = accuracyOf(zTrain.subarray(0, n0), ytrain.subarray(0, n0));
    const acc1 = accuracyOf(zTrain.subarray(n0), ytrain.subarray(n0));
    const test = accuracyOf(model.logits(domainInputs(input, rows[2]), rows[2].length), labels(rows[2]));
    return { method, seed, trainAccuracy: (acc0 + acc1) / 2, testAccuracy: test, finalLoss: loss, seconds };
  } finally {
    model.release();
  }
}

/** The initial parameters `runIrmColored` draws for (data, method, seed), in PyTorch's order and layout (for the peers). */
export function irmColoredInit(data: DomainDataset, method: IrmProtocolMethod, seed = 0, hidden = IRM_PAPER_HPARAMS[method].hidden): Float32Array {
  const inputs = method === 'gray' ? data.features / 2 : data.features;
  const { featurizer, classifier } = paperModel(inputs, hidden, seed);
  const parts = [...featurizer.parameters(), ...classifier.parameters()].map((p) => p.data as Float32Array);
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}
