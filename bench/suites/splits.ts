/**
 * Suite `splits`: GroupKFold and StratifiedKFold (5 folds, no shuffle) on 10 million rows with
 * 100,000 groups and 10 classes, side by side with scikit-learn (bench/peers/sklearn_splits.py).
 * Inputs are bit-identical: h(i) = i·2654435761 mod 2^32, group = (h >>> 8) mod 100000,
 * y = (h >>> 20) mod 10. One run = every train and test index array of the 5 splits materialised.
 * Checks: per-fold test and train sizes (identical whatever the tie order of equal-sized groups),
 * and for StratifiedKFold a checksum of the test indices.
 */
import { GroupKFold, StratifiedKFold, type TrainTest } from '../../src/validation/index.js';
import { pythonPeer } from '../peerProcess.js';
import type { BenchCase, BenchSuite, CheckValues, Contender, OpenContender } from '../suite.js';

/** The shared inputs (see bench/peers/sklearn_splits.py). */
export function splitInputs(rows: number, groups: number, classes: number): { g: Int32Array; y: Int32Array } {
  const g = new Int32Array(rows);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const h = Math.imul(i, 2654435761) >>> 0;
    g[i] = (h >>> 8) % groups;
    y[i] = (h >>> 20) % classes;
  }
  return { g, y };
}

function checks(splits: readonly TrainTest[], withChecksum: boolean): CheckValues {
  const out: Record<string, number> = {};
  let checksum = 0;
  splits.forEach((s, f) => {
    out[`test_size_${f}`] = s.test.length;
    out[`train_size_${f}`] = s.train.length;
    let sum = 0;
    for (let i = 0; i < s.test.length; i++) sum += s.test[i];
    checksum += (f + 1) * sum;
  });
  if (withChecksum) out.test_index_checksum = checksum;
  return out;
}

const ours: Contender = {
  id: 'losslab',
  label: 'losslab (TypeScript, Int32Array, counting sorts)',
  side: 'ours',
  threads: 1,
  async open(c: BenchCase): Promise<OpenContender> {
    const rows = c.params.rows as number;
    const folds = c.params.folds as number;
    const { g, y } = splitInputs(rows, c.params.groups as number, c.params.classes as number);
    const stratified = c.params.splitter === 'StratifiedKFold';
    const run = (): TrainTest[] =>
      stratified ? [...new StratifiedKFold({ nSplits: folds }).split({ n: rows }, y)] : [...new GroupKFold({ nSplits: folds }).split({ n: rows }, null, g)];
    return {
      check: checks(run(), stratified),
      async time(reps: number) {
        const timesMs: number[] = [];
        for (let r = 0; r < reps; r++) {
          const t0 = performance.now();
          run();
          timesMs.push(performance.now() - t0);
        }
        return { timesMs };
      },
      async close() {},
    };
  },
};

const sklearn = pythonPeer({ id: 'sklearn', label: 'scikit-learn cv.split (list of all folds)', threads: 1, script: 'bench/peers/sklearn_splits.py' });

export const suite: BenchSuite = {
  id: 'splits',
  title: 'Cross-validation splits, 10 million rows, 100,000 groups, 10 classes, 5 folds',
  async cases(options) {
    const rows = options.quick ? 1_000_000 : 10_000_000;
    return (['GroupKFold', 'StratifiedKFold'] as const).map(
      (splitter): BenchCase => ({
        id: `${splitter}-${rows}`,
        title: `${splitter}(n_splits=5).split, ${rows.toLocaleString('en')} rows`,
        params: { splitter, rows, groups: 100_000, classes: 10, folds: 5 },
        contenders: [ours, sklearn],
        referenceId: 'sklearn',
        tolerances: { test_index_checksum: { rtol: 0, atol: 0 } },
        repsPerBlock: 1,
        rounds: options.quick ? 2 : 3,
      }),
    );
  },
};
