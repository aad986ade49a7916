import { gatherRows, byteTable, identityOrder, type Dataset } from '../data/dataset.js';
import { softmax } from '../functional/softmax.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/gradMode.js';
import { argmaxRow, type ClassifierNetwork } from './network.js';

/** Rows per chunk when a whole dataset is pushed through the network (bounded memory). */
const CHUNK = 1024;

/** Logits `[n, classes]` of every row of `data` (in float32), computed chunk by chunk. */
export function datasetLogits(network: ClassifierNetwork, data: Dataset): Float32Array {
  const c = network.numClasses;
  const out = new Float32Array(data.n * c);
  const m = Math.min(CHUNK, data.n);
  const x = network.dtype === 'float32' ? new Float32Array(m * data.features) : new Float64Array(m * data.features);
  const logits = network.dtype === 'float32' ? new Float32Array(m * c) : new Float64Array(m * c);
  const order = identityOrder(data.n);
  const table = byteTable(data.scale, network.dtype);
  for (let start = 0; start < data.n; start += CHUNK) {
    const count = Math.min(CHUNK, data.n - start);
    gatherRows(data, order, start, count, x, table);
    noGrad(() => network.forward(x, count, logits));
    for (let i = 0; i < count * c; i++) out[start * c + i] = logits[i];
  }
  return out;
}

/** Predicted class of each row (argmax of the logits; the first on ties, like `argmax`). */
export function argmaxRows(logits: ArrayLike<number>, n: number, c: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = argmaxRow(logits, i * c, c);
  return out;
}

/** Class probabilities `[n, classes]`: losslab's stable `softmax` of the logits along the last axis. */
export function probabilitiesFromLogits(logits: Float32Array, n: number, c: number): Float32Array {
  return softmax(new Tensor<'float32'>(logits, [n, c]), -1).data;
}

/** Predicted classes of every row of `data`. */
export function predictDataset(network: ClassifierNetwork, data: Dataset): Int32Array {
  return argmaxRows(datasetLogits(network, data), data.n, network.numClasses);
}

/** Accuracy of the network on `data` (fraction of rows whose argmax equals the label). */
export function accuracyOn(network: ClassifierNetwork, data: Dataset): number {
  const pred = predictDataset(network, data);
  let hits = 0;
  for (let i = 0; i < data.n; i++) if (pred[i] === data.y[i]) hits++;
  return hits / data.n;
}

/** Up to `k` classes with the highest probability for one row, best first. */
export function topK(probabilities: ArrayLike<number>, row: number, c: number, k: number): { classIndex: number; probability: number }[] {
  const items = Array.from({ length: c }, (_, j) => ({ classIndex: j, probability: probabilities[row * c + j] }));
  items.sort((a, b) => b.probability - a.probability || a.classIndex - b.classIndex);
  return items.slice(0, Math.min(k, c));
}
