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
 * - group: 40 users with their own offsets, the last users only in the last rows (no shift in time);
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
    for (let k = 0; k < probs.length; k++) if (u < (acc += probs[k])) return k;
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
    if (id === 'group') x2[i] += (u % 7) - 3;
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
 * Reads CSV text (RFC 4180: a header row, commas, double-quoted fields with "" escapes, CRLF or LF)
 * into a `Table`: a column is numeric when every non-empty cell is a number (empty cells become NaN),
 * categorical otherwise (empty cells become ''). Throws an Error naming the row for ragged rows.
 */
export function csvToTable(text: string): Table {
  const rows = parseCsvRows(text);
  if (rows.length < 2) throw new Error('the file needs a header row and at least one data row');
  const header = rows[0];
  const body = rows.slice(1).filter((r) => !(r.length === 1 && r[0] === ''));
  body.forEach((r, i) => {
    if (r.length !== header.length) throw new Error(`row ${i + 2} has ${r.length} fields, but the header has ${header.length}`);
  });
  const columns: Column[] = header.map((name, j) => {
    const cells = body.map((r) => r[j].trim());
    const numeric = cells.every((c) => c === '' || Number.isFinite(Number(c))) && cells.some((c) => c !== '');
    return numeric
      ? { name, kind: 'numeric', values: Float64Array.from(cells, (c) => (c === '' ? Number.NaN : Number(c))) }
      : { name, kind: 'categorical', values: cells };
  });
  return { nRows: body.length, columns };
}

function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
