import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { FONT_FAMILY } from '../../figures/theme.js';

/**
 * Renders a Vega-Lite spec (the same declarative figures the CLI renders to SVG/PNG) into `host`
 * with vega's SVG renderer. Returns the vega `View` so a page can listen to signals (hover) and
 * `finalize()` it before re-rendering.
 */
export async function renderChart(host: HTMLElement, spec: TopLevelSpec): Promise<View> {
  const vegaSpec = compile(withWebFonts(spec)).spec;
  const view = new View(parse(vegaSpec), { renderer: 'svg', container: host, hover: true });
  await view.runAsync();
  return view;
}

/** In the browser the figures' font is a stack: the shipped CJK font (CJK only), then the system's sans. */
const WEB_FONT_STACK = `"${FONT_FAMILY}", system-ui, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif`;

/**
 * The spec with every occurrence of the figures' font family (src/figures/theme.ts) replaced by the
 * web stack, so Latin labels use the system's sans-serif and CJK ones the shipped Noto Sans Hans.
 */
export function withWebFonts(spec: TopLevelSpec): TopLevelSpec {
  const replaced: TopLevelSpec = JSON.parse(JSON.stringify(spec).split(JSON.stringify(FONT_FAMILY)).join(JSON.stringify(WEB_FONT_STACK)));
  return replaced;
}

/** A chart slot that replaces its view on each render and cleans up the previous one. */
export class ChartSlot {
  readonly element: HTMLElement;
  private view: View | null = null;
  private pending: Promise<void> = Promise.resolve();

  constructor(label: string) {
    this.element = document.createElement('figure');
    this.element.className = 'chart';
    this.element.setAttribute('role', 'img');
    this.element.setAttribute('aria-label', label);
  }

  /** Renders `spec`, waiting for an earlier render to finish so views never interleave. */
  render(spec: TopLevelSpec, onView?: (view: View) => void): Promise<void> {
    this.pending = this.pending.then(async () => {
      this.view?.finalize();
      this.element.replaceChildren();
      const host = document.createElement('div');
      this.element.appendChild(host);
      this.view = await renderChart(host, spec);
      onView?.(this.view);
    });
    return this.pending;
  }

  destroy(): void {
    this.view?.finalize();
    this.view = null;
  }
}
