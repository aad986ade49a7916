import type { TopLevelSpec } from 'vega-lite';

/**
 * A Vega-Lite specification (the JSON that `vl.compile` takes). losslab's figures are pure
 * functions from data and a language to such a spec; the CLI renders it to SVG/PNG with Vega in
 * Node, the web lab renders the same spec with Vega in the browser.
 */
export type VegaLiteSpec = TopLevelSpec;

/** One plotted row: column name → number (or a label). Non-finite numbers are kept as numbers. */
export type PlottedRow = Record<string, number | string | boolean | null>;
