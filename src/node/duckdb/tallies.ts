import { type BbseResult, bbseFromCounts, labelClasses, labelShiftFromCounts } from '../../shift/labels.js';
import type { LabelsReport } from '../../shift/report.js';
import { type GroupMetric, samePrediction, subgroupAccuracyFromCounts } from '../../shift/subgroups.js';
import { quoteIdent, type ShiftDatabase, toNumber } from './database.js';
import type { Source } from './sources.js';

/** A column as text for tallies: NULL and '' are missing (as in the CSV reader). */
export function textExpression(name: string): string {
  return `NULLIF(CAST(${quoteIdent(name)} AS VARCHAR), '')`;
}

/** Value → count of the non-missing values of a column, and the number of missing ones (one GROUP BY). */
export async function tallyColumn(db: ShiftDatabase, source: Source, name: string): Promise<{ counts: Map<string, number>; missing: number }> {
  const rows = await db.rows(`SELECT ${textExpression(name)} AS v, count(*) AS n FROM ${source.relation} GROUP BY v`, source.origin);
  const counts = new Map<string, number>();
  let missing = 0;
  for (const r of rows) {
    if (r.v === null) missing += toNumber(r.n);
    else counts.set(String(r.v), toNumber(r.n));
  }
  return { counts, missing };
}

/** Counts of (a, b) pairs where both are present. */
async function pairCounts(db: ShiftDatabase, source: Source, a: string, b: string): Promise<Map<string, Map<string, number>>> {
  const rows = await db.rows(
    `SELECT ${textExpression(a)} AS a, ${textExpression(b)} AS b, count(*) AS n FROM ${source.relation} WHERE a IS NOT NULL AND b IS NOT NULL GROUP BY a, b`,
    source.origin,
  );
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const row = out.get(String(r.a)) ?? new Map<string, number>();
    row.set(String(r.b), toNumber(r.n));
    out.set(String(r.a), row);
  }
  return out;
}

function hasColumn(source: Source, name: string): boolean {
  return source.columns.some((c) => c.name === name);
}

/** The label section from label (and prediction) counts: the same numbers as `labelShift` / `blackBoxShiftEstimation` on the rows. */
export async function labelsFromDatabase(
  db: ShiftDatabase,
  train: Source,
  valid: Source,
  label: string,
  pred: string | undefined,
): Promise<LabelsReport | undefined> {
  const trainLabels = (await tallyColumn(db, train, label)).counts;
  const validLabels = hasColumn(valid, label) ? (await tallyColumn(db, valid, label)).counts : new Map<string, number>();
  let bbse: BbseResult | undefined;
  if (pred !== undefined && hasColumn(valid, pred)) {
    const trainPreds = (await tallyColumn(db, train, pred)).counts;
    const validPreds = (await tallyColumn(db, valid, pred)).counts;
    const classes = labelClasses([...trainLabels.keys()], [...trainPreds.keys()], [...validPreds.keys()]);
    bbse = bbseFromCounts(classes, await pairCounts(db, train, pred, label), validPreds);
  }
  if (validLabels.size > 0) return { ...labelShiftFromCounts(trainLabels, validLabels), ...(bbse ? { bbse } : {}) };
  if (bbse) return { classes: bbse.classes, trainProportions: bbse.trainProportions, bbse };
  return undefined;
}

/** Accuracy per group from (group, prediction, label) counts, on the validation rows when they carry labels and predictions. */
export async function subgroupsFromDatabase(
  db: ShiftDatabase,
  train: Source,
  valid: Source,
  roles: { label: string; pred: string; group: string },
): Promise<{ set: 'valid' | 'train'; metric: 'accuracy'; groups: GroupMetric[] }> {
  const set = hasColumn(valid, roles.label) && hasColumn(valid, roles.pred) ? 'valid' : 'train';
  const source = set === 'valid' ? valid : train;
  const rows = await db.rows(
    `SELECT ${textExpression(roles.group)} AS g, ${textExpression(roles.pred)} AS p, ${textExpression(roles.label)} AS y, count(*) AS n FROM ${source.relation}
     WHERE g IS NOT NULL AND p IS NOT NULL AND y IS NOT NULL GROUP BY g, p, y`,
    source.origin,
  );
  const stats = new Map<string, { n: number; correct: number }>();
  for (const r of rows) {
    const s = stats.get(String(r.g)) ?? { n: 0, correct: 0 };
    const n = toNumber(r.n);
    s.n += n;
    if (samePrediction(String(r.p), String(r.y))) s.correct += n;
    stats.set(String(r.g), s);
  }
  return { set, metric: 'accuracy', groups: subgroupAccuracyFromCounts(stats) };
}
