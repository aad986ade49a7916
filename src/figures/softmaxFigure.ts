import { softmax } from '../functional/softmax.js';
import { fromTypedArray } from '../tensor/tensor.js';
import { maxFinite } from '../tensor/dtype.js';
import { fail, formatValue } from '../errors.js';
import { t } from '../i18n/translate.js';
import { checkLang, type Lang } from '../i18n/lang.js';
import { formatNumber } from '../i18n/format.js';
import { checkFinite, checkPositive, checkSize } from './options.js';
import type { PlottedRow, VegaLiteSpec } from './spec.js';
import { CURVE_COLORS, DEFAULT_HEIGHT, DEFAULT_WIDTH, figureConfig } from './theme.js';
import { encodeValue } from './plotted.js';

export interface SoftmaxViewOptions {
  /** The logits z (default [2, 1, 0.1]; with `naive`, [1, 100, 1000]). */
  readonly logits?: readonly number[];
  /** Temperature T > 0: probabilities are softmax(z / T) (default 1). */
  readonly temperature?: number;
}

/**
 * The largest z for which exp(z) is finite in a dtype: ln of its largest finite value, ≈ 88.72 in
 * float32 and ≈ 709.78 in float64. Above it, exp overflows to Infinity, and a softmax computed
 * without subtracting the maximum returns Infinity / Infinity = NaN.
 */
export function expOverflowThreshold(dtype: 'float32' | 'float64'): number {
  return Math.log(maxFinite(dtype));
}

function checkLogits(logits: readonly number[], fn: string): number[] {
  if (logits.length < 1 || logits.length > 50) fail({ fn, argument: 'logits', value: formatValue([...logits]), rule: 'it must hold from 1 to 50 logits' });
  return logits.map((z) => checkFinite(z, fn, 'logits'));
}

/** Per class: the logit and its softmax probability from the library's `softmax` (float64, with T). */
export function softmaxRows(options: SoftmaxViewOptions = {}): { temperature: number; rows: { class: number; logit: number; probability: number }[] } {
  const fn = 'softmaxRows';
  const logits = checkLogits(options.logits ?? [2, 1, 0.1], fn);
  const temperature = checkPositive(options.temperature ?? 1, fn, 'temperature');
  const probs = softmax(fromTypedArray(Float64Array.from(logits), [logits.length]), -1, { temperature }).data;
  return { temperature, rows: logits.map((logit, k) => ({ class: k, logit, probability: probs[k] })) };
}

/** One class of the naive-versus-stable comparison. */
export interface NaiveSoftmaxRow {
  readonly class: number;
  readonly logit: number;
  /** exp(z/T) in float64 and in float32 arithmetic (Infinity where it overflows). */
  readonly expFloat64: number;
  readonly expFloat32: number;
  /** The library's stable softmax (max subtracted), float64. */
  readonly stable: number;
  /** exp(z/T) / Σ exp(z/T) without the max trick, in float64 and float32 arithmetic. */
  readonly naiveFloat64: number;
  readonly naiveFloat32: number;
}

/**
 * The naive softmax — exp, sum, divide, as a first implementation would (NumPy:
 * `np.exp(z) / np.exp(z).sum()`) — in float64 and float32 arithmetic (each float32 step rounded
 * with `Math.fround`, as NumPy does for float32 arrays), next to the library's stable softmax.
 * This is the demonstration of what goes wrong, not a function to use.
 */
export function naiveSoftmaxRows(options: SoftmaxViewOptions = {}): { temperature: number; rows: NaiveSoftmaxRow[] } {
  const fn = 'naiveSoftmaxRows';
  const logits = checkLogits(options.logits ?? [1, 100, 1000], fn);
  const temperature = checkPositive(options.temperature ?? 1, fn, 'temperature');
  const stable = softmax(fromTypedArray(Float64Array.from(logits), [logits.length]), -1, { temperature }).data;
  const exp64 = logits.map((z) => Math.exp(z / temperature));
  const exp32 = logits.map((z) => Math.fround(Math.exp(Math.fround(Math.fround(z) / Math.fround(temperature)))));
  const sum64 = exp64.reduce((a, b) => a + b, 0);
  const sum32 = exp32.reduce((a, b) => Math.fround(a + b), 0);
  const rows = logits.map((logit, k) => ({
    class: k,
    logit,
    expFloat64: exp64[k],
    expFloat32: exp32[k],
    stable: stable[k],
    naiveFloat64: exp64[k] / sum64,
    naiveFloat32: Math.fround(exp32[k] / sum32),
  }));
  return { temperature, rows };
}

export interface SoftmaxFigureOptions extends SoftmaxViewOptions {
  /** Show the naive computation overflowing next to the stable one. */
  readonly naive?: boolean;
  readonly lang?: Lang;
  readonly width?: number;
  readonly height?: number;
}

const LABEL_EXPR = (field: string): string => `isFinite(toNumber(datum.${field})) ? format(toNumber(datum.${field}), '.4~g') : datum.${field}`;

/**
 * Softmax as a figure. Plain: the logits (left) next to their probabilities softmax(z / T) (right).
 * With `naive`: the logits with the float32 and float64 overflow thresholds of exp drawn as rules
 * (left), and the probabilities computed stably, naively in float64 and naively in float32 (right),
 * NaN where the naive computation overflowed. Rows inline for CSV/JSON export.
 */
export function softmaxFigure(options: SoftmaxFigureOptions = {}): VegaLiteSpec {
  const fn = 'softmaxFigure';
  const lang = checkLang(options.lang, fn);
  const width = checkSize(options.width ?? DEFAULT_WIDTH, fn, 'width');
  const height = checkSize(options.height ?? DEFAULT_HEIGHT, fn, 'height');
  const panelWidth = Math.max(50, Math.round((width - 40) / 2));
  const classAxis = { field: 'class', type: 'ordinal' as const, title: t(lang, 'figure.axis.class'), axis: { labelAngle: 0 } };
  const encodeRows = (rows: readonly object[]): PlottedRow[] => rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, encodeValue(v)])));

  if (!options.naive) {
    const { temperature, rows } = softmaxRows(options);
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: t(lang, 'figure.title.softmax', { temperature }) },
      config: figureConfig(),
      data: { name: 'softmax', values: encodeRows(rows) },
      hconcat: [
        {
          width: panelWidth,
          height,
          layer: [
            {
              mark: { type: 'bar', color: CURVE_COLORS.loss },
              encoding: { x: classAxis, y: { field: 'logit', type: 'quantitative', title: t(lang, 'figure.axis.logit') } },
            },
            {
              mark: { type: 'text', dy: -6 },
              transform: [{ calculate: LABEL_EXPR('logit'), as: 'text' }],
              encoding: { x: classAxis, y: { field: 'logit', type: 'quantitative' }, text: { field: 'text' } },
            },
          ],
        },
        {
          width: panelWidth,
          height,
          layer: [
            {
              mark: { type: 'bar', color: CURVE_COLORS.likelihood },
              encoding: {
                x: classAxis,
                y: { field: 'probability', type: 'quantitative', title: t(lang, 'figure.axis.probability'), scale: { domain: [0, 1] } },
              },
            },
            {
              mark: { type: 'text', dy: -6 },
              transform: [{ calculate: LABEL_EXPR('probability'), as: 'text' }],
              encoding: { x: classAxis, y: { field: 'probability', type: 'quantitative' }, text: { field: 'text' } },
            },
          ],
        },
      ],
    };
  }

  const { rows } = naiveSoftmaxRows(options);
  const float32 = expOverflowThreshold('float32');
  const float64 = expOverflowThreshold('float64');
  const methods = [
    { field: 'stable', label: t(lang, 'figure.method.stable'), color: CURVE_COLORS.likelihood },
    { field: 'naiveFloat64', label: t(lang, 'figure.method.naive64'), color: CURVE_COLORS.loss },
    { field: 'naiveFloat32', label: t(lang, 'figure.method.naive32'), color: CURVE_COLORS.gradient },
  ];
  const methodExpr = methods.reduceRight<string>(
    (rest, m) => `datum.method === ${JSON.stringify(m.field)} ? ${JSON.stringify(m.label)} : ${rest}`,
    'datum.method',
  );
  const threshold = (value: number, key: 'figure.threshold.float32' | 'figure.threshold.float64', color: string) => ({
    // The label sits at the right end of its rule on a white halo, so it stays legible over a bar.
    layer: [
      { mark: { type: 'rule' as const, color, strokeDash: [6, 3], strokeWidth: 1.5 }, encoding: { y: { datum: value } } },
      ...[{ stroke: 'white', strokeWidth: 4 }, {}].map((halo) => ({
        mark: { type: 'text' as const, color, align: 'right' as const, baseline: 'bottom' as const, x: panelWidth - 4, dy: -2, ...halo },
        encoding: { y: { datum: value }, text: { value: t(lang, key, { value: formatNumber(value, 5) }) } },
      })),
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: t(lang, 'figure.title.softmaxNaive', { float32: formatNumber(float32, 5), float64: formatNumber(float64, 5) }) },
    config: figureConfig(),
    data: { name: 'softmax', values: encodeRows(rows) },
    hconcat: [
      {
        width: panelWidth,
        height,
        layer: [
          {
            mark: { type: 'bar', color: CURVE_COLORS.loss },
            encoding: { x: classAxis, y: { field: 'logit', type: 'quantitative', title: t(lang, 'figure.axis.logit') } },
          },
          // Logit values inside the top of each bar, clear of the threshold labels above the rules.
          {
            mark: { type: 'text', baseline: 'top', dy: 4, color: 'white' },
            transform: [{ calculate: LABEL_EXPR('logit'), as: 'text' }],
            encoding: { x: classAxis, y: { field: 'logit', type: 'quantitative' }, text: { field: 'text' } },
          },
          threshold(float32, 'figure.threshold.float32', CURVE_COLORS.gradient),
          threshold(float64, 'figure.threshold.float64', '#d62728'),
        ],
      },
      {
        width: panelWidth,
        height,
        transform: [
          { fold: methods.map((m) => m.field), as: ['method', 'value'] },
          { calculate: methodExpr, as: 'methodLabel' },
          { calculate: 'isFinite(toNumber(datum.value)) ? toNumber(datum.value) : 0', as: 'labelY' },
          { calculate: LABEL_EXPR('value'), as: 'text' },
        ],
        layer: [
          {
            mark: { type: 'bar' },
            encoding: {
              x: classAxis,
              xOffset: { field: 'methodLabel', type: 'nominal', sort: methods.map((m) => m.label) },
              y: { field: 'value', type: 'quantitative', title: t(lang, 'figure.axis.probability'), scale: { domain: [0, 1] } },
              color: {
                field: 'methodLabel',
                type: 'nominal',
                title: t(lang, 'figure.legend.method'),
                scale: { domain: methods.map((m) => m.label), range: methods.map((m) => m.color) },
              },
            },
          },
          {
            // Upright along each narrow bar, so neighbouring labels never overlap.
            mark: { type: 'text', angle: 270, align: 'left', baseline: 'middle', dx: 4, fontSize: 10 },
            encoding: {
              x: classAxis,
              xOffset: { field: 'methodLabel', type: 'nominal', sort: methods.map((m) => m.label) },
              y: { field: 'labelY', type: 'quantitative' },
              text: { field: 'text' },
            },
          },
        ],
      },
    ],
  };
}

/** Options of `classBarsSpec`. */
export interface ClassBarsOptions {
  readonly title: string;
  /** One value per class; a non-finite value (an overflow) is drawn as 0 and labelled in red. */
  readonly values: readonly number[];
  /** What the bars show: the probabilities (blue, as the loss) or the gradient ŷ − y (orange). */
  readonly quantity: 'probability' | 'gradient';
  /** The fixed y range (the bars do not rescale as the logits move). */
  readonly domain: readonly [number, number];
  /** The true class, drawn opaque with an outline. */
  readonly trueClass: number;
  readonly lang?: Lang;
}

/**
 * Bars of one quantity per class with each value written above its bar, for the softmax
 * playground (its probabilities and its gradient ŷ − y, redrawn as the logits move). The web lab
 * sizes it to its container.
 */
export function classBarsSpec(options: ClassBarsOptions): VegaLiteSpec {
  const lang = checkLang(options.lang, 'classBarsSpec');
  const rows = options.values.map((v, i) => ({
    cls: String(i),
    value: Number.isFinite(v) ? v : 0,
    label: formatNumber(v, 3),
    finite: Number.isFinite(v),
    isTrue: i === options.trueClass,
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 180,
    autosize: { type: 'fit', contains: 'padding' },
    title: options.title,
    data: { values: rows },
    encoding: {
      x: { field: 'cls', type: 'nominal', title: t(lang, 'softmax.axis.class'), axis: { labelAngle: 0 }, sort: null },
      y: { field: 'value', type: 'quantitative', title: null, scale: { domain: [...options.domain] } },
    },
    layer: [
      {
        mark: { type: 'bar', color: options.quantity === 'probability' ? CURVE_COLORS.loss : CURVE_COLORS.gradient },
        encoding: {
          opacity: { condition: { test: 'datum.isTrue', value: 1 }, value: 0.55 },
          stroke: { condition: { test: 'datum.isTrue', value: '#111' }, value: null },
        },
      },
      {
        mark: { type: 'text', dy: -8, fontSize: 11 },
        encoding: { text: { field: 'label' }, color: { condition: { test: '!datum.finite', value: '#c00' }, value: '#333' } },
      },
    ],
  };
}
