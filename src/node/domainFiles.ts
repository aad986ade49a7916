import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataset } from '../data/dataset.js';
import { createDomainDataset, type DomainDataset } from '../data/domainDataset.js';
import { fail } from '../errors.js';
import { writeFileAtomic } from './atomicWrite.js';

/**
 * A `DomainDataset` as plain files, so PyTorch peer scripts (bench/peers/) train on exactly the rows
 * losslab built. Folder layout:
 *
 *   x.u8 | x.f32   rows `[n, features]`: bytes (value = byte · scale) or float32 little-endian
 *   y.i32          labels, int32 little-endian
 *   domain.i32     domain index per row, int32 little-endian
 *   meta.json      { n, features, scale, dtype: "u8" | "f32", inputShape, numClasses, domainNames, defaultTestDomains, description }
 */
export interface DomainFilesMeta {
  readonly n: number;
  readonly features: number;
  readonly scale: number;
  readonly dtype: 'u8' | 'f32';
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  readonly domainNames: readonly string[];
  readonly defaultTestDomains: readonly number[];
  readonly description: string;
}

const bytesOf = (a: Uint8Array | Float32Array | Int32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function writeDomainFiles(data: DomainDataset, dir: string): DomainFilesMeta {
  const dtype = data.x instanceof Uint8Array ? 'u8' : 'f32';
  writeFileAtomic(join(dir, `x.${dtype}`), bytesOf(data.x), 'dir');
  writeFileAtomic(join(dir, 'y.i32'), bytesOf(data.y), 'dir');
  writeFileAtomic(join(dir, 'domain.i32'), bytesOf(data.domains), 'dir');
  const meta: DomainFilesMeta = {
    n: data.n,
    features: data.features,
    scale: data.scale,
    dtype,
    inputShape: data.inputShape,
    numClasses: data.numClasses,
    domainNames: data.domainNames,
    defaultTestDomains: data.defaultTestDomains,
    description: data.description,
  };
  writeFileAtomic(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 1)}\n`, 'dir');
  return meta;
}

export function readDomainFiles(dir: string): DomainDataset {
  const metaPath = join(dir, 'meta.json');
  if (!existsSync(metaPath))
    fail({ fn: 'readDomainFiles', argument: 'dir', value: JSON.stringify(dir), rule: 'it must hold meta.json (written by writeDomainFiles)' });
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as DomainFilesMeta;
  const read = (name: string): Buffer => readFileSync(join(dir, name));
  const xb = read(`x.${meta.dtype}`);
  const x =
    meta.dtype === 'u8'
      ? new Uint8Array(xb.buffer.slice(xb.byteOffset, xb.byteOffset + xb.byteLength))
      : new Float32Array(xb.buffer.slice(xb.byteOffset, xb.byteOffset + xb.byteLength));
  const int32 = (b: Buffer) => new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  const data = createDataset(x, int32(read('y.i32')), { features: meta.features, numClasses: meta.numClasses, scale: meta.scale, source: dir });
  return createDomainDataset(data, int32(read('domain.i32')), meta);
}
