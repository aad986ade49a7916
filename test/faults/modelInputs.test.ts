/**
 * Fault injection: a saved model and an image that were accepted or decoded when they should not
 * have been (issue #13).
 * - A weight stored as [10, 784] where the model has [784, 10] has the same number of values, so
 *   model.json + model.bin loaded it silently (every prediction wrong); now the message names both
 *   shapes (and says "transposed").
 * - A 1 MB PNG whose image data inflates to 1 GiB was inflated in full (7.7 s, 2.2 GB); now
 *   inflating stops at the size the header allows, with a clear message.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LosslabError } from '../../src/errors.js';
import { buildModule, ModuleNetwork } from '../../src/models/moduleNetwork.js';
import { Network } from '../../src/models/network.js';
import { decodeModel, encodeModel, type SavedModel } from '../../src/models/serialize.js';
import { writeNpyFile } from '../../src/node/npyFile.js';
import { decodePngGray, encodeGrayPng, MAX_PNG_PIXELS } from '../../src/node/png.js';
import { RandomState } from '../../src/tensor/random.js';
import { fromTypedArray } from '../../src/tensor/tensor.js';
import { losslab, tempDir } from '../cli/harness.js';

const dir = tempDir('model-faults');

/** Writes a model folder whose header lists tensor `name` with `shape` instead of its own. */
function modelWithStoredShape(model: SavedModel, name: string, shape: number[], folder: string): string {
  const { header, blob } = encodeModel(model);
  const h = JSON.parse(header) as { weights: { tensors: { name: string; shape: number[] }[] } };
  const entry = h.weights.tensors.find((t) => t.name === name);
  if (!entry) throw new Error(`no tensor ${name}`);
  entry.shape = shape;
  const path = join(dir, folder);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'model.json'), JSON.stringify(h));
  writeFileSync(join(path, 'model.bin'), blob);
  return path;
}

const softmax: SavedModel = { kind: 'softmax-regression', network: new Network([784, 10]), classNames: null, imageShape: [28, 28], inputScale: 1 / 255 };

describe('a weight stored with the wrong shape', () => {
  it('losslab predict: W0 stored as [10, 784] for a [784, 10] model names both shapes', async () => {
    const model = modelWithStoredShape(softmax, 'W0', [10, 784], 'transposed');
    writeNpyFile(join(dir, 'x.npy'), fromTypedArray(new Float32Array(784), [1, 784]));
    const r = await losslab(['predict', '--model', model, join(dir, 'x.npy')]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /model\.bin' is 'W0' of shape \[10, 784\], but the model's 'W0' has shape \[784, 10\]\. It is stored transposed: save it as \[784, 10\]\.\n$/,
    );
  });

  it('the untouched model loads (the check is not a blanket refusal)', async () => {
    const model = modelWithStoredShape(softmax, 'W0', [784, 10], 'intact');
    writeNpyFile(join(dir, 'x.npy'), fromTypedArray(new Float32Array(784), [1, 784]));
    const r = await losslab(['predict', '--model', model, join(dir, 'x.npy')]);
    expect(r.status, r.stderr).toBe(0);
  });

  it('a version 2 MLP: 0.weight stored as [784, 32] instead of [32, 784] is refused', () => {
    const architecture = { kind: 'mlp' as const, sizes: [784, 32, 10] };
    const network = new ModuleNetwork(architecture, buildModule(architecture, 'float32', new RandomState(0)));
    const { header, blob } = encodeModel({ ...softmax, kind: 'mlp', network });
    const h = JSON.parse(header) as { weights: { tensors: { name: string; shape: number[] }[] } };
    const entry = h.weights.tensors.find((t) => t.name === '0.weight');
    expect(entry?.shape).toEqual([32, 784]);
    if (entry) entry.shape = [784, 32];
    expect(() => decodeModel(JSON.stringify(h), blob)).toThrow(
      /'0\.weight' of shape \[784, 32\], but the model's '0\.weight' has shape \[32, 784\]\. It is stored transposed: save it as \[32, 784\]\./,
    );
  });
});

/** A PNG with an arbitrary IHDR and IDAT (valid CRCs are not checked by the reader). */
function png(width: number, height: number, idat: Uint8Array): Uint8Array {
  const ok = encodeGrayPng({ width: 1, height: 1, pixels: Uint8Array.of(0) });
  // signature (8) + IHDR chunk (25); then our IDAT and an IEND
  const head = Buffer.from(ok.subarray(0, 33));
  head.writeUInt32BE(width, 16);
  head.writeUInt32BE(height, 20);
  const chunk = (type: string, data: Uint8Array): Buffer => {
    const b = Buffer.alloc(12 + data.length);
    b.writeUInt32BE(data.length, 0);
    b.write(type, 4, 'latin1');
    b.set(data, 8);
    return b;
  };
  return Buffer.concat([head, chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

describe('PNG decompression bombs', () => {
  it('image data that inflates past the header size is refused without inflating it all', () => {
    // 28×28 gray allows 28 × 29 = 812 bytes; this IDAT inflates to 64 MiB (from 65 KB)
    const bomb = png(28, 28, deflateSync(Buffer.alloc(64 << 20), { level: 9 }));
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => decodePngGray(bomb, 'bomb.png')).toThrow(LosslabError);
    expect(() => decodePngGray(bomb, 'bomb.png')).toThrow(
      "readPng: argument 'bomb.png', but its image data must inflate to the 812 bytes its 28×28 header allows (it inflates to more: a decompression bomb or a corrupt file).",
    );
  });

  it('a header claiming more pixels than Pillow allows is refused before inflating', () => {
    const huge = png(100_000, 100_000, deflateSync(Buffer.alloc(16)));
    expect(() => decodePngGray(huge, 'huge.png')).toThrow(`it must have at most ${MAX_PNG_PIXELS} pixels`);
  });

  it('losslab predict bomb.png: exit 2 with the message', async () => {
    const model = modelWithStoredShape(softmax, 'W0', [784, 10], 'for-png');
    writeFileSync(join(dir, 'bomb.png'), png(28, 28, deflateSync(Buffer.alloc(16 << 20), { level: 9 })));
    const r = await losslab(['predict', '--model', model, join(dir, 'bomb.png')]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/header allows \(it inflates to more: a decompression bomb or a corrupt file\)\.\n$/);
  });

  it('an honest image still decodes', () => {
    const pixels = Uint8Array.from({ length: 28 * 28 }, (_, i) => i % 251);
    expect(decodePngGray(encodeGrayPng({ width: 28, height: 28, pixels }), 'ok.png').pixels).toEqual(pixels);
  });
});
