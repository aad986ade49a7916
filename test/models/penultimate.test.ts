import { describe, expect, it } from 'vitest';
import { createDataset, type Dataset } from '../../src/data/dataset.js';
import { LosslabError } from '../../src/errors.js';
import { datasetLogits } from '../../src/models/inference.js';
import { buildModule, ModuleNetwork, type Architecture } from '../../src/models/moduleNetwork.js';
import { Network, type ClassifierNetwork } from '../../src/models/network.js';
import { penultimateFeatures } from '../../src/models/penultimate.js';
import { RandomState } from '../../src/tensor/random.js';

/** Random byte images (scaled by 1/255), as Fashion-MNIST rows. */
function images(n: number, side: number, seed: number): Dataset {
  const rs = new RandomState(seed);
  const x = Uint8Array.from({ length: n * side * side }, () => Math.floor(rs.randomSample() * 256));
  const y = Int32Array.from({ length: n }, (_, i) => i % 10);
  return createDataset(x, y, { features: side * side, numClasses: 10, scale: 1 / 255, imageShape: [side, side] });
}

/** The last linear layer applied to the features, in float64: W·h + b. */
function lastLayer(network: ClassifierNetwork, h: Float32Array, n: number, width: number): Float64Array {
  const c = network.numClasses;
  const out = new Float64Array(n * c);
  const W = network.params[network.params.length - 2].data;
  const b = network.params[network.params.length - 1].data;
  // ModuleNetwork: PyTorch layout [out, in]; Network: [in, out].
  const outIn = network instanceof ModuleNetwork;
  for (let i = 0; i < n; i++)
    for (let k = 0; k < c; k++) {
      let s = b[k];
      for (let j = 0; j < width; j++) s += h[i * width + j] * (outIn ? W[k * width + j] : W[j * c + k]);
      out[i * c + k] = s;
    }
  return out;
}

function expectLogitsFromFeatures(network: ClassifierNetwork, data: Dataset, width: number): void {
  const f = penultimateFeatures(network, data);
  expect(f.width).toBe(width);
  expect(f.n).toBe(data.n);
  expect(f.values.length).toBe(data.n * width);
  // ReLU features: non-negative, and not all zero.
  expect(Math.min(...f.values)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...f.values)).toBeGreaterThan(0);
  const logits = datasetLogits(network, data);
  const again = lastLayer(network, f.values, data.n, width);
  let worst = 0;
  for (let t = 0; t < logits.length; t++) worst = Math.max(worst, Math.abs(logits[t] - again[t]) / (1 + Math.abs(logits[t])));
  expect(worst).toBeLessThan(1e-5);
}

describe('penultimateFeatures: the input of the last linear layer', () => {
  it('MLP on the general stack (model format v2): last layer of the features = the logits (2,500 rows, more than one chunk)', () => {
    const a: Architecture = { kind: 'mlp', sizes: [64, 32, 16, 10] };
    const net = new ModuleNetwork(a, buildModule(a, 'float32', new RandomState(1)));
    expectLogitsFromFeatures(net, images(2500, 8, 2), 16);
  });

  it('LeNet-5: the 84 features before the classifier', () => {
    const a: Architecture = { kind: 'lenet5', imageShape: [28, 28], classes: 10 };
    const net = new ModuleNetwork(a, buildModule(a, 'float32', new RandomState(3)));
    expectLogitsFromFeatures(net, images(40, 28, 4), 84);
  });

  it('MLP of model format v1 (Network)', () => {
    const net = new Network([64, 24, 10]);
    net.initialize(new RandomState(5), 'pytorch');
    expectLogitsFromFeatures(net, images(300, 8, 6), 24);
  });

  it('a softmax regression has no penultimate layer; a wrong input width is an error', () => {
    const softmax = new Network([64, 10]);
    expect(() => penultimateFeatures(softmax, images(5, 8, 7))).toThrow(LosslabError);
    expect(() => penultimateFeatures(softmax, images(5, 8, 7))).toThrow(/no hidden layer/);
    const net = new Network([64, 24, 10]);
    expect(() => penultimateFeatures(net, images(5, 9, 7))).toThrow(/takes 64 inputs/);
  });
});
