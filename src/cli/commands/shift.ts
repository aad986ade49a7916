import { basename, resolve } from 'node:path';
import { fail, formatValue } from '../../errors.js';
import { writeFileAtomic } from '../../node/atomicWrite.js';
import { renderShiftFigures } from '../../node/shiftFigures.js';
import { type Roles, readTables } from '../../node/shiftTables.js';
import { shiftReportHtml, shiftReportJson } from '../../reports/shiftReport.js';
import { collectEvidence, type ShiftEvidence, shiftReportFromEvidence } from '../../shift/analyze.js';
import { DEMO_KINDS, makeDemo } from '../../shift/demo.js';
import { EMBEDDING_METHODS, type EmbeddingProgress } from '../../shift/embedding.js';
import { evidenceFromSummaries } from '../../shift/summaries.js';
import { shiftSummaryText } from '../../shift/summary.js';
import { tableCsv } from '../../shift/table.js';
import { ENCODING_OPTION, type OptionSpecs, optionValues, type ParsedArgs } from '../args.js';
import { CATEGORICAL_OPTION, columnList } from '../columns.js';
import { type Command, type CommandIO, stopIfInterrupted } from '../command.js';
import { databaseOptions, readSummaries, scanWithDatabase, wantsDatabase } from '../shiftDatabase.js';
import { datasetTable, fashionMnistSplits, featureSourceNote, loadFeatureModel, penultimateTable, tableThroughModel, varyingFeatures } from '../shiftInputs.js';

const FN = 'losslab shift';

/** A progress bar for the embedding on stderr: redrawn in place on a terminal, a line per quarter otherwise. */
function embeddingProgressBar(io: CommandIO): { onProgress: (p: EmbeddingProgress) => void; clear: () => void } {
  let lastDraw = 0;
  let lastQuarter = 0;
  let drawn = false;
  return {
    onProgress(p) {
      const frac = p.total > 0 ? p.done / p.total : 1;
      const width = 24;
      const full = Math.round(frac * width);
      const text = `embedding (${p.method === 'tsne' ? 't-SNE' : 'UMAP'}) [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${p.done}/${p.total}`;
      if (io.isTTY) {
        const now = performance.now();
        if (now - lastDraw < 100 && frac < 1) return;
        lastDraw = now;
        io.stderr(`\r${text}\x1b[K`);
        drawn = true;
      } else {
        const quarter = Math.floor(frac * 4);
        if (quarter > lastQuarter) io.stderr(`${text}\n`);
        lastQuarter = quarter;
      }
    },
    clear() {
      if (drawn) io.stderr('\r\x1b[K');
      drawn = false;
    },
  };
}

const options = {
  label: { type: 'string', description: 'label column (class proportions; with --pred: black-box shift estimation)' },
  group: { type: 'string', description: 'group column (user, patient, device): groups on both sides, per-group accuracy' },
  time: { type: 'string', description: 'time column (numbers or ISO dates): overlapping time ranges' },
  pred: { type: 'string', description: 'prediction column (out-of-sample predictions on training rows; predictions on validation rows)' },
  features: { type: 'string', description: 'feature columns, comma-separated (default: all but label/group/time/pred)' },
  categorical: CATEGORICAL_OPTION,
  report: { type: 'string', description: 'write the self-contained HTML report here' },
  json: { type: 'string', description: 'write the JSON report here (schema: docs/shift-report.md)' },
  seed: { type: 'integer', description: 'seed for subsampling, permutations, CV folds and UMAP', default: 0, min: 0, max: 4294967295 },
  alpha: { type: 'number', description: 'family-wise significance level of the verdict', default: 0.05, min: 0, exclusiveMin: true, max: 0.5 },
  missing: {
    type: 'string',
    description: 'missing values in feature columns: keep (tests use the non-missing values) or error',
    choices: ['keep', 'error'],
    default: 'keep',
  },
  encoding: ENCODING_OPTION,
  embedding: {
    type: 'string',
    description: 'the 2-D embedding of the HTML/JSON reports: UMAP, t-SNE (scikit-learn TSNE defaults) or none',
    choices: [...EMBEDDING_METHODS, 'none'],
    default: 'umap',
  },
  'no-embedding': { type: 'boolean', description: 'same as --embedding none' },
  'embedding-rows': { type: 'integer', description: 'random rows per set in the embedding', default: 300, min: 2 },
  dataset: { type: 'string', description: "compare a dataset's training split with its test split instead of files", choices: ['fashion-mnist'] },
  limit: { type: 'integer', description: 'with --dataset: a seeded random N rows of each split', min: 2 },
  'features-from': {
    type: 'string',
    description: "a model folder of 'losslab train' (MLP or CNN): compare its penultimate-layer features instead of the raw columns",
  },
  demo: { type: 'string', description: 'analyse synthetic data with a known shift instead of files', choices: [...DEMO_KINDS] },
  'out-dir': { type: 'string', description: 'with --demo: write train.csv, valid.csv, report.html and report.json here' },
  ...databaseOptions,
} as const satisfies OptionSpecs;

export const command: Command = {
  name: 'shift',
  summary: 'is my validation set like my training set? shift and leakage report',
  usage:
    'shift TRAIN.csv VALID.csv [--label COL] [--group COL] [--time COL] [--pred COL] [--features a,b,c] [--report report.html] [--json out.json] [--seed S] [--embedding umap|tsne|none] [--features-from runs/NAME]\n       losslab shift --dataset fashion-mnist [--limit N] [same options]\n       losslab shift TRAIN.parquet VALID.parquet (or globs; CSV with --engine duckdb) [same options]\n       losslab shift --db FILE.duckdb|:memory: --train-sql SQL --valid-sql SQL [same options]\n       losslab shift --from-summaries TRAIN.json VALID.json\n       losslab shift --demo none|covariate|label|group-leak|time [--out-dir DIR]',
  options,
  async run(args: ParsedArgs, io: CommandIO): Promise<number> {
    const o = optionValues(args, options);
    const db = { positionals: args.positionals, values: o };
    const { demo, seed, limit } = o;
    const outDir = o['out-dir'];
    if (outDir !== undefined && demo === undefined)
      fail({
        fn: FN,
        argument: '--out-dir',
        value: formatValue(outDir),
        rule: 'it only applies with --demo',
        fix: 'Use --report and --json to choose output files.',
      });
    const datasetName = o.dataset;
    const featuresFrom = o['features-from'];
    if (limit !== undefined && datasetName === undefined)
      fail({
        fn: FN,
        argument: '--limit',
        value: String(limit),
        rule: 'it only applies with --dataset',
        fix: 'Subsample your files before, or use --dataset fashion-mnist.',
      });
    if (featuresFrom !== undefined && (demo !== undefined || o['from-summaries'] === true || wantsDatabase(db)))
      fail({
        fn: FN,
        argument: '--features-from',
        value: formatValue(featuresFrom),
        rule: 'it applies to two CSV files or to --dataset, not to --demo, summaries or database sources',
      });
    if (o.encoding !== 'utf8' && (demo !== undefined || datasetName !== undefined || o['from-summaries'] === true || wantsDatabase(db)))
      fail({
        fn: FN,
        argument: '--encoding',
        value: formatValue(o.encoding),
        rule: 'it applies to two CSV files read by losslab, not to --demo, --dataset, summaries or database sources',
      });
    const embeddingMethod = o['no-embedding'] === true ? 'none' : o.embedding;
    let evidence: ShiftEvidence;
    let roles: Roles;
    let features: string[] | undefined;
    let names: { train: string; valid: string };
    let note: string | undefined;
    let reportPath = o.report;
    let jsonPath = o.json;
    if (demo !== undefined) {
      if (args.positionals.length > 0)
        fail({ fn: FN, argument: 'TRAIN.csv', value: formatValue(args.positionals[0]), rule: '--demo builds its own data, so it takes no files' });
      const data = makeDemo(demo, { seed });
      const { train, valid } = data;
      roles = { label: data.label, group: data.group, time: data.time, pred: data.pred };
      evidence = collectEvidence(train, valid, { ...roles, seed });
      names = { train: `demo ${demo} (train)`, valid: `demo ${demo} (valid)` };
      note = `Demo data (seed ${seed}) with a known answer — ${data.truth}.`;
      if (outDir !== undefined) {
        const dir = resolve(io.cwd, outDir);
        writeFileAtomic(resolve(dir, 'train.csv'), tableCsv(train), '--out-dir');
        writeFileAtomic(resolve(dir, 'valid.csv'), tableCsv(valid), '--out-dir');
        reportPath ??= resolve(dir, 'report.html');
        jsonPath ??= resolve(dir, 'report.json');
      }
    } else if (datasetName !== undefined) {
      if (args.positionals.length > 0)
        fail({
          fn: FN,
          argument: 'TRAIN.csv',
          value: formatValue(args.positionals[0]),
          rule: '--dataset compares the training split with the test split, so it takes no files',
        });
      const fm = fashionMnistSplits(seed, limit);
      let train = datasetTable(fm.train);
      let valid = datasetTable(fm.test);
      if (featuresFrom !== undefined) {
        const model = loadFeatureModel(featuresFrom, io.cwd);
        train = penultimateTable(model, fm.train);
        valid = penultimateTable(model, fm.test);
        note = featureSourceNote(featuresFrom, model, train.columns.length - 1);
      }
      roles = { label: 'label' };
      const varying = varyingFeatures(
        train,
        valid,
        train.columns.map((c) => c.name).filter((n) => n !== 'label'),
      );
      features = varying.kept;
      if (varying.dropped.length > 0)
        note = `${note ? `${note}\n` : ''}Left out ${varying.dropped.length} constant column${varying.dropped.length === 1 ? '' : 's'} (one value in both sets): ${varying.dropped.slice(0, 8).join(', ')}${varying.dropped.length > 8 ? ', …' : ''}.`;
      evidence = collectEvidence(train, valid, { ...roles, features, seed });
      names = fm.names;
    } else if (o['from-summaries'] === true) {
      const read = readSummaries(args, io);
      roles = read.train.roles;
      evidence = evidenceFromSummaries(read.train, read.valid);
      names = read.names;
    } else if (wantsDatabase(db)) {
      roles = { label: o.label, group: o.group, time: o.time, pred: o.pred };
      const scanned = await scanWithDatabase(db, io, {
        roles,
        features: columnList(o.features, '--features', FN),
        categorical: columnList(o.categorical, '--categorical', FN),
        seed,
        missing: o.missing,
      });
      evidence = scanned.evidence;
      names = scanned.names;
    } else {
      if (args.positionals.length !== 2) {
        fail({
          fn: FN,
          argument: 'TRAIN.csv VALID.csv',
          value: args.positionals.length === 0 ? 'missing' : `${args.positionals.length} file${args.positionals.length === 1 ? '' : 's'}`,
          rule: 'it needs exactly two CSV files (training, then validation)',
          fix: "Or run 'losslab shift --demo covariate' to see a report.",
        });
      }
      const [trainPath, validPath] = args.positionals.map((p) => resolve(io.cwd, p));
      roles = { label: o.label, group: o.group, time: o.time, pred: o.pred };
      const read = await readTables(
        trainPath,
        validPath,
        roles,
        columnList(o.features, '--features', FN),
        columnList(o.categorical, '--categorical', FN),
        o.missing,
        o.encoding,
        io.signal,
      );
      await stopIfInterrupted(io);
      features = read.features;
      let { train, valid } = read;
      if (featuresFrom !== undefined) {
        const model = loadFeatureModel(featuresFrom, io.cwd);
        const through = tableThroughModel(model, train, features);
        train = through.table;
        valid = tableThroughModel(model, valid, features).table;
        const varying = varyingFeatures(train, valid, through.features);
        features = varying.kept;
        note = featureSourceNote(featuresFrom, model, through.features.length);
        if (varying.dropped.length > 0) note += ` Left out ${varying.dropped.length} constant (dead) unit${varying.dropped.length === 1 ? '' : 's'}.`;
      }
      evidence = collectEvidence(train, valid, { ...roles, features, seed });
      names = { train: basename(args.positionals[0]), valid: basename(args.positionals[1]) };
    }
    await stopIfInterrupted(io);
    const progress = embeddingProgressBar(io);
    const report = shiftReportFromEvidence(evidence, {
      ...roles,
      features,
      seed,
      alpha: o.alpha,
      embedding: embeddingMethod !== 'none' && (reportPath !== undefined || jsonPath !== undefined),
      embeddingMethod: embeddingMethod === 'none' ? undefined : embeddingMethod,
      embeddingRows: o['embedding-rows'],
      onEmbeddingProgress: progress.onProgress,
    });
    progress.clear();
    await stopIfInterrupted(io);
    io.stdout(shiftSummaryText(report, names));
    if (note) io.stdout(`\n${note}\n`);
    if (jsonPath !== undefined) {
      writeFileAtomic(resolve(io.cwd, jsonPath), shiftReportJson(report), '--json');
      io.stderr(`wrote ${jsonPath}\n`);
    }
    if (reportPath !== undefined) {
      const html = shiftReportHtml(report, { trainName: names.train, validName: names.valid, note }, await renderShiftFigures(report));
      await stopIfInterrupted(io);
      writeFileAtomic(resolve(io.cwd, reportPath), html, '--report');
      io.stderr(`wrote ${reportPath}\n`);
    }
    return 0;
  },
};
