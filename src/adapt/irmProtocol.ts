import { domainRows, type DomainDataset } from '../data/domainDataset.js';
import { fail, formatValue } from '../errors.js';
import { MlpDomainTrainer, type DomainBatch, type LogitMethod, type StepMetrics } from './mlpDomainTrainer.js';

/**
 * The IRM paper's Colored MNIST protocol (Arjovsky et al. 2019, `reproduce_paper_results.sh`):
 * a 3-layer MLP trained full-batch with Adam for `steps` steps on the two training environments of a
 * `coloredMnist(…, { variant: 'irm' })` dataset, then scored on all three. The grayscale model sums
 * the two colour channels (an invariant model by construction, the oracle).
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
  readonly seconds: number;
}

/** Rows of one domain as float32 inputs (bytes · scale), channels summed for the grayscale model. */
export function environmentBatch(data: DomainDataset, domain: number, gray: boolean): DomainBatch {
  const rows = domainRows(data, domain);
  const d = data.features;
  const plane = gray ? d / 2 : d;
  const x = new Float32Array(rows.length * plane);
  const scale = Math.fround(data.scale);
  const src = data.x;
  rows.forEach((r, i) => {
    for (let j = 0; j < d; j++) {
      const v = src instanceof Uint8Array ? Math.fround(src[r * d + j] * scale) : src[r * d + j];
      x[i * plane + (gray ? j % plane : j)] += v;
    }
  });
  return { x, y: Int32Array.from(rows, (r) => data.y[r]), n: rows.length };
}

/**
 * Runs the protocol once (one restart) and returns train/test accuracy; `onStep` sees every step's
 * metrics (return `false` to stop early).
 */
export function runIrmColored(
  data: DomainDataset,
  method: IrmProtocolMethod,
  options: { seed?: number; steps?: number; init?: Float32Array; onStep?: (m: StepMetrics) => boolean | undefined } = {},
): IrmProtocolResult {
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
  const gray = method === 'gray';
  const envs = [0, 1, 2].map((e) => environmentBatch(data, e, gray));
  const seed = options.seed ?? 0;
  const trainer = new MlpDomainTrainer(envs[0].x.length / envs[0].n, {
    method: (method === 'irm' ? 'irm' : 'erm') satisfies LogitMethod,
    hidden: [h.hidden, h.hidden],
    outputs: 1,
    lr: h.lr,
    l2: h.l2,
    penaltyWeight: h.penaltyWeight,
    anneal: h.anneal,
    seed,
  });
  if (options.init) trainer.importTorchParameters(options.init);
  const steps = options.steps ?? h.steps;
  const t0 = performance.now();
  let last: StepMetrics | null = null;
  for (let s = 0; s < steps; s++) {
    last = trainer.step(envs.slice(0, 2));
    if (options.onStep?.(last) === false) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  const acc = envs.map((e) => trainer.score(e.x, e.y, e.n));
  return { method, seed, trainAccuracy: (acc[0] + acc[1]) / 2, testAccuracy: acc[2], finalLoss: last?.loss ?? NaN, seconds };
}

/** The initial parameters `runIrmColored` would draw for (data, method, seed), in PyTorch's layout (for peers). */
export function irmColoredInit(data: DomainDataset, method: IrmProtocolMethod, seed = 0): Float32Array {
  const h = IRM_PAPER_HPARAMS[method];
  const inputs = method === 'gray' ? data.features / 2 : data.features;
  return new MlpDomainTrainer(inputs, { method: 'erm', hidden: [h.hidden, h.hidden], outputs: 1, lr: h.lr, seed }).exportTorchParameters();
}
