import type { EpochRow, FromWorker, TrainConfig, TrainResults } from '../worker/protocol.js';
import { type Phase, WorkerSession } from './workerSession.js';

/** Where the lab server serves the Fashion-MNIST cache (src/node/fashionMnistCache.ts `CACHE_FOLDER`). */
export const DATA_URL = 'data/fashion-mnist-v1/';

export const DEFAULT_CONFIG: TrainConfig = {
  model: 'softmax',
  hidden: 256,
  lr: 0.1,
  batchSize: 256,
  epochs: 10,
  optimizer: 'sgd',
  momentum: 0,
  weightDecay: 0,
  trainSize: 60000,
  seed: 0,
};

export interface TracePoint {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
}

export interface SessionState {
  config: TrainConfig;
  phase: Phase;
  epoch: number;
  batch: number;
  batches: number;
  runningLoss: number;
  /** `Trainer.stepKind` and the kernel backend of the worker, e.g. `fused-sparse (wasm)`; '' before training. */
  step: string;
  runningAccuracy: number;
  initialTestAccuracy: number | null;
  rows: EpochRow[];
  /** The running (epoch-so-far) train loss and accuracy at fractional epochs, for the live curves. */
  trace: TracePoint[];
  results: TrainResults | null;
  error: string;
}

/**
 * The Train page's run, kept outside the page so a language switch or a visit to another page does
 * not stop it: the worker, the hyperparameters, the status and the per-epoch results.
 */
export class TrainSession extends WorkerSession<SessionState, FromWorker> {
  constructor() {
    super(freshState(DEFAULT_CONFIG), new URL('./train-worker.js', import.meta.url), 'training worker');
  }

  start(): void {
    this.launch(freshState(this.state.config), { type: 'start', config: this.state.config, dataUrl: new URL(DATA_URL, document.baseURI).href });
  }

  reset(): void {
    this.clear(freshState(this.state.config));
  }

  protected receive(message: FromWorker): void {
    const s = this.state;
    switch (message.type) {
      case 'loading':
        s.phase = 'loading';
        break;
      case 'loaded':
        s.phase = 'training';
        break;
      case 'initial':
        s.initialTestAccuracy = message.testAccuracy;
        break;
      case 'step':
        s.step = `${message.kind} (${message.kernels})`;
        break;
      case 'batch':
        s.phase = s.phase === 'paused' ? 'paused' : 'training';
        s.epoch = message.epoch;
        s.batch = message.batch;
        s.batches = message.batches;
        s.runningLoss = message.loss;
        s.runningAccuracy = message.accuracy;
        s.trace = [...s.trace, { epoch: message.epoch - 1 + message.batch / message.batches, loss: message.loss, accuracy: message.accuracy }];
        break;
      case 'epoch':
        s.rows = [...s.rows, message.row];
        s.results = message.results;
        break;
      case 'paused':
        s.phase = 'paused';
        s.epoch = message.epoch;
        s.batch = message.batch;
        break;
      case 'done':
        s.phase = 'done';
        break;
      case 'error':
        this.fail(message.message);
        return;
    }
    this.changed();
  }
}

function freshState(config: TrainConfig): SessionState {
  return {
    config,
    phase: 'idle',
    epoch: 0,
    batch: 0,
    batches: 0,
    runningLoss: Number.NaN,
    step: '',
    runningAccuracy: Number.NaN,
    initialTestAccuracy: null,
    rows: [],
    trace: [],
    results: null,
    error: '',
  };
}

/** The one training session of the lab. */
export const session = new TrainSession();
