import { fail, formatValue } from '../errors.js';
import { checkLang, type Lang } from '../i18n/lang.js';
import { t } from '../i18n/translate.js';
import type { TrainTest } from '../validation/core.js';
import type { VegaLiteSpec } from './spec.js';
import { DEFAULT_WIDTH, figureConfig } from './theme.js';

/** Colours of the fold figure: scikit-learn's example uses a blue/red colormap for train/test. */
export const FOLD_COLORS = { train: '#4c72b0', test: '#dd8452', unused: '#e5e5e5' } as const;

export interface FoldsFigureOptions {
  /** Number of samples (rows of the data). */
  readonly n: number;
  /** The splits, as a splitter's `split` yields them. */
  readonly splits: readonly TrainTest[];
  /** Class of each sample, drawn as an extra row (optional). */
  readonly classes?: ArrayLike<number | string | null> | null;
  /** Group of each sample, drawn as an extra row (optional). */
  readonly groups?: ArrayLike<number | string | null> | null;
  /** Title, e.g. `GroupKFold (5 splits)`. */
  readonly title?: string;
  /** Columns drawn at most; above this, samples are binned (see `foldsFigure`; default 1000). */
  readonly maxColumns?: number;
  /** Language of the labels (default 'en'); the lab passes its page's. */
  readonly lang?: Lang;
}

/** One drawn run of equal cells: samples [start, end) of a row. */
type Segment = {
  readonly row: string;
  readonly start: number;
  readonly end: number;
  readonly value: string;
};

/** Appends a segment, merging it into the previous one when they touch and agree. */
function append(out: Segment[], segment: Segment): void {
  const last = out[out.length - 1];
  if (last && last.row === segment.row && last.value === segment.value && Math.abs(last.end - segment.start) < 1e-9) {
    out[out.length - 1] = { ...last, end: segment.end };
  } else if (segment.end > segment.start) {
    out.push(segment);
  }
}

/**
 * The segments of one row. Unbinned (`width` 1), each sample is a cell and equal neighbours merge.
 * Binned, a bin with at most `maxShares` distinct values is drawn as proportional sub-bars in
 * `order` (so 20% test samples scattered through a bin show as 20% of its width); otherwise the
 * bin shows its most frequent value.
 */
function rowSegments(
  row: string,
  label: (i: number) => string,
  n: number,
  width: number,
  order: (a: string, b: string) => number,
  maxShares: number,
  out: Segment[],
): void {
  for (let start = 0; start < n; start += width) {
    const end = Math.min(n, start + width);
    const tally = new Map<string, number>();
    for (let i = start; i < end; i++) {
      const v = label(i);
      tally.set(v, (tally.get(v) ?? 0) + 1);
    }
    if (tally.size <= maxShares) {
      let at = start;
      for (const value of [...tally.keys()].sort(order)) {
        const next = at + (tally.get(value) as number);
        append(out, { row, start: at, end: next, value });
        at = next;
      }
    } else {
      const [value] = [...tally].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
      append(out, { row, start, end, value });
    }
  }
}

/** Binned shares are drawn test, train, unused (by their labels in the figure's language). */
const bySet =
  (sets: { readonly train: string; readonly test: string; readonly unused: string }) =>
  (a: string, b: string): number => {
    const order = [sets.test, sets.train, sets.unused];
    return order.indexOf(a) - order.indexOf(b);
  };
const byLabel = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Fold membership per sample, like scikit-learn's "Visualizing cross-validation behavior in
 * scikit-learn" example (`plot_cv_indices`): one row per split with each sample coloured train,
 * test or unused (e.g. TimeSeriesSplit's gap, ShuffleSplit's left-out samples), plus optional rows
 * for the class and the group of each sample. Runs of equal cells are drawn as one bar, so the
 * spec stays small; above `maxColumns` samples, samples are binned: a bin shows the shares of
 * train/test/unused (and of up to 12 classes) as proportional bars, and its most frequent group.
 * A pure function: the same spec renders in the CLI (`losslab split --figure`) and in the browser.
 */
export function foldsFigure(options: FoldsFigureOptions): VegaLiteSpec {
  const { n, splits } = options;
  const maxColumns = options.maxColumns ?? 1000;
  if (!Number.isInteger(n) || n < 1) fail({ fn: 'foldsFigure', argument: 'n', value: formatValue(n), rule: 'it must be a positive integer' });
  if (!Number.isInteger(maxColumns) || maxColumns < 1)
    fail({ fn: 'foldsFigure', argument: 'maxColumns', value: formatValue(maxColumns), rule: 'it must be a positive integer' });
  const lang = checkLang(options.lang ?? 'en', 'foldsFigure', 'lang');
  const sets = { train: t(lang, 'figure.folds.train'), test: t(lang, 'figure.folds.test'), unused: t(lang, 'figure.folds.unused') };
  const width = Math.ceil(n / Math.min(n, maxColumns));
  const segments: Segment[] = [];
  const rowNames: string[] = [];
  splits.forEach((split, s) => {
    const side = new Uint8Array(n);
    for (const i of split.train) side[i] = 1;
    for (const i of split.test) side[i] = 2;
    const name = t(lang, 'figure.folds.split', { index: s });
    rowNames.push(name);
    rowSegments(name, (i) => (side[i] === 2 ? sets.test : side[i] === 1 ? sets.train : sets.unused), n, width, bySet(sets), 3, segments);
  });
  const extras: Segment[] = [];
  for (const [kind, labels] of [
    ['class', options.classes],
    ['group', options.groups],
  ] as const) {
    const row = t(lang, kind === 'class' ? 'figure.folds.class' : 'figure.folds.group');
    if (!labels) continue;
    if (labels.length !== n)
      fail({
        fn: 'foldsFigure',
        argument: kind === 'class' ? 'classes' : 'groups',
        value: `of length ${labels.length}`,
        rule: `it must have one entry per sample (${n})`,
      });
    rowNames.push(row);
    rowSegments(row, (i) => String(labels[i] ?? 'missing'), n, width, byLabel, kind === 'class' ? 12 : 1, extras);
  }
  const title = width > 1 ? t(lang, 'figure.folds.axisBinned', { width }) : t(lang, 'figure.folds.axis');
  const tooltip = [
    { field: 'row' },
    { field: 'start', title: t(lang, 'figure.folds.from') },
    { field: 'end', title: t(lang, 'figure.folds.to') },
    { field: 'value' },
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? t(lang, 'figure.folds.title'),
    width: DEFAULT_WIDTH,
    height: 22 * rowNames.length,
    config: figureConfig(),
    resolve: { scale: { color: 'independent' } },
    layer: [
      {
        data: { values: segments },
        mark: { type: 'rect' },
        encoding: {
          x: { field: 'start', type: 'quantitative', title, scale: { domain: [0, n], nice: false } },
          x2: { field: 'end' },
          y: { field: 'row', type: 'ordinal', title: null, sort: rowNames },
          color: {
            field: 'value',
            type: 'nominal',
            title: t(lang, 'figure.folds.set'),
            scale: { domain: [sets.train, sets.test, sets.unused], range: [FOLD_COLORS.train, FOLD_COLORS.test, FOLD_COLORS.unused] },
          },
          tooltip,
        },
      },
      ...(extras.length === 0
        ? []
        : [
            {
              data: { values: extras },
              mark: { type: 'rect' as const },
              encoding: {
                x: { field: 'start', type: 'quantitative' as const, title, scale: { domain: [0, n], nice: false } },
                x2: { field: 'end' },
                y: { field: 'row', type: 'ordinal' as const, title: null, sort: rowNames },
                color: {
                  field: 'value',
                  type: 'nominal' as const,
                  title: t(lang, 'figure.folds.classGroup'),
                  scale: { scheme: 'set2' as const },
                  legend: extras.length <= 40 ? {} : null,
                },
                tooltip,
              },
            },
          ]),
    ],
  };
}
