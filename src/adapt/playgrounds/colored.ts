import { coloredMnist } from '../../data/coloredMnist.js';
import { type Dataset, selectRows } from '../../data/dataset.js';
import type { DomainDataset } from '../../data/domainDataset.js';
import { fail, formatValue } from '../../errors.js';
import { RandomState } from '../../tensor/random.js';
import { environmentBatch } from '../irmProtocol.js';
import type { DomainBatch } from '../mlpDomainTrainer.js';
import { MlpDomainTrainer } from '../mlpDomainTrainer.js';
import { domainExamples, type Playground, type PlaygroundExample, type PlaygroundPoint } from './common.js';

/**
 * The Colored Fashion-MNIST playground: the IRM paper's construction (`coloredMnist(…, { variant:
 * 'irm' })`: training environments e = 0.2 and 0.1, test environment e = 0.9, 2×14×14 inputs) on a
 * seeded subset of `images` Fashion-MNIST images, and ERM, IRM or VREx trained full-batch by
 * `MlpDomainTrainer` (the trainer of `losslab adapt`) with the IRM paper's form: one logit with BCE,
 * an L2 term, Adam, the penalty weight switched on after `anneal` steps and the loss divided by it.
 * A smaller MLP and fewer steps than the paper's 390 units × 501 steps, so it trains in seconds in a
 * browser; `evaluate` scores all rows of the three environments.
 */
export type ColoredMethod = 'erm' | 'irm' | 'vrex';
export const COLORED_METHODS: readonly ColoredMethod[] = ['erm', 'irm', 'vrex'];

export interface ColoredConfig {
  readonly method: ColoredMethod;
  /** Images of the subset (default 4000; 80% form the two training environments, 20% the test one). */
  readonly images?: number;
  readonly steps?: number;
  readonly hidden?: number;
  readonly lr?: number;
  readonly l2?: number;
  readonly penaltyWeight?: number;
  readonly anneal?: number;
  readonly seed?: number;
}

export const COLORED_DEFAULTS = {
  images: 4000,
  steps: 300,
  hidden: 128,
  lr: 0.001,
  l2: 0.0011,
  penaltyWeight: { erm: 0, irm: 10000, vrex: 10000 },
  anneal: 100,
  seed: 0,
} as const;

export class ColoredPlayground implements Playground {
  readonly config: Required<ColoredConfig>;
  readonly data: DomainDataset;
  readonly trainer: MlpDomainTrainer;
  readonly testDomains: readonly number[] = [2];
  private readonly envs: DomainBatch[];
  private last: Record<string, number> = {};

  constructor(source: Dataset, config: ColoredConfig) {
    if (!COLORED_METHODS.includes(config.method))
      fail({ fn: 'ColoredPlayground', argument: 'method', value: formatValue(config.method), rule: `it must be one of ${COLORED_METHODS.join(', ')}` });
    const c = { ...COLORED_DEFAULTS, penaltyWeight: COLORED_DEFAULTS.penaltyWeight[config.method], ...config };
    if (!(Number.isInteger(c.images) && c.images >= 50 && c.images <= source.n))
      fail({ fn: 'ColoredPlayground', argument: 'images', value: formatValue(c.images), rule: `it must be an integer in [50, ${source.n}]` });
    this.config = c;
    const rows = new RandomState(c.seed).permutation(source.n).subarray(0, c.images);
    this.data = coloredMnist(selectRows(source, rows), { variant: 'irm', seed: c.seed, sourceName: 'Fashion-MNIST subset' });
    this.envs = [0, 1, 2].map((e) => environmentBatch(this.data, e, false));
    this.trainer = new MlpDomainTrainer(this.data.features, {
      method: c.method,
      hidden: [c.hidden, c.hidden],
      outputs: 1,
      lr: c.lr,
      l2: c.l2,
      penaltyWeight: c.penaltyWeight,
      anneal: c.anneal,
      seed: c.seed,
    });
  }

  get domainNames(): readonly string[] {
    return this.data.domainNames;
  }

  get totalSteps(): number {
    return this.config.steps;
  }

  get stepsTaken(): number {
    return this.trainer.steps;
  }

  get done(): boolean {
    return this.trainer.steps >= this.config.steps;
  }

  /** One full-batch step on the two training environments: loss, mean risk, penalty and its weight. */
  step(): Readonly<Record<string, number>> {
    const m = this.trainer.step(this.envs.slice(0, 2));
    this.last = { loss: m.loss, nll: m.nll, penalty: m.penalty, penaltyWeight: m.penaltyWeight };
    return this.last;
  }

  evaluate(): PlaygroundPoint {
    return { step: this.trainer.steps, accuracy: this.envs.map((e) => this.trainer.score(e.x, e.y, e.n)), terms: { ...this.last } };
  }

  examples(): PlaygroundExample[] {
    return domainExamples(this.data, 4);
  }
}
