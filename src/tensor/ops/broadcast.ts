import { broadcastShapes, sizeOf, stridesOf, type Shape } from '../shape.js';

/** Strides of an operand of shape `from` read as the broadcast shape `to` (0 along broadcast dimensions). */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const own = stridesOf(from);
  const lead = to.length - from.length;
  return to.map((_, d) => (d < lead || from[d - lead] === 1 ? 0 : own[d - lead]));
}

/** A row callback: each operand's offset of the row's first element, the row length, the output offset, each operand's step within the row. */
export type RowVisitor = (offsets: readonly number[], length: number, outOffset: number, inner: readonly number[]) => void;

/**
 * Visits the rows of the broadcast of operands with `strides` onto `shape` (row-major order of the
 * output). Adjacent dimensions that every operand walks contiguously are merged first, so operands
 * of one shape form a single row, and a `[C]` operand against `[N, C]` gives N rows of C.
 */
export function forEachRow(shape: Shape, strides: readonly (readonly number[])[], row: RowVisitor): void {
  const n = sizeOf(shape);
  if (n === 0) return;
  const dims: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && strides.every((s, j) => st[j][last] === s[d] * shape[d])) {
      dims[last] *= shape[d];
      strides.forEach((s, j) => {
        st[j][last] = s[d];
      });
    } else {
      dims.push(shape[d]);
      strides.forEach((s, j) => {
        st[j].push(s[d]);
      });
    }
  }
  if (dims.length === 0) {
    const zeros = strides.map(() => 0);
    row(zeros, 1, 0, zeros);
    return;
  }
  const rank = dims.length;
  const length = dims[rank - 1];
  const inner = st.map((s) => s[rank - 1]);
  const rows = n / length;
  const counter = new Array<number>(rank).fill(0);
  const offsets = strides.map(() => 0);
  for (let r = 0; r < rows; r++) {
    row(offsets, length, r * length, inner);
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]++;
      for (let j = 0; j < offsets.length; j++) offsets[j] += st[j][d];
      if (counter[d] < dims[d]) break;
      for (let j = 0; j < offsets.length; j++) offsets[j] -= st[j][d] * dims[d];
      counter[d] = 0;
    }
  }
}

/** The broadcast shape of several operands (`torch.broadcast_shapes`), naming `fn` when they do not fit. */
export function broadcastAll(fn: string, names: readonly string[], shapes: readonly Shape[]): number[] {
  let out: number[] = [...shapes[0]];
  for (let i = 1; i < shapes.length; i++) out = broadcastShapes(out, shapes[i], fn, [names[0], names[i]]);
  return out;
}
