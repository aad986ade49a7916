import type { DomainDataset } from '../data/domainDataset.js';
import { fail, formatValue } from '../errors.js';
import { ALGORITHM_NAMES, ALGORITHM_TITLES, type AlgorithmName, type HparamValue } from './hparams.js';
import { type CheckpointRecord, SELECTION_RULES, type Selection, type SelectionRule, selectModel } from './modelSelection.js';
import { type DomainTrainer, DomainTrainer as Trainer, type ModelSpec, type StepRecord, type TrainerCheckpoint } from './trainer.js';

/**
 * DomainBed's experiments (`train.py` + `collect_results.py`) on the domain trainer. Domain
 * generalisation: each test domain is held out in turn; domain adaptation (`targetDomains`): each
 * target domain in turn gives its rows without labels to the algorithm and is the test domain. Per
 * trial seed a fresh split, model and batch order; every `checkpointEvery` steps DomainBed's record;
 * the selection rule (`selectModel`) picks the reported checkpoint per (test domain, seed), and the
 * oracle (test-domain validation set) is computed beside it. Leave-one-domain-out adds, per test
 * domain, the runs that hold out one more domain.
 */

/** Method names of the CLI and the estimator: the algorithms, plus the adaptation literature's names. */
export const METHOD_ALIASES: Readonly<Record<string, AlgorithmName>> = { 'source-only': 'erm', 'deep-coral': 'coral', iw: 'importance-weighting' };
export const METHODS: readonly string[] = [...ALGORITHM_NAMES, ...Object.keys(METHOD_ALIASES)];
/** Methods that use the unlabelled target rows (the others ignore them: baselines). */
export const ADAPTATION_METHODS: readonly string[] = ['source-only', 'dann', 'deep-coral', 'coral', 'mmd', 'dan', 'importance-weighting', 'iw'];
/** Selection rules that need no target labels (domain adaptation). */
export const TARGET_FREE_RULES: readonly SelectionRule[] = ['entropy', 'snd', 'iwcv', 'dev'];

export function resolveMethod(name: string, fn = 'resolveMethod', argument = 'method'): AlgorithmName {
  const algorithm = (METHOD_ALIASES[name] ?? name) as AlgorithmName;
  if (!ALGORITHM_NAMES.includes(algorithm)) fail({ fn, argument, value: formatValue(name), rule: `methods are ${METHODS.join(', ')}` });
  return algorithm;
}

export interface ExperimentOptions {
  readonly method: string;
  /** Domain generalisation: test domains, each held out in turn (default: the dataset's). */
  readonly testDomains?: readonly number[];
  /** Domain adaptation: target domains, each in turn the unlabelled training domain and the test domain. */
  readonly targetDomains?: readonly number[];
  /** Train on these labelled domains only (default: every other domain). */
  readonly trainDomains?: readonly number[];
  readonly seeds?: number;
  /** First trial seed (default 0): seeds are firstSeed … firstSeed + seeds − 1. */
  readonly firstSeed?: number;
  readonly steps?: number;
  readonly checkpointEvery?: number;
  readonly select?: SelectionRule;
  readonly hparams?: Readonly<Record<string, HparamValue | undefined>>;
  readonly model?: ModelSpec;
  readonly mlpWidth?: number;
  readonly mlpDepth?: number;
  readonly evalRows?: number;
  readonly labelled?: Uint8Array;
  /** Called after every step; return `false` to stop the experiment. */
  readonly onStep?: (p: ExperimentProgress) => boolean | undefined;
  /** Called when a run is about to start (the trainer exists, no step taken) and when it ended. */
  readonly onRunStart?: (trainer: DomainTrainer, run: RunKey) => void;
  readonly onRunEnd?: (trainer: DomainTrainer, run: RunKey) => void;
  /** Runs already done (resuming): their records are used instead of training again. */
  readonly completed?: readonly CompletedRun[];
  /** Called with each finished run's records (to append them to a resumable file). */
  readonly onRunRecorded?: (run: CompletedRun) => void;
}

export interface RunKey {
  /** The domains the run held out (test or target), [t] or [t, v] for leave-one-domain-out. */
  readonly heldOut: readonly number[];
  readonly seed: number;
  readonly index: number;
  readonly total: number;
}

export interface CompletedRun {
  readonly heldOut: readonly number[];
  readonly seed: number;
  readonly checkpoints: readonly TrainerCheckpoint[];
  readonly seconds: number;
}

export interface ExperimentProgress extends RunKey {
  readonly step: number;
  readonly steps: number;
  readonly record: StepRecord;
}

export interface ExperimentRun {
  readonly testDomain: number;
  readonly seed: number;
  readonly checkpoints: readonly TrainerCheckpoint[];
  readonly selection: Selection;
  /** DomainBed's oracle beside the rule (test-domain validation set: last checkpoint). */
  readonly oracle: Selection;
  /** The checkpoint with the best test-domain "in" accuracy (peeks; an upper bound). */
  readonly best: { readonly step: number; readonly testAcc: number };
  readonly seconds: number;
}

export interface Summary {
  readonly domain: string;
  readonly mean: number;
  readonly sd: number;
  readonly n: number;
}

export interface ExperimentResult {
  readonly method: string;
  readonly algorithm: AlgorithmName;
  readonly title: string;
  readonly select: SelectionRule;
  readonly selectLabel: string;
  readonly adaptation: boolean;
  readonly testDomains: number[];
  readonly domainNames: readonly string[];
  readonly runs: ExperimentRun[];
  /** Per test domain: mean and sample sd over seeds of the test accuracy at the selected checkpoint. */
  readonly summary: Summary[];
  readonly oracleSummary: Summary[];
  readonly bestSummary: Summary[];
  readonly hparams: Readonly<Record<string, HparamValue>>;
  readonly settings: Readonly<Record<string, string | number>>;
}

/** Sample mean and standard deviation (n − 1; 0 for a single value). */
export function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd };
}

function describeModel(trainer: DomainTrainer, options: ExperimentOptions): string {
  const spec = options.model ?? 'mlp';
  const a = trainer.algorithm;
  if (spec === 'mlp') {
    const w = options.mlpWidth ?? 256;
    const depth = options.mlpDepth ?? 3;
    const widths = [a.inputShape.reduce((p, s) => p * s, 1), ...Array.from({ length: depth }, () => w), a.numClasses];
    return `MLP ${widths.join('-')} (DomainBed's MLP featurizer: ReLU after all but its last layer; linear classifier)`;
  }
  if (spec === 'cnn') return `DomainBed's MNIST CNN (conv 64-128-128-128, ReLU + GroupNorm(8), global average pool; 128 features) + linear classifier`;
  return `the user's featurizer (${a.features} features) and classifier`;
}

export function runExperiment(data: DomainDataset, options: ExperimentOptions): ExperimentResult {
  const fn = 'runExperiment';
  const algorithm = resolveMethod(options.method, fn);
  const k = data.domainNames.length;
  const targets = [...(options.targetDomains ?? [])];
  const adaptation = targets.length > 0;
  const tests = adaptation ? targets : [...(options.testDomains ?? data.defaultTestDomains)];
  if (tests.length === 0)
    fail({ fn, argument: 'testDomains', value: '[]', rule: 'name at least one test domain (--test-domain) or target domain (--target-domain)' });
  if (k < 2) fail({ fn, argument: 'data', value: `${k} domain`, rule: 'it needs at least two domains' });
  const select = options.select ?? 'training-domain';
  if (!(select in SELECTION_RULES))
    fail({ fn, argument: 'select', value: formatValue(select), rule: `it must be one of ${Object.keys(SELECTION_RULES).join(', ')}` });
  if (TARGET_FREE_RULES.includes(select) && !adaptation)
    fail({
      fn,
      argument: 'select',
      value: formatValue(select),
      rule: 'target-free validators score unlabelled target rows: name a target domain (--target-domain)',
    });
  if (select === 'leave-one-domain-out' && (adaptation || k < 3))
    fail({ fn, argument: 'select', value: formatValue(select), rule: 'leave-one-domain-out needs domain generalisation with at least three domains' });
  if (algorithm === 'importance-weighting' && !adaptation)
    fail({ fn, argument: 'method', value: formatValue(options.method), rule: 'importance weighting needs a target domain (--target-domain)' });
  const seeds = options.seeds ?? 3;
  const firstSeed = options.firstSeed ?? 0;
  const steps = options.steps ?? 1000;
  const every = options.checkpointEvery ?? 100;

  const heldOutSets: number[][] = [];
  for (const t of tests) {
    heldOutSets.push([t]);
    if (select === 'leave-one-domain-out') for (let v = 0; v < k; v++) if (v !== t) heldOutSets.push([t, v]);
  }
  const total = heldOutSets.length * seeds;
  const completed = new Map((options.completed ?? []).map((r) => [`${r.heldOut.join(',')}/${r.seed}`, r]));
  const finished: CompletedRun[] = [];
  let index = 0;
  let stopped = false;
  let hparams: Readonly<Record<string, HparamValue>> = {};
  let modelText = '';
  for (const heldOut of heldOutSets) {
    for (let s = 0; s < seeds && !stopped; s++) {
      const seed = firstSeed + s;
      const key: RunKey = { heldOut, seed, index, total };
      const done = completed.get(`${heldOut.join(',')}/${seed}`);
      if (done && modelText !== '') {
        finished.push(done);
        index++;
        continue;
      }
      const trainer = new Trainer(data, {
        algorithm,
        hparams: options.hparams,
        model: options.model,
        mlpWidth: options.mlpWidth,
        mlpDepth: options.mlpDepth,
        testDomains: adaptation ? heldOut.slice(1) : heldOut,
        targetDomains: adaptation ? [heldOut[0]] : [],
        trainDomains: options.trainDomains?.filter((d) => !heldOut.includes(d)),
        seed,
        modelSeed: 1000 * seed + heldOut[0],
        steps,
        checkpointEvery: every,
        evalRows: options.evalRows,
        labelled: options.labelled,
      });
      hparams = trainer.hparams;
      modelText = describeModel(trainer, options);
      if (done) {
        finished.push(done);
        index++;
        continue;
      }
      options.onRunStart?.(trainer, key);
      const t0 = performance.now();
      trainer.run({
        onStep: (record) => {
          if (options.onStep?.({ ...key, step: trainer.stepsTaken, steps, record }) === false) {
            stopped = true;
            return false;
          }
          return undefined;
        },
      });
      if (stopped) break;
      const run: CompletedRun = { heldOut, seed, checkpoints: trainer.history.checkpoints, seconds: (performance.now() - t0) / 1000 };
      options.onRunEnd?.(trainer, key);
      options.onRunRecorded?.(run);
      finished.push(run);
      index++;
    }
    if (stopped) break;
  }
  if (stopped) fail({ fn, argument: 'run', value: 'stopped', rule: 'the experiment was stopped before its runs finished' });
  // DomainBed's collect_results groups the records by trial seed
  const records = new Map<number, CheckpointRecord[]>();
  for (const r of finished) records.set(r.seed, [...(records.get(r.seed) ?? []), ...r.checkpoints]);
  const runs: ExperimentRun[] = finished
    .filter((r) => r.heldOut.length === 1)
    .map((r) => {
      const t = r.heldOut[0];
      const all = records.get(r.seed) ?? [];
      const selection = selectModel(all, t, select);
      const oracle = selectModel(all, t, 'oracle');
      if (selection === null || oracle === null)
        fail({ fn, argument: 'select', value: formatValue(select), rule: 'the runs did not record what this rule needs (stopped early?)' });
      let best = { step: r.checkpoints[0].step, testAcc: r.checkpoints[0].inAcc[t] };
      for (const c of r.checkpoints) if (c.inAcc[t] > best.testAcc) best = { step: c.step, testAcc: c.inAcc[t] };
      return { testDomain: t, seed: r.seed, checkpoints: r.checkpoints, selection, oracle, best, seconds: r.seconds };
    });
  const summarize = (pick: (r: ExperimentRun) => number): Summary[] =>
    tests.map((t) => {
      const accs = runs.filter((r) => r.testDomain === t).map(pick);
      return { domain: data.domainNames[t], ...meanSd(accs), n: accs.length };
    });
  return {
    method: options.method,
    algorithm,
    title: ALGORITHM_TITLES[algorithm],
    select,
    selectLabel: SELECTION_RULES[select],
    adaptation,
    testDomains: tests,
    domainNames: data.domainNames,
    runs,
    summary: summarize((r) => r.selection.testAcc),
    oracleSummary: summarize((r) => r.oracle.testAcc),
    bestSummary: summarize((r) => r.best.testAcc),
    hparams,
    settings: { model: modelText, steps, checkpointEvery: every, seeds, firstSeed },
  };
}
