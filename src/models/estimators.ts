import { createDataset, type Dataset } from '../data/dataset.js';
import { fail, formatShape, formatValue } from '../errors.js';
import type { FloatBuffer } from '../kernels/linear.js';
import { checkRandomState, type RandomState } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { argmaxRows, datasetLogits, probabilitiesFromLogits, accuracyOn } from './inference.js';
import { Network, type InitScheme } from './network.js';
import { createOptimizer, type OptimizerName } from './optimizers.js';
import { Trainer, type BatchProgress, type EpochResult } from './trainer.js';

/** Hyperparameters (constructor arguments), with d2l's defaults. */
export interface ClassifierOptions {
  /** Passes over the data (default 10). */
  readonly epochs?: number;
  /** Minibatch size (default 256). */
  readonly batchSize?: number;
  /** Learning rate (default 0.1 for SGD, 0.001 for Adam). */
  readonly lr?: number;
  /** `sgd` (default) or `adam`. */
  readonly optimizer?: OptimizerName;
  /** SGD momentum (default 0). */
  readonly momentum?: number;
  /** L2 weight decay added to the gradient (default 0). */
  readonly weightDecay?: number;
  /** Seed or generator for the initial weights and the shuffles (scikit-learn's `random_state`; default 0). */
  readonly randomState?: number | RandomState;
  /** Weight initialisation (default `d2l`: N(0, 0.01²), b = 0). */
  readonly init?: InitScheme;
  /** Number of classes (default: largest label + 1). */
  readonly numClasses?: number;
}

/** Per-call options of `fit`. */
export interface FitOptions {
  /** Overrides the constructor's `epochs`. */
  readonly epochs?: number;
  readonly onEpoch?: (result: EpochResult) => void;
  readonly onBatch?: (progress: BatchProgress) => void;
  /** Aborting stops training after the current minibatch; `fit` then resolves with what it has. */
  readonly signal?: AbortSignal;
  /** Held-out data scored after every epoch (its accuracy is `testAccuracy` in the history). */
  readonly validation?: Dataset;
  /** Initial weights in parameter order (`W0`, `b0`, …) instead of a random draw (e.g. the peers' init-W). */
  readonly initialWeights?: readonly FloatBuffer[];
  /** Explicit row order per epoch instead of seeded shuffles. */
  readonly order?: (epoch: number) => ArrayLike<number>;
}

/**
 * The scikit-learn-style estimator shared by `SoftmaxRegression` and `MLP`: `fit` (async, since it
 * yields so a signal can stop it), `predict`, `predictProba`, `score` (mean accuracy, like
 * `ClassifierMixin.score`). Inputs are `[n, features]` float tensors or a `Dataset`.
 */
export abstract class NeuralClassifier {
  readonly options: ClassifierOptions;
  /** The trained network (`null` before `fit`). */
  network: Network | null = null;
  /** Per-epoch results of the last `fit`. */
  history: readonly EpochResult[] = [];

  constructor(options: ClassifierOptions = {}) {
    this.options = options;
  }

  /** Hidden layer sizes (none for softmax regression). */
  protected abstract hiddenSizes(): readonly number[];

  /** Trains on `X` `[n, features]` with labels `y`, or on a `Dataset`. Resolves to `this`. */
  async fit(X: Tensor | Dataset, y?: Tensor | Int32Array, options: FitOptions = {}): Promise<this> {
    const data = toDataset(X, y, this.options.numClasses, `${this.constructor.name}.fit`);
    const o = this.options;
    const rng = checkRandomState(o.randomState ?? 0);
    const network = new Network([data.features, ...this.hiddenSizes(), data.numClasses]);
    if (options.initialWeights) {
      if (options.initialWeights.length !== network.params.length || options.initialWeights.some((w, i) => w.length !== network.params[i].data.length)) {
        fail({
          fn: `${this.constructor.name}.fit`,
          argument: 'initialWeights',
          value: formatValue(options.initialWeights.map((w) => w.length)),
          rule: `it must hold ${network.params.length} arrays of sizes ${formatValue(network.params.map((p) => p.data.length))}`,
        });
      }
      const initial = options.initialWeights;
      for (const [i, p] of network.params.entries()) p.data.set(initial[i]);
    } else {
      network.initialize(rng, o.init ?? 'd2l');
    }
    const optimizer = createOptimizer({
      name: o.optimizer ?? 'sgd',
      lr: o.lr ?? (o.optimizer === 'adam' ? 0.001 : 0.1),
      momentum: o.momentum,
      weightDecay: o.weightDecay,
    });
    const validation = options.validation;
    const trainer = new Trainer(network, data, optimizer, {
      epochs: options.epochs ?? o.epochs ?? 10,
      batchSize: o.batchSize ?? 256,
      rng,
      order: options.order,
      onBatch: options.onBatch,
      onEpoch: options.onEpoch,
      signal: options.signal,
      evaluate: validation ? (net) => accuracyOn(net, validation) : undefined,
    });
    this.network = network;
    const outcome = await trainer.run();
    this.history = outcome.history;
    return this;
  }

  private fitted(fn: string): Network {
    if (!this.network)
      fail({ fn: `${this.constructor.name}.${fn}`, argument: 'this', rule: 'the model must be fitted first', fix: 'Call fit(X, y) before predicting.' });
    return this.network;
  }

  /** Logits `[n, classes]` (float32). */
  decisionFunction(X: Tensor | Dataset): Tensor<'float32'> {
    const network = this.fitted('decisionFunction');
    const data = toDataset(X, undefined, network.numClasses, `${this.constructor.name}.decisionFunction`, network.inputSize);
    return new Tensor(datasetLogits(network, data), [data.n, network.numClasses]);
  }

  /** Predicted class indices (argmax of the logits). */
  predict(X: Tensor | Dataset): Int32Array {
    const logits = this.decisionFunction(X);
    return argmaxRows(logits.data, logits.shape[0], logits.shape[1]);
  }

  /** Class probabilities `[n, classes]` (softmax of the logits), like `predict_proba`. */
  predictProba(X: Tensor | Dataset): Tensor<'float32'> {
    const logits = this.decisionFunction(X);
    return new Tensor(probabilitiesFromLogits(logits.data, logits.shape[0], logits.shape[1]), logits.shape);
  }

  /** Mean accuracy on `X`, `y` (scikit-learn's `score`). */
  score(X: Tensor | Dataset, y?: Tensor | Int32Array): number {
    const network = this.fitted('score');
    const data = toDataset(X, y, network.numClasses, `${this.constructor.name}.score`, network.inputSize);
    return accuracyOn(network, data);
  }
}

/** Softmax regression (multinomial logistic regression): one linear layer, softmax cross-entropy. d2l §3.6. */
export class SoftmaxRegression extends NeuralClassifier {
  protected hiddenSizes(): readonly number[] {
    return [];
  }
}

export interface MLPOptions extends ClassifierOptions {
  /** Hidden layer sizes (default [256], d2l's MLP; scikit-learn's `hidden_layer_sizes`). */
  readonly hidden?: readonly number[];
}

/** A multilayer perceptron: linear layers with ReLU between them, softmax cross-entropy on top. d2l §4.2. */
export class MLP extends NeuralClassifier {
  readonly hidden: readonly number[];

  constructor(options: MLPOptions = {}) {
    super(options);
    const hidden = options.hidden ?? [256];
    if (!hidden.every((h) => Number.isInteger(h) && h >= 1)) {
      fail({ fn: 'MLP', argument: 'hidden', value: formatValue([...hidden]), rule: 'hidden layer sizes must be positive integers' });
    }
    this.hidden = [...hidden];
  }

  protected hiddenSizes(): readonly number[] {
    return this.hidden;
  }
}

function toDataset(X: Tensor | Dataset, y: Tensor | Int32Array | undefined, numClasses: number | undefined, fn: string, features?: number): Dataset {
  if (!(X instanceof Tensor)) {
    if (features !== undefined && X.features !== features)
      fail({ fn, argument: 'X', value: `${X.features} features`, rule: `the model takes ${features} features per row` });
    return X;
  }
  if (X.ndim !== 2 || X.dtype === 'int32') {
    fail({ fn, argument: 'X', value: `a ${X.dtype} tensor of shape ${formatShape(X.shape)}`, rule: 'it must be a 2-d float tensor [n, features]' });
  }
  const [n, d] = X.shape;
  if (features !== undefined && d !== features) fail({ fn, argument: 'X', value: formatShape(X.shape), rule: `the model takes ${features} features per row` });
  let labels: Int32Array;
  if (y === undefined) labels = new Int32Array(n);
  else if (y instanceof Tensor) {
    if (y.ndim !== 1 || y.dtype !== 'int32')
      fail({ fn, argument: 'y', value: `a ${y.dtype} tensor of shape ${formatShape(y.shape)}`, rule: 'it must be a 1-d int32 tensor of class indices' });
    labels = y.data as Int32Array;
  } else labels = y;
  if (labels.length !== n) fail({ fn, argument: 'y', value: `${labels.length} labels`, rule: `it must have one label per row of X (${n})` });
  const x = X.dtype === 'float32' ? (X.data as Float32Array) : Float32Array.from(X.data);
  return createDataset(x, labels, { features: d, numClasses, source: 'X' });
}
