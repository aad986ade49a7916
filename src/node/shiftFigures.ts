import { shiftEffectSizeSpec, shiftEmbeddingSpec, shiftSubgroupSpec } from '../figures/shiftFigures.js';
import type { ShiftReportFigures } from '../reports/shiftReport.js';
import type { ShiftReport } from '../shift/report.js';
import { renderSvg } from './render.js';

/** The shift report's figures as SVG for the HTML report: effect sizes, the embedding and per-group accuracy (when the report has them). */
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
  return { effectSizes, embedding, subgroups };
}
