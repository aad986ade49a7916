import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { toFloat32 } from '../../data/dataset.js';
import { fail, formatValue } from '../../errors.js';
import type { Lang } from '../../i18n/lang.js';
import { kernelBackend, setKernelBackend } from '../../kernels/backend.js';
import { checkSameRun, type JsonObject, summarizeData } from '../../models/checkpoint.js';
import { accuracyOn } from '../../models/inference.js';
import { checkNetworkFits } from '../../models/modelSize.js';
import { type Architecture, buildModule, lenetFeatures, ModuleNetwork } from '../../models/moduleNetwork.js';
import { type ClassifierNetwork, Network } from '../../models/network.js';
import { createOptimizer, type Optimizer, type OptimizerName } from '../../models/optimizers.js';
import { type BatchProgress, cosineLr, type EpochResult, Trainer } from '../../models/trainer.js';
import { Checkpointer, readCheckpoint } from '../../node/checkpointFile.js';
import { startParallelKernels } from '../../node/parallel.js';
import { type LoadedData, loadTrainingData } from '../../node/trainingData.js';
import { writeTrainingRun } from '../../node/trainingRun.js';
import { epochTableHeader, epochTableRow } from '../../reports/trainingReport.js';
import { RandomState } from '../../tensor/random.js';
import { type OptionSpecs, optGiven, optionValues } from '../args.js';
import type { Command, CommandIO } from '../command.js';

const FN = 'losslab train';

function parseHidden(text: string): number[] {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length === 0 || !parts.every((h) => Number.isInteger(h) && h >= 1)) {
    fail({
      fn: FN,
      argument: '--hidden',
      value: formatValue(text),
      rule: 'it must be a positive integer or a comma-separated list of them (e.g. 256 or 256,128)',
    });
  }
  return parts;
}

/** A progress bar on stderr: redrawn in place on a terminal, a plain line per quarter epoch otherwise. */
function progressReporter(io: CommandIO): { onBatch: (p: BatchProgress) => void; clear: () => void } {
  let lastDraw = 0;
  let lastQuarter = -1;
  let drawn = false;
  return {
    onBatch(p) {
      const frac = p.rowsDone / p.rows;
      const text = `epoch ${p.epoch}/${p.epochs} ${bar(frac)} ${(100 * frac).toFixed(0).padStart(3)}%  loss ${p.loss.toFixed(4)}  acc ${(100 * p.accuracy).toFixed(2)}%`;
      if (io.isTTY) {
        const now = performance.now();
        if (now - lastDraw < 100 && frac < 1) return;
        lastDraw = now;
        io.stderr(`\r${text}\x1b[K`);
        drawn = true;
      } else {
        const quarter = Math.floor(frac * 4);
        if (quarter !== lastQuarter && quarter > 0) io.stderr(`${text}\n`);
        lastQuarter = frac >= 1 ? -1 : quarter;
      }
    },
    clear() {
      if (drawn) io.stderr('\r\x1b[K');
      drawn = false;
    },
  };
}

function bar(frac: number): string {
  const width = 24;
  const full = Math.round(frac * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}

const options = {
  dataset: {
    type: 'string',
    description: 'fashion-mnist, or your data: X.npy (labels y.npy beside it or --labels), a folder with X.npy and y.npy, or a CSV with a label column',
    default: 'fashion-mnist',
  },
  labels: { type: 'string', description: 'labels .npy for --dataset X.npy (default: the sibling named y…)' },
  'label-column': { type: 'string', description: 'label column of a CSV dataset (default: "label", else the last column)' },
  model: {
    type: 'string',
    choices: ['softmax', 'mlp', 'cnn'],
    description: 'softmax regression (the fused step), an MLP with ReLU hidden layers, or LeNet-5 (cnn); mlp and cnn are nn modules (docs/nn.md)',
    default: 'softmax',
  },
  hidden: { type: 'string', description: 'hidden layer sizes of the MLP, e.g. 256 or 256,128', default: '256' },
  epochs: { type: 'integer', min: 1, description: 'passes over the training data', default: 10 },
  lr: { type: 'number', min: 0, exclusiveMin: true, description: 'learning rate (default 0.1 for sgd, 0.001 for adam)' },
  'lr-schedule': {
    type: 'string',
    choices: ['constant', 'cosine'],
    description:
      "learning rate per epoch: constant, or cosine annealing to 0 (PyTorch's CosineAnnealingLR, T_max = --epochs) (default constant; cosine for cnn)",
  },
  'batch-size': { type: 'integer', min: 1, description: 'minibatch size (default 256; 64 for cnn)' },
  optimizer: { type: 'string', choices: ['sgd', 'adam'], description: 'minibatch SGD (torch.optim.SGD) or Adam (torch.optim.Adam)', default: 'sgd' },
  momentum: { type: 'number', min: 0, max: 0.999999, description: 'SGD momentum (default 0; 0.9 for cnn)' },
  'weight-decay': { type: 'number', min: 0, description: 'L2 penalty added to the gradient', default: 0 },
  init: {
    type: 'string',
    choices: ['d2l', 'pytorch'],
    description: 'weight init: d2l N(0, 0.01²) with b = 0, or PyTorch nn.Linear / nn.Conv2d U(±1/√fanIn) (default d2l; pytorch for cnn)',
  },
  seed: { type: 'integer', min: 0, max: 4294967295, description: 'seed of the NumPy-style RandomState for the init and the shuffles', default: 0 },
  limit: { type: 'integer', min: 1, description: 'train on the first N shuffled training rows (and test on N test rows): for quick runs and tests' },
  threads: {
    type: 'integer',
    min: 1,
    max: 2,
    description:
      "CPU threads of the WebAssembly kernels — the fused softmax-regression step, the matrix products and convolutions of mlp and cnn (default: 2 where the machine has 2 or more cores, like PyTorch's default of all cores; results differ from 1 thread only in float32 rounding)",
  },
  out: { type: 'string', alias: 'o', description: 'output folder for the model, metrics, figures and images (default runs/<model>)' },
  resume: { type: 'boolean', description: 'finish an interrupted or killed run from the checkpoint in --out' },
  'checkpoint-steps': {
    type: 'integer',
    min: 1,
    description: 'also write the checkpoint every N steps within an epoch (it is written at every epoch end and on Ctrl-C)',
  },
  'checkpoint-seconds': {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    description: 'also write the checkpoint when this many seconds have passed since the last one',
    default: 60,
  },
  lang: { type: 'string', choices: ['en', 'zh'], description: 'language of class names and figures', default: 'en' },
  figures: {
    type: 'boolean',
    description: 'render the training-curve and confusion-matrix figures as SVG and PNG (--no-figures skips them: rasterising takes seconds)',
    default: true,
  },
} as const satisfies OptionSpecs;

export const command: Command = {
  name: 'train',
  summary: 'train softmax regression, an MLP or LeNet-5 on Fashion-MNIST or your data',
  usage:
    'train [--dataset fashion-mnist|FILE] [--model softmax|mlp|cnn] [--hidden 256] [--epochs N] [--lr R] [--lr-schedule constant|cosine] [--batch-size B] [--optimizer sgd|adam] [--momentum M] [--weight-decay W] [--seed S] [--limit N] [--threads 1|2] [--out runs/NAME] [--resume] [--checkpoint-steps N] [--checkpoint-seconds S]',
  options,

  async run(args, io) {
    const o = optionValues(args, options);
    const modelName = o.model;
    if (args.positionals.length > 0)
      fail({ fn: FN, argument: formatValue(args.positionals[0]), rule: 'train takes no positional arguments', fix: 'Use --dataset FILE.' });
    if (modelName !== 'mlp' && optGiven(args, options, 'hidden')) {
      fail({
        fn: FN,
        argument: '--hidden',
        value: formatValue(o.hidden),
        rule: modelName === 'softmax' ? 'softmax regression has no hidden layers' : 'LeNet-5 has fixed layers',
        fix: 'Add --model mlp, or drop --hidden.',
      });
    }
    // lr, batch size, momentum and init have no single default: LeNet-5 and Adam get their own (see the option texts).
    const cnn = modelName === 'cnn';
    const optimizerName: OptimizerName = o.optimizer;
    const config = {
      dataset: o.dataset,
      model: modelName,
      hidden: modelName === 'mlp' ? parseHidden(o.hidden) : [],
      epochs: o.epochs,
      lr: o.lr ?? (optimizerName === 'adam' ? 0.001 : cnn ? 0.05 : 0.1),
      lrSchedule: o['lr-schedule'] ?? (cnn ? 'cosine' : 'constant'),
      batchSize: o['batch-size'] ?? (cnn ? 64 : 256),
      optimizer: optimizerName,
      momentum: o.momentum ?? (cnn && optimizerName === 'sgd' ? 0.9 : 0),
      weightDecay: o['weight-decay'],
      init: o.init ?? (cnn ? 'pytorch' : 'd2l'),
      seed: o.seed,
      limit: o.limit ?? null,
    };
    const lang = o.lang;
    const out = resolve(io.cwd, o.out ?? join('runs', modelName));
    const resume = o.resume === true;

    const data = loadTrainingData({
      dataset: config.dataset,
      labels: o.labels,
      labelColumn: o['label-column'],
      lang,
      cwd: io.cwd,
      seed: config.seed,
      limit: config.limit ?? undefined,
    });
    io.stderr(`data: ${data.description}\n`);
    const rng = new RandomState(config.seed);
    const classes = Math.max(data.train.numClasses, data.test.numClasses);
    const network = buildNetwork(modelName, data, config.hidden, classes, rng, config.init, config.batchSize);
    const optimizer = createOptimizer({ name: config.optimizer, lr: config.lr, momentum: config.momentum, weightDecay: config.weightDecay });
    const threads = o.threads ?? Math.min(2, availableParallelism());
    const figures = o.figures;
    const checkpointSteps = o['checkpoint-steps'];
    const checkpointSeconds = o['checkpoint-seconds'];
    return withThreads(threads, () => train({ out, resume, config, data, network, optimizer, rng, lang, figures, checkpointSteps, checkpointSeconds }, io));
  },
};

/** Runs `body` with the kernels on `threads` CPU threads (a worker pool for the WebAssembly kernels), then restores the backend. */
async function withThreads<T>(threads: number, body: () => Promise<T>): Promise<T> {
  const previousBackend = kernelBackend();
  // the second thread serves the WebAssembly kernels (not the TypeScript kernels of LOSSLAB_KERNELS=ts)
  const pool = threads > 1 && previousBackend.softmaxRegression ? startParallelKernels() : null;
  if (pool) setKernelBackend(pool.backend);
  try {
    return await body();
  } finally {
    setKernelBackend(previousBackend);
    await pool?.close();
  }
}

/** One run of `losslab train`, its settings resolved. */
interface TrainingRun {
  readonly out: string;
  readonly resume: boolean;
  readonly config: Readonly<Record<string, unknown>> & {
    readonly model: 'softmax' | 'mlp' | 'cnn';
    readonly lr: number;
    readonly epochs: number;
    readonly batchSize: number;
    readonly lrSchedule: string;
  };
  readonly data: LoadedData;
  readonly network: ClassifierNetwork;
  readonly optimizer: Optimizer;
  readonly rng: RandomState;
  readonly lang: Lang;
  readonly figures: boolean;
  readonly checkpointSteps: number | undefined;
  readonly checkpointSeconds: number;
}

/**
 * Trains (from the checkpoint in `out` with `resume`), printing the epoch table and a progress bar;
 * on Ctrl-C writes a checkpoint and returns 130, otherwise writes the run's folder
 * (src/node/trainingRun.ts) and removes the checkpoint.
 */
async function train(run: TrainingRun, io: CommandIO): Promise<number> {
  const { out, config, data, network } = run;
  const progress = progressReporter(io);
  const onEpoch = (r: EpochResult): void => {
    progress.clear();
    io.stdout(`${epochTableRow(r)}\n`);
    if (!Number.isFinite(r.trainLoss)) {
      fail({
        fn: FN,
        argument: '--lr',
        value: formatValue(config.lr),
        rule: `training diverged: the train loss of epoch ${r.epoch} is ${formatValue(r.trainLoss)}`,
        fix: 'Lower the learning rate (or scale your features to about [0, 1]).',
      });
    }
  };
  // MLPs and CNNs gather each minibatch: float32 features once up front (bit-identical) make that a row copy.
  // Softmax regression's fused step lays the rows out itself (sparse when mostly zeros), from bytes.
  const trainer = new Trainer(network, config.model === 'softmax' ? data.train : toFloat32(data.train), run.optimizer, {
    epochs: config.epochs,
    batchSize: config.batchSize,
    lrSchedule: config.lrSchedule === 'cosine' ? cosineLr(config.lr, config.epochs) : undefined,
    rng: run.rng,
    evaluate: (net) => accuracyOn(net, data.test),
    onBatch: progress.onBatch,
    onEpoch,
    afterStep: (epochEnded) => checkpointer?.afterStep(epochEnded),
    signal: io.signal,
  });
  io.stderr(`training step: ${trainer.stepKind} (kernels: ${kernelBackend().name})\n`);
  const summary = summarizeData(data.train);
  const checkpointer: Checkpointer = new Checkpointer(out, trainer, config as unknown as JsonObject, summary, {
    everySteps: run.checkpointSteps,
    everySeconds: run.checkpointSeconds,
  });
  if (run.resume) {
    const checkpoint = readCheckpoint(out, trainer, FN);
    checkSameRun(checkpoint, config as unknown as JsonObject, summary, FN);
    trainer.restore(checkpoint.snapshot);
    const s = checkpoint.snapshot;
    io.stderr(`resuming epoch ${s.epoch + 1} at row ${s.position} of ${data.train.n} from ${checkpointer.path}\n`);
  }
  io.stdout(`${epochTableHeader()}\n`);
  for (const r of trainer.history) io.stdout(`${epochTableRow(r)}\n`);
  const outcome = await trainer.run();
  progress.clear();
  if (!outcome.completed) {
    checkpointer.save();
    await checkpointer.flush();
    const s = trainer.snapshot();
    io.stderr(
      `interrupted in epoch ${s.epoch + 1} after ${s.position} of ${data.train.n} rows; checkpoint written to ${checkpointer.path}.\nFinish it with the same command plus --resume.\n`,
    );
    return 130;
  }
  await checkpointer.flush();
  const kind = config.model === 'softmax' ? 'softmax-regression' : config.model;
  const { evaluation, files } = await writeTrainingRun({ out, network, data, config, history: outcome.history, kind, lang: run.lang, figures: run.figures });
  io.stdout(`test accuracy ${(100 * evaluation.accuracy).toFixed(2)}% (${data.test.n} rows)\nwrote ${out}: ${files.join(', ')}\n`);
  await checkpointer.remove();
  return 0;
}

/**
 * The model of `--model`: softmax regression is the buffer-based `Network` (its fused WebAssembly
 * step); the MLP and LeNet-5 are nn modules (src/nn) behind the same interface, initialised from
 * `rng` — `d2l` N(0, 0.01²) weights and zero biases, or PyTorch's defaults.
 */
function buildNetwork(
  model: 'softmax' | 'mlp' | 'cnn',
  data: LoadedData,
  hidden: number[],
  classes: number,
  rng: RandomState,
  init: 'd2l' | 'pytorch',
  batchSize: number,
): ClassifierNetwork {
  if (model === 'softmax') {
    checkNetworkFits([data.train.features, classes], batchSize, { fn: FN, argument: '--dataset', value: `${data.train.features} features` });
    const network = new Network([data.train.features, classes]);
    network.initialize(rng, init);
    return network;
  }
  let architecture: Architecture;
  if (model === 'mlp') {
    architecture = { kind: 'mlp', sizes: [data.train.features, ...hidden, classes] };
    checkNetworkFits(architecture.sizes, batchSize, { fn: FN, argument: '--hidden', value: formatValue(hidden.join(',')) }, 'module');
  } else {
    const shape = data.train.imageShape;
    if (!shape || lenetFeatures(shape[0], shape[1]) === 0) {
      fail({
        fn: FN,
        argument: '--model',
        value: '"cnn"',
        rule: shape
          ? `LeNet-5 needs images of at least 12×12 pixels, and these are ${shape[0]}×${shape[1]}`
          : 'LeNet-5 needs image data (this dataset has plain feature rows)',
        fix: 'Use --model mlp for feature rows.',
      });
    }
    architecture = { kind: 'lenet5', imageShape: [shape[0], shape[1]], classes };
  }
  return new ModuleNetwork(architecture, buildModule(architecture, 'float32', rng, init));
}
