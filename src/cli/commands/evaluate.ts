import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fail } from '../../errors.js';
import { decodeModel, MODEL_HEADER_FILE, MODEL_WEIGHTS_FILE, type SavedModel } from '../../models/serialize.js';
import { confusionCsv, evaluateNetwork, formatEvaluation } from '../../reports/trainingReport.js';
import { writeFileAtomic } from '../../node/atomicWrite.js';
import { loadTrainingData } from '../../node/trainingData.js';
import { optionValues, type OptionSpecs } from '../args.js';
import type { Command } from '../command.js';

/** Reads a model folder written by `losslab train` (model.json + model.bin), with errors naming the files. */
export function loadModelDir(dir: string, fn: string, argument = '--model'): SavedModel {
  const headerPath = join(dir, MODEL_HEADER_FILE);
  const blobPath = join(dir, MODEL_WEIGHTS_FILE);
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
  } catch {
    fail({ fn, argument, value: JSON.stringify(dir), rule: 'it must be a model folder written by `losslab train --out DIR`' });
  }
  let header: string;
  let blob: Uint8Array;
  try {
    header = readFileSync(headerPath, 'utf8');
  } catch {
    return fail({
      fn,
      argument,
      value: JSON.stringify(headerPath),
      rule: 'the model header must exist and be readable',
      fix: 'Is this a folder written by `losslab train --out DIR`? An interrupted run has only a checkpoint: finish it with --resume.',
    });
  }
  try {
    blob = readFileSync(blobPath);
  } catch {
    return fail({ fn, argument, value: JSON.stringify(blobPath), rule: 'the model weights must exist and be readable' });
  }
  return decodeModel(header, blob, headerPath, blobPath);
}

const options = {
  model: { type: 'string', description: 'model folder written by losslab train --out' },
  dataset: { type: 'string', description: 'fashion-mnist (its test split), or your data (scored on the 20% held out with --seed)', default: 'fashion-mnist' },
  labels: { type: 'string', description: 'labels .npy for --dataset X.npy' },
  'label-column': { type: 'string', description: 'label column of a CSV dataset' },
  seed: { type: 'integer', min: 0, max: 4294967295, description: 'seed of the 80/20 split of your data (as in train)', default: 0 },
  limit: { type: 'integer', min: 1, description: 'score only N shuffled test rows' },
  out: { type: 'string', alias: 'o', description: 'also write the confusion matrix as CSV' },
  lang: { type: 'string', choices: ['en', 'zh'], description: 'language of the class names', default: 'en' },
} as const satisfies OptionSpecs;

export const command: Command = {
  name: 'evaluate',
  summary: 'accuracy, per-class precision/recall and confusion matrix of a saved model',
  usage: 'evaluate --model DIR [--dataset fashion-mnist|FILE] [--limit N] [--out confusion.csv]',
  options,

  async run(args, io) {
    const fn = 'losslab evaluate';
    const o = optionValues(args, options);
    const dir = o.model;
    if (dir === undefined) fail({ fn, argument: '--model', rule: 'it is required (the folder written by losslab train --out)' });
    const model = loadModelDir(resolve(io.cwd, dir), fn);
    const data = loadTrainingData({
      dataset: o.dataset,
      labels: o.labels,
      labelColumn: o['label-column'],
      lang: o.lang,
      cwd: io.cwd,
      seed: o.seed,
      limit: o.limit,
    });
    const test = data.test;
    if (test.features !== model.network.inputSize) {
      fail({ fn, argument: '--dataset', value: `${test.features} features per row`, rule: `the model takes ${model.network.inputSize} inputs per row` });
    }
    if (Math.abs(test.scale - model.inputScale) > 1e-12 * model.inputScale) {
      fail({ fn, argument: '--dataset', value: `inputs scaled by ${test.scale}`, rule: `the model was trained on inputs scaled by ${model.inputScale}` });
    }
    if (test.numClasses > model.network.numClasses) {
      fail({ fn, argument: '--dataset', value: `${test.numClasses} classes`, rule: `the model predicts ${model.network.numClasses} classes` });
    }
    const evaluation = evaluateNetwork(model.network, { ...test, classNames: test.classNames ?? model.classNames ?? undefined });
    io.stdout(`model ${resolve(io.cwd, dir)} (${model.kind}, ${model.network.describe()})\ndata: ${data.description}\n\n${formatEvaluation(evaluation)}`);
    const out = o.out;
    if (out !== undefined) {
      writeFileAtomic(resolve(io.cwd, out), confusionCsv(evaluation));
      io.stdout(`wrote ${resolve(io.cwd, out)}\n`);
    }
    return 0;
  },
};
