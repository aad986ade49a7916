import { CsvTableReader, parseCsv } from '../../data/csv.js';
import { fail } from '../../errors.js';
import type { Column, Table } from '../../shift/table.js';
import { RandomState } from '../../tensor/random.js';

/** The built-in demo data sets: each has a known difference between its first 70% and last 30% of rows. */
export type DemoId = 'covariate' | 'label' | 'group' | 'time';
export const DEMOS: readonly DemoId[] = ['covariate', 'label', 'group', 'time'];

/** The share of rows (at the end, in file order) that the demos shift: their "validation" part. */
export const DEMO_VALID_SHARE = 0.3;

/**
 * A demo table of 400 rows drawn with NumPy's RandomState (seeded, so the page is reproducible):
 * numeric features `x1`, `x2`, a categorical `label` (a, b, c), a `user` group and a `time` column.
 * The last 30% of rows differ by construction:
 * - covariate: x1 moves by +1.5 standard deviations and the label follows x1;
 * - label: the class mix goes from (60, 30, 10)% to (20, 30, 50)%, features given the label unchanged;
 * - group: the last rows come from 12 new users (u28–u39) whose x2 sits 1.5 higher — new devices;
 * - time: x1 drifts linearly with time.
 */
export function demoTable(id: DemoId, seed = 0, n = 400): Table {
  const rng = new RandomState(seed);
  const cut = Math.round(n * (1 - DEMO_VALID_SHARE));
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

/**
 * Reads CSV text into a `Table` with losslab's CSV reader (`parseCsv` for the header, then
 * `CsvTableReader`: RFC 4180 quoting, missing-value tokens such as '' and NA, pandas-like type
 * inference per column). Number columns become numeric (missing → NaN); text columns become
 * categorical (missing → ''). Errors are `LosslabError`s naming the file, row and column.
 */
export function csvToTable(text: string, source: string): Table {
  const header = parseCsv(text.slice(0, firstRecordEnd(text)), { source })[0] ?? [];
  if (header.length === 0) fail({ fn: 'validation lab', argument: source, rule: 'the file must start with a header row' });
  const reader = new CsvTableReader(
    header.map((name) => ({ name, type: 'auto' as const })),
    { source },
  );
  reader.push(text);
  const csv = reader.finish();
  if (csv.rowCount < 2) fail({ fn: 'validation lab', argument: source, value: `${csv.rowCount} data rows`, rule: 'the file needs at least 2 data rows' });
  const columns: Column[] = header.map((name): Column => {
    const column = csv.columns.get(name);
    if (!column) return fail({ fn: 'validation lab', argument: source, value: JSON.stringify(name), rule: 'every header name must be a readable column' });
    return column.kind === 'number'
      ? { name, kind: 'numeric', values: column.values }
      : { name, kind: 'categorical', values: column.values.map((v) => v ?? '') };
  });
  return { nRows: csv.rowCount, columns };
}

/** Index just past the first record (a newline outside quotes), or the text's length. */
function firstRecordEnd(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === '\n' && !quoted) return i + 1;
  }
  return text.length;
}

/** Rows `[from, to)` of a table, as a table (the training or validation part). */
export function sliceTable(table: Table, from: number, to: number): Table {
  return {
    nRows: to - from,
    columns: table.columns.map((c): Column => (c.kind === 'numeric' ? { ...c, values: c.values.slice(from, to) } : { ...c, values: c.values.slice(from, to) })),
  };
}
