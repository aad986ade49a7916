import { fail, formatValue } from '../errors.js';
import { RandomState } from '../tensor/random.js';
import { createDataset, selectRows, type Dataset } from './dataset.js';

/**
 * A classification dataset whose rows come from several domains (DomainBed's "environments"): the
 * rows of `Dataset` plus the domain index of each row. Built-in benchmarks (`coloredMnist`,
 * `rotatedMnist`) and the user's own data (`--domain COL`) both produce this shape.
 */
export interface DomainDataset extends Dataset {
  /** Domain index of each row, in `[0, domainNames.length)`. */
  readonly domains: Int32Array;
  readonly domainNames: readonly string[];
  /** Shape of one input: `[C, H, W]` for images (channel-major rows, as PyTorch), `[features]` otherwise. */
  readonly inputShape: readonly number[];
  /** The domains held out for testing when the user does not say (`--test-domain`). */
  readonly defaultTestDomains: readonly number[];
  /** One line on how the data was built (source package, construction, seed). */
  readonly description: string;
}

/** Wraps rows, labels and domain indices as a `DomainDataset`, checking that they agree. */
export function createDomainDataset(
  data: Dataset,
  domains: Int32Array,
  options: { domainNames: readonly string[]; inputShape?: readonly number[]; defaultTestDomains?: readonly number[]; description: string },
): DomainDataset {
  const fn = 'createDomainDataset';
  if (domains.length !== data.n) fail({ fn, argument: 'domains', value: `${domains.length} values`, rule: `it needs one domain per row (${data.n})` });
  const k = options.domainNames.length;
  for (let i = 0; i < domains.length; i++) {
    if (!(domains[i] >= 0 && domains[i] < k)) {
      fail({ fn, argument: 'domains', value: `${domains[i]} at row ${i}`, rule: `domain indices must lie in [0, ${k - 1}] (${k} domains)` });
    }
  }
  const inputShape = options.inputShape ?? [data.features];
  if (inputShape.reduce((p, s) => p * s, 1) !== data.features) {
    fail({ fn, argument: 'inputShape', value: formatValue([...inputShape]), rule: `its product must be the number of features (${data.features})` });
  }
  for (const d of options.defaultTestDomains ?? []) {
    if (!(Number.isInteger(d) && d >= 0 && d < k))
      fail({ fn, argument: 'defaultTestDomains', value: formatValue(d), rule: `it must name domains in [0, ${k - 1}]` });
  }
  return {
    ...data,
    domains,
    domainNames: [...options.domainNames],
    inputShape: [...inputShape],
    defaultTestDomains: [...(options.defaultTestDomains ?? [])],
    description: options.description,
  };
}

/** Row indices of one domain, in row order. */
export function domainRows(data: DomainDataset, domain: number): Int32Array {
  let count = 0;
  for (let i = 0; i < data.n; i++) if (data.domains[i] === domain) count++;
  const rows = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < data.n; i++) if (data.domains[i] === domain) rows[k++] = i;
  return rows;
}

/** Rows of the given domains as a `DomainDataset` (domain indices and names unchanged). */
export function selectDomainRows(data: DomainDataset, rows: ArrayLike<number>): DomainDataset {
  const base = selectRows(data, rows);
  const domains = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) domains[r] = data.domains[rows[r]];
  return { ...data, ...base, domains };
}

/** Number of rows in each domain. */
export function domainCounts(data: DomainDataset): number[] {
  const counts = new Array<number>(data.domainNames.length).fill(0);
  for (let i = 0; i < data.n; i++) counts[data.domains[i]]++;
  return counts;
}

/**
 * DomainBed's per-domain holdout (`misc.split_dataset(env, int(len(env) * fraction), seed)`): the rows
 * of each domain are shuffled by `RandomState(seed + domain).shuffle` (NumPy's legacy shuffle, as
 * DomainBed uses) and the first `floor(n_d · fraction)` become that domain's "out" split (validation),
 * the rest its "in" split (training, or the test score for a test domain). DomainBed seeds each domain
 * with `seed_hash(trial_seed, env_i)`, an md5 of the pair; losslab uses `seed + domain`.
 */
export function domainHoldout(data: DomainDataset, fraction = 0.2, seed = 0): { in: Int32Array[]; out: Int32Array[] } {
  if (!(fraction >= 0 && fraction < 1)) fail({ fn: 'domainHoldout', argument: 'fraction', value: formatValue(fraction), rule: 'it must lie in [0, 1)' });
  const inRows: Int32Array[] = [];
  const outRows: Int32Array[] = [];
  for (let d = 0; d < data.domainNames.length; d++) {
    const rows = domainRows(data, d);
    new RandomState(seed + d).shuffle(rows);
    const nOut = Math.floor(rows.length * fraction);
    outRows.push(rows.slice(0, nOut));
    inRows.push(rows.slice(nOut));
  }
  return { in: inRows, out: outRows };
}

/** Builds the rows of a constructed benchmark: bytes with scale 1/255, the given labels and domains. */
export function byteDomainDataset(
  x: Uint8Array,
  y: Int32Array,
  domains: Int32Array,
  options: {
    numClasses: number;
    classNames?: readonly string[];
    inputShape: readonly number[];
    domainNames: readonly string[];
    defaultTestDomains: readonly number[];
    description: string;
  },
): DomainDataset {
  const features = options.inputShape.reduce((p, s) => p * s, 1);
  const data = createDataset(x, y, {
    features,
    numClasses: options.numClasses,
    scale: 1 / 255,
    classNames: options.classNames,
    imageShape: options.inputShape.length === 3 && options.inputShape[0] === 1 ? [options.inputShape[1], options.inputShape[2]] : undefined,
    source: options.description,
  });
  return createDomainDataset(data, domains, options);
}
