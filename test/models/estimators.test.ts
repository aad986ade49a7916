import { describe, expect, it } from 'vitest';
import { selectRows } from '../../src/data/dataset.js';
import { MLP, SoftmaxRegression } from '../../src/models/estimators.js';
import { loadFashionMnist } from '../../src/node/fashionMnistCache.js';
import { RandomState } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';

const { train, test } = loadFashionMnist();
const sub = (d: typeof train, n: number, seed: number) => selectRows(d, new RandomState(seed).permutation(d.n).subarray(0, n));

describe('scikit-learn-style estimators on Fashion-MNIST subsets', () => {
  it('SoftmaxRegression: fit 2,000 images for 2 epochs (batch 16) reaches > 65% test accuracy (chance: 10%); predict/predictProba/score agree', async () => {
    const xTrain = sub(train, 2000, 1);
    const xTest = sub(test, 1000, 2);
    const epochs: number[] = [];
    const model = await new SoftmaxRegression({ batchSize: 16, randomState: 0 }).fit(xTrain, undefined, {
      epochs: 2,
      validation: xTest,
      onEpoch: (r) => epochs.push(r.epoch),
    });
    expect(epochs).toEqual([1, 2]);
    const score = model.score(xTest);
    expect(score).toBeGreaterThan(0.65);
    expect(model.history[1].testAccuracy).toBe(score);
    const proba = model.predictProba(xTest);
    const pred = model.predict(xTest);
    expect(proba.shape).toEqual([1000, 10]);
    for (let i = 0; i < 20; i++) {
      const row = Array.from(proba.data.subarray(i * 10, i * 10 + 10));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(row.indexOf(Math.max(...row))).toBe(pred[i]);
    }
  });

  it('MLP (hidden 64, PyTorch init, Adam) learns faster than chance on tensors [n, features]', async () => {
    const d = sub(train, 1000, 3);
    const X = new Tensor(
      Float32Array.from(d.x, (v) => v / 255),
      [d.n, 784],
    );
    const y = new Tensor(d.y, [d.n]);
    const mlp = await new MLP({ hidden: [64], optimizer: 'adam', lr: 0.002, init: 'pytorch', batchSize: 32 }).fit(X, y, { epochs: 3 });
    expect(mlp.network!.sizes).toEqual([784, 64, 10]);
    expect(mlp.score(X, y)).toBeGreaterThan(0.75);
  });

  it('initial weights and an explicit epoch order (the peers protocol) are honoured', async () => {
    const d = sub(train, 300, 4);
    const W = new Float32Array(7840).fill(0.001);
    const order = Array.from({ length: 300 }, (_, i) => 299 - i);
    const a = await new SoftmaxRegression().fit(d, undefined, { epochs: 1, initialWeights: [W, new Float32Array(10)], order: () => order });
    const b = await new SoftmaxRegression({ randomState: 99 }).fit(d, undefined, { epochs: 1, initialWeights: [W, new Float32Array(10)], order: () => order });
    expect(Array.from(a.network!.weight(0).data)).toEqual(Array.from(b.network!.weight(0).data));
    await expect(new SoftmaxRegression().fit(d, undefined, { initialWeights: [W] })).rejects.toThrow(
      /argument 'initialWeights' is \[7840\], but it must hold 2 arrays of sizes \[7840, 10\]/,
    );
  });

  it('clear errors before fit and for wrong inputs', async () => {
    expect(() => new SoftmaxRegression().predict(new Tensor(new Float32Array(4), [1, 4]))).toThrow(
      /SoftmaxRegression\.decisionFunction: argument 'this', but the model must be fitted first/,
    );
    expect(() => new MLP({ hidden: [0] })).toThrow(/hidden layer sizes must be positive integers/);
    const m = await new SoftmaxRegression({ epochs: 1 }).fit(new Tensor(Float32Array.of(0, 1, 1, 0), [2, 2]), Int32Array.of(0, 1));
    expect(() => m.predict(new Tensor(new Float32Array(3), [1, 3]))).toThrow(/argument 'X' is \[1, 3\], but the model takes 2 features per row/);
    await expect(new SoftmaxRegression().fit(new Tensor(new Float32Array(4), [2, 2]), Int32Array.of(0))).rejects.toThrow(
      /argument 'y' is 1 labels, but it must have one label per row of X \(2\)/,
    );
  });
});
