import { type HistogramBinRow, shiftEffectSizeSpec, shiftEmbeddingSpec, shiftHistogramSpec, shiftSubgroupSpec } from '../figures/shiftFigures.js';
import type { ShiftReportFigures } from '../reports/shiftReport.js';
import type { ShiftReport } from '../shift/report.js';
import { renderSvg } from './render.js';

/** The shift report's figures as SVG for the HTML report: effect sizes, histograms, the embedding and per-group accuracy (when the report has them). */
export async function renderShiftFigures(report: ShiftReport): Promise<ShiftReportFigures> {
  const effectSizes = await renderSvg(
    shiftEffectSizeSpec(
      report.features.map((f) => ({
        feature: f.name,
        effect: Math.min(Math.abs(f.effectSize.value), 1e6),
        measure: f.effectSize.measure,
        flagged: f.flagged,
        bhPvalue: f.pvalueAdjusted.bh,
      })),
    ),
  );
  const embedding =
    report.embedding && report.embedding.points.length > 0 ? await renderSvg(shiftEmbeddingSpec(report.embedding.points, report.embedding.method)) : undefined;
  const subgroups =
    report.subgroups && report.subgroups.groups.length > 0
      ? await renderSvg(
          shiftSubgroupSpec(report.subgroups.groups.slice(0, 30).map((g) => ({ group: g.group, accuracy: g.accuracy, low: g.ci[0], high: g.ci[1], n: g.n }))),
        )
      : undefined;
  const shown = histogramRows(report);
  const histograms = shown.length > 0 ? await renderSvg(shiftHistogramSpec(shown)) : undefined;
  return { effectSizes, embedding, histograms, subgroups };
}

/** Features in the histogram figure: the numeric features with the largest |Cohen's d| (the JSON report has every feature's). */
export const HISTOGRAM_FEATURES = 9;

/** The bins of the figure's features as proportions of each set's non-missing values. */
function histogramRows(report: ShiftReport): HistogramBinRow[] {
  const numeric = report.features.flatMap((f) => (f.kind === 'numeric' ? [f] : []));
  const chosen = numeric.sort((a, b) => Math.abs(b.effectSize.value) - Math.abs(a.effectSize.value)).slice(0, HISTOGRAM_FEATURES);
  return chosen.flatMap((f) => {
    const { edges } = f.histogram;
    return (['train', 'valid'] as const).flatMap((set) =>
      f.histogram[set].map((count, k) => ({ feature: f.name, set, lo: edges[k], hi: edges[k + 1], proportion: f.n[set] > 0 ? count / f.n[set] : 0 })),
    );
  });
}
