import { fail, formatValue } from '../errors.js';
import { createDataset } from './dataset.js';
import { createDomainDataset, type DomainDataset } from './domainDataset.js';

/** The user's table, column by column, as read from a CSV or `.npy` (platform-free part of `--domain`). */
export interface DomainTableColumns {
  /** Feature columns, each one value per row (finite numbers). */
  readonly features: readonly { readonly name: string; readonly values: ArrayLike<number> }[];
  /** Label text per row; `null` = missing (allowed only in target domains). */
  readonly labels: readonly (string | null)[];
  /** Domain text per row. */
  readonly domains: readonly string[];
  /** Names the input in messages (a file name). */
  readonly source: string;
}

export interface UserDomainOptions {
  /** Domain values whose labels are never used for training (`--target-domain`); missing labels are allowed there. */
  readonly targetDomains?: readonly string[];
  /** Domain values held out for testing (`--test-domain`). */
  readonly testDomains?: readonly string[];
}

/** A user's data with domains, plus which rows carry a label. */
export interface UserDomainDataset extends DomainDataset {
  /** 1 where the row has a label, 0 where it was missing (target-domain rows only). */
  readonly labelled: Uint8Array;
  readonly targetDomains: readonly number[];
}

/** Sorted distinct values; numeric-looking values sort numerically (as `np.unique` on numbers). */
export function sortedDistinct(values: Iterable<string>): string[] {
  const distinct = [...new Set(values)];
  const numeric = distinct.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));
  return distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
}

/**
 * Builds a `DomainDataset` from the user's columns: features as float32, domains numbered in sorted
 * order of their values, labels as class indices (non-negative integers are used as they are; any
 * other labels are numbered in sorted order, scikit-learn's `LabelEncoder`). A row without a label
 * must belong to a `--target-domain`; its label is stored as class 0 and flagged in `labelled`.
 */
export function userDomainDataset(table: DomainTableColumns, options: UserDomainOptions = {}): UserDomainDataset {
  const fn = 'losslab adapt';
  const n = table.domains.length;
  if (table.labels.length !== n) fail({ fn, argument: table.source, value: `${table.labels.length} labels`, rule: `it needs one label per row (${n})` });
  if (table.features.length < 1) fail({ fn, argument: table.source, rule: 'it needs at least one feature column besides the label and domain columns' });
  const domainNames = sortedDistinct(table.domains);
  if (domainNames.length < 2) {
    fail({ fn, argument: '--domain', value: formatValue(domainNames), rule: 'the domain column must hold at least two distinct domains' });
  }
  const domainIndex = new Map(domainNames.map((d, i) => [d, i]));
  const resolve = (values: readonly string[] | undefined, option: string): number[] =>
    (values ?? []).map((v) => {
      const index = domainIndex.get(v);
      if (index === undefined) {
        fail({
          fn,
          argument: option,
          value: formatValue(v),
          rule: `it must name a domain of the data (${domainNames.map((d) => JSON.stringify(d)).join(', ')})`,
        });
      }
      return index;
    });
  const testDomains = resolve(options.testDomains, '--test-domain');
  const targetDomains = resolve(options.targetDomains, '--target-domain');
  const domains = Int32Array.from(table.domains, (d) => domainIndex.get(d) as number);
  const isTarget = new Uint8Array(domainNames.length);
  for (const t of targetDomains) isTarget[t] = 1;

  const labelled = new Uint8Array(n);
  const present: string[] = [];
  for (let i = 0; i < n; i++) {
    const label = table.labels[i];
    if (label === null) {
      if (!isTarget[domains[i]]) {
        fail({
          fn,
          argument: '--label',
          value: `missing at row ${i + 1} (domain ${JSON.stringify(table.domains[i])})`,
          rule: 'only rows of a --target-domain may lack a label',
        });
      }
      continue;
    }
    labelled[i] = 1;
    present.push(label);
  }
  if (present.length === 0) fail({ fn, argument: '--label', rule: 'at least one row needs a label' });
  const asIndices = present.every((t) => /^\d+$/.test(t));
  const classNames = asIndices ? undefined : sortedDistinct(present);
  const classIndex = new Map((classNames ?? []).map((c, i) => [c, i]));
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = table.labels[i];
    if (label !== null) y[i] = asIndices ? Number(label) : (classIndex.get(label) as number);
  }

  const d = table.features.length;
  const x = new Float32Array(n * d);
  table.features.forEach((column, j) => {
    for (let i = 0; i < n; i++) {
      const v = column.values[i];
      if (!Number.isFinite(v)) {
        fail({
          fn,
          argument: table.source,
          value: `${formatValue(v)} at row ${i + 1}, column ${JSON.stringify(column.name)}`,
          rule: 'feature cells must be finite numbers',
        });
      }
      x[i * d + j] = v;
    }
  });
  const data = createDataset(x, y, { features: d, classNames, source: table.source });
  const base = createDomainDataset(data, domains, {
    domainNames,
    defaultTestDomains: testDomains,
    description: `${table.source}: ${n} rows, ${d} features, ${data.numClasses} classes, domains ${domainNames.join(', ')}`,
  });
  return { ...base, labelled, targetDomains };
}
