/**
 * WebAssembly SIMD version of the fused softmax-regression step (contract: src/kernels/softmaxRegression.ts;
 * kernels: assembly/softmaxRegression.ts).
 *
 * The training rows are laid out in the kernels' memory — CSR when at most half of the inputs are
 * nonzero (Fashion-MNIST: 49.8%), else dense float32 — as a snapshot shared by every kernel made on
 * the same, unchanged data: a new kernel re-reads the source once (nonzero count and a 64-bit
 * fingerprint, ~0.07 s for Fashion-MNIST's bytes) and lays it out again only if it changed. Each
 * kernel copies the labels it was made with. Each step copies its batch's row indices (4 bytes a row)
 * and reads those rows in place: no minibatch copy. Blocks go back to the heap once unreachable.
 */
import { byteTable } from '../byteTable.js';
import {
  FUSED_MAX_CLASSES,
  SPARSE_MAX_DENSITY,
  SPARSE_MAX_FEATURES,
  type SoftmaxRegressionKernel,
  type StepResult,
  type TrainingRows,
} from '../softmaxRegression.js';
import type { WasmHeap } from './heap.js';
import type { KernelExports } from './module.js';
import { Staged } from './softmaxCrossEntropy.js';

/**
 * The rows of one data set in the kernels' memory: a snapshot, identified by the source's scale,
 * shape, nonzero count and a 64-bit fingerprint of its bytes. Its blocks are returned to the heap
 * when neither the cache nor any kernel references it any more.
 */
interface PreparedRows {
  readonly layout: 'sparse' | 'dense';
  readonly scale: number;
  readonly n: number;
  readonly inF: number;
  readonly nonzero: number;
  readonly hash: bigint;
  /** sparse: rowPtr, offs, vals; dense: X. */
  readonly rowPtr: number;
  readonly offs: number;
  readonly vals: number;
  readonly X: number;
}

/**
 * Second thread for the step (src/node/parallel.ts): runs the second half of a batch there while
 * this thread runs the first. Only where the work runs changes, never the arithmetic.
 */
export interface StepSplitter {
  /** Fewest batch rows worth handing over (the hand-off costs a few microseconds). */
  readonly minRows: number;
  start(name: 'softmaxRegressionSparse' | 'softmaxRegressionDense', args: number[]): void;
  /** Waits for the other thread's call to return. */
  finish(): number;
}

const prepared = new WeakMap<WasmHeap, WeakMap<object, PreparedRows>>();
/** Returns a laid-out data set's blocks, or a kernel's scratch blocks, once they are unreachable. */
const registry = new FinalizationRegistry<{ heap: WasmHeap; blocks: readonly number[] }>(({ heap, blocks }) => {
  for (const b of blocks) heap.release(b);
});

/** Rows per `compressRows` call: small calls let the engine move the kernel to its optimising tier early. */
const COMPRESS_ROWS_PER_CALL = 512;

function prepareRows(heap: WasmHeap, data: TrainingRows): PreparedRows {
  let byData = prepared.get(heap);
  if (!byData) {
    byData = new WeakMap();
    prepared.set(heap, byData);
  }
  const ex = heap.kernels.exports;
  const { n, features: inF } = data;
  const x = data.x;
  const bytes = x instanceof Uint8Array;
  const rowStride = bytes ? inF : inF * 4;
  // Source rows reach the kernel through one reused staging block of COMPRESS_ROWS_PER_CALL rows
  // (unless they live in the kernels' memory already): fresh memory costs a page fault per 4 KiB
  // on first touch (~13 µs each on these machines), so a full temporary copy would cost more than
  // the compression itself.
  const srcOwned = !bytes && heap.owns(x);
  const stage = srcOwned ? 0 : heap.alloc(Math.min(n, COMPRESS_ROWS_PER_CALL) * rowStride);
  const stageRows = (i: number, m: number): number => {
    if (srcOwned) return x.byteOffset + i * rowStride;
    if (bytes) new Uint8Array(heap.buffer, stage, m * inF).set(x.subarray(i * inF, (i + m) * inF));
    else heap.float32(stage, m * inF).set(x.subarray(i * inF, (i + m) * inF));
    return stage;
  };
  const table = heap.alloc(256 * 4);
  heap.float32(table, 256).set(byteTable(data.scale, 'float32'));
  try {
    // first pass: count the nonzeros and fingerprint the bytes (the cache must notice in-place changes)
    let nonzero = 0;
    let hash = BigInt(inF);
    for (let i = 0; i < n; i += COMPRESS_ROWS_PER_CALL) {
      const m = Math.min(COMPRESS_ROWS_PER_CALL, n - i);
      const ptr = stageRows(i, m);
      nonzero += ex.compressRows(ptr, bytes ? 1 : 0, table, m, inF, 0, 0, 0);
      hash = ex.fingerprint(ptr, m * rowStride, hash);
    }
    const cached = byData.get(x);
    if (cached && cached.scale === data.scale && cached.n === n && cached.inF === inF && cached.nonzero === nonzero && cached.hash === hash) {
      return cached;
    }
    let rows: PreparedRows;
    let blocks: number[];
    const base = { scale: data.scale, n, inF, nonzero, hash };
    if (inF <= SPARSE_MAX_FEATURES && nonzero <= SPARSE_MAX_DENSITY * n * inF) {
      const rowPtr = heap.alloc((n + 1) * 4);
      const offs = heap.alloc((nonzero + 1) * 2);
      const vals = heap.alloc((nonzero + 1) * 4);
      const ptr = heap.int32(rowPtr, n + 1);
      let p = 0;
      for (let i = 0; i < n; i += COMPRESS_ROWS_PER_CALL) {
        const m = Math.min(COMPRESS_ROWS_PER_CALL, n - i);
        // writes chunk-local offsets into rowPtr[i … i + m] (the last one = the chunk's count)
        ex.compressRows(stageRows(i, m), bytes ? 1 : 0, table, m, inF, rowPtr + i * 4, offs + p * 2, vals + p * 4);
        const count = ptr[i + m];
        for (let r = i; r < i + m; r++) ptr[r] += p;
        p += count;
      }
      ptr[n] = p;
      rows = { ...base, layout: 'sparse', rowPtr, offs, vals, X: 0 };
      blocks = [rowPtr, offs, vals];
    } else {
      // a snapshot even when the rows live in the kernels' memory, so later changes cannot leak in
      const X = heap.alloc(n * inF * 4);
      const out = heap.float32(X, n * inF);
      if (bytes) {
        const lut = heap.float32(table, 256);
        for (let i = 0; i < out.length; i++) out[i] = lut[x[i]];
      } else {
        out.set(x.subarray(0, n * inF));
      }
      rows = { ...base, layout: 'dense', rowPtr: 0, offs: 0, vals: 0, X };
      blocks = [X];
    }
    byData.set(x, rows);
    registry.register(rows, { heap, blocks });
    return rows;
  } finally {
    if (stage) heap.release(stage);
    heap.release(table);
  }
}

/** Per-thread scratch of the step: padded gradient, 4 logit rows, stats. */
interface ThreadScratch {
  readonly dWp: number;
  readonly dbp: number;
  readonly z: number;
  readonly stats: number;
}

class WasmSoftmaxRegression implements SoftmaxRegressionKernel {
  readonly layout: 'sparse' | 'dense';
  readonly threads: number;
  private readonly ex: KernelExports;
  private readonly Wp: number;
  private readonly bp: number;
  /** Scratch of the first and second half of each batch (the second runs on the worker when there is one). */
  private readonly mine: ThreadScratch;
  private readonly other: ThreadScratch;
  /** The current batch's row indices (copied in at every step: 4 bytes per row). */
  private batchOrder: Int32Array;
  /** Every block this kernel owns (released with it; the registry holds this same array). */
  private readonly blocks: number[];

  constructor(
    private readonly heap: WasmHeap,
    private readonly rows: PreparedRows,
    /** This kernel's copy of the labels, checked to lie in [0, c). */
    private readonly labels: number,
    private readonly c: number,
    private readonly splitter: StepSplitter | null,
  ) {
    const inF = rows.inF;
    this.layout = rows.layout;
    this.threads = splitter ? 2 : 1;
    this.ex = heap.kernels.exports;
    const blocks: number[] = [labels];
    this.blocks = blocks;
    const alloc = (bytes: number): number => {
      const p = heap.alloc(bytes);
      blocks.push(p);
      return p;
    };
    this.Wp = alloc(inF * 48);
    this.bp = alloc(48);
    const scratch = (): ThreadScratch => ({ dWp: alloc(inF * 48), dbp: alloc(48), z: alloc(4 * 48), stats: alloc(16) });
    this.mine = scratch();
    this.other = scratch();
    this.batchOrder = heap.int32(alloc(256 * 4), 256);
    registry.register(this, { heap, blocks });
  }

  private args(s: ThreadScratch, r0: number, r1: number, gradScale: number): number[] {
    const { rows, Wp, bp, c, labels } = this;
    const order = this.batchOrder.byteOffset;
    return rows.layout === 'sparse'
      ? [rows.rowPtr, rows.offs, rows.vals, order, labels, r0, r1, Wp, bp, s.dWp, s.dbp, rows.inF, c, gradScale, s.z, s.stats]
      : [rows.X, order, labels, r0, r1, Wp, bp, s.dWp, s.dbp, rows.inF, c, gradScale, s.z, s.stats];
  }

  private run(args: number[]): number {
    const ex = this.ex;
    if (this.rows.layout === 'sparse') {
      const [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p] = args;
      return ex.softmaxRegressionSparse(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p);
    }
    const [a, b, c, d, e, f, g, h, i, j, k, l, m, n] = args;
    return ex.softmaxRegressionDense(a, b, c, d, e, f, g, h, i, j, k, l, m, n);
  }

  step(
    order: ArrayLike<number>,
    start: number,
    m: number,
    W: Float32Array,
    b: Float32Array,
    dW: Float32Array,
    db: Float32Array,
    gradScale: number,
  ): StepResult {
    const { heap, c } = this;
    const inF = this.rows.inF;
    if (m > this.batchOrder.length) {
      const old = this.batchOrder.byteOffset;
      this.batchOrder = heap.int32(heap.alloc(m * 4), m);
      this.blocks[this.blocks.indexOf(old)] = this.batchOrder.byteOffset;
      heap.release(old);
    }
    const bo = this.batchOrder;
    for (let r = 0; r < m; r++) bo[r] = order[start + r];
    const sW = new Staged(heap, W, inF * c, true),
      sb = new Staged(heap, b, c, true);
    const sdW = new Staged(heap, dW, inF * c, false),
      sdb = new Staged(heap, db, c, false);
    try {
      this.ex.padLinear(sW.ptr, sb.ptr, this.Wp, this.bp, inF, c);
      // The reduction tree is fixed by m alone: rows [0, m/2) and [m/2, m) are summed separately
      // (loss, count, gradients), then added first half + second half. One thread runs both halves
      // in turn, two threads one each — the same operations in the same order, so the same bits.
      const { mine, other, splitter } = this;
      const half = m >> 1;
      const parallel = splitter !== null && m >= splitter.minRows;
      if (parallel) splitter.start(this.rows.layout === 'sparse' ? 'softmaxRegressionSparse' : 'softmaxRegressionDense', this.args(other, half, m, gradScale));
      this.run(this.args(mine, 0, half, gradScale));
      if (parallel) splitter.finish();
      else this.run(this.args(other, half, m, gradScale));
      const stats = new Float64Array(heap.buffer, mine.stats, 2);
      const otherStats = new Float64Array(heap.buffer, other.stats, 2);
      const loss = stats[0] + otherStats[0];
      const correct = stats[1] + otherStats[1];
      this.ex.unpadGradients(mine.dWp, mine.dbp, other.dWp, other.dbp, sdW.ptr, sdb.ptr, inF, c);
      sdW.copyOut(inF * c);
      sdb.copyOut(c);
      return { loss, correct };
    } finally {
      for (const s of [sW, sb, sdW, sdb]) s.release();
    }
  }
}

/**
 * The fused step for `data` with `c` classes on the WebAssembly heap, or null where it does not
 * apply (more than 12 classes, labels outside [0, c), no rows); `splitter` adds the second thread.
 * The rows are a snapshot taken now (shared with other kernels on the same unchanged data).
 */
export function wasmSoftmaxRegression(heap: WasmHeap, data: TrainingRows, c: number, splitter: StepSplitter | null = null): SoftmaxRegressionKernel | null {
  if (!(Number.isInteger(c) && c >= 1 && c <= FUSED_MAX_CLASSES) || data.n < 1 || data.features < 1) return null;
  const n = data.n;
  for (let i = 0; i < n; i++) {
    const y = data.y[i];
    if (!(y >= 0 && y < c)) return null;
  }
  const rows = prepareRows(heap, data);
  const labels = heap.alloc(n * 4);
  heap.int32(labels, n).set(data.y.subarray(0, n));
  return new WasmSoftmaxRegression(heap, rows, labels, c, splitter);
}
