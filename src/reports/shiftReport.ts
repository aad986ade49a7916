import { stringifyJson } from '../data/jsonNumbers.js';
import type { ShiftReport } from '../shift/report.js';

/** Rendered figures to inline (SVG markup); any may be missing. */
export interface ShiftReportFigures {
  readonly effectSizes?: string;
  /** The numeric features with the largest effects: both sets' histograms overlaid. */
  readonly histograms?: string;
  readonly embedding?: string;
  readonly subgroups?: string;
}

export interface ShiftReportContext {
  readonly trainName: string;
  readonly validName: string;
  /** Shown under the title, e.g. what a demo planted. */
  readonly note?: string;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const fmt = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const fmtP = (p: number): string => (p === 0 ? '0' : p < 1e-4 ? p.toExponential(2) : p.toFixed(4));
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

function table(headers: readonly string[], rows: readonly (readonly string[])[], rowClass?: (i: number) => string): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r, i) => `<tr${rowClass ? ` class="${rowClass(i)}"` : ''}>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Inline SVG is trusted output of our renderer; strip any script element defensively. */
function figure(svg: string | undefined): string {
  return svg ? `<figure>${svg.replace(/<script[\s\S]*?<\/script>/gi, '')}</figure>` : '';
}

/**
 * The self-contained HTML shift report: inline CSS and inline SVG figures, no scripts, no network
 * requests, so it opens offline and can be attached to an email. Platform-free: the caller renders
 * the figures (Node: `renderSvg` from src/node/render.ts) and writes the file.
 */
export function shiftReportHtml(report: ShiftReport, context: ShiftReportContext, figures: ShiftReportFigures = {}): string {
  const { verdict, multivariate: mv, leakage } = report;
  const dc = mv.domainClassifier;
  const status = verdict.shift ? (verdict.material ? 'Shift detected' : 'Shift detected (small effects)') : 'No evidence of shift';
  const numeric = report.features.filter((f) => f.kind === 'numeric');
  const categorical = report.features.filter((f) => f.kind === 'categorical');
  const sections: string[] = [];

  sections.push(`<section><h2>Verdict</h2>
<p class="verdict ${verdict.shift ? 'bad' : 'good'}">${escapeHtml(status)}${verdict.leakage ? ' · <span class="bad">leakage found</span>' : ''}</p>
<ul>${verdict.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>
<p class="small">Family-wise α = ${report.alpha}, split as α/3 across per-feature tests (Benjamini–Hochberg), the MMD permutation test and the domain classifier.</p></section>`);

  sections.push(
    `<section><h2>Advice</h2><ol>${report.advice.map((a) => `<li><strong>${escapeHtml(a.topic)}:</strong> ${escapeHtml(a.text)}<br><span class="small">Evidence: ${escapeHtml(a.evidence)}</span></li>`).join('')}</ol></section>`,
  );

  if (numeric.length > 0) {
    sections.push(
      `<section><h2>Numeric features</h2>${table(
        ['feature', 'KS D', 'KS p', 'method', 'Wasserstein', 'W / SD', 'PSI', "Cohen's d", 'Bonferroni p', 'BH p', 'missing (train/valid)'],
        numeric.map((f) =>
          f.kind !== 'numeric'
            ? []
            : [
                f.name,
                fmt(f.ks.statistic),
                fmtP(f.ks.pvalue),
                f.ks.method,
                fmt(f.wasserstein, 4),
                fmt(f.wassersteinStd),
                fmt(f.psi),
                fmt(f.effectSize.value),
                fmtP(f.pvalueAdjusted.bonferroni),
                fmtP(f.pvalueAdjusted.bh),
                `${f.missing.train} / ${f.missing.valid}`,
              ],
        ),
        (i) => (numeric[i].flagged ? 'flag' : ''),
      )}</section>`,
    );
  }
  if (categorical.length > 0) {
    sections.push(
      `<section><h2>Categorical features</h2>${table(
        ['feature', 'χ²', 'dof', 'p', 'Jensen–Shannon (base 2)', "Cramér's V", 'Bonferroni p', 'BH p', 'top categories (train → valid)'],
        categorical.map((f) =>
          f.kind !== 'categorical'
            ? []
            : [
                f.name,
                fmt(f.chi2.statistic, 2),
                String(f.chi2.dof),
                fmtP(f.chi2.pvalue),
                fmt(f.jensenShannon),
                fmt(f.effectSize.value),
                fmtP(f.pvalueAdjusted.bonferroni),
                fmtP(f.pvalueAdjusted.bh),
                f.categories
                  .slice(0, 4)
                  .map((c) => `${c.value}: ${pct(c.train)} → ${pct(c.valid)}`)
                  .join('; '),
              ],
        ),
        (i) => (categorical[i].flagged ? 'flag' : ''),
      )}</section>`,
    );
  }
  sections.push(figure(figures.effectSizes));
  sections.push(figure(figures.histograms));

  sections.push(`<section><h2>Multivariate tests</h2>
<p><strong>MMD² (RBF kernel, median heuristic σ = ${fmt(mv.mmd.sigma)})</strong>: ${fmt(mv.mmd.mmd2, 5)}, permutation p = ${fmtP(mv.mmd.pvalue)} (${mv.mmd.nPermutations} permutations on ${mv.mmd.rowsUsed.train} + ${mv.mmd.rowsUsed.valid} rows).${mv.mmdLinear ? ` Linear-time MMD² on ${mv.mmdLinear.nX} + ${mv.mmdLinear.nY} rows: ${fmt(mv.mmdLinear.mmd2, 5)}, p = ${fmtP(mv.mmdLinear.pvalue)}.` : ''}</p>
<p><strong>Domain classifier</strong> (L2 logistic regression, ${dc.nSplits}-fold stratified CV on ${dc.rowsUsed.train} + ${dc.rowsUsed.valid} rows): AUC = ${fmt(dc.auc)} [${fmt(dc.ci[0])}, ${fmt(dc.ci[1])}] (DeLong 95 % CI), p = ${fmtP(dc.pvalue)}. ${dc.rowsUsed.train < report.rows.train || dc.rowsUsed.valid < report.rows.valid ? 'The rows are a random subsample: the AUC test stays valid, with a wider interval. ' : ''}L-BFGS iterations per fold: ${dc.iterations.join(', ')}${dc.converged ? '' : ' (not all folds reached the tolerance; the out-of-fold AUC is valid for the early-stopped fits)'}.</p>
<p><strong>Importance weights</strong> (out-of-fold scores, Platt scaling a = ${fmt(dc.importanceWeights.calibration.a)}, b = ${fmt(dc.importanceWeights.calibration.b)}, truncated at √n = ${fmt(dc.importanceWeights.cap, 1)} times the mean as in Ionides 2008): Kish effective sample size ${fmt(dc.effectiveSampleSize, 0)} of ${dc.rowsUsed.train} (${pct(dc.effectiveSampleFraction)}); ${dc.importanceWeights.truncated} weights truncated; before truncation the largest weight was ${fmt(dc.importanceWeights.maxRawWeight, 2)} and the ESS ${fmt(dc.importanceWeights.effectiveSampleSizeRaw, 0)}.</p>
${table(
  ['design column', 'feature', 'standardised coefficient'],
  dc.drivers.map((d) => [d.name, d.feature, fmt(d.coefficient)]),
)}</section>`);
  sections.push(figure(figures.embedding));

  if (report.labels) {
    const l = report.labels;
    const rows = l.classes.map((c, i) => [
      c,
      pct(l.trainProportions[i]),
      l.validProportions ? pct(l.validProportions[i]) : '—',
      l.bbse ? pct(l.bbse.estimatedValidProportions[i]) : '—',
      l.bbse ? fmt(l.bbse.weights[i]) : '—',
    ]);
    sections.push(`<section><h2>Labels</h2>${l.chi2 ? `<p>χ² = ${fmt(l.chi2.statistic, 2)} (dof ${l.chi2.dof}), p = ${fmtP(l.chi2.pvalue)}, Cramér's V = ${fmt(l.cramersV ?? 0)}.</p>` : ''}
${table(['class', 'train', 'valid', 'BBSE estimate of valid', 'BBSE weight q/p'], rows)}
${l.bbse ? '<p class="small">Black-box shift estimation (Lipton et al. 2018): w = C⁻¹μ̂ from the confusion matrix of the predictions on the training rows.</p>' : ''}</section>`);
  }

  const leakRows: string[][] = [
    ['exact duplicates', `${leakage.exactDuplicates.validRows} validation rows (${pct(leakage.exactDuplicates.fraction)})`],
    [
      'near duplicates',
      `${leakage.nearDuplicates.validRows} validation rows (${pct(leakage.nearDuplicates.fraction)}), same cell of a ${leakage.nearDuplicates.resolution}-SD grid`,
    ],
  ];
  leakRows.push([
    'repeated rows inside a set',
    `training ${leakage.duplicatesWithin.train.rows} (${pct(leakage.duplicatesWithin.train.fraction)}), validation ${leakage.duplicatesWithin.valid.rows} (${pct(leakage.duplicatesWithin.valid.fraction)})${
      leakage.duplicatesWithin.train.examples.length
        ? `; e.g. training rows ${leakage.duplicatesWithin.train.examples
            .slice(0, 3)
            .map(([a, b]) => `${a} = ${b}`)
            .join(', ')}`
        : ''
    }`,
  ]);
  if (leakage.groups)
    leakRows.push([
      'groups on both sides',
      `${leakage.groups.sharedGroups} of ${leakage.groups.validGroups} validation groups; ${pct(leakage.groups.fraction)} of validation rows${leakage.groups.examples.length ? ` (e.g. ${leakage.groups.examples.slice(0, 5).join(', ')})` : ''}`,
    ]);
  if (leakage.time)
    leakRows.push([
      'time ranges',
      `train ${timeText(leakage.time.train, leakage.time.scale)}, valid ${timeText(leakage.time.valid, leakage.time.scale)}: ${leakage.time.overlaps ? `overlap; ${pct(leakage.time.fraction)} of validation rows are not after training` : 'no overlap'}`,
    ]);
  sections.push(`<section><h2>Leakage</h2>${table(['check', 'result'], leakRows)}</section>`);

  if (report.subgroups) {
    sections.push(
      `<section><h2>Subgroups (${report.subgroups.set} rows)</h2>${table(
        ['group', 'rows', 'accuracy', 'Wilson 95 % CI'],
        report.subgroups.groups.slice(0, 30).map((g) => [g.group, String(g.n), fmt(g.accuracy), `[${fmt(g.ci[0])}, ${fmt(g.ci[1])}]`]),
      )}${figure(figures.subgroups)}</section>`,
    );
  }

  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>losslab shift report: ${escapeHtml(context.trainName)} vs ${escapeHtml(context.validName)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0;display:block;overflow-x:auto}th,td{border:1px solid #ddd;padding:.25em .5em;text-align:right}
th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}tr.flag td{background:#fdecea}
.verdict{font-size:1.2em;font-weight:600}.good{color:#2e7d32}.bad{color:#c62828}.small{font-size:.85em;color:#555}
figure{margin:1em 0}figure svg{max-width:100%;height:auto}
</style></head><body>
<h1>Is the validation set like the training set?</h1>
<p>Training: <code>${escapeHtml(context.trainName)}</code> (${report.rows.train} rows) · Validation: <code>${escapeHtml(context.validName)}</code> (${report.rows.valid} rows) · seed ${report.seed}</p>
${context.note ? `<p class="small">${escapeHtml(context.note)}</p>` : ''}
${sections.join('\n')}
<p class="small">Generated by losslab shift (schema ${report.schema}). KS as scipy.stats.ks_2samp, Wasserstein as scipy.stats.wasserstein_distance, χ² as scipy.stats.chi2_contingency(correction=False), Jensen–Shannon as scipy.spatial.distance.jensenshannon(base=2), BH as statsmodels multipletests('fdr_bh'). See docs/shift-report.md.</p>
</body></html>
`;
}

function timeText([lo, hi]: [number, number], scale: 'numeric' | 'date'): string {
  return scale === 'date' ? `${new Date(lo).toISOString().slice(0, 10)} – ${new Date(hi).toISOString().slice(0, 10)}` : `${lo} – ${hi}`;
}

/** The report as JSON: non-finite numbers as "Infinity" / "-Infinity" / "NaN", typed arrays as arrays. */
export function shiftReportJson(report: ShiftReport): string {
  return `${stringifyJson(report, 1)}\n`;
}
