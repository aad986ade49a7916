import { fail, formatValue } from '../errors.js';
import { RandomState } from '../tensor/random.js';
import type { Column, Table } from './table.js';

export const DEMO_KINDS = ['none', 'covariate', 'label', 'group-leak', 'time'] as const;
export type DemoKind = (typeof DEMO_KINDS)[number];

export interface DemoData {
  readonly kind: DemoKind;
  readonly train: Table;
  readonly valid: Table;
  /** Column roles for the report. */
  readonly label: 'y';
  readonly group: 'user';
  /** Only the time demo has a time column (elsewhere rows carry no time). */
  readonly time: 'day' | undefined;
  readonly pred: 'pred';
  /** What was changed, in words (the report must find it). */
  readonly truth: string;
}

interface SetRecipe {
  rows: number;
  prior: number[];
  x1Shift: number;
  x3Scale: number;
  colourProbs: number[];
  users: [number, number];
  days: [number, number];
  drift: number;
}

const COLOURS = ['red', 'green', 'blue'];

function draw(rs: RandomState, probs: readonly number[]): number {
  const u = rs.randomSample();
  let acc = 0;
  for (let k = 0; k < probs.length; k++) {
    acc += probs[k];
    if (u < acc) return k;
  }
  return probs.length - 1;
}

/**
 * One synthetic set from a label-first generator: y ~ prior over 3 classes; x1 ~ N(y − 1 + shift
 * + drift·day, 1), x2 ~ N(y/2, 1), x3 ~ N(0, scale²), x4 = user effect + N(0, 0.3²), colour ~
 * categorical; pred is a noisy 80 %-accurate classifier's output (out-of-sample by construction).
 * Users: one per row (independent rows) unless `users` spans fewer ids than rows (group-leak),
 * where rows of a user share its effect on x4.
 */
function makeSet(r: SetRecipe, rs: RandomState, userEffects: Float64Array): Table {
  const n = r.rows;
  const cols = { x1: new Float64Array(n), x2: new Float64Array(n), x3: new Float64Array(n), x4: new Float64Array(n), day: new Float64Array(n) };
  const colour: string[] = [];
  const y: string[] = [];
  const pred: string[] = [];
  const user: string[] = [];
  for (let i = 0; i < n; i++) {
    const label = draw(rs, r.prior);
    const day = r.days[0] + (r.days[1] - r.days[0]) * rs.randomSample();
    // Outside the group-leak demo every row is its own user, so rows are independent.
    const u = r.users[1] - r.users[0] >= n ? r.users[0] + i : r.users[0] + rs.randint(0, r.users[1] - r.users[0]);
    cols.day[i] = Math.round(day * 100) / 100;
    cols.x1[i] = label - 1 + r.x1Shift + r.drift * day + rs.standardNormal();
    cols.x2[i] = label / 2 + rs.standardNormal();
    cols.x3[i] = r.x3Scale * rs.standardNormal();
    cols.x4[i] = (u < userEffects.length ? userEffects[u] : rs.standardNormal()) + 0.3 * rs.standardNormal();
    colour.push(COLOURS[draw(rs, r.colourProbs)]);
    y.push(String(label));
    pred.push(String(rs.randomSample() < 0.8 ? label : rs.randint(0, 3)));
    user.push(`u${u}`);
  }
  return {
    nRows: n,
    columns: [
      { name: 'x1', kind: 'numeric', values: cols.x1 },
      { name: 'x2', kind: 'numeric', values: cols.x2 },
      { name: 'x3', kind: 'numeric', values: cols.x3 },
      { name: 'x4', kind: 'numeric', values: cols.x4 },
      { name: 'colour', kind: 'categorical', values: colour },
      { name: 'user', kind: 'categorical', values: user },
      { name: 'day', kind: 'numeric', values: cols.day },
      { name: 'y', kind: 'categorical', values: y },
      { name: 'pred', kind: 'categorical', values: pred },
    ],
  };
}

/** Overwrites the first `count` validation rows with training rows 0, 7919, 2·7919, … (mod n): planted exact duplicates. */
function plantDuplicates(train: Table, valid: Table, count: number): Table {
  const columns = valid.columns.map((c, k) => {
    const source = train.columns[k];
    if (c.kind === 'numeric' && source.kind === 'numeric') {
      const values = c.values.slice();
      for (let i = 0; i < count; i++) values[i] = source.values[(i * 7919) % train.nRows];
      return { ...c, values };
    }
    if (c.kind === 'categorical' && source.kind === 'categorical') {
      const values = [...c.values];
      for (let i = 0; i < count; i++) values[i] = source.values[(i * 7919) % train.nRows];
      return { ...c, values };
    }
    return c;
  });
  return { nRows: valid.nRows, columns };
}

/**
 * Train/validation data with a known shift, from a seeded generator, for `losslab shift --demo`:
 *   none        both sets from the same distribution (the report must not cry wolf)
 *   covariate   p(x) changes: x1 mean +0.5 SD, x3 SD ×1.5, colour proportions change
 *   label       p(y) changes from (0.5, 0.3, 0.2) to (0.2, 0.3, 0.5) with p(x|y) fixed
 *   group-leak  users appear on both sides (and 5 % of validation rows copy training rows)
 *   time        a random split of time-ordered data: overlapping days, and x1 drifts with time
 */
export function makeDemo(kind: DemoKind, options: { seed?: number; trainRows?: number; validRows?: number } = {}): DemoData {
  if (!DEMO_KINDS.includes(kind))
    fail({ fn: 'losslab shift', argument: '--demo', value: formatValue(kind), rule: `it must be one of ${DEMO_KINDS.join(', ')}` });
  const rs = new RandomState(options.seed ?? 0);
  const userEffects = new Float64Array(4000);
  for (let u = 0; u < userEffects.length; u++) userEffects[u] = rs.standardNormal();
  const trainRows = options.trainRows ?? 2000;
  const validRows = options.validRows ?? 1000;
  const unique: [number, number] = [0, trainRows];
  const base: SetRecipe = {
    rows: trainRows,
    prior: [0.5, 0.3, 0.2],
    x1Shift: 0,
    x3Scale: 1,
    colourProbs: [0.5, 0.3, 0.2],
    users: unique,
    days: [0, 100],
    drift: 0,
  };
  let trainRecipe = base;
  // Different users on each side unless the demo is about group leakage.
  let validRecipe: SetRecipe = { ...base, rows: validRows, users: [trainRows, trainRows + validRows] };
  let truth = 'no shift: both sets come from the same distribution';
  switch (kind) {
    case 'covariate':
      validRecipe = { ...validRecipe, x1Shift: 0.5, x3Scale: 1.5, colourProbs: [0.3, 0.3, 0.4] };
      truth = 'covariate shift: x1 mean +0.5, x3 SD ×1.5, colour proportions (0.5, 0.3, 0.2) → (0.3, 0.3, 0.4)';
      break;
    case 'label':
      validRecipe = { ...validRecipe, prior: [0.2, 0.3, 0.5] };
      truth = 'label shift: class proportions (0.5, 0.3, 0.2) → (0.2, 0.3, 0.5), p(x|y) unchanged';
      break;
    case 'group-leak':
      trainRecipe = { ...base, users: [0, 200] };
      validRecipe = { ...validRecipe, users: [150, 250] };
      truth = 'group leakage: users u150–u199 are in both sets, and 5 % of validation rows copy training rows';
      break;
    case 'time':
      trainRecipe = { ...base, days: [0, 100], drift: 0.01 };
      validRecipe = { ...validRecipe, days: [70, 130], drift: 0.01 };
      truth = 'time: days overlap (train 0–100, validation 70–130) and x1 drifts by +0.01 per day';
      break;
    default:
      break;
  }
  const train = makeSet(trainRecipe, rs, userEffects);
  let valid = makeSet(validRecipe, rs, userEffects);
  if (kind === 'group-leak') valid = plantDuplicates(train, valid, Math.round(validRows * 0.05));
  if (kind !== 'time') {
    const dropDay = (t: Table): Table => ({ nRows: t.nRows, columns: t.columns.filter((c) => c.name !== 'day') });
    return { kind, train: dropDay(train), valid: dropDay(valid), label: 'y', group: 'user', time: undefined, pred: 'pred', truth };
  }
  return { kind, train, valid, label: 'y', group: 'user', time: 'day', pred: 'pred', truth };
}

/**
 * The validation lab's demo data sets (one table, split and analysed in the page): each has a known
 * difference between its first 70% and last 30% of rows. `makeDemo` above gives `losslab shift --demo`
 * its two sets; these keep rows of many users in one file, so group-aware splitters have groups.
 */
export type LabDemoId = 'covariate' | 'label' | 'group' | 'time';
export const LAB_DEMOS: readonly LabDemoId[] = ['covariate', 'label', 'group', 'time'];

/** The share of rows (at the end, in file order) that the demos shift: their "validation" part. */
export const LAB_DEMO_VALID_SHARE = 0.3;

/**
 * A demo table of 400 rows drawn with NumPy's RandomState (seeded, so the page is reproducible):
 * numeric features `x1`, `x2`, a categorical `label` (a, b, c), a `user` group and a `time` column.
 * The last 30% of rows differ by construction:
 * - covariate: x1 moves by +1.5 standard deviations and the label follows x1;
 * - label: the class mix goes from (60, 30, 10)% to (20, 30, 50)%, features given the label unchanged;
 * - group: the last rows come from 12 new users (u28–u39) whose x2 sits 1.5 higher — new devices;
 * - time: x1 drifts linearly with time.
 */
export function labDemoTable(id: LabDemoId, seed = 0, n = 400): Table {
  const rng = new RandomState(seed);
  const cut = Math.round(n * (1 - LAB_DEMO_VALID_SHARE));
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const time = new Float64Array(n);
  const label: string[] = [];
  const user: string[] = [];
  const classes = ['a', 'b', 'c'];
  const draw = (probs: readonly number[]): number => {
    const u = rng.randomSample();
    let acc = 0;
    for (let k = 0; k < probs.length; k++) {
      acc += probs[k];
      if (u < acc) return k;
    }
    return probs.length - 1;
  };
  for (let i = 0; i < n; i++) {
    const late = i >= cut;
    time[i] = i;
    let k: number;
    if (id === 'label') {
      k = draw(late ? [0.2, 0.3, 0.5] : [0.6, 0.3, 0.1]);
      x1[i] = rng.normal(k, 1);
      x2[i] = rng.normal(0, 1);
    } else {
      x1[i] = rng.normal(id === 'covariate' && late ? 1.5 : id === 'time' ? (3 * i) / n : 0, 1);
      x2[i] = rng.normal(0, 1);
      k = x1[i] + 0.5 * rng.normal() > 1 ? 2 : x1[i] + 0.5 * rng.normal() > 0 ? 1 : 0;
    }
    const u = id === 'group' ? (late ? 28 + (i % 12) : i % 28) : rng.randint(0, 40);
    if (id === 'group') x2[i] += late ? 1.5 : 0.5 * ((u % 7) - 3);
    label.push(classes[k]);
    user.push(`u${String(u).padStart(2, '0')}`);
  }
  const columns: Column[] = [
    { name: 'x1', kind: 'numeric', values: x1 },
    { name: 'x2', kind: 'numeric', values: x2 },
    { name: 'label', kind: 'categorical', values: label },
    { name: 'user', kind: 'categorical', values: user },
    { name: 'time', kind: 'numeric', values: time },
  ];
  return { nRows: n, columns };
}
