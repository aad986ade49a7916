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

/**
 * A chart slot that replaces its view on each render and cleans up the previous one. Renders are
 * coalesced: while one is in progress only the latest requested spec is kept, so dragging a slider
 * never queues up stale charts.
 */
export class ChartSlot {
  readonly element: HTMLElement;
  private view: View | null = null;
  private next: { spec: TopLevelSpec; onView?: (view: View) => void } | null = null;
  private running: Promise<void> | null = null;

  constructor(label: string) {
    this.element = document.createElement('figure');
    this.element.className = 'chart';
    this.element.setAttribute('role', 'img');
    this.element.setAttribute('aria-label', label);
  }

  /** Renders `spec` (or, if another render is running, after it, unless a newer spec arrives first). */
  render(spec: TopLevelSpec, onView?: (view: View) => void): Promise<void> {
    this.next = { spec, onView };
    if (!this.running) {
      this.running = this.drain().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async drain(): Promise<void> {
    while (this.next) {
      const { spec, onView } = this.next;
      this.next = null;
      // Render into the page (width: 'container' needs a laid-out host), then drop the old view.
      const host = document.createElement('div');
      this.element.appendChild(host);
      const view = await renderChart(host, spec);
      this.view?.finalize();
      this.element.replaceChildren(host);
      this.view = view;
      onView?.(view);
    }
  }

  destroy(): void {
    this.next = null;
    this.view?.finalize();
    this.view = null;
  }
}
