import { type Dataset, selectRows } from '../../data/dataset.js';
import { ROTATED_MNIST_ANGLES, rotatedMnist } from '../../data/rotatedMnist.js';
import { fail, formatValue } from '../../errors.js';
import { tsne } from '../../manifold/tsne.js';
import { RandomState } from '../../tensor/random.js';
import { Playground } from './common.js';

/**
 * The Rotated Fashion-MNIST playground: DomainBed's RotatedMNIST construction (`rotatedMnist`: six
 * domains 0°, 15°, …, 75°, each image in one domain) on a seeded subset of `images` Fashion-MNIST
 * images, one angle held out as the test domain, and ERM, CORAL, MMD or DANN across the five training
 * domains (DomainBed's algorithms and default hyperparameters) trained by `DomainTrainer` on an MLP
 * featurizer, `batchSize` images per training domain per step. `embedding()` is a t-SNE of the learned
 * features of up to `perDomain` images of every domain.
 */
export type RotatedMethod = 'erm' | 'coral' | 'mmd' | 'dann';
export const ROTATED_METHODS: readonly RotatedMethod[] = ['erm', 'coral', 'mmd', 'dann'];

export interface RotatedConfig {
  readonly method: RotatedMethod;
  /** The held-out angle: one of 0, 15, 30, 45, 60, 75 (default 75, DomainBed's default test domain). */
  readonly heldOut?: number;
  readonly images?: number;
  readonly steps?: number;
  readonly batchSize?: number;
  readonly width?: number;
  readonly seed?: number;
}

export const ROTATED_DEFAULTS = { heldOut: 75, images: 3000, steps: 300, batchSize: 32, width: 128, seed: 0 } as const;

export class RotatedPlayground extends Playground {
  readonly config: Required<RotatedConfig>;

  constructor(source: Dataset, config: RotatedConfig) {
    const fn = 'RotatedPlayground';
    if (!ROTATED_METHODS.includes(config.method))
      fail({ fn, argument: 'method', value: formatValue(config.method), rule: `it must be one of ${ROTATED_METHODS.join(', ')}` });
    const c = { ...ROTATED_DEFAULTS, ...config };
    const test = ROTATED_MNIST_ANGLES.indexOf(c.heldOut as (typeof ROTATED_MNIST_ANGLES)[number]);
    if (test < 0) fail({ fn, argument: 'heldOut', value: formatValue(c.heldOut), rule: `it must be one of ${ROTATED_MNIST_ANGLES.join(', ')}` });
    if (!(Number.isInteger(c.images) && c.images >= 60 && c.images <= source.n))
      fail({ fn, argument: 'images', value: formatValue(c.images), rule: `it must be an integer in [60, ${source.n}]` });
    const rows = new RandomState(c.seed).permutation(source.n).subarray(0, c.images);
    const data = rotatedMnist(selectRows(source, rows), { seed: c.seed, sourceName: 'Fashion-MNIST subset' });
    super(data, {
      algorithm: c.method,
      testDomains: [test],
      holdoutFraction: 0,
      steps: c.steps,
      seed: c.seed,
      mlpWidth: c.width,
      mlpDepth: 3,
      hparams: { batchSize: c.batchSize, ...(c.method === 'dann' ? { mlpWidth: c.width } : {}) },
    });
    this.config = c;
  }

  /** A 2-D t-SNE of the learned features of the first `perDomain` images of each domain, and their domains. */
  embedding(perDomain = 50): { embedding: Float32Array; domains: Int32Array } {
    const picked = this.rows.map((r) => r.subarray(0, perDomain));
    const all = Int32Array.from(picked.flatMap((r) => Array.from(r)));
    const f = this.trainer.features(all);
    const n = all.length;
    const result = tsne(
      { data: Float64Array.from(f), rows: n, cols: f.length / n },
      { perplexity: Math.min(30, Math.max(5, Math.floor((n - 1) / 3))), nIter: 500, randomState: 0 },
    );
    return { embedding: Float32Array.from(result.embedding), domains: Int32Array.from(all, (r) => this.data.domains[r]) };
  }
}
