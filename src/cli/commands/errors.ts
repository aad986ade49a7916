import { basename, resolve } from 'node:path';
import type { CsvColumnRequest } from '../../data/csv.js';
import { fail, formatValue } from '../../errors.js';
import { analyzeErrors, errorSummaryText, type ErrorReport } from '../../mistakes/analyzeErrors.js';
import { imageFeatures } from '../../mistakes/imageFeatures.js';
import { writeFileAtomic } from '../../node/atomicWrite.js';
import { readCsvColumns, readCsvHeader } from '../../node/csvFile.js';
import { loadTrainingData } from '../../node/trainingData.js';
import { evaluateNetwork } from '../../reports/trainingReport.js';
import type { Column, Table } from '../../shift/table.js';
import { stringifyJson } from '../../data/jsonNumbers.js';
import { optionValues, type OptionSpecs, type OptionValues } from '../args.js';
import { CATEGORICAL_OPTION, columnList } from '../columns.js';
import type { Command, CommandIO } from '../command.js';
import { loadModelDir } from './evaluate.js';

const FN = 'losslab errors';

/** Reads the CSV's label, prediction, confidence and feature columns (numbers where every value parses, else text). */
async function readTable(
  path: string,
  wanted: { label: string; pred: string; confidence?: string; features?: string[]; categorical: string[] },
): Promise<Table> {
  const header = await readCsvHeader(path, { source: path });
  const roles = [wanted.label, wanted.pred, ...(wanted.confidence !== undefined ? [wanted.confidence] : [])];
  for (const [name, option] of [
    [wanted.label, '--label'],
    [wanted.pred, '--pred'],
    ...(wanted.confidence !== undefined ? [[wanted.confidence, '--confidence']] : []),
    ...(wanted.features ?? []).map((f) => [f, '--features']),
  ])
    if (!header.includes(name))
      fail({
        fn: FN,
        argument: option,
        value: formatValue(name),
        rule: `${basename(path)} has no such column`,
        fix: `Its columns are ${header.map((h) => JSON.stringify(h)).join(', ')}.`,
      });
  const features = wanted.features ?? header.filter((h) => !roles.includes(h));
  const requests: CsvColumnRequest[] = [
    { name: wanted.label, type: 'string', argument: '--label' },
    { name: wanted.pred, type: 'string', argument: '--pred' },
    ...(wanted.confidence !== undefined ? [{ name: wanted.confidence, type: 'number' as const, argument: '--confidence' }] : []),
    ...features.filter((f) => !roles.includes(f)).map((name): CsvColumnRequest => ({ name, type: wanted.categorical.includes(name) ? 'string' : 'auto' })),
  ];
  const csv = await readCsvColumns(path, requests, { source: path });
  const columns: Column[] = requests.map((r) => {
    const c = csv.columns.get(r.name);
    if (!c) return fail({ fn: FN, argument: r.argument ?? '--features', value: formatValue(r.name), rule: 'the file has no such column' });
    return c.kind === 'number'
      ? { name: r.name, kind: 'numeric', values: c.values }
      : { name: r.name, kind: 'categorical', values: c.values.map((v) => (v ?? '').trim()) };
  });
  return { nRows: csv.rowCount, columns };
}

/** The trained model's predictions on a dataset's test split, with the true class and simple image features as slicing features. */
function modelTable(dir: string, o: ErrorsOptions, io: CommandIO): { table: Table; source: string } {
  const model = loadModelDir(resolve(io.cwd, dir), FN);
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
  if (test.features !== model.network.inputSize)
    fail({ fn: FN, argument: '--dataset', value: `${test.features} features per row`, rule: `the model takes ${model.network.inputSize} inputs per row` });
  const classNames = test.classNames ?? model.classNames ?? undefined;
  const evaluation = evaluateNetwork(model.network, { ...test, classNames });
  const names = evaluation.classNames;
  const c = names.length;
  const columns: Column[] = [
    { name: 'class', kind: 'categorical', values: Array.from(test.y, (y) => names[y]) },
    ...(test.imageShape ? imageFeatures(test.x, test.n, test.imageShape, test.scale) : []),
    { name: 'label', kind: 'categorical', values: Array.from(test.y, (y) => names[y]) },
    { name: 'prediction', kind: 'categorical', values: Array.from(evaluation.predictions, (p) => names[p]) },
    { name: 'confidence', kind: 'numeric', values: Float64Array.from(evaluation.predictions, (p, i) => evaluation.probabilities[i * c + p]) },
  ];
  return { table: { nRows: test.n, columns }, source: `model ${dir} (${model.kind}) on ${data.description}` };
}

const options = {
  label: { type: 'string', description: 'true-label column' },
  pred: { type: 'string', description: 'prediction column' },
  features: { type: 'string', description: 'columns to slice on, comma-separated (default: all but label/pred/confidence)' },
  categorical: CATEGORICAL_OPTION,
  confidence: { type: 'string', description: "column with the model's probability of its prediction (lists the most confidently wrong rows)" },
  model: { type: 'string', description: 'a model folder written by losslab train: analyse its predictions on the test split' },
  dataset: {
    type: 'string',
    description: 'with --model: fashion-mnist (its test split) or your data (the 20% held out with --seed)',
    default: 'fashion-mnist',
  },
  labels: { type: 'string', description: 'with --model: labels .npy for --dataset X.npy' },
  'label-column': { type: 'string', description: 'with --model: label column of a CSV dataset' },
  seed: { type: 'integer', min: 0, max: 4294967295, description: 'with --model: seed of the 80/20 split of your data (as in train)', default: 0 },
  limit: { type: 'integer', min: 1, description: 'with --model: analyse only N shuffled test rows' },
  lang: { type: 'string', choices: ['en', 'zh'], description: 'language of the class names', default: 'en' },
  'max-level': { type: 'integer', min: 1, max: 3, description: 'most predicates per slice', default: 3 },
  'min-support': { type: 'integer', min: 1, description: 'fewest rows per slice (default max(20, 1% of the rows))' },
  bins: { type: 'integer', min: 2, max: 20, description: 'quantile bins per numeric feature', default: 5 },
  alpha: { type: 'number', min: 0, exclusiveMin: true, max: 0.5, description: 'false-discovery rate (Benjamini–Hochberg) of the slice tests', default: 0.05 },
  top: { type: 'integer', min: 1, description: 'slices, confusion pairs and confident mistakes to list', default: 10 },
  json: { type: 'string', description: 'write the JSON report here (schema losslab.errors/1)' },
} as const satisfies OptionSpecs;

type ErrorsOptions = OptionValues<typeof options>;

export const command: Command = {
  name: 'errors',
  summary: 'where does a model fail? error slices, confusion pairs, confident mistakes',
  usage:
    'errors DATA.csv --label COL --pred COL [--features a,b,c] [--confidence COL] [--max-level 3] [--min-support N] [--bins 5] [--alpha 0.05] [--top 10] [--json out.json]\n       losslab errors --model DIR [--dataset fashion-mnist|FILE] [--limit N] [same options]',
  options,
  async run(args, io) {
    const o = optionValues(args, options);
    const sliceOptions = { maxLevel: o['max-level'], minSupport: o['min-support'], bins: o.bins, alpha: o.alpha, topK: o.top, top: o.top };
    let report: ErrorReport;
    let source: string;
    if (o.model !== undefined) {
      if (args.positionals.length > 0)
        fail({
          fn: FN,
          argument: 'DATA.csv',
          value: formatValue(args.positionals[0]),
          rule: 'with --model the data comes from --dataset',
          fix: 'Leave out the file, or leave out --model.',
        });
      for (const option of ['label', 'pred', 'confidence'] as const)
        if (o[option] !== undefined)
          fail({ fn: FN, argument: `--${option}`, rule: 'with --model the labels, predictions and confidences come from the model' });
      const m = modelTable(o.model, o, io);
      source = m.source;
      report = analyzeErrors(m.table, {
        label: 'label',
        pred: 'prediction',
        confidence: 'confidence',
        features: columnList(o.features, '--features', FN),
        ...sliceOptions,
      });
    } else {
      if (args.positionals.length !== 1)
        fail({
          fn: FN,
          argument: 'DATA.csv',
          value: args.positionals.length === 0 ? 'missing' : `${args.positionals.length} files`,
          rule: 'it needs one CSV file with label and prediction columns',
          fix: "Or analyse a trained model: 'losslab errors --model runs/NAME'.",
        });
      const { label, pred, confidence } = o;
      if (label === undefined) fail({ fn: FN, argument: '--label', rule: 'it is required: the column of true labels' });
      if (pred === undefined) fail({ fn: FN, argument: '--pred', rule: "it is required: the column of the model's predictions" });
      const path = resolve(io.cwd, args.positionals[0]);
      const features = columnList(o.features, '--features', FN);
      const table = await readTable(path, { label, pred, confidence, features, categorical: columnList(o.categorical, '--categorical', FN) ?? [] });
      source = basename(path);
      report = analyzeErrors(table, { label, pred, confidence, features, ...sliceOptions });
    }
    io.stdout(errorSummaryText(report, source));
    const { json } = o;
    if (json !== undefined) {
      writeFileAtomic(resolve(io.cwd, json), `${stringifyJson(report, 1)}\n`, '--json');
      io.stderr(`wrote ${json}\n`);
    }
    return 0;
  },
};
