import { t } from '../i18n/translate.js';
import type { Lang } from '../i18n/lang.js';
import type { Advice, ShiftOptions, ShiftReport } from './report.js';

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

/**
 * Advice tied to the evidence: which split strategy fits (group, time, stratified), whether
 * importance weighting makes sense and the effective sample size it would leave, which features
 * to inspect. Each rule fires only on its evidence and quotes it. The sentences come from the
 * message catalogues (`shift.advice.*` in src/i18n), in `options.lang` (default English).
 */
export function buildAdvice(report: Omit<ShiftReport, 'advice'>, options: ShiftOptions): Advice[] {
  const lang: Lang = options.lang ?? 'en';
  const advice: Advice[] = [];
  const { leakage, multivariate, verdict, labels } = report;
  const dc = multivariate.domainClassifier;

  if (leakage.groups && leakage.groups.sharedGroups > 0) {
    advice.push({
      topic: 'split',
      text: t(lang, 'shift.advice.group.text', { group: options.group ?? '' }),
      evidence: t(lang, 'shift.advice.group.evidence', {
        shared: String(leakage.groups.sharedGroups),
        total: String(leakage.groups.validGroups),
        fraction: pct(leakage.groups.fraction),
      }),
    });
  }
  if (leakage.time) {
    if (leakage.time.overlaps) {
      advice.push({
        topic: 'split',
        text: t(lang, 'shift.advice.timeOverlap.text', { time: options.time ?? '' }),
        evidence: t(lang, 'shift.advice.timeOverlap.evidence', { fraction: pct(leakage.time.fraction) }),
      });
    } else {
      advice.push({ topic: 'split', text: t(lang, 'shift.advice.timeOrdered.text'), evidence: t(lang, 'shift.advice.timeOrdered.evidence') });
    }
  }
  if (leakage.exactDuplicates.validRows > 0 || leakage.nearDuplicates.validRows > 0) {
    advice.push({
      topic: 'leakage',
      text: t(lang, 'shift.advice.duplicates.text'),
      evidence: t(lang, 'shift.advice.duplicates.evidence', {
        exact: String(leakage.exactDuplicates.validRows),
        exactFraction: pct(leakage.exactDuplicates.fraction),
        near: String(leakage.nearDuplicates.validRows),
        resolution: String(leakage.nearDuplicates.resolution),
      }),
    });
  }
  const within = leakage.duplicatesWithin;
  if (within.train.rows > 0 || within.valid.rows > 0) {
    advice.push({
      topic: 'leakage',
      text: t(lang, 'shift.advice.within.text'),
      evidence: t(lang, 'shift.advice.within.evidence', {
        train: String(within.train.rows),
        trainFraction: pct(within.train.fraction),
        valid: String(within.valid.rows),
        validFraction: pct(within.valid.fraction),
      }),
    });
  }
  if (labels?.chi2 && labels.chi2.pvalue < report.alpha) {
    advice.push({
      topic: 'labels',
      text: t(lang, 'shift.advice.labels.text', { label: options.label ?? '' }),
      evidence: t(lang, 'shift.advice.labels.evidence', {
        statistic: labels.chi2.statistic.toFixed(2),
        dof: String(labels.chi2.dof),
        p: labels.chi2.pvalue.toPrecision(3),
        v: (labels.cramersV ?? 0).toFixed(3),
      }),
    });
  }
  const bbse = labels?.bbse;
  const bbseMoved = bbse ? Math.max(...bbse.estimatedValidProportions.map((q, i) => Math.abs(q - bbse.trainProportions[i]))) : 0;
  if (bbse && (labels?.chi2 ? labels.chi2.pvalue < report.alpha : bbseMoved > 0.05)) {
    advice.push({
      topic: 'labels',
      text: t(lang, 'shift.advice.bbse.text'),
      evidence: bbse.classes.map((c, i) => `${c}: ${pct(bbse.trainProportions[i])} → ${pct(bbse.estimatedValidProportions[i])}`).join(', '),
    });
  }
  if (verdict.shift) {
    const frac = dc.effectiveSampleFraction;
    const usable = frac >= 0.3 && dc.auc < 0.9;
    advice.push({
      topic: 'weighting',
      text: t(lang, usable ? 'shift.advice.weighting.usable' : 'shift.advice.weighting.unusable'),
      evidence: t(lang, 'shift.advice.weighting.evidence', {
        auc: dc.auc.toFixed(3),
        lo: dc.ci[0].toFixed(3),
        hi: dc.ci[1].toFixed(3),
        ess: dc.effectiveSampleSize.toFixed(0),
        rows: String(dc.rowsUsed.train),
        fraction: pct(frac),
      }),
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
      text: t(lang, 'shift.advice.features.text', { names: names.map((n) => JSON.stringify(n)).join(', ') }),
      evidence: [
        ...inspect.map((f) =>
          t(lang, 'shift.advice.features.item', {
            name: f.name,
            measure: f.effectSize.measure,
            value: f.effectSize.value.toFixed(3),
            p: f.pvalueAdjusted.bh.toPrecision(3),
          }),
        ),
        t(lang, 'shift.advice.features.drivers', { drivers: drivers.join(', ') }),
      ].join('; '),
    });
  }
  if (!verdict.shift && !verdict.leakage) {
    advice.push({
      topic: 'split',
      text: options.label ? t(lang, 'shift.advice.none.textStratified', { label: options.label }) : t(lang, 'shift.advice.none.text'),
      evidence: t(lang, 'shift.advice.none.evidence', { alpha: String(report.alpha), auc: dc.auc.toFixed(3) }),
    });
  }
  return advice;
}
