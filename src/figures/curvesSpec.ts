import type { VegaLiteSpec, PlottedRow } from './spec.js';
import { figureConfig } from './theme.js';
import { encodeValue } from './plotted.js';

/** A curve of a line figure: its column in the rows, its legend label and its colour. */
export interface CurveSpec {
  readonly field: string;
  readonly label: string;
  readonly color: string;
}

/** Everything a "several curves against one x" figure needs. */
export interface CurvesFigure {
  readonly title: string;
  readonly subtitle?: string;
  readonly width: number;
  readonly height: number;
  /** Wide rows: the x column and one column per curve (exported as is to CSV/JSON). */
  readonly rows: readonly PlottedRow[];
  readonly x: { readonly field: string; readonly title: string; readonly domain?: readonly [number, number] };
  readonly yTitle: string;
  /** A fixed y range; curves leaving it are clipped (a gradient running off to −∞). Default: the data's range. */
  readonly yDomain?: readonly [number, number];
  readonly legendTitle: string;
  readonly curves: readonly CurveSpec[];
}

/**
 * A line chart of several curves over one x axis, as a Vega-Lite spec: the wide rows are inline
 * (so CSV/JSON exports hold them column by column), a `fold` turns them long for drawing, and a
 * `calculate` maps each column name to its translated legend label with a fixed colour. Non-finite
 * values are stored as the strings "Infinity"/"NaN", so the spec is plain JSON (Vega drops them).
 */
export function curvesSpec(figure: CurvesFigure): VegaLiteSpec {
  const labelExpr = figure.curves.reduceRight<string>(
    (rest, curve) => `datum.curve === ${JSON.stringify(curve.field)} ? ${JSON.stringify(curve.label)} : ${rest}`,
    'datum.curve',
  );
  const values = figure.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, encodeValue(v)])));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: figure.width,
    height: figure.height,
    title: figure.subtitle === undefined ? { text: figure.title } : { text: figure.title, subtitle: figure.subtitle },
    config: figureConfig(),
    data: { name: 'curves', values },
    transform: [
      { fold: figure.curves.map((c) => c.field), as: ['curve', 'value'] },
      { calculate: labelExpr, as: 'label' },
    ],
    mark: { type: 'line', strokeWidth: 2, clip: true },
    encoding: {
      x: {
        field: figure.x.field,
        type: 'quantitative',
        title: figure.x.title,
        scale: figure.x.domain ? { domain: [...figure.x.domain], nice: false } : { nice: false },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: figure.yTitle,
        ...(figure.yDomain ? { scale: { domain: [...figure.yDomain], nice: false } } : {}),
      },
      color: {
        field: 'label',
        type: 'nominal',
        title: figure.legendTitle,
        scale: { domain: figure.curves.map((c) => c.label), range: figure.curves.map((c) => c.color) },
      },
      detail: { field: 'curve', type: 'nominal' },
    },
  };
}
