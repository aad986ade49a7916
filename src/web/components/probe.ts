import type { TopLevelSpec } from 'vega-lite';

/**
 * Adds a dashed vertical rule at x = the `probe` signal to a single-view (unit) Vega-Lite figure,
 * turning it into a two-layer figure. The page moves the rule with `view.signal('probe', x)`, so
 * hovering does not recompile the chart. Layered or concatenated specs are returned unchanged.
 */
export function withProbe(spec: TopLevelSpec, probe: number): TopLevelSpec {
  if (!('mark' in spec)) return spec;
  const { mark, encoding, transform, data, params, ...top } = spec;
  return {
    ...top,
    data,
    params: [...(params ?? []).filter((p) => !('select' in p)), { name: 'probe', value: probe }],
    layer: [
      { mark, encoding, transform },
      {
        data: { values: [{}] },
        transform: [{ calculate: 'probe', as: 'probeX' }],
        mark: { type: 'rule', color: '#555', strokeDash: [4, 3] },
        encoding: { x: { field: 'probeX', type: 'quantitative' } },
      },
    ],
  };
}

/** Makes a figure as wide as its container (phones included) while keeping its height. */
export function fitToContainer(spec: TopLevelSpec): TopLevelSpec {
  return { ...spec, width: 'container', autosize: { type: 'fit-x', contains: 'padding' } };
}
