import type { VegaLiteSpec } from './spec.js';
import { figureConfig } from './theme.js';

/*
 * Figures of `losslab adapt` (domain adaptation and generalisation, docs/adapt.md), as Vega-Lite
 * specs: accuracy curves per domain over the training steps, and 2-D embeddings of the learned
 * features coloured by domain (before and after training).
 */

/** One point of a curve: a domain's accuracy on one split at one checkpoint (mean over seeds). */
export interface DomainCurveRow {
  readonly step: number;
  readonly domain: string;
  /** `in` (training rows of a training domain, test rows of a test domain) or `out` (held out). */
  readonly split: 'in' | 'out';
  /** `train`, `test` or `target`. */
  readonly role: string;
  readonly accuracy: number;
}

/** Accuracy of every domain against the step: one colour per domain, solid "in" rows, dashed held-out "out" rows. */
export function domainCurvesSpec(rows: readonly DomainCurveRow[], title: string): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 480,
    height: 300,
    data: { values: rows.map((r) => ({ ...r, series: `${r.domain} (${r.role}) ${r.split}` })) },
    mark: { type: 'line', point: { size: 18 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } },
      color: { field: 'domain', type: 'nominal', title: 'domain' },
      strokeDash: {
        field: 'split',
        type: 'nominal',
        scale: {
          domain: ['in', 'out'],
          range: [
            [1, 0],
            [5, 3],
          ],
        },
        title: 'rows',
      },
      detail: { field: 'series' },
      tooltip: [{ field: 'domain' }, { field: 'role' }, { field: 'split' }, { field: 'step' }, { field: 'accuracy', format: '.3f' }],
    },
    config: figureConfig(),
  } as VegaLiteSpec;
}

/** One embedded row: its 2-D coordinates, domain and class. */
export interface DomainEmbeddingRow {
  readonly x: number;
  readonly y: number;
  readonly domain: string;
  readonly label: string;
}

/** A 2-D embedding (UMAP) of learned features, coloured by domain. */
export function domainEmbeddingSpec(points: readonly DomainEmbeddingRow[], title: string): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 420,
    height: 360,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'circle', size: 14, opacity: 0.65 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'UMAP 1', axis: { labels: false, ticks: false } },
      y: { field: 'y', type: 'quantitative', title: 'UMAP 2', axis: { labels: false, ticks: false } },
      color: { field: 'domain', type: 'nominal', title: 'domain' },
      tooltip: [{ field: 'domain' }, { field: 'label' }],
    },
    config: figureConfig(),
  } as VegaLiteSpec;
}
