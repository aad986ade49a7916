/**
 * The look shared by every losslab figure, in the CLI (SVG/PNG) and in the web lab.
 *
 * The font family is the family name inside the font file that ships with losslab
 * (`@embedpdf/fonts-sc`, NotoSansHans-Regular.otf, which covers Latin and CJK). The PNG renderer
 * loads only that file, so naming the same family here means every label — English or Chinese —
 * is drawn with real glyphs, never with the missing-glyph box.
 */
export const FONT_FAMILY = 'Noto Sans S Chinese';

/** d2l's (matplotlib's default) colours: loss blue, gradient orange, likelihood green. */
export const CURVE_COLORS = {
  loss: '#1f77b4',
  gradient: '#ff7f0e',
  likelihood: '#2ca02c',
} as const;

/** Default figure size in CSS pixels (the PNG is rendered at `scale` × this). */
export const DEFAULT_WIDTH = 560;
export const DEFAULT_HEIGHT = 320;

/** Vega-Lite `config` for all figures: one font everywhere, white background, readable sizes. */
export function figureConfig(): Record<string, unknown> {
  return {
    font: FONT_FAMILY,
    background: 'white',
    title: { font: FONT_FAMILY, fontSize: 14, fontWeight: 'normal', subtitleFont: FONT_FAMILY, subtitleFontSize: 11, subtitleColor: '#555' },
    axis: { labelFont: FONT_FAMILY, titleFont: FONT_FAMILY, titleFontWeight: 'normal', labelFontSize: 11, titleFontSize: 12 },
    legend: {
      labelFont: FONT_FAMILY,
      titleFont: FONT_FAMILY,
      titleFontWeight: 'normal',
      labelFontSize: 11,
      labelLimit: 360,
      orient: 'bottom',
      direction: 'vertical',
    },
    header: { labelFont: FONT_FAMILY, titleFont: FONT_FAMILY },
    text: { font: FONT_FAMILY },
    view: { stroke: '#ccc' },
  };
}
