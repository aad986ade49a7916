import { fail, formatValue } from '../errors.js';
import { RandomState } from '../tensor/random.js';
import { createDataset } from './dataset.js';
import { createDomainDataset, type DomainDataset } from './domainDataset.js';

/** Options of `makeMoons`, scikit-learn's names (`n_samples` → `nSamples`, `random_state` → `randomState`). */
export interface MakeMoonsOptions {
  /** Total number of points; the upper moon gets ⌊n/2⌋, the lower one the rest (default 100). */
  readonly nSamples?: number;
  readonly shuffle?: boolean;
  /** Standard deviation of the Gaussian noise added to every coordinate (default none). */
  readonly noise?: number | null;
  /** Seed of the NumPy `RandomState` that shuffles and draws the noise (default 0). */
  readonly randomState?: number;
}

/** Points `[n, 2]` (row-major, float64) and labels 0 (upper moon) / 1 (lower moon). */
export interface Moons {
  readonly x: Float64Array;
  readonly y: Int32Array;
  readonly n: number;
}

/** `np.linspace(0, π, m)[i]`, computed as NumPy does (`start + i·step`, the last point exactly π). */
function linspacePi(m: number, i: number): number {
  if (m === 1) return 0;
  return i === m - 1 ? Math.PI : i * (Math.PI / (m - 1));
}

/**
 * scikit-learn's `sklearn.datasets.make_moons` (1.2): two interleaving half circles, the upper one
 * (`cos t`, `sin t`) labelled 0 and the lower one (`1 − cos t`, `0.5 − sin t`) labelled 1, t on
 * `linspace(0, π)`; then, with one `RandomState(randomState)`, the rows are shuffled (`shuffle` of
 * `arange(n)`, as `sklearn.utils.shuffle`) and Gaussian noise `normal(scale=noise, size=(n, 2))` is
 * added. Same seed, same points as scikit-learn (checked against it in test/data/twoMoons.test.ts).
 */
export function makeMoons(options: MakeMoonsOptions = {}): Moons {
  const fn = 'makeMoons';
  const n = options.nSamples ?? 100;
  if (!(Number.isInteger(n) && n >= 2)) fail({ fn, argument: 'nSamples', value: formatValue(n), rule: 'it must be an integer ≥ 2' });
  const noise = options.noise ?? null;
  if (noise !== null && !(Number.isFinite(noise) && noise >= 0))
    fail({ fn, argument: 'noise', value: formatValue(noise), rule: 'it must be a finite number ≥ 0 (or null for none)' });
  const seed = options.randomState ?? 0;
  if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32))
    fail({ fn, argument: 'randomState', value: formatValue(seed), rule: 'it must be an integer in [0, 2^32)' });
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const base = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < nOut; i++) {
    const t = linspacePi(nOut, i);
    base[2 * i] = Math.cos(t);
    base[2 * i + 1] = Math.sin(t);
  }
  for (let i = 0; i < nIn; i++) {
    const t = linspacePi(nIn, i);
    base[2 * (nOut + i)] = 1 - Math.cos(t);
    base[2 * (nOut + i) + 1] = 1 - Math.sin(t) - 0.5;
    labels[nOut + i] = 1;
  }
  const rng = new RandomState(seed);
  const order = options.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : rng.permutation(n);
  const x = new Float64Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = base[2 * order[i]];
    x[2 * i + 1] = base[2 * order[i] + 1];
    y[i] = labels[order[i]];
  }
  if (noise !== null) for (let i = 0; i < 2 * n; i++) x[i] += rng.normal(0, noise);
  return { x, y, n };
}

/** The centre the target cloud turns about: the middle of the two moons' bounding box, (0.5, 0.25). */
export const MOONS_CENTRE: readonly [number, number] = [0.5, 0.25];

/** Points turned counter-clockwise by `degrees` about `centre`. */
export function rotatePoints(x: Float64Array, degrees: number, centre: readonly [number, number] = MOONS_CENTRE): Float64Array {
  if (!Number.isFinite(degrees)) fail({ fn: 'rotatePoints', argument: 'degrees', value: formatValue(degrees), rule: 'it must be a finite angle' });
  const a = (degrees * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i += 2) {
    const dx = x[i] - centre[0];
    const dy = x[i + 1] - centre[1];
    out[i] = centre[0] + c * dx - s * dy;
    out[i + 1] = centre[1] + s * dx + c * dy;
  }
  return out;
}

export interface TwoMoonsDomainOptions {
  /** Points per domain (default 300). */
  readonly n?: number;
  /** Noise of `makeMoons` (default 0.1). */
  readonly noise?: number;
  /** Rotation of the target cloud in degrees, counter-clockwise about (0.5, 0.25) (default 30). */
  readonly angle?: number;
  readonly seed?: number;
}

/**
 * The classic domain-adaptation toy (Ganin et al. 2016, fig. 2): a labelled source domain
 * `makeMoons(n, noise, seed)` and a target domain `makeMoons(n, noise, seed + 1)` turned by `angle`
 * degrees about the moons' centre. Domain 0 is `source`, domain 1 `target` (its labels are kept for
 * scoring; adaptation methods do not see them). Inputs are float32 `[n, 2]`.
 */
export function twoMoonsDomains(options: TwoMoonsDomainOptions = {}): DomainDataset {
  const n = options.n ?? 300;
  const noise = options.noise ?? 0.1;
  const angle = options.angle ?? 30;
  const seed = options.seed ?? 0;
  if (!Number.isFinite(angle)) fail({ fn: 'twoMoonsDomains', argument: 'angle', value: formatValue(angle), rule: 'it must be a finite angle in degrees' });
  const source = makeMoons({ nSamples: n, noise, randomState: seed });
  const target = makeMoons({ nSamples: n, noise, randomState: seed + 1 });
  const turned = rotatePoints(target.x, angle);
  const x = new Float32Array(4 * n);
  x.set(source.x, 0);
  x.set(turned, 2 * n);
  const y = new Int32Array(2 * n);
  y.set(source.y, 0);
  y.set(target.y, n);
  const domains = new Int32Array(2 * n).fill(1, n);
  const data = createDataset(x, y, { features: 2, numClasses: 2, classNames: ['upper moon', 'lower moon'], source: 'twoMoonsDomains' });
  return createDomainDataset(data, domains, {
    domainNames: ['source', 'target'],
    inputShape: [2],
    defaultTestDomains: [1],
    description: `two moons (scikit-learn make_moons, ${n} points per domain, noise ${noise}); target turned ${angle}° about (0.5, 0.25); seed ${seed}`,
  });
}
