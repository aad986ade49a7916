import { fail, formatValue } from '../errors.js';
import { RandomState } from '../tensor/random.js';
import { encodedNames, encodedSources, encodeRows, learnEncoding, type ColumnEncoding } from './design.js';
import { domainClassifierTest } from './domainClassifier.js';
import {
  categoricalFeatureTests,
  compareSorted,
  numericFeatureTests,
  tallyCategories,
  type CategoricalFeatureTests,
  type FeatureTests,
  type NumericFeatureTests,
} from './featureTests.js';
import { embedRows } from './embedding.js';
import { blackBoxShiftEstimation, labelShift, type BbseResult } from './labels.js';
import { exactDuplicates, groupOverlap, nearDuplicates, timeOverlap, timeValues, withinDuplicates } from './leakage.js';
import { mmdLinearTimeTest, mmdPermutationTest, type Matrix, type MmdResult } from './mmd.js';
import { benjaminiHochberg, bonferroni } from './multipleTesting.js';
import { sortedFinite } from './sortColumn.js';
import { subgroupAccuracy } from './subgroups.js';
import type { Column, Table } from './table.js';
import { buildAdvice } from './advice.js';
import { NEGLIGIBLE, type FeatureReport, type LabelsReport, type ShiftOptions, type ShiftReport } from './report.js';

const FN = 'losslab shift';

function textValues(column: Column): string[] {
  return column.kind === 'categorical' ? [...column.values] : Array.from(column.values, (v) => (Number.isNaN(v) ? '' : String(v)));
}

function requireColumn(table: Table, name: string, option: string, file: string): Column {
  const c = table.columns.find((col) => col.name === name);
  if (!c)
    fail({
      fn: FN,
      argument: option,
      value: formatValue(name),
      rule: `${file} has no such column`,
      fix: `The columns are ${table.columns.map((x) => JSON.stringify(x.name)).join(', ')}.`,
    });
  return c;
}

function numericFeature(name: string, a: Float64Array, b: Float64Array): NumericFeatureTests {
  const sa = sortedFinite(a);
  const sb = sortedFinite(b);
  return numericFeatureTests(name, compareSorted(name, sa, sb, { train: a.length - sa.length, valid: b.length - sb.length }));
}

function categoricalFeature(name: string, a: readonly string[], b: readonly string[]): CategoricalFeatureTests {
  const { counts, missing } = tallyCategories(a, b);
  return categoricalFeatureTests(name, counts, missing);
}

function isMaterial(f: FeatureTests): boolean {
  return f.kind === 'numeric'
    ? Math.abs(f.effectSize.value) >= NEGLIGIBLE.cohenD || f.psi >= NEGLIGIBLE.psi || f.ks.statistic >= 0.1
    : f.effectSize.value >= NEGLIGIBLE.cramerV;
}

/** A random subset of at most `max` row indices (all rows, shuffled, when fewer). */
function subsample(n: number, max: number, rs: RandomState): Int32Array {
  const perm = rs.permutation(n);
  return n <= max ? perm : perm.slice(0, max);
}

/**
 * What the report is computed from, however the data were read: per-feature tests on all rows,
 * the encoding learned on all training rows, the rows the multivariate tests read (all rows in
 * memory; a seeded sample when a database scans the data), label counts, leakage and subgroups.
 */
export interface ShiftEvidence {
  readonly rows: { train: number; valid: number };
  readonly featureTests: readonly FeatureTests[];
  readonly encoding: readonly ColumnEncoding[];
  readonly sample: { readonly train: Table; readonly valid: Table };
  readonly labels?: LabelsReport;
  readonly leakage: ShiftReport['leakage'];
  readonly subgroups?: ShiftReport['subgroups'];
  /** Set when the data came from a database or from summaries: how the multivariate sample was drawn. */
  readonly source?: ShiftReport['source'];
}

/**
 * Everything `losslab shift` reports, as one JSON-ready value: per-feature tests with effect sizes
 * and Bonferroni/BH-adjusted p-values, MMD and the domain classifier, label shift (and black-box
 * shift estimation with predictions), leakage checks, subgroup accuracy, an optional UMAP
 * embedding, an overall verdict and advice. Pure: tables in, report out (seeded, reproducible).
 *
 * Verdict: "shift" when any of three families rejects at α/3 (Bonferroni across families): the
 * smallest BH-adjusted feature p-value, the MMD permutation p-value, the domain classifier's AUC
 * p-value — so the false-alarm rate with identically distributed sets is at most ≈ α.
 */
export function analyzeShift(train: Table, valid: Table, options: ShiftOptions = {}): ShiftReport {
  return shiftReportFromEvidence(collectEvidence(train, valid, options), options);
}

/** Checks the roles and feature columns of two tables (the rules every source shares). */
export function checkShiftColumns(train: Table, valid: Table, options: ShiftOptions): readonly string[] {
  for (const [t, file] of [
    [train, 'the training file'],
    [valid, 'the validation file'],
  ] as const) {
    if (t.nRows < 2)
      fail({
        fn: FN,
        argument: file === 'the training file' ? 'TRAIN' : 'VALID',
        value: `${t.nRows} data row${t.nRows === 1 ? '' : 's'}`,
        rule: `${file} needs at least 2 data rows to compare distributions`,
      });
  }
  if (options.pred !== undefined && options.label === undefined) {
    fail({
      fn: FN,
      argument: '--pred',
      value: formatValue(options.pred),
      rule: 'predictions are only used together with --label (black-box shift estimation, per-group accuracy)',
      fix: 'Add --label COL, or leave out --pred.',
    });
  }
  const roles = [options.label, options.group, options.time, options.pred].filter((c): c is string => c !== undefined);
  for (const [name, option] of [
    [options.label, '--label'],
    [options.group, '--group'],
    [options.time, '--time'],
    [options.pred, '--pred'],
  ] as const) {
    if (name === undefined) continue;
    requireColumn(train, name, option, 'the training file');
    if (option !== '--pred' && option !== '--label') requireColumn(valid, name, option, 'the validation file');
  }
  const featureNames = options.features ?? train.columns.map((c) => c.name).filter((n) => !roles.includes(n));
  if (featureNames.length === 0)
    fail({
      fn: FN,
      argument: '--features',
      value: 'no columns',
      rule: 'at least one feature column is needed besides label, group, time and prediction columns',
    });
  for (const name of featureNames) {
    const ta = requireColumn(train, name, '--features', 'the training file');
    const va = requireColumn(valid, name, '--features', 'the validation file');
    if (ta.kind !== va.kind)
      fail({
        fn: FN,
        argument: `column ${JSON.stringify(name)}`,
        value: `${ta.kind} in the training file and ${va.kind} in the validation file`,
        rule: 'a column must have the same type in both files',
      });
  }

  return featureNames;
}

/** The evidence of two in-memory tables: every statistic on every row. */
export function collectEvidence(train: Table, valid: Table, options: ShiftOptions = {}): ShiftEvidence {
  const featureNames = checkShiftColumns(train, valid, options);
  // Per-feature tests.
  const featureTests = featureNames.map((name): FeatureTests => {
    const a = train.columns.find((c) => c.name === name) as Column;
    const b = valid.columns.find((c) => c.name === name) as Column;
    return a.kind === 'numeric' && b.kind === 'numeric' ? numericFeature(name, a.values, b.values) : categoricalFeature(name, textValues(a), textValues(b));
  });
  // Labels.
  let labels: ShiftReport['labels'];
  if (options.label !== undefined) {
    const trainLabels = textValues(requireColumn(train, options.label, '--label', 'the training file'));
    const validLabelColumn = valid.columns.find((c) => c.name === options.label);
    const validLabels = validLabelColumn ? textValues(validLabelColumn) : [];
    let bbse: BbseResult | undefined;
    const validPredColumn = options.pred !== undefined ? valid.columns.find((c) => c.name === options.pred) : undefined;
    if (options.pred !== undefined && validPredColumn) {
      bbse = blackBoxShiftEstimation(textValues(requireColumn(train, options.pred, '--pred', 'the training file')), trainLabels, textValues(validPredColumn));
    }
    if (validLabels.some((l) => l !== '')) labels = { ...labelShift(trainLabels, validLabels), ...(bbse ? { bbse } : {}) };
    else if (bbse) labels = { classes: bbse.classes, trainProportions: bbse.trainProportions, bbse };
  }

  // Leakage.
  const leakage: ShiftReport['leakage'] = {
    exactDuplicates: exactDuplicates(train, valid, featureNames),
    nearDuplicates: nearDuplicates(train, valid, featureNames),
    duplicatesWithin: { train: withinDuplicates(train, featureNames), valid: withinDuplicates(valid, featureNames) },
    ...(options.group !== undefined
      ? {
          groups: groupOverlap(
            textValues(requireColumn(train, options.group, '--group', 'the training file')),
            textValues(requireColumn(valid, options.group, '--group', 'the validation file')),
          ),
        }
      : {}),
    ...(options.time !== undefined
      ? (() => {
          const a = timeValues(requireColumn(train, options.time, '--time', 'the training file'), 'the training file');
          const b = timeValues(requireColumn(valid, options.time, '--time', 'the validation file'), 'the validation file');
          return { time: timeOverlap(a.values, b.values, a.scale) };
        })()
      : {}),
  };

  // Subgroups: accuracy of --pred against --label per --group, on the validation rows when they
  // carry both, else on the (held-out) training rows.
  let subgroups: ShiftReport['subgroups'];
  if (options.pred !== undefined && options.label !== undefined && options.group !== undefined) {
    const set = ['label', 'pred'].every((k) => valid.columns.some((c) => c.name === (k === 'label' ? options.label : options.pred))) ? 'valid' : 'train';
    const t = set === 'valid' ? valid : train;
    subgroups = {
      set,
      metric: 'accuracy',
      groups: subgroupAccuracy(
        textValues(requireColumn(t, options.pred, '--pred', `the ${set} file`)),
        textValues(requireColumn(t, options.label, '--label', `the ${set} file`)),
        textValues(requireColumn(t, options.group, '--group', `the ${set} file`)),
      ),
    };
  }

  return {
    rows: { train: train.nRows, valid: valid.nRows },
    featureTests,
    encoding: learnEncoding(train, featureNames),
    sample: { train, valid },
    ...(labels ? { labels } : {}),
    leakage,
    ...(subgroups ? { subgroups } : {}),
  };
}

/** Adjusted p-values, the multivariate tests on the evidence's rows, the verdict and advice. */
export function shiftReportFromEvidence(evidence: ShiftEvidence, options: ShiftOptions = {}): ShiftReport {
  const alpha = options.alpha ?? 0.05;
  const seed = options.seed ?? 0;
  const { train, valid } = evidence.sample;
  const partial = evidence.featureTests;
  const { labels, leakage, subgroups } = evidence;
  const pvalues = partial.map((f) => (f.kind === 'numeric' ? f.ks.pvalue : f.chi2.pvalue));
  const bonf = bonferroni(pvalues);
  const bh = benjaminiHochberg(pvalues);
  const features: FeatureReport[] = partial.map(
    (f, i) => ({ ...f, pvalueAdjusted: { bonferroni: bonf[i], bh: bh[i] }, flagged: bh[i] < alpha && isMaterial(f) }) as FeatureReport,
  );

  // Multivariate tests on the standardised / one-hot design matrix.
  const rs = new RandomState(seed);
  const encoding = evidence.encoding;
  const names = encodedNames(encoding);
  const sources = encodedSources(encoding);
  const mmdRows = options.mmdRows ?? 300;
  const mmdTrain = subsample(train.nRows, mmdRows, rs);
  const mmdValid = subsample(valid.nRows, mmdRows, rs);
  const mmd = {
    ...mmdPermutationTest(encodeRows(train, encoding, mmdTrain), encodeRows(valid, encoding, mmdValid), {
      nPermutations: options.mmdPermutations ?? 200,
      seed,
    }),
    rowsUsed: { train: mmdTrain.length, valid: mmdValid.length },
  };
  let mmdLinear: MmdResult | undefined;
  if (Math.min(train.nRows, valid.nRows) > mmdRows && Math.min(train.nRows, valid.nRows) >= 8) {
    // The linear-time statistic pairs rows up to the smaller set's size: encode only those rows.
    const cap = Math.min(100000, train.nRows, valid.nRows);
    mmdLinear = mmdLinearTimeTest(encodeRows(train, encoding, subsample(train.nRows, cap, rs)), encodeRows(valid, encoding, subsample(valid.nRows, cap, rs)), {
      sigma: mmd.sigma,
    });
  }
  const domainRows = options.domainRows ?? 5000;
  const dTrain = subsample(train.nRows, domainRows, rs);
  const dValid = subsample(valid.nRows, domainRows, rs);
  const nSplits = Math.min(5, dTrain.length, dValid.length);
  if (nSplits < 2) fail({ fn: FN, argument: 'VALID', value: `${valid.nRows} rows`, rule: 'the domain classifier needs at least 2 rows per file' });
  const domain = domainClassifierTest(encodeRows(train, encoding, dTrain), encodeRows(valid, encoding, dValid), names, { seed, nSplits });
  const multivariate: ShiftReport['multivariate'] = {
    mmd,
    ...(mmdLinear ? { mmdLinear } : {}),
    domainClassifier: {
      auc: domain.auc,
      ci: domain.ci,
      se: domain.se,
      pvalue: domain.pvalue,
      nSplits,
      rowsUsed: { train: dTrain.length, valid: dValid.length },
      iterations: domain.iterations,
      converged: domain.converged,
      drivers: domain.drivers.slice(0, 10).map((d) => ({ name: d.name, feature: sources[names.indexOf(d.name)], coefficient: d.coefficient })),
      effectiveSampleSize: domain.effectiveSampleSize,
      effectiveSampleFraction: domain.effectiveSampleSize / dTrain.length,
      importanceWeights: {
        calibration: domain.calibration,
        cap: domain.weights.cap,
        truncated: domain.weights.truncated,
        maxRawWeight: domain.weights.maxRawWeight,
        effectiveSampleSizeRaw: domain.weights.effectiveSampleSizeRaw,
      },
    },
  };

  let embedding: ShiftReport['embedding'];
  if (options.embedding ?? true) {
    const input = embeddingInput(evidence, options);
    const method = options.embeddingMethod ?? 'umap';
    embedding = { method, points: embedRows(input.train, input.valid, { method, seed }, options.onEmbeddingProgress) };
  }

  const level = alpha / 3;
  const minBh = Math.min(...features.map((f) => f.pvalueAdjusted.bh));
  const reasons: string[] = [];
  if (minBh < level) reasons.push(`per-feature tests: smallest BH-adjusted p = ${minBh.toPrecision(3)} < ${level.toPrecision(3)}`);
  if (mmd.pvalue < level) reasons.push(`MMD permutation test: p = ${mmd.pvalue.toPrecision(3)} < ${level.toPrecision(3)}`);
  if (domain.pvalue < level) reasons.push(`domain classifier: AUC = ${domain.auc.toFixed(3)}, p = ${domain.pvalue.toPrecision(3)} < ${level.toPrecision(3)}`);
  const shift = reasons.length > 0;
  const material = shift && (features.some((f) => f.flagged) || domain.auc >= NEGLIGIBLE.auc);
  const leak = leakage.exactDuplicates.validRows > 0 || (leakage.groups?.sharedGroups ?? 0) > 0 || (leakage.time?.overlaps ?? false);
  const base = {
    schema: 'losslab.shift/1' as const,
    rows: { ...evidence.rows },
    ...(evidence.source ? { source: evidence.source } : {}),
    alpha,
    seed,
    features,
    multivariate,
    ...(labels ? { labels } : {}),
    leakage,
    ...(subgroups ? { subgroups } : {}),
    ...(embedding ? { embedding } : {}),
    verdict: { shift, material, leakage: leak, reasons },
  };
  return { ...base, advice: buildAdvice(base, options) };
}

/**
 * The rows the report's embedding shows: `embeddingRows` (default 300) random rows per set (seeded by
 * `seed + 1`), standardised and one-hot encoded as for the multivariate tests. The web lab embeds
 * them step by step (`embeddingSteps`); the report does it in one go.
 */
export function embeddingInput(evidence: ShiftEvidence, options: ShiftOptions = {}): { train: Matrix; valid: Matrix } {
  const { train, valid } = evidence.sample;
  const rows = options.embeddingRows ?? 300;
  const er = new RandomState((options.seed ?? 0) + 1);
  return {
    train: encodeRows(train, evidence.encoding, subsample(train.nRows, rows, er)),
    valid: encodeRows(valid, evidence.encoding, subsample(valid.nRows, rows, er)),
  };
}
