/**
 * The contract between `bench/run.ts` (the harness) and the benchmark suites in `bench/suites/`.
 *
 * A suite is a list of cases (one shape, one dataset, one workload). Each case has contenders: our
 * implementations (run in this process, or in our own workers) and peers (PyTorch, NumPy,
 * scikit-learn, TensorFlow.js — separate processes speaking the JSON-lines protocol below). The
 * harness times them INTERLEAVED — ours, peer, ours, peer … in rounds, rotating the order each
 * round — because this machine's speed drifts by up to 1.7× within seconds; only ratios measured
 * in the same run, side by side, mean anything (see ../shared/peers/README.md).
 *
 * Implementing a suite: export `suite: BenchSuite` from `bench/suites/<name>.ts`, list it in
 * `bench/suites/index.ts`. Our contenders implement `Contender.open` directly; peers are declared
 * with `pythonPeer(...)` / `nodePeer(...)` from `bench/peerProcess.ts`, which run a script in
 * `bench/peers/` and speak the protocol for you.
 *
 * Peer script protocol (one JSON object per line; stdin requests, stdout replies; logs on stderr):
 *   on start, the script prints     {"ok": true, "info": {...versions...}}
 *                             or    {"ok": false, "skip": "why (e.g. torch is not installed)"}
 *   {"op": "prepare", "case": ID, "params": {...}} → {"ok": true, "check": {...}} | {"ok": false, "skip"|"error": "..."}
 *   {"op": "time", "reps": R}                      → {"ok": true, "timesMs": [R numbers], "metrics": {...}?}
 *   {"op": "quit"}                                 → exits
 * `prepare` builds the inputs (not timed) and returns check values (loss, gradient checksums,
 * accuracy …) that the harness compares with the reference contender; `time` runs the workload
 * R times and returns one wall-clock time per run in milliseconds.
 */

/** Numbers a contender reports so the harness can check it computed the same thing as the reference. */
export type CheckValues = Record<string, number>;

/** One block of timed runs. */
export interface TimedBlock {
  /** Wall-clock milliseconds of each run in the block (one entry per rep). */
  readonly timesMs: readonly number[];
  /** Optional results of the last run (e.g. test accuracy after training), shown in the table. */
  readonly metrics?: Readonly<Record<string, number>>;
}

/** A contender opened for one case: inputs built, ready to be timed repeatedly. */
export interface OpenContender {
  /** Check values of one untimed run (compared with the reference contender's). */
  readonly check: CheckValues;
  /** Runs the workload `reps` times and returns the per-run times. */
  time(reps: number): Promise<TimedBlock>;
  /** Releases inputs, workers and processes. */
  close(): Promise<void>;
}

/** Returned by `Contender.open` when the contender cannot run here (peer not installed …). */
export interface Skipped {
  readonly skip: string;
}

/** One implementation of a case: ours or a peer. */
export interface Contender {
  /** Stable id, e.g. `losslab-wasm`, `torch-autograd`, `sklearn`. */
  readonly id: string;
  /** Human label for the table, e.g. `PyTorch F.cross_entropy + backward`. */
  readonly label: string;
  /** `ours` rows are divided by `peer` rows to give the ratios. */
  readonly side: 'ours' | 'peer';
  /** Threads (cores) it uses: ratios are reported per thread count. */
  readonly threads: number;
  /** Builds the inputs for the case (not timed). */
  open(benchCase: BenchCase, options: SuiteOptions): Promise<OpenContender | Skipped>;
}

/** How a check value must agree with the reference contender's. */
export interface CheckTolerance {
  /** Relative tolerance (default 1e-4, as ../shared/peers uses). */
  readonly rtol?: number;
  /** Absolute tolerance (default 0). */
  readonly atol?: number;
}

/** One workload of a suite. */
export interface BenchCase {
  /** Stable id within the suite, e.g. `65536x10`. */
  readonly id: string;
  /** Human title, e.g. `softmax+CE fwd+bwd float32 [65536,10]`. */
  readonly title: string;
  /** Parameters passed to every contender (and to peers in the `prepare` request). */
  readonly params: Readonly<Record<string, number | string | boolean | readonly number[]>>;
  /**
   * Minimum memory traffic of one run in bytes (e.g. 8 × elements for softmax+CE: read the logits,
   * write the gradient). When given, the table shows the fraction of the copy bandwidth measured
   * in the same run.
   */
  readonly bytesPerRun?: number;
  /** Contenders; the harness interleaves them. */
  readonly contenders: readonly Contender[];
  /** Id of the contender whose check values are the truth (e.g. `torch-autograd-t1`). */
  readonly referenceId?: string;
  /** Tolerance per check key; keys not listed use the default (rtol 1e-4). */
  readonly tolerances?: Readonly<Record<string, CheckTolerance>>;
  /** Reps per timed block for each contender (default: derived from `targetBlockMs`). */
  readonly repsPerBlock?: number;
  /** Wanted wall time of one block in ms (default 300; 100 with --quick). */
  readonly targetBlockMs?: number;
  /** Interleaved rounds (default 5; 2 with --quick). */
  readonly rounds?: number;
}

/** Options the harness passes to every suite. */
export interface SuiteOptions {
  /** `--quick`: fewer rounds and reps, for development. */
  readonly quick: boolean;
  /** Repository root (absolute path). */
  readonly root: string;
  /** Python interpreter for the Python peers (`LOSSLAB_BENCH_PYTHON`, default /usr/bin/python3). */
  readonly python: string;
  /** Writes a progress line to stderr. */
  log(message: string): void;
}

/** A benchmark suite: `bench/suites/<name>.ts` exports `suite`. */
export interface BenchSuite {
  /** Name used by `npm run bench -- --suite <id>`, e.g. `softmax-ce`, `training`, `splits`. */
  readonly id: string;
  /** Heading in the results. */
  readonly title: string;
  /** Builds the cases (may read data; must not time anything). */
  cases(options: SuiteOptions): Promise<readonly BenchCase[]>;
}

/** Type guard for `Contender.open`'s result. */
export function isSkipped(x: OpenContender | Skipped): x is Skipped {
  return 'skip' in x;
}
