import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import { fail, formatValue, LosslabError } from '../errors.js';
import type { VegaLiteSpec } from '../figures/spec.js';
import { plottedCsv, plottedJson } from '../figures/plotted.js';
import { FONT_FAMILY } from '../figures/theme.js';
import { writeFileAtomic } from './atomicWrite.js';
import { bundledFontPath } from './fonts.js';
import { readFontMetrics, type FontMetrics } from './fontMetrics.js';

/** Options for PNG output. */
export interface PngOptions {
  /** Pixels per CSS pixel of the figure (2 = sharp on high-density screens). Default 2. */
  readonly scale?: number;
}

/** Options for `renderFigure`. */
export interface RenderFigureOptions extends PngOptions {
  /** The argument to name in errors about the path (default `--out`). */
  readonly argument?: string;
}

/** The formats `renderFigure` writes, by file extension. */
export const FIGURE_FORMATS = ['.svg', '.png', '.csv', '.json'] as const;

/** A rasterised image: RGBA bytes, row-major, `width × height × 4`. */
export interface RasterImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

/** Spec with the losslab font forced into its config, so any engineer's figure renders with real glyphs. */
function withFont(spec: VegaLiteSpec): VegaLiteSpec {
  const config = { ...(spec.config ?? {}), font: FONT_FAMILY };
  return { ...spec, config } as VegaLiteSpec;
}

interface TextItem {
  readonly fontSize?: number | string;
  readonly limit?: number;
}

let metrics: FontMetrics | undefined;

/**
 * Makes Vega measure text with the bundled font's real advance widths (Vega's hook
 * `textMetrics.width`, which it fills with a 0.8 em-per-character estimate when there is no canvas),
 * so titles, legends and axis labels get the room they need in the SVG and in the PNG.
 */
function measureTextWithBundledFont(): void {
  if (metrics) return;
  metrics = readFontMetrics(readFileSync(bundledFontPath()));
  const textMetrics: unknown = Reflect.get(vega, 'textMetrics');
  if (typeof textMetrics !== 'object' || textMetrics === null) return;
  const measure = metrics;
  Reflect.set(textMetrics, 'width', (item: TextItem, text: unknown): number => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const line = text == null ? '' : String(text).trim();
    const width = measure.width(line, size);
    return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
  });
}

/**
 * Renders a Vega-Lite spec to an SVG string without a browser: Vega-Lite compiles it to Vega, and a
 * headless `vega.View` (renderer 'none') draws it — the same libraries the web lab runs. Text uses
 * the bundled font family (`FONT_FAMILY`).
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  measureTextWithBundledFont();
  const compiled = compile(withFont(spec), { logger: vega.logger(vega.Error) });
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function checkScale(scale: number, fn: string): void {
  if (!Number.isFinite(scale) || scale <= 0 || scale > 16) {
    fail({ fn, argument: 'scale', value: formatValue(scale), rule: 'it must be a number in (0, 16]' });
  }
}

function resvgFor(svg: string, scale: number): Resvg {
  return new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: [bundledFontPath()],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
      serifFamily: FONT_FAMILY,
      monospaceFamily: FONT_FAMILY,
    },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
  });
}

/** Rasterises an SVG string with resvg and the bundled font only (no system fonts). */
export function rasterizeSvg(svg: string, scale = 2): RasterImage {
  checkScale(scale, 'rasterizeSvg');
  const image = resvgFor(svg, scale).render();
  return { width: image.width, height: image.height, pixels: new Uint8Array(image.pixels) };
}

/** Converts an SVG string to PNG bytes with resvg and the bundled font. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  checkScale(scale, 'svgToPng');
  return new Uint8Array(resvgFor(svg, scale).render().asPng());
}

/**
 * Renders a Vega-Lite spec to PNG bytes: SVG by `renderSvg`, rasterised by resvg with the bundled
 * Noto Sans Hans font (Latin and CJK), so Chinese labels show real glyphs on any machine.
 */
export async function renderPng(spec: VegaLiteSpec, options: PngOptions = {}): Promise<Uint8Array> {
  const scale = options.scale ?? 2;
  checkScale(scale, 'renderPng');
  return svgToPng(await renderSvg(spec), scale);
}

/**
 * Writes a figure to `path`, choosing the format by extension: `.svg` and `.png` draw it, `.csv`
 * and `.json` hold the plotted numbers (the spec's inline data). The file is written atomically.
 * An unknown extension or an unwritable path is a `LosslabError` naming `options.argument`.
 */
export async function renderFigure(spec: VegaLiteSpec, path: string, options: RenderFigureOptions = {}): Promise<void> {
  const argument = options.argument ?? '--out';
  const ext = extname(path).toLowerCase();
  let contents: string | Uint8Array;
  switch (ext) {
    case '.svg':
      contents = await renderSvg(spec);
      break;
    case '.png':
      contents = await renderPng(spec, options);
      break;
    case '.csv':
      contents = plottedCsv(spec);
      break;
    case '.json':
      contents = plottedJson(spec);
      break;
    default:
      return fail({ fn: 'renderFigure', argument, value: JSON.stringify(path), rule: `the file name must end in ${FIGURE_FORMATS.join(', ')}` });
  }
  try {
    writeFileAtomic(path, contents, argument);
  } catch (error) {
    if (error instanceof LosslabError) throw error;
    // writeFileAtomic's own clean-up can throw a raw errno error (e.g. ENOTDIR when a parent is a file).
    const code = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    fail({ fn: 'renderFigure', argument, value: JSON.stringify(path), rule: `the file must be writable (${code})` });
  }
}
