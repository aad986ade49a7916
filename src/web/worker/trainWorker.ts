/// <reference lib="webworker" />
import { fashionMnistDatasets, FASHION_MNIST_NUM_CLASSES, FASHION_MNIST_PIXELS } from '../../data/fashionMnist.js';
import { selectRows, type Dataset } from '../../data/dataset.js';
import { accuracyOn } from '../../models/inference.js';
import { buildModule, ModuleNetwork, type Architecture } from '../../models/moduleNetwork.js';
import { Network, type ClassifierNetwork } from '../../models/network.js';
import { createOptimizer } from '../../models/optimizers.js';
import { Trainer } from '../../models/trainer.js';
import { kernelBackend } from '../../kernels/backend.js';
import { evaluateNetwork, mostConfidentlyWrong } from '../../reports/trainingReport.js';
import { analyzeErrors } from '../../mistakes/analyzeErrors.js';
import { imageFeatures } from '../../mistakes/imageFeatures.js';
import { gather, sum } from '../../tensor/ops/index.js';
import { RandomState } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { ErrorSlice, FromWorker, ToWorker, TrainConfig, TrainResults, WrongImage } from './protocol.js';
import { fetchBytes, WorkerRun } from './workerRun.js';

/**
 * The Train page's Web Worker: downloads the Fashion-MNIST cache from the lab server, builds
 * losslab's `Network` (softmax regression = one linear layer; MLP = one hidden ReLU layer) or
 * LeNet-5 on the general stack (nn modules on the WebAssembly GEMM and convolutions), and runs
 * losslab's `Trainer` (minibatch SGD or Adam, fused softmax cross-entropy) batch by batch, so the
 * page stays responsive and Pause takes effect at the next minibatch. After every epoch it sends the
 * metrics, the weight templates, the test confusion matrix and the most confidently wrong images.
 */
let trainer: Trainer | null = null;
let test: Dataset | null = null;
const run = new WorkerRun<Extract<ToWorker, { type: 'start' }>>();
/** Minibatch number within the current epoch (for the status line). */
let batch = 0;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  postMessage(message, { transfer });
}

async function start(config: TrainConfig, dataUrl: string): Promise<void> {
  post({ type: 'loading' });
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    ['train-images.u8', 'train-labels.u8', 'test-images.u8', 'test-labels.u8'].map((name) => fetchBytes(`${dataUrl}${name}`)),
  );
  const data = fashionMnistDatasets({ trainImages, trainLabels, testImages, testLabels });
  const rng = new RandomState(config.seed);
  const size = Math.min(config.trainSize, data.train.n);
  // A seeded random subset (the train split is class-major, so the first rows would be one class).
  const rows = size < data.train.n ? rng.permutation(data.train.n).subarray(0, size) : null;
  const train = rows ? selectRows(data.train, rows) : data.train;
  test = data.test;
  post({ type: 'loaded', nTrain: train.n, nTest: test.n });

  let network: ClassifierNetwork;
  if (config.model === 'cnn') {
    const architecture: Architecture = { kind: 'lenet5', imageShape: [28, 28], classes: FASHION_MNIST_NUM_CLASSES };
    network = new ModuleNetwork(architecture, buildModule(architecture, 'float32', rng, 'pytorch'));
  } else {
    const sizes = config.model === 'mlp' ? [FASHION_MNIST_PIXELS, config.hidden, FASHION_MNIST_NUM_CLASSES] : [FASHION_MNIST_PIXELS, FASHION_MNIST_NUM_CLASSES];
    const net = new Network(sizes, 'float32');
    net.initialize(rng, 'd2l');
    network = net;
  }
  const meanImage = averageImage(train);
  const optimizer = createOptimizer({
    name: config.optimizer,
    lr: config.lr,
    momentum: config.optimizer === 'sgd' ? config.momentum : undefined,
    weightDecay: config.weightDecay,
  });
  const testSet = test;
  post({ type: 'initial', testAccuracy: accuracyOn(network, testSet) });
  const batches = Math.ceil(train.n / config.batchSize);
  batch = 0;
  trainer = new Trainer(network, train, optimizer, {
    epochs: config.epochs,
    batchSize: config.batchSize,
    rng,
    evaluate: (net) => accuracyOn(net, testSet),
    onBatch: (p) => {
      batch = Math.ceil(p.rowsDone / config.batchSize);
      if (batch % 5 === 0 || batch === batches) post({ type: 'batch', epoch: p.epoch, epochs: p.epochs, batch, batches, loss: p.loss, accuracy: p.accuracy });
    },
    onEpoch: (r) => {
      const results = summarise(network, testSet, meanImage);
      post(
        {
          type: 'epoch',
          row: { epoch: r.epoch, trainLoss: r.trainLoss, trainAccuracy: r.trainAccuracy, testAccuracy: r.testAccuracy ?? Number.NaN, seconds: r.seconds },
          results,
        },
        [results.templates.buffer],
      );
    },
  });
  post({ type: 'step', kind: trainer.stepKind, kernels: kernelBackend().name });
  await loop();
}

/** Steps the trainer, yielding every ~30 ms so pause messages get through. */
async function loop(): Promise<void> {
  const t = trainer;
  if (!t) return;
  const end = await run.steps(
    () => t.done,
    () => t.step(),
  );
  if (end === 'paused') post({ type: 'paused', epoch: t.history.length + 1, batch });
  else if (end === 'done') post({ type: 'done' });
}

/** The average training image, scaled like the model's inputs. */
function averageImage(data: Dataset): Float32Array {
  const d = FASHION_MNIST_PIXELS;
  const acc = new Float64Array(d);
  for (let i = 0; i < data.n; i++) for (let p = 0; p < d; p++) acc[p] += data.x[i * d + p];
  return Float32Array.from(acc, (v) => (v / data.n) * data.scale);
}

/** Row k: the gradient of class k's score with respect to the pixels, at `image` (LeNet-5's class templates). */
function gradientTemplates(network: ModuleNetwork, image: Float32Array): Float32Array {
  const c = FASHION_MNIST_NUM_CLASSES;
  const d = FASHION_MNIST_PIXELS;
  const batch = new Float32Array(c * d);
  for (let k = 0; k < c; k++) batch.set(image, k * d);
  const x = new Tensor(batch, [c, 1, 28, 28], true);
  const scores = gather(
    network.module.forward(x),
    1,
    new Tensor(
      Int32Array.from({ length: c }, (_, k) => k),
      [c, 1],
    ),
  );
  sum(scores).backward();
  network.module.zeroGrad();
  return (x.grad?.data as Float32Array | undefined) ?? new Float32Array(c * d);
}

/** Weight templates, test confusion matrix and the eight most confidently wrong test images. */
function summarise(network: ClassifierNetwork, data: Dataset, meanImage: Float32Array): TrainResults {
  const c = FASHION_MNIST_NUM_CLASSES;
  const d = FASHION_MNIST_PIXELS;
  let templates: Float32Array = new Float32Array(c * d);
  if (network instanceof ModuleNetwork) {
    templates = gradientTemplates(network, meanImage);
  } else if (network instanceof Network && network.layers === 1) {
    const W0 = network.weight(0).data;
    for (let k = 0; k < c; k++) for (let p = 0; p < d; p++) templates[k * d + p] = W0[p * c + k];
  } else if (network instanceof Network) {
    const W0 = network.weight(0).data;
    const h = network.sizes[1];
    const W1 = network.weight(1).data;
    for (let p = 0; p < d; p++) {
      for (let j = 0; j < h; j++) {
        const w = W0[p * h + j];
        if (w === 0) continue;
        for (let k = 0; k < c; k++) templates[k * d + p] += w * W1[j * c + k];
      }
    }
  }
  // The evaluation and the most confidently wrong rows of losslab train's report (src/reports).
  const evaluation = evaluateNetwork(network, data);
  const wrong: WrongImage[] = mostConfidentlyWrong(evaluation, data.y, 8).map(({ index: row, predicted, probability }) => ({
    pixels:
      data.x instanceof Uint8Array
        ? data.x.slice(row * d, (row + 1) * d)
        : Uint8Array.from(data.x.subarray(row * d, (row + 1) * d), (v) => Math.round(v * 255)),
    label: data.y[row],
    predicted,
    confidence: probability,
  }));
  return { templates, confusion: evaluation.confusion, wrong, slices: errorSlices(data, evaluation.predictions) };
}

/**
 * Where the test errors concentrate (losslab errors --model): slices of up to 2 predicates over the
 * true class and simple image features (ink, brightness, centre, extent), Fisher exact test with
 * Benjamini–Hochberg, best SliceLine score first. Classes are sent as indices (the page names them).
 */
function errorSlices(data: Dataset, predicted: Int32Array): ErrorSlice[] {
  const classes = Array.from(data.y, String);
  const report = analyzeErrors(
    {
      nRows: data.n,
      columns: [
        { name: 'class', kind: 'categorical', values: classes },
        ...imageFeatures(data.x, data.n, data.imageShape ?? [28, 28], data.x instanceof Uint8Array ? data.scale : 1),
        { name: 'label', kind: 'categorical', values: classes },
        { name: 'prediction', kind: 'categorical', values: Array.from(predicted, String) },
      ],
    },
    { label: 'label', pred: 'prediction', maxLevel: 2, topK: 5, top: 5 },
  );
  return report.slices.slices.map((sl) => ({
    predicates: sl.predicates,
    size: sl.size,
    errorRate: sl.errorRate,
    ci: sl.ci,
    restErrorRate: sl.restErrorRate,
    pvalueAdjusted: sl.pvalueAdjusted,
  }));
}

run.listen(
  (message) => start(message.config, message.dataUrl),
  loop,
  (message) => post({ type: 'error', message }),
);
