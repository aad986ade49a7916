import { describe, expect, it } from 'vitest';
import { createDataset, gatherRows, byteTable, selectRows } from '../../src/data/dataset.js';
import { FASHION_MNIST_CLASSES, fashionMnistDatasets, skippedCount, splitFashionMnist } from '../../src/data/fashionMnist.js';

const img = (v: number) => new Array(784).fill(v);

describe('Fashion-MNIST split rule (platform-free)', () => {
  it('per class: valid entries in file order, first 6000 train, the rest test; invalid entries skipped and reported', () => {
    const perClass: unknown[][] = Array.from({ length: 10 }, (_, c) => [img(c), img(c + 10)]);
    perClass[0] = [img(1), [], img(2), img(3).slice(0, 700), [...img(4).slice(0, 783), 256], 'x', img(5)];
    const s = splitFashionMnist(perClass);
    expect(s.perClass[0].skipped).toEqual([
      { index: 1, length: 0 },
      { index: 3, length: 700 },
      { index: 4, length: 784 },
      { index: 5, length: null },
    ]);
    expect(skippedCount(s.perClass)).toBe(4);
    expect(Array.from(s.trainLabels)).toEqual([0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9]);
    expect(s.trainImages[0]).toBe(1);
    expect(s.trainImages[784]).toBe(2);
    expect(s.trainImages[2 * 784]).toBe(5);
    expect(s.testLabels.length).toBe(0);
  });

  it('splits at 6000 valid images per class', () => {
    const many = Array.from({ length: 6003 }, (_, i) => img(i % 256));
    const perClass = Array.from({ length: 10 }, (_, c) => (c === 3 ? many : [img(0)]));
    const s = splitFashionMnist(perClass);
    expect(s.perClass[3]).toMatchObject({ train: 6000, test: 3 });
    expect(Array.from(s.testLabels)).toEqual([3, 3, 3]);
    expect(s.testImages[0]).toBe(6000 % 256);
  });

  it('wraps the arrays as datasets with scale 1/255 and class names in English and Chinese', () => {
    const s = splitFashionMnist(Array.from({ length: 10 }, (_, c) => [img(255), img(c)]));
    const { train } = fashionMnistDatasets(s, 'zh');
    expect(train.classNames).toEqual(FASHION_MNIST_CLASSES.zh);
    expect(train.imageShape).toEqual([28, 28]);
    const out = new Float32Array(784);
    gatherRows(train, [0], 0, 1, out);
    expect(out[0]).toBe(1);
    expect(FASHION_MNIST_CLASSES.en[9]).toBe('Ankle boot');
    expect(() => splitFashionMnist([[]])).toThrow(/Fashion-MNIST has 10 class files/);
    expect(() => fashionMnistDatasets({ ...s, trainLabels: s.trainLabels.subarray(1) })).toThrow(/each image must be 784 bytes/);
  });
});

describe('Dataset', () => {
  it('byte table equals float32(b) / float32(255) as NumPy computes it', () => {
    const t = byteTable(1 / 255);
    for (let b = 0; b < 256; b++) expect(t[b]).toBe(Math.fround(Math.fround(b) / 255));
  });

  it('createDataset checks sizes, finiteness and labels, naming the source', () => {
    expect(() => createDataset(new Float32Array(5), new Int32Array(2), { features: 2, source: 'X.npy' })).toThrow(
      /argument 'X\.npy' is 5 values for 2 labels, but each row must hold exactly 2 values/,
    );
    expect(() => createDataset(Float32Array.of(1, NaN), new Int32Array(1), { features: 2 })).toThrow(/features must be finite numbers \(row 0, column 1\)/);
    expect(() => createDataset(new Float32Array(4), Int32Array.of(0, 5), { features: 2, numClasses: 3 })).toThrow(
      /argument 'labels of x' is 5 at row 1, but class indices must lie in \[0, 2\]/,
    );
    const d = createDataset(Float32Array.of(1, 2, 3, 4, 5, 6), Int32Array.of(0, 1, 2), { features: 2 });
    expect(d.numClasses).toBe(3);
    const s = selectRows(d, [2, 0]);
    expect(Array.from(s.x)).toEqual([5, 6, 1, 2]);
    expect(Array.from(s.y)).toEqual([2, 0]);
  });
});
