import type { TopLevelSpec } from 'vega-lite';
import type { CurvePoint, PlaygroundSnapshot } from '../worker/domainProtocol.js';

/**
 * Vega-Lite specs of the domain-shift page: accuracy per domain over the steps, a loss term over the
 * steps, the two-moons decision function with both clouds, and a 2-D scatter coloured by a series.
 * Texts (titles, series names) come in from the page, already translated.
 */
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];

export interface CurveTexts {
  readonly title: string;
  readonly x: string;
  readonly y: string;
  /** Series name of each domain (index = domain). */
  readonly series: readonly string[];
}

export function accuracySpec(points: readonly CurvePoint[], steps: number, texts: CurveTexts): TopLevelSpec {
  const values = points.flatMap((p) => p.accuracy.map((a, d) => ({ step: p.step, value: a, series: texts.series[d] ?? String(d) })));
  return {
    $schema: SCHEMA,
    width: 'container',
    height: 200,
    autosize: { type: 'fit-x', contains: 'padding' },
    title: texts.title,
    data: { values },
    mark: { type: 'line', point: false },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: texts.x, scale: { domain: [0, steps] } },
      y: { field: 'value', type: 'quantitative', title: texts.y, scale: { domain: [0, 1] } },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom' }, scale: { domain: [...texts.series], range: PALETTE } },
    },
  };
}

/** One loss term (e.g. the IRM penalty) over the steps, on a symlog axis (penalties span decades). */
export function termSpec(points: readonly CurvePoint[], term: string, steps: number, texts: { title: string; x: string; y: string }): TopLevelSpec {
  const values = points.filter((p) => Number.isFinite(p.terms[term])).map((p) => ({ step: p.step, value: p.terms[term] }));
  return {
    $schema: SCHEMA,
    width: 'container',
    height: 160,
    autosize: { type: 'fit-x', contains: 'padding' },
    title: texts.title,
    data: { values },
    mark: { type: 'line', color: '#9467bd' },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: texts.x, scale: { domain: [0, steps] } },
      y: { field: 'value', type: 'quantitative', title: texts.y, scale: { type: 'symlog' } },
    },
  };
}

export interface ScatterTexts {
  readonly title: string;
  /** Series name of each point group, in legend order. */
  readonly series: readonly string[];
}

/** The two-moons decision function (P(class 1), shaded) with the source and target points on top. */
export function boundarySpec(snapshot: Extract<PlaygroundSnapshot, { kind: 'moons' }>, texts: ScatterTexts, seriesOf: (i: number) => number): TopLevelSpec {
  const g = snapshot.grid;
  const cells: { x: number; x2: number; y: number; y2: number; p: number }[] = [];
  for (let j = 0; j < g.ny; j++)
    for (let i = 0; i < g.nx; i++) {
      const x = g.x0 + i * g.dx;
      const y = g.y0 + j * g.dy;
      cells.push({ x: x - g.dx / 2, x2: x + g.dx / 2, y: y - g.dy / 2, y2: y + g.dy / 2, p: g.values[j * g.nx + i] });
    }
  const points = scatterRows(snapshot.points, texts.series, seriesOf);
  const xDomain = [g.x0 - g.dx / 2, g.x0 + (g.nx - 0.5) * g.dx];
  const yDomain = [g.y0 - g.dy / 2, g.y0 + (g.ny - 0.5) * g.dy];
  return {
    $schema: SCHEMA,
    width: 'container',
    height: 260,
    autosize: { type: 'fit-x', contains: 'padding' },
    title: texts.title,
    layer: [
      {
        data: { values: cells },
        mark: { type: 'rect', opacity: 0.55 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: null, scale: { domain: xDomain, nice: false, zero: false } },
          x2: { field: 'x2' },
          y: { field: 'y', type: 'quantitative', title: null, scale: { domain: yDomain, nice: false, zero: false } },
          y2: { field: 'y2' },
          fill: { field: 'p', type: 'quantitative', legend: null, scale: { domain: [0, 0.5, 1], range: ['#9ecae1', '#ffffff', '#fdae6b'] } },
        },
      },
      scatterLayer(points, texts.series),
    ],
  };
}

/** 2-D points (`[n, 2]`) coloured by series. */
export function scatterSpec(xy: ArrayLike<number>, texts: ScatterTexts, seriesOf: (i: number) => number, height = 240): TopLevelSpec {
  return {
    $schema: SCHEMA,
    width: 'container',
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    title: texts.title,
    ...scatterLayer(scatterRows(xy, texts.series, seriesOf), texts.series),
  };
}

function scatterRows(xy: ArrayLike<number>, series: readonly string[], seriesOf: (i: number) => number): { a: number; b: number; series: string }[] {
  const rows: { a: number; b: number; series: string }[] = [];
  for (let i = 0; i < xy.length / 2; i++) rows.push({ a: xy[2 * i], b: xy[2 * i + 1], series: series[seriesOf(i)] });
  return rows;
}

function scatterLayer(rows: { a: number; b: number; series: string }[], series: readonly string[]) {
  return {
    data: { values: rows },
    mark: { type: 'point' as const, filled: true, size: 18, opacity: 0.85 },
    encoding: {
      x: { field: 'a', type: 'quantitative' as const, title: null, scale: { zero: false } },
      y: { field: 'b', type: 'quantitative' as const, title: null, scale: { zero: false } },
      color: { field: 'series', type: 'nominal' as const, title: null, legend: { orient: 'bottom' as const }, scale: { domain: [...series], range: PALETTE } },
      shape: {
        field: 'series',
        type: 'nominal' as const,
        legend: null,
        scale: { domain: [...series], range: ['circle', 'circle', 'triangle', 'triangle', 'square', 'diamond', 'cross'] },
      },
    },
  };
}
