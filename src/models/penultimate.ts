import { noGrad } from '../autograd/gradMode.js';
import { byteTable, gatherRows, identityOrder, type Dataset } from '../data/dataset.js';
import { fail } from '../errors.js';
import { linearForward } from '../kernels/backend.js';
import { Linear } from '../nn/layers/linear.js';
import { Tensor } from '../tensor/tensor.js';
import { ModuleNetwork } from './moduleNetwork.js';
import { Network, type ClassifierNetwork } from './network.js';

/** Rows per chunk pushed through the network (bounded memory). */
const CHUNK = 1024;

/** The activations of a classifier's penultimate layer: `values` is `[n, width]` row-major. */
export interface PenultimateFeatures {
  readonly values: Float32Array;
  readonly n: number;
  readonly width: number;
}

/**
 * The input of a classifier's last linear layer for every row of `data` — its penultimate-layer
 * features (the "embedding" that `model[:-1](x)` gives in PyTorch for a `Sequential` whose last
 * module is `nn.Linear`): after the last hidden ReLU of an MLP, the 84 features of LeNet-5.
 * A softmax regression has no hidden layer, so it has none (an error).
 */
export function penultimateFeatures(network: ClassifierNetwork, data: Dataset, fn = 'penultimateFeatures'): PenultimateFeatures {
  if (data.features !== network.inputSize)
    fail({ fn, argument: 'data', value: `${data.features} features per row`, rule: `the model takes ${network.inputSize} inputs per row` });
  if (network instanceof ModuleNetwork) return moduleFeatures(network, data, fn);
  if (network instanceof Network) return networkFeatures(network, data, fn);
  return fail({ fn, argument: 'network', value: network.describe(), rule: 'it must be an MLP or a CNN of losslab train' });
}

function moduleFeatures(network: ModuleNetwork, data: Dataset, fn: string): PenultimateFeatures {
  const module = network.module;
  const last = module.at(-1);
  if (!(last instanceof Linear) || module.length < 2)
    return fail({ fn, argument: 'network', value: network.describe(), rule: 'its last module must be a Linear layer after at least one other module' });
  const width = last.inFeatures;
  const a = network.architecture;
  const d = data.features;
  const values = new Float32Array(data.n * width);
  const x = new Float32Array(Math.min(CHUNK, data.n) * d);
  const order = identityOrder(data.n);
  const table = byteTable(data.scale, 'float32');
  noGrad(() => {
    for (let start = 0; start < data.n; start += CHUNK) {
      const count = Math.min(CHUNK, data.n - start);
      gatherRows(data, order, start, count, x, table);
      const rows = x.subarray(0, count * d);
      let h = new Tensor(rows, a.kind === 'mlp' ? [count, d] : [count, 1, a.imageShape[0], a.imageShape[1]]);
      for (let i = 0; i + 1 < module.length; i++) h = module.at(i).forward(h);
      values.set(h.data.subarray(0, count * width), start * width);
    }
  });
  return { values, n: data.n, width };
}

function networkFeatures(network: Network, data: Dataset, fn: string): PenultimateFeatures {
  const sizes = network.sizes;
  if (sizes.length < 3)
    fail({
      fn,
      argument: 'network',
      value: network.describe(),
      rule: 'a softmax regression has no hidden layer, so no penultimate-layer features',
      fix: 'Train an MLP or a CNN (losslab train --model mlp|cnn), or compare the inputs themselves.',
    });
  const width = sizes[sizes.length - 2];
  const d = data.features;
  const m = Math.min(CHUNK, data.n);
  const values = new Float32Array(data.n * width);
  const x = new Float32Array(m * d);
  const buffers = sizes.slice(1, -1).map((s) => new Float32Array(m * s));
  const order = identityOrder(data.n);
  const table = byteTable(data.scale, 'float32');
  for (let start = 0; start < data.n; start += CHUNK) {
    const count = Math.min(CHUNK, data.n - start);
    gatherRows(data, order, start, count, x, table);
    let input: Float32Array = x;
    for (let l = 0; l + 2 < sizes.length; l++) {
      const out = buffers[l];
      linearForward(input, network.weight(l).data, network.bias(l).data, out, count, sizes[l], sizes[l + 1]);
      for (let i = 0; i < count * sizes[l + 1]; i++) if (!(out[i] > 0)) out[i] = 0;
      input = out;
    }
    values.set(input.subarray(0, count * width), start * width);
  }
  return { values, n: data.n, width };
}
