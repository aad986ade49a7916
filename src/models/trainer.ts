import { fail, formatValue } from '../errors.js';
import { gatherRows, byteTable, type Dataset } from '../data/dataset.js';
import { kernelBackend, softmaxCrossEntropyRows, type KernelBackend, wasmInt32Array } from '../kernels/backend.js';
import type { SoftmaxRegressionKernel } from '../kernels/softmaxRegression.js';
import type { FloatBuffer } from '../kernels/linear.js';
import { RandomState, type RandomStateSnapshot } from '../tensor/random.js';
import { allocateFloat, argmaxRow, Network, type ClassifierNetwork } from './network.js';
import type { Optimizer, OptimizerState } from './optimizers.js';

/** One row of the per-epoch table (and of `metrics.json`). */
export interface EpochResult {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Mean cross-entropy over the epoch's minibatches, weighted by batch size (d2l's train loss). */
  readonly trainLoss: number;
  /** Fraction of training rows classified correctly by the weights of their minibatch (as d2l). */
  readonly trainAccuracy: number;
  /** Accuracy on the held-out data after the epoch, when an evaluator is given; otherwise null. */
  readonly testAccuracy: number | null;
  /** Seconds spent in the training loop of this epoch (evaluation not included). */
  readonly seconds: number;
}

/** Live progress after each minibatch. */
export interface BatchProgress {
  readonly epoch: number;
  readonly epochs: number;
  /** Rows of this epoch done so far. */
  readonly rowsDone: number;
  readonly rows: number;
  /** Running mean loss and accuracy of this epoch. */
  readonly loss: number;
  readonly accuracy: number;
}

export interface TrainerOptions {
  /** Number of passes over the data (default 10, d2l). */
  readonly epochs?: number;
  /** Minibatch size (default 256, d2l); the last batch of an epoch is smaller when n is not a multiple. */
  readonly batchSize?: number;
  /** Shuffles with `rng.permutation(n)` at the start of each epoch (default true). */
  readonly shuffle?: boolean;
  /** Generator for the shuffles (NumPy's `RandomState`; default `new RandomState(0)`). */
  readonly rng?: RandomState;
  /** An explicit row order per epoch (0-based), overriding `shuffle` — e.g. the peers' `perms.u32`. */
  readonly order?: (epoch: number) => ArrayLike<number>;
  /**
   * The learning rate of each 0-based epoch (a schedule, e.g. `cosineLr`); default: the
   * optimizer's own, constant. A function of the epoch alone, so a resumed run steps identically.
   */
  readonly lrSchedule?: (epoch: number) => number;
  /** Held-out accuracy after each epoch (e.g. the test set); its time is not counted. */
  readonly evaluate?: (network: ClassifierNetwork) => number;
  readonly onBatch?: (progress: BatchProgress) => void;
  readonly onEpoch?: (result: EpochResult) => void;
  /**
   * Called after every minibatch once the trainer's state is consistent, so a `snapshot()` (or a
   * checkpoint, src/models/checkpoint.ts) taken here resumes exactly; `epochEnded` after an epoch's last batch.
   */
  readonly afterStep?: (epochEnded: boolean) => void;
  /** Aborting stops at the next minibatch boundary; the state can then be checkpointed. */
  readonly signal?: AbortSignal;
  /** `run()` yields to the event loop this often so aborts and UI updates get through (default 50 ms). */
  readonly yieldEveryMs?: number;
}

/** Everything needed to continue a run bit-exactly: weights, optimizer, RNG, position, metrics. */
export interface TrainerSnapshot {
  readonly epoch: number;
  readonly position: number;
  readonly order: Int32Array | null;
  readonly lossSum: number;
  readonly correct: number;
  readonly seconds: number;
  readonly history: readonly EpochResult[];
  readonly rng: RandomStateSnapshot;
  readonly optimizer: OptimizerState;
  readonly params: readonly FloatBuffer[];
}

export interface TrainOutcome {
  /** False when stopped by the signal before the last epoch finished. */
  readonly completed: boolean;
  readonly history: readonly EpochResult[];
}

/** The buffers of the composed step (gather, forward, loss, backward), made on first use. */
interface ComposedBuffers {
  readonly xBatch: FloatBuffer;
  readonly yBatch: Int32Array;
  readonly logits: FloatBuffer;
  readonly gradLogits: FloatBuffer;
  readonly table: FloatBuffer;
}

/**
 * The minibatch training loop (what d2l's `train_ch3` does), written for speed. Softmax regression
 * in float32 runs the backend's fused step where it has one (src/kernels/softmaxRegression.ts: the
 * WebAssembly kernel reads the batch rows in place, skips zero inputs and does forward, loss and
 * backward in one pass per row). Every other network composes the kernels: one preallocated batch
 * buffer, logits and gradient buffers, losslab's fused softmax cross-entropy kernel
 * (`softmaxCrossEntropyRows`, mean over the batch) and the network's backward. Then one optimizer step.
 *
 * `step()` trains one minibatch synchronously; `run()` trains to the end, yielding to the event
 * loop now and then so an `AbortSignal` (Ctrl-C, a Pause button) can stop it between batches.
 * `snapshot()` / `restore()` make an interrupted run finish exactly like an uninterrupted one.
 */
export class Trainer {
  readonly network: ClassifierNetwork;
  readonly data: Dataset;
  readonly optimizer: Optimizer;
  readonly epochs: number;
  readonly batchSize: number;
  readonly rng: RandomState;
  private readonly options: TrainerOptions;
  private composed: ComposedBuffers | null = null;
  /** The fused step and the backend it came from (looked up again when the backend changes). */
  private fused: SoftmaxRegressionKernel | null = null;
  private fusedBackend: KernelBackend | null = null;
  private epoch = 0;
  private position = 0;
  private order: ArrayLike<number> | null = null;
  private lossSum = 0;
  private correct = 0;
  private seconds = 0;
  private readonly results: EpochResult[] = [];

  constructor(network: ClassifierNetwork, data: Dataset, optimizer: Optimizer, options: TrainerOptions = {}) {
    const fn = 'Trainer';
    const epochs = options.epochs ?? 10;
    const batchSize = options.batchSize ?? 256;
    if (!Number.isInteger(epochs) || epochs < 1) fail({ fn, argument: 'epochs', value: formatValue(epochs), rule: 'it must be a positive integer' });
    if (!Number.isInteger(batchSize) || batchSize < 1)
      fail({ fn, argument: 'batchSize', value: formatValue(batchSize), rule: 'it must be a positive integer' });
    if (data.features !== network.inputSize) {
      fail({ fn, argument: 'data', value: `${data.features} features per row`, rule: `the model takes ${network.inputSize} inputs per row` });
    }
    if (data.numClasses > network.numClasses) {
      fail({ fn, argument: 'data', value: `${data.numClasses} classes`, rule: `the model has ${network.numClasses} outputs` });
    }
    if (data.n < 1) fail({ fn, argument: 'data', value: '0 rows', rule: 'training needs at least one row' });
    this.network = network;
    this.data = data;
    this.optimizer = optimizer;
    this.epochs = epochs;
    this.batchSize = batchSize;
    this.rng = options.rng ?? new RandomState(0);
    this.options = options;
    // resolve (and lay out the rows for) the fused step now, so the first step() does not pay for it
    this.fusedStep();
  }

  /** The fused softmax-regression step of the current backend, when it applies to this network. */
  private fusedStep(): SoftmaxRegressionKernel | null {
    const backend = kernelBackend();
    if (backend !== this.fusedBackend) {
      this.fusedBackend = backend;
      const { network } = this;
      this.fused =
        network instanceof Network && network.layers === 1 && network.dtype === 'float32' && backend.softmaxRegression
          ? backend.softmaxRegression(this.data, network.numClasses)
          : null;
    }
    return this.fused;
  }

  /** Which step trains: `fused-sparse`, `fused-dense` (with `×2` on two threads), `composed`, or `nn modules: …`. */
  get stepKind(): string {
    const f = this.fusedStep();
    if (f) return `fused-${f.layout}${f.threads > 1 ? '×2' : ''}`;
    return this.network instanceof Network ? 'composed' : `nn modules: ${this.network.describe()}`;
  }

  private composedBuffers(): ComposedBuffers {
    if (this.composed) return this.composed;
    const { network, data } = this;
    const m = Math.min(this.batchSize, data.n);
    const alloc = (len: number): FloatBuffer => allocateFloat(network.dtype, len);
    this.composed = {
      xBatch: alloc(m * data.features),
      yBatch: wasmInt32Array(m),
      logits: alloc(m * network.numClasses),
      gradLogits: alloc(m * network.numClasses),
      table: byteTable(data.scale, network.dtype),
    };
    if (network instanceof Network) network.reserve(m);
    return this.composed;
  }

  /** Results of the finished epochs. */
  get history(): readonly EpochResult[] {
    return this.results;
  }

  get done(): boolean {
    return this.epoch >= this.epochs;
  }

  /** Trains one minibatch (drawing the epoch's order first when an epoch starts); false when done. */
  step(): boolean {
    if (this.done) return false;
    const t0 = performance.now();
    const { data, network } = this;
    const n = data.n;
    if (this.order === null) this.order = this.epochOrder(this.epoch);
    const m = Math.min(this.batchSize, n - this.position);
    const c = network.numClasses;
    let correct = 0;
    const fused = this.fusedStep();
    if (fused && network instanceof Network) {
      const W = network.weight(0);
      const b = network.bias(0);
      // float32 is guaranteed by fusedStep()
      const r = fused.step(this.order, this.position, m, W.data as Float32Array, b.data as Float32Array, W.grad as Float32Array, b.grad as Float32Array, 1 / m);
      this.lossSum += r.loss;
      correct = r.correct;
    } else {
      const { xBatch, yBatch, logits, gradLogits, table } = this.composedBuffers();
      gatherRows(data, this.order, this.position, m, xBatch, table);
      for (let r = 0; r < m; r++) yBatch[r] = data.y[this.order[this.position + r]];
      network.forward(xBatch, m, logits);
      for (let r = 0; r < m; r++) if (argmaxRow(logits, r * c, c) === yBatch[r]) correct++;
      this.lossSum += softmaxCrossEntropyRows(logits, yBatch, m, c, gradLogits, 1 / m);
      network.backward(xBatch, m, gradLogits);
    }
    this.optimizer.step(network.params, this.options.lrSchedule?.(this.epoch));
    this.correct += correct;
    this.position += m;
    this.seconds += (performance.now() - t0) / 1000;
    this.options.onBatch?.({
      epoch: this.epoch + 1,
      epochs: this.epochs,
      rowsDone: this.position,
      rows: n,
      loss: this.lossSum / this.position,
      accuracy: this.correct / this.position,
    });
    const epochEnded = this.position >= n;
    if (epochEnded) this.finishEpoch();
    this.options.afterStep?.(epochEnded);
    return true;
  }

  private epochOrder(epoch: number): ArrayLike<number> {
    const n = this.data.n;
    if (this.options.order) {
      const order = this.options.order(epoch);
      if (order.length !== n) {
        fail({ fn: 'Trainer', argument: 'order', value: `${order.length} indices for epoch ${epoch}`, rule: `each epoch's order must list all ${n} rows` });
      }
      for (let i = 0; i < n; i++) {
        const k = order[i];
        if (!(k >= 0 && k < n && Number.isInteger(k))) {
          fail({ fn: 'Trainer', argument: 'order', value: `${formatValue(k)} at [${i}] of epoch ${epoch}`, rule: `row indices must lie in [0, ${n - 1}]` });
        }
      }
      return order;
    }
    if (this.options.shuffle === false) {
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      return order;
    }
    return this.rng.permutation(n);
  }

  private finishEpoch(): void {
    const n = this.data.n;
    const testAccuracy = this.options.evaluate ? this.options.evaluate(this.network) : null;
    const result: EpochResult = {
      epoch: this.epoch + 1,
      trainLoss: this.lossSum / n,
      trainAccuracy: this.correct / n,
      testAccuracy,
      seconds: this.seconds,
    };
    this.results.push(result);
    this.epoch++;
    this.position = 0;
    this.order = null;
    this.lossSum = 0;
    this.correct = 0;
    this.seconds = 0;
    this.options.onEpoch?.(result);
  }

  /** Trains until the last epoch ends or the signal aborts (then `completed` is false). */
  async run(): Promise<TrainOutcome> {
    const signal = this.options.signal;
    const every = this.options.yieldEveryMs ?? 50;
    let last = performance.now();
    while (!this.done) {
      if (signal?.aborted) return { completed: false, history: this.results };
      this.step();
      if (performance.now() - last >= every) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        last = performance.now();
      }
    }
    return { completed: true, history: this.results };
  }

  /** Copies of everything `restore` needs (weights, optimizer, RNG, position, metrics). */
  snapshot(): TrainerSnapshot {
    return {
      epoch: this.epoch,
      position: this.position,
      order: this.order === null ? null : this.order instanceof Int32Array ? this.order.slice() : Int32Array.from(this.order),
      lossSum: this.lossSum,
      correct: this.correct,
      seconds: this.seconds,
      history: this.results.map((r) => ({ ...r })),
      rng: this.rng.getState(),
      optimizer: this.optimizer.getState(),
      params: this.network.params.map((p) => p.data.slice()),
    };
  }

  /** Continues from a snapshot of a trainer with the same network shape, data and settings. */
  restore(s: TrainerSnapshot): void {
    const params = this.network.params;
    if (s.params.length !== params.length || s.params.some((b, i) => b.length !== params[i].data.length)) {
      fail({
        fn: 'Trainer.restore',
        argument: 'snapshot',
        rule: `its weights must match the network's ${params.length} parameter arrays (${params.map((p) => p.shape.join('×')).join(', ')})`,
      });
    }
    if (s.epoch > this.epochs || (s.order !== null && s.order.length !== this.data.n)) {
      fail({
        fn: 'Trainer.restore',
        argument: 'snapshot',
        value: `epoch ${s.epoch}, ${s.order?.length ?? 0} rows`,
        rule: `it must come from a run over the same ${this.data.n} rows with at most ${this.epochs} epochs`,
      });
    }
    for (const [i, p] of params.entries()) p.data.set(s.params[i]);
    this.optimizer.setState(s.optimizer);
    this.rng.setState(s.rng);
    this.epoch = s.epoch;
    this.position = s.position;
    this.order = s.order === null ? null : Int32Array.from(s.order);
    this.lossSum = s.lossSum;
    this.correct = s.correct;
    this.seconds = s.seconds;
    this.results.length = 0;
    this.results.push(...s.history.map((r) => ({ ...r })));
  }
}

/** Trains `network` on `data` to the end (or until aborted): `new Trainer(...).run()`. */
/**
 * PyTorch's `CosineAnnealingLR(optimizer, T_max = epochs, eta_min = 0)` stepped once per epoch, in
 * closed form: the learning rate of 0-based epoch e is lr·(1 + cos(π·e/epochs))/2 (lr in the first
 * epoch, lr·0.024 in the 10th of 10).
 */
export function cosineLr(lr: number, epochs: number): (epoch: number) => number {
  return (epoch) => (lr * (1 + Math.cos((Math.PI * epoch) / epochs))) / 2;
}

export function trainEpochs(network: ClassifierNetwork, data: Dataset, optimizer: Optimizer, options: TrainerOptions = {}): Promise<TrainOutcome> {
  return new Trainer(network, data, optimizer, options).run();
}
