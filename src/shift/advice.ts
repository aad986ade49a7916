import type { ShiftOptions, ShiftReport } from './analyze.js';

/** One piece of advice, with the numbers that justify it. */
export interface Advice {
  readonly topic: 'split' | 'leakage' | 'weighting' | 'features' | 'labels' | 'summary';
  readonly text: string;
  readonly evidence: string;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

/**
 * Advice tied to the evidence: which split strategy fits (group, time, stratified), whether
 * importance weighting makes sense and the effective sample size it would leave, which features
 * to inspect. Each rule fires only on its evidence and quotes it.
 */
export function buildAdvice(report: Omit<ShiftReport, 'advice'>, options: ShiftOptions): Advice[] {
  const advice: Advice[] = [];
  const { leakage, multivariate, verdict, labels } = report;
  const dc = multivariate.domainClassifier;

  if (leakage.groups && leakage.groups.sharedGroups > 0) {
    advice.push({
      topic: 'split',
      text: `Split by group: use GroupKFold or StratifiedGroupKFold with groups = ${JSON.stringify(options.group)} (losslab split --group ${options.group}), so no ${options.group} appears on both sides.`,
      evidence: `${leakage.groups.sharedGroups} of ${leakage.groups.validGroups} validation groups also occur in training, covering ${pct(leakage.groups.fraction)} of validation rows.`,
    });
  }
  if (leakage.time) {
    if (leakage.time.overlaps) {
      advice.push({
        topic: 'split',
        text: `Split by time: train on the past, validate on the future (TimeSeriesSplit, or PurgedKFold with a gap) ordered by ${JSON.stringify(options.time)}.`,
        evidence: `The time ranges overlap: ${pct(leakage.time.fraction)} of validation rows are not later than the last training time.`,
      });
    } else {
      advice.push({
        topic: 'split',
        text: 'The split already respects time (validation comes after training); any shift found below is drift over time, which a deployed model will face too.',
        evidence: 'Every validation time is later than every training time.',
      });
    }
  }
  if (leakage.exactDuplicates.validRows > 0 || leakage.nearDuplicates.validRows > 0) {
    advice.push({
      topic: 'leakage',
      text: 'Remove validation rows that duplicate training rows (or split by the entity they come from); they inflate validation scores.',
      evidence: `${leakage.exactDuplicates.validRows} exact (${pct(leakage.exactDuplicates.fraction)}) and ${leakage.nearDuplicates.validRows} near duplicates (same cell of a ${leakage.nearDuplicates.resolution}-SD grid) of training rows in the validation set.`,
    });
  }
  if (labels?.chi2 && labels.chi2.pvalue < report.alpha) {
    advice.push({
      topic: 'labels',
      text: `Class proportions differ: stratify on ${JSON.stringify(options.label)} (StratifiedKFold) when you resample, and report per-class metrics; if deployment has the validation proportions, reweight classes by q(y)/p(y).`,
      evidence: `Chi-square = ${labels.chi2.statistic.toFixed(2)} (dof ${labels.chi2.dof}), p = ${labels.chi2.pvalue.toPrecision(3)}, Cramér's V = ${(labels.cramersV ?? 0).toFixed(3)}.`,
    });
  }
  const bbseMoved = labels?.bbse ? Math.max(...labels.bbse.estimatedValidProportions.map((q, i) => Math.abs(q - labels.bbse!.trainProportions[i]))) : 0;
  if (labels?.bbse && (labels.chi2 ? labels.chi2.pvalue < report.alpha : bbseMoved > 0.05)) {
    advice.push({
      topic: 'labels',
      text: 'Black-box shift estimation of the validation label distribution (valid if only p(y) changed): use its weights w = q(y)/p(y) to reweight the training loss or recalibrate.',
      evidence: labels.bbse.classes.map((c, i) => `${c}: ${pct(labels.bbse!.trainProportions[i])} → ${pct(labels.bbse!.estimatedValidProportions[i])}`).join(', '),
    });
  }
  if (verdict.shift) {
    const ess = dc.effectiveSampleSize;
    const frac = dc.effectiveSampleFraction;
    const usable = frac >= 0.3 && dc.auc < 0.9;
    advice.push({
      topic: 'weighting',
      text: usable
        ? 'Importance weighting is reasonable: weight training rows by the domain classifier odds p/(1 − p) (covariate shift correction); check results with and without weights.'
        : 'Importance weighting would leave too few effective rows to trust: prefer collecting training data like the validation set, or re-splitting, over reweighting.',
      evidence: `Domain classifier AUC ${dc.auc.toFixed(3)} [${dc.ci[0].toFixed(3)}, ${dc.ci[1].toFixed(3)}]; Kish effective sample size of the weights ${ess.toFixed(0)} of ${dc.rowsUsed.train} training rows (${pct(frac)}).`,
    });
    const inspect = [...report.features]
      .filter((f) => f.flagged)
      .sort((a, b) => Math.abs(b.effectSize.value) - Math.abs(a.effectSize.value))
      .slice(0, 5);
    const top = Math.abs(dc.drivers[0]?.coefficient ?? 0);
    const drivers = [...new Set(dc.drivers.filter((d) => Math.abs(d.coefficient) >= 0.25 * top).map((d) => d.feature))].slice(0, 3);
    const names = [...new Set([...inspect.map((f) => f.name), ...drivers])].slice(0, 6);
    advice.push({
      topic: 'features',
      text: `Inspect ${names.map((n) => JSON.stringify(n)).join(', ')}: how they were collected, their units and time of measurement.`,
      evidence: [
        ...inspect.map((f) => `${f.name}: ${f.effectSize.measure} = ${f.effectSize.value.toFixed(3)}, BH p = ${f.pvalueAdjusted.bh.toPrecision(3)}`),
        `domain classifier drivers: ${drivers.join(', ')}`,
      ].join('; '),
    });
  }
  if (!verdict.shift && !verdict.leakage) {
    advice.push({
      topic: 'split',
      text: options.label ? `No evidence that the sets differ: a (stratified on ${JSON.stringify(options.label)}) random k-fold split is appropriate.` : 'No evidence that the sets differ: a random (k-fold) split is appropriate.',
      evidence: `No test rejected at α = ${report.alpha} (split across feature tests, MMD and the domain classifier); domain classifier AUC ${dc.auc.toFixed(3)}.`,
    });
  }
  return advice;
}
