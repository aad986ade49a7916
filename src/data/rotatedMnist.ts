import { fail, formatValue } from '../errors.js';
import { RandomState } from '../tensor/random.js';
import type { Dataset } from './dataset.js';
import { byteDomainDataset, type DomainDataset } from './domainDataset.js';
import { rotateImage, type RotateInterpolation } from './rotate.js';

/** DomainBed's RotatedMNIST angles (degrees). */
export const ROTATED_MNIST_ANGLES = [0, 15, 30, 45, 60, 75] as const;

export interface RotatedOptions {
  readonly angles?: readonly number[];
  /** Seed of the shuffle that deals images to domains; default 0. */
  readonly seed?: number;
  /** DomainBed uses bilinear (torchvision `InterpolationMode.BILINEAR`). */
  readonly interpolation?: RotateInterpolation;
  readonly sourceName?: string;
}

/**
 * Rotated MNIST as DomainBed builds it (`datasets.RotatedMNIST` over `MultipleEnvironmentMNIST`): the
 * images are shuffled (`RandomState(seed).permutation(n)`; DomainBed uses `torch.randperm`) and dealt
 * round-robin to the domains — domain i gets `shuffled[i::6]` — so each image appears in exactly one
 * domain, rotated counter-clockwise by that domain's angle with `rotateImage` (Pillow-exact bilinear,
 * fill 0). Labels are the source's 10 classes. Domains are named by their angle ('0', '15', …, '75'),
 * DomainBed's ENVIRONMENTS; the default test domain is 75°.
 */
export function rotatedMnist(source: Dataset, options: RotatedOptions = {}): DomainDataset {
  const fn = 'rotatedMnist';
  if (!(source.x instanceof Uint8Array) || source.features !== 784) {
    fail({ fn, argument: 'source', value: `${source.features} features`, rule: 'it must hold 28×28 byte images (MNIST or Fashion-MNIST)' });
  }
  const angles = options.angles ?? ROTATED_MNIST_ANGLES;
  if (angles.length < 1 || !angles.every(Number.isFinite))
    fail({ fn, argument: 'angles', value: formatValue([...angles]), rule: 'it must hold finite angles in degrees' });
  const seed = options.seed ?? 0;
  const n = source.n;
  const perm = new RandomState(seed).permutation(n);
  const k = angles.length;
  const x = new Uint8Array(n * 784);
  const y = new Int32Array(n);
  const domains = new Int32Array(n);
  let row = 0;
  for (let d = 0; d < k; d++) {
    for (let i = d; i < n; i += k) {
      const src = perm[i];
      rotateImage(source.x.subarray(src * 784, (src + 1) * 784), 28, 28, angles[d], {
        interpolation: options.interpolation,
        out: x.subarray(row * 784, (row + 1) * 784),
      });
      y[row] = source.y[src];
      domains[row] = d;
      row++;
    }
  }
  return byteDomainDataset(x, y, domains, {
    numClasses: source.numClasses,
    classNames: source.classNames,
    inputShape: [1, 28, 28],
    domainNames: angles.map(String),
    defaultTestDomains: [k - 1],
    description: `Rotated ${options.sourceName ?? 'images'}, DomainBed construction (seed ${seed}): ${n} shuffled images dealt round-robin to ${k} domains rotated by ${angles.join(', ')} degrees (${options.interpolation ?? 'bilinear'}, fill 0)`,
  });
}
