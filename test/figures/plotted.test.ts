import { describe, expect, it } from 'vitest';
import { plottedCsv, plottedData, plottedJson, specTitle, type VegaLiteSpec } from '../../src/figures/index.js';

describe('plotted numbers of any spec (CSV / JSON export)', () => {
  const layered: VegaLiteSpec = {
    title: { text: 'two sets' },
    datasets: { folds: [{ fold: 0, index: 3 }] },
    hconcat: [
      { data: { name: 'a', values: [{ x: 1, label: 'say "hi", ok' }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } },
      { layer: [{ data: { values: [{ x: Infinity, y: NaN }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } }] },
    ],
  };

  it('collects inline data from datasets, concat and layer views in order', () => {
    const sets = plottedData(layered);
    expect(sets.map((s) => s.name)).toEqual(['folds', 'a', 'data2']);
  });

  it('CSV: a dataset column when there are several sets, quoting, non-finite numbers spelled out', () => {
    expect(plottedCsv(layered)).toBe(['dataset,fold,index,x,label,y', 'folds,0,3,,,', 'a,,,1,"say ""hi"", ok",', 'data2,,,Infinity,,NaN', ''].join('\n'));
  });

  it('JSON: title and datasets, non-finite numbers as strings', () => {
    const json = JSON.parse(plottedJson(layered));
    expect(json.title).toBe('two sets');
    expect(json.datasets[2].rows).toEqual([{ x: 'Infinity', y: 'NaN' }]);
    expect(specTitle({ title: 'plain', data: { values: [] }, mark: 'point' })).toBe('plain');
  });

  it('numbers round-trip exactly through the CSV', () => {
    const values = [Math.PI, 1 / 3, -1e-300, 2 ** 60];
    const csv = plottedCsv({ data: { values: values.map((v) => ({ v })) }, mark: 'point' });
    expect(csv.trim().split('\n').slice(1).map(Number)).toEqual(values);
  });

  it('a spec without inline data cannot be exported, and says so', () => {
    expect(() => plottedCsv({ data: { url: 'x.csv' }, mark: 'point' })).toThrow(
      /argument 'spec', but the figure must have inline data \(data\.values\) to export/,
    );
  });
});
