import type { VegaLiteSpec } from './spec.js';
import { figureConfig } from './theme.js';

/*
 * Figures of the shift report, as Vega-Lite specs (pure values: the CLI renders them to SVG for
 * the HTML report, the web lab renders the same specs in the browser).
 */

/** One bar per feature: its effect size, coloured by whether the feature is flagged. */
export interface EffectSizeRow {
  readonly feature: string;
  /** |Cohen's d| for numeric features, Cramér's V for categorical ones. */
  readonly effect: number;
  readonly measure: string;
  readonly flagged: boolean;
  readonly bhPvalue: number;
}

/** Horizontal bars of per-feature effect sizes, largest first. */
export function shiftEffectSizeSpec(rows: readonly EffectSizeRow[], title = 'Per-feature effect size (|Cohen d| or Cramér V)'): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 480,
    height: Math.max(60, 18 * rows.length),
    data: { values: rows.map((r) => ({ ...r, status: r.flagged ? 'flagged' : 'not flagged' })) },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'feature', type: 'nominal', sort: '-x', title: null },
      x: { field: 'effect', type: 'quantitative', title: 'effect size' },
      color: { field: 'status', type: 'nominal', scale: { domain: ['flagged', 'not flagged'], range: ['#d62728', '#9e9e9e'] }, title: null },
      tooltip: [{ field: 'feature' }, { field: 'measure' }, { field: 'effect', format: '.3f' }, { field: 'bhPvalue', title: 'BH p', format: '.3g' }],
    },
    config: figureConfig(),
  } as VegaLiteSpec;
}

export interface EmbeddingRow {
  readonly x: number;
  readonly y: number;
  readonly set: 'train' | 'valid';
}

/**
 * 2-D embedding (UMAP or t-SNE) of train and validation rows, coloured by set; `names` are the sets'
 * labels and the legend title (the web lab passes its language's).
 */
export function shiftEmbeddingSpec(
  points: readonly EmbeddingRow[],
  method: 'umap' | 'tsne' = 'umap',
  title?: string,
  names: { readonly train: string; readonly valid: string; readonly legend: string } = { train: 'train', valid: 'valid', legend: 'set' },
): VegaLiteSpec {
  const named = names.train !== 'train' || names.valid !== 'valid';
  const name = method === 'tsne' ? 't-SNE' : 'UMAP';
  title ??= `${name} of training and validation rows`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 420,
    height: 360,
    data: { values: points.map((p) => (named ? { ...p, set: names[p.set] } : { ...p })) },
    mark: { type: 'circle', size: 14, opacity: 0.6 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: `${name} 1`, axis: { labels: false, ticks: false } },
      y: { field: 'y', type: 'quantitative', title: `${name} 2`, axis: { labels: false, ticks: false } },
      color: { field: 'set', type: 'nominal', scale: { domain: [names.train, names.valid], range: ['#1f77b4', '#ff7f0e'] }, title: names.legend },
    },
    config: figureConfig(),
  } as VegaLiteSpec;
}

export interface SubgroupRow {
  readonly group: string;
  readonly accuracy: number;
  readonly low: number;
  readonly high: number;
  readonly n: number;
}

/** Accuracy per subgroup with its Wilson interval, worst first. */
export function shiftSubgroupSpec(rows: readonly SubgroupRow[], title = 'Accuracy per group (Wilson 95 % CI), worst first'): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 480,
    height: Math.max(60, 16 * rows.length),
    data: { values: rows.map((r) => ({ ...r })) },
    encoding: { y: { field: 'group', type: 'nominal', sort: { field: 'accuracy', order: 'ascending' }, title: null } },
    layer: [
      {
        mark: { type: 'rule', color: '#555' },
        encoding: { x: { field: 'low', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } }, x2: { field: 'high' } },
      },
      {
        mark: { type: 'point', filled: true, color: '#1f77b4' },
        encoding: { x: { field: 'accuracy', type: 'quantitative' }, tooltip: [{ field: 'group' }, { field: 'n' }, { field: 'accuracy', format: '.3f' }] },
      },
    ],
    config: figureConfig(),
  } as VegaLiteSpec;
}

/** One bin of one set's histogram of one feature (proportion of the set's non-missing values). */
export interface HistogramBinRow {
  readonly feature: string;
  readonly set: 'train' | 'valid';
  readonly lo: number;
  readonly hi: number;
  readonly proportion: number;
}

/** The numeric features' histograms (training and validation overlaid, as proportions), one small panel per feature, three per row. */
export function shiftHistogramSpec(rows: readonly HistogramBinRow[], title = 'Histograms (share of each set per bin), largest effects first'): VegaLiteSpec {
  const order = [...new Set(rows.map((r) => r.feature))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: rows.map((r) => ({ ...r })) },
    facet: { field: 'feature', type: 'nominal', sort: order, title: null },
    columns: 3,
    spec: {
      width: 180,
      height: 90,
      mark: { type: 'bar', opacity: 0.55, binSpacing: 0 },
      encoding: {
        x: { field: 'lo', type: 'quantitative', title: null, scale: { zero: false } },
        x2: { field: 'hi' },
        y: { field: 'proportion', type: 'quantitative', title: null, stack: null },
        y2: { datum: 0 },
        color: { field: 'set', type: 'nominal', scale: { domain: ['train', 'valid'], range: ['#1f77b4', '#ff7f0e'] }, title: null },
        tooltip: [
          { field: 'feature' },
          { field: 'set' },
          { field: 'lo', format: '.4g' },
          { field: 'hi', format: '.4g' },
          { field: 'proportion', format: '.3f' },
        ],
      },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
    config: figureConfig(),
  } as VegaLiteSpec;
}
