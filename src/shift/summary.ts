import type { ShiftReport } from './report.js';

const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));
const fmtP = (p: number): string => (p === 0 ? '0' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** Wider tables than this print as a summary: counts, the top rows by |effect size|, the rest in the HTML/JSON reports. */
export const SUMMARY_TABLE_ROWS = 20;

/**
 * The terminal summary of a shift report: verdict, per-feature table, multivariate tests, leakage,
 * advice. With more than `SUMMARY_TABLE_ROWS` features (images, embeddings) the table shows how many
 * features are flagged and the top 20 by |effect size|; every row is in the HTML and JSON reports.
 */
export function shiftSummaryText(report: ShiftReport, names: { train: string; valid: string }): string {
  const lines: string[] = [];
  const v = report.verdict;
  lines.push(`losslab shift: ${names.train} (${report.rows.train} rows) vs ${names.valid} (${report.rows.valid} rows)`);
  lines.push(
    `verdict: ${v.shift ? (v.material ? 'SHIFT DETECTED' : 'shift detected, small effects') : 'no evidence of shift'}${v.leakage ? '; LEAKAGE FOUND' : ''} (α = ${report.alpha})`,
  );
  for (const r of v.reasons) lines.push(`  - ${r}`);
  lines.push('');
  const wide = report.features.length > SUMMARY_TABLE_ROWS;
  const shown = wide
    ? [...report.features].sort((a, b) => Math.abs(b.effectSize.value) - Math.abs(a.effectSize.value)).slice(0, SUMMARY_TABLE_ROWS)
    : report.features;
  if (wide) {
    const flagged = report.features.filter((f) => f.flagged).length;
    const significant = report.features.filter((f) => f.pvalueAdjusted.bh < report.alpha).length;
    lines.push(
      `${report.features.length} features: ${flagged} flagged (BH p < ${report.alpha} and a non-negligible effect), ${significant} with BH p < ${report.alpha}; the ${SUMMARY_TABLE_ROWS} largest effects:`,
    );
  }
  const width = Math.max(7, ...shown.map((f) => f.name.length));
  lines.push(`${'feature'.padEnd(width)}  kind         test stat    p          BH p       effect            flag`);
  for (const f of shown) {
    const [stat, p] = f.kind === 'numeric' ? [`D=${fmt(f.ks.statistic)}`, f.ks.pvalue] : [`χ²=${fmt(f.chi2.statistic, 1)}`, f.chi2.pvalue];
    const effect = `${f.effectSize.measure === 'cohen-d' ? 'd' : 'V'}=${fmt(f.effectSize.value)}${f.kind === 'numeric' ? ` psi=${fmt(f.psi, 2)}` : ''}`;
    lines.push(
      `${f.name.padEnd(width)}  ${f.kind.padEnd(11)}  ${stat.padEnd(11)}  ${fmtP(p).padEnd(9)}  ${fmtP(f.pvalueAdjusted.bh).padEnd(9)}  ${effect.padEnd(16)}  ${f.flagged ? '*' : ''}`,
    );
  }
  if (wide) lines.push(`… and ${report.features.length - shown.length} more features: every row is in the HTML (--report) and JSON (--json) reports.`);
  const mv = report.multivariate;
  const dc = mv.domainClassifier;
  lines.push('');
  lines.push(
    `MMD² = ${fmt(mv.mmd.mmd2, 5)}, permutation p = ${fmtP(mv.mmd.pvalue)} (${mv.mmd.rowsUsed.train}+${mv.mmd.rowsUsed.valid} rows)${mv.mmdLinear ? `; linear-time p = ${fmtP(mv.mmdLinear.pvalue)} (${mv.mmdLinear.nX}+${mv.mmdLinear.nY} rows)` : ''}`,
  );
  const sub = dc.rowsUsed.train < report.rows.train || dc.rowsUsed.valid < report.rows.valid;
  lines.push(
    `domain classifier AUC = ${fmt(dc.auc)} [${fmt(dc.ci[0])}, ${fmt(dc.ci[1])}], p = ${fmtP(dc.pvalue)} (${dc.rowsUsed.train}+${dc.rowsUsed.valid} rows${sub ? ', a random subsample' : ''}); drivers: ${dc.drivers
      .slice(0, 3)
      .map((d) => `${d.name} (${fmt(d.coefficient, 2)})`)
      .join(', ')}`,
  );
  lines.push(
    `importance weights (out-of-fold, Platt-calibrated, truncated at √n): Kish ESS ${fmt(dc.effectiveSampleSize, 0)} of ${dc.rowsUsed.train} (${pct(dc.effectiveSampleFraction)}), ${dc.importanceWeights.truncated} truncated`,
  );
  if (report.labels) {
    const l = report.labels;
    const props = l.classes.map(
      (c, i) =>
        `${c}: ${pct(l.trainProportions[i])}${l.validProportions ? ` → ${pct(l.validProportions[i])}` : ''}${l.bbse ? ` (BBSE ${pct(l.bbse.estimatedValidProportions[i])})` : ''}`,
    );
    lines.push(`labels: ${props.join(', ')}${l.chi2 ? `; χ² p = ${fmtP(l.chi2.pvalue)}, V = ${fmt(l.cramersV ?? 0)}` : ''}`);
  }
  const lk = report.leakage;
  lines.push(
    `leakage: ${lk.exactDuplicates.validRows} exact and ${lk.nearDuplicates.validRows} near duplicate validation rows${lk.groups ? `; ${lk.groups.sharedGroups} groups on both sides (${pct(lk.groups.fraction)} of validation rows)` : ''}${lk.time ? `; time ranges ${lk.time.overlaps ? `overlap (${pct(lk.time.fraction)} of validation rows not after training)` : 'do not overlap'}` : ''}`,
  );
  const within = lk.duplicatesWithin;
  if (within.train.rows > 0 || within.valid.rows > 0) {
    const example = (w: typeof within.train): string => (w.examples.length > 0 ? ` (e.g. rows ${w.examples[0][0]} and ${w.examples[0][1]})` : '');
    lines.push(`repeated rows inside a set: training ${within.train.rows}${example(within.train)}, validation ${within.valid.rows}${example(within.valid)}`);
  }
  if (report.subgroups && report.subgroups.groups.length > 0) {
    const worst = report.subgroups.groups.slice(0, 3).map((g) => `${g.group} ${fmt(g.accuracy)} [${fmt(g.ci[0])}, ${fmt(g.ci[1])}] n=${g.n}`);
    lines.push(`worst groups (${report.subgroups.set}): ${worst.join('; ')}`);
  }
  lines.push('');
  lines.push('advice:');
  for (const a of report.advice) lines.push(`  * ${a.text}\n    evidence: ${a.evidence}`);
  return `${lines.join('\n')}\n`;
}
