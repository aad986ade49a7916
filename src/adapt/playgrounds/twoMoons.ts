import type { DomainDataset } from '../../data/domainDataset.js';
import { twoMoonsDomains } from '../../data/twoMoons.js';
import { fail, formatValue } from '../../errors.js';
import { pcaScores } from '../../manifold/pca.js';
import { RandomState } from '../../tensor/random.js';
import { AdaptationTrainer, type AdaptationMethod, ADAPTATION_METHODS } from '../adaptationTrainer.js';
import { logitAccuracy, type Playground, type PlaygroundExample, type PlaygroundPoint, RowSampler, rowInputs, rowLabels, rowsByDomain } from './common.js';

/**
 * The two-moons adaptation playground (Ganin et al. 2016's picture): a labelled source cloud and an
 * unlabelled target cloud turned by `angle` degrees (`twoMoonsDomains`), one of source-only, DANN,
 * Deep CORAL or DAN (MK-MMD) trained by `AdaptationTrainer` (the trainer of `losslab adapt`) on
 * minibatches of `batchSize` source and `batchSize` target points per step. Between steps it reports
 * the accuracy of each domain, the decision function over a grid covering both clouds, and the
 * learned features of both clouds projected on their first two principal components.
 */
export interface TwoMoonsConfig {
  readonly method: AdaptationMethod;
  /** Rotation of the target cloud, degrees (default 30). */
  readonly angle?: number;
  /** Points per domain (default 300). */
  readonly n?: number;
  readonly noise?: number;
  /** Steps of the run (also the horizon of DANN's λ schedule; default 1500). */
  readonly steps?: number;
  readonly batchSize?: number;
  /** Width of the MLP featurizer and of DANN's discriminator (default 64). */
  readonly width?: number;
  readonly lr?: number;
  /** Weight of the CORAL / MMD term (default 1). */
  readonly tradeOff?: number;
  readonly seed?: number;
}

export const TWO_MOONS_DEFAULTS = { angle: 30, n: 300, noise: 0.1, steps: 1500, batchSize: 64, width: 64, lr: 1e-3, tradeOff: 1, seed: 0 } as const;

/** The decision function on a grid: `values[j * nx + i]` = P(class 1) at (x0 + i·dx, y0 + j·dy). */
export interface DecisionGrid {
  readonly nx: number;
  readonly ny: number;
  readonly x0: number;
  readonly y0: number;
  readonly dx: number;
  readonly dy: number;
  readonly values: Float32Array;
}

export interface TwoMoonsSnapshot {
  readonly grid: DecisionGrid;
  /** First two principal components of the learned features, `[2n, 2]` (source rows first). */
  readonly features: Float32Array;
}

export class TwoMoonsPlayground implements Playground {
  readonly config: Required<TwoMoonsConfig>;
  readonly data: DomainDataset;
  readonly trainer: AdaptationTrainer;
  /** Source rows then target rows as float32 `[2n, 2]`. */
  readonly inputs: Float32Array;
  private readonly rows: Int32Array[];
  private readonly source: RowSampler;
  private readonly target: RowSampler;
  private last: Record<string, number> = {};

  constructor(config: TwoMoonsConfig) {
    const c = { ...TWO_MOONS_DEFAULTS, ...config };
    if (!ADAPTATION_METHODS.includes(c.method))
      fail({ fn: 'TwoMoonsPlayground', argument: 'method', value: formatValue(c.method), rule: `it must be one of ${ADAPTATION_METHODS.join(', ')}` });
    this.config = c;
    this.data = twoMoonsDomains({ n: c.n, noise: c.noise, angle: c.angle, seed: c.seed });
    this.rows = rowsByDomain(this.data);
    this.inputs = rowInputs(
      this.data,
      Int32Array.from({ length: this.data.n }, (_, i) => i),
    );
    const rng = new RandomState(c.seed);
    const batch = Math.min(c.batchSize, c.n);
    this.source = new RowSampler(this.rows[0], batch, rng);
    this.target = new RowSampler(this.rows[1], batch, rng);
    this.trainer = new AdaptationTrainer({
      method: c.method,
      inputShape: [2],
      numClasses: 2,
      model: 'mlp',
      lr: c.lr,
      tradeOff: c.tradeOff,
      totalSteps: c.steps,
      seed: c.seed,
      width: c.width,
    });
  }

  get domainNames(): readonly string[] {
    return this.data.domainNames;
  }

  get testDomains(): readonly number[] {
    return [1];
  }

  get totalSteps(): number {
    return this.config.steps;
  }

  get stepsTaken(): number {
    return this.trainer.steps;
  }

  examples(): PlaygroundExample[] {
    return [];
  }

  get done(): boolean {
    return this.trainer.steps >= this.config.steps;
  }

  /** One update on a source and a target minibatch; returns the step's loss terms. */
  step(): Readonly<Record<string, number>> {
    const s = this.source.next();
    const t = this.target.next();
    const m = this.trainer.step({ x: rowInputs(this.data, s), y: rowLabels(this.data, s), n: s.length }, { x: rowInputs(this.data, t), n: t.length });
    this.last = { loss: m.loss, classLoss: m.classLoss, transferLoss: m.transferLoss, lambda: m.lambda };
    return this.last;
  }

  /** Accuracy of the source and the target cloud (every point), and the last step's terms. */
  evaluate(): PlaygroundPoint {
    const z = this.trainer.predict(this.inputs, this.data.n);
    const accuracy = this.rows.map((rows) => {
      const zr = new Float32Array(rows.length * 2);
      rows.forEach((r, i) => {
        zr.set(z.subarray(2 * r, 2 * r + 2), 2 * i);
      });
      return logitAccuracy(zr, rowLabels(this.data, rows), 2);
    });
    return { step: this.trainer.steps, accuracy, terms: { ...this.last } };
  }

  /** The decision function over a `resolution × resolution` grid around both clouds, and the 2-D features. */
  snapshot(resolution = 40): TwoMoonsSnapshot {
    let [xmin, xmax, ymin, ymax] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < this.inputs.length; i += 2) {
      xmin = Math.min(xmin, this.inputs[i]);
      xmax = Math.max(xmax, this.inputs[i]);
      ymin = Math.min(ymin, this.inputs[i + 1]);
      ymax = Math.max(ymax, this.inputs[i + 1]);
    }
    const pad = 0.3;
    const x0 = xmin - pad;
    const y0 = ymin - pad;
    const dx = (xmax - xmin + 2 * pad) / (resolution - 1);
    const dy = (ymax - ymin + 2 * pad) / (resolution - 1);
    const points = new Float32Array(resolution * resolution * 2);
    for (let j = 0; j < resolution; j++)
      for (let i = 0; i < resolution; i++) {
        points[2 * (j * resolution + i)] = x0 + i * dx;
        points[2 * (j * resolution + i) + 1] = y0 + j * dy;
      }
    const z = this.trainer.predict(points, resolution * resolution);
    const values = new Float32Array(resolution * resolution);
    for (let p = 0; p < values.length; p++) values[p] = 1 / (1 + Math.exp(z[2 * p] - z[2 * p + 1]));
    const f = this.trainer.features(this.inputs, this.data.n);
    const width = f.length / this.data.n;
    const scores = pcaScores({ data: Float64Array.from(f), rows: this.data.n, cols: width }, 2, { seed: 0 });
    return { grid: { nx: resolution, ny: resolution, x0, y0, dx, dy, values }, features: Float32Array.from(scores) };
  }
}
