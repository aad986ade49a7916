import { domainHoldout, type DomainDataset } from '../data/domainDataset.js';
import { fail, formatValue } from '../errors.js';
import { RandomState } from '../tensor/random.js';
import { type DomainBatch, type LogitMethod, MlpDomainTrainer } from './mlpDomainTrainer.js';
import { type CheckpointRecord, SELECTION_RULES, type Selection, type SelectionRule, selectModel } from './modelSelection.js';

/**
 * A DomainBed-style experiment (`domainbed/scripts/train.py` + `collect_results.py`) on an MLP: for each
 * test domain t and seed, every domain is split 80/20 into "in"/"out" rows (`domainHoldout`), the model
 * trains on minibatches of the "in" rows of the domains ≠ t (one batch per domain per step, drawn
 * with replacement-free reshuffles), and every `checkpointEvery` steps records the accuracy of both
 * splits of every domain. A selection rule then picks the checkpoint; the reported number is t's "in"
 * accuracy there. Hyperparameters default to DomainBed's defaults for small images.
 */
export const EXPERIMENT_METHODS: readonly LogitMethod[] = ['erm', 'irm', 'vrex', 'groupdro'];

export interface ExperimentOptions {
  readonly method: LogitMethod;
  /** Test domains, each held out in turn (default: the dataset's default test domains). */
  readonly testDomains?: readonly number[];
  readonly seeds?: number;
  readonly steps?: number;
  readonly checkpointEvery?: number;
  readonly batchSize?: number;
  readonly hidden?: readonly number[];
  readonly lr?: number;
  readonly select?: SelectionRule;
  /** Penalty weight and anneal steps (IRM: 100 / 500, V-REx: 10 / 500, DomainBed defaults); GroupDRO's η (0.01). */
  readonly penaltyWeight?: number;
  readonly anneal?: number;
  readonly groupDroEta?: number;
  /** Called after every step (for progress bars; return `false` to stop the experiment). */
  readonly onStep?: (p: ExperimentProgress) => boolean | undefined;
}

export interface ExperimentProgress {
  readonly testDomain: number;
  readonly seed: number;
  readonly step: number;
  readonly steps: number;
  /** Runs finished so far and in all. */
  readonly run: number;
  readonly runs: number;
  readonly loss: number;
}

export interface ExperimentRun {
  readonly testDomain: number;
  readonly seed: number;
  /** All checkpoints: step, and accuracy of every domain's in and out split. */
  readonly checkpoints: CheckpointRecord[];
  readonly selection: Selection;
  /** Training loss per step. */
  readonly losses: number[];
}

export interface ExperimentResult {
  readonly method: LogitMethod;
  readonly select: SelectionRule;
  readonly selectLabel: string;
  readonly testDomains: number[];
  readonly domainNames: readonly string[];
  readonly runs: ExperimentRun[];
  /** Per test domain: mean and sample standard deviation over seeds of the selected test accuracy. */
  readonly summary: { domain: string; mean: number; sd: number; n: number }[];
  readonly hparams: Record<string, number | string | readonly number[]>;
}

export const DOMAINBED_DEFAULTS = {
  lr: 1e-3,
  batchSize: 64,
  irm: { penaltyWeight: 100, anneal: 500 },
  vrex: { penaltyWeight: 10, anneal: 500 },
  groupDroEta: 0.01,
};

/** Float32 inputs of some rows. */
function rowsAsFloat(data: DomainDataset, rows: ArrayLike<number>): Float32Array {
  const d = data.features;
  const out = new Float32Array(rows.length * d);
  const scale = Math.fround(data.scale);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (data.x instanceof Uint8Array) for (let j = 0; j < d; j++) out[i * d + j] = Math.fround(data.x[r * d + j] * scale);
    else out.set(data.x.subarray(r * d, (r + 1) * d), i * d);
  }
  return out;
}

/** Sample mean and standard deviation (n − 1; 0 for a single value). */
export function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd };
}

export function runDomainExperiment(data: DomainDataset, options: ExperimentOptions): ExperimentResult {
  const fn = 'runDomainExperiment';
  const k = data.domainNames.length;
  const testDomains = [...(options.testDomains ?? data.defaultTestDomains)];
  if (testDomains.length === 0) fail({ fn, argument: 'testDomains', value: '[]', rule: 'name at least one test domain (--test-domain)' });
  if (k - 1 < 1) fail({ fn, argument: 'data', value: `${k} domain`, rule: 'it needs at least two domains' });
  const select = options.select ?? 'training-domain';
  if (select === 'leave-one-domain-out' && k < 3)
    fail({ fn, argument: 'select', value: formatValue(select), rule: 'leave-one-domain-out needs at least three domains' });
  if (!['training-domain', 'leave-one-domain-out', 'oracle'].includes(select)) {
    fail({ fn, argument: 'select', value: formatValue(select), rule: 'domain generalisation selects by training-domain, leave-one-domain-out or oracle' });
  }
  const seeds = options.seeds ?? 3;
  const steps = options.steps ?? 1000;
  const every = options.checkpointEvery ?? 100;
  const batch = options.batchSize ?? DOMAINBED_DEFAULTS.batchSize;
  const hidden = options.hidden ?? [256, 256];
  const lr = options.lr ?? DOMAINBED_DEFAULTS.lr;
  const method = options.method;
  const penaltyDefaults = method === 'irm' ? DOMAINBED_DEFAULTS.irm : method === 'vrex' ? DOMAINBED_DEFAULTS.vrex : { penaltyWeight: 1, anneal: 0 };
  const penaltyWeight = options.penaltyWeight ?? penaltyDefaults.penaltyWeight;
  const anneal = options.anneal ?? penaltyDefaults.anneal;
  const eta = options.groupDroEta ?? DOMAINBED_DEFAULTS.groupDroEta;
  const outputs = data.numClasses;

  // held-out sets: the main runs hold out [t]; leave-one-domain-out adds runs holding out [t, v]
  const heldOutSets: number[][] = [];
  for (const t of testDomains) {
    heldOutSets.push([t]);
    if (select === 'leave-one-domain-out') for (let v = 0; v < k; v++) if (v !== t) heldOutSets.push([t, v]);
  }
  const totalRuns = heldOutSets.length * seeds;
  const mainRuns: Omit<ExperimentRun, 'selection'>[] = [];
  const recordsBySeed = new Map<number, CheckpointRecord[]>();
  let runIndex = 0;
  let stopped = false;
  for (const heldOut of heldOutSets) {
    for (let seed = 0; seed < seeds && !stopped; seed++) {
      const split = domainHoldout(data, 0.2, seed);
      const inputs = { in: split.in.map((rows) => rowsAsFloat(data, rows)), out: split.out.map((rows) => rowsAsFloat(data, rows)) };
      const labels = {
        in: split.in.map((rows) => Int32Array.from(rows, (r) => data.y[r])),
        out: split.out.map((rows) => Int32Array.from(rows, (r) => data.y[r])),
      };
      const train = Array.from({ length: k }, (_, d) => d).filter((d) => !heldOut.includes(d) && split.in[d].length > 0);
      if (train.length === 0) fail({ fn, argument: 'testDomains', value: formatValue(heldOut), rule: 'at least one domain must remain for training' });
      const trainer = new MlpDomainTrainer(data.features, {
        method,
        hidden,
        outputs: outputs === 2 ? 2 : outputs,
        lr,
        penaltyWeight,
        anneal,
        groupDroEta: eta,
        seed: 1000 * seed + heldOut[0],
        form: 'domainbed',
      });
      const rng = new RandomState(seed);
      const orders = train.map((d) => rng.permutation(split.in[d].length));
      const cursors = train.map(() => 0);
      const losses: number[] = [];
      const checkpoints: CheckpointRecord[] = [];
      const evaluate = (step: number): void => {
        const acc = (part: 'in' | 'out') =>
          Array.from({ length: k }, (_, d) => (labels[part][d].length ? trainer.score(inputs[part][d], labels[part][d], labels[part][d].length) : NaN));
        const record: CheckpointRecord = { step, testDomains: heldOut, inAcc: acc('in'), outAcc: acc('out') };
        checkpoints.push(record);
        const list = recordsBySeed.get(seed) ?? [];
        list.push(record);
        recordsBySeed.set(seed, list);
      };
      for (let step = 0; step < steps; step++) {
        const batches: DomainBatch[] = train.map((d, i) => {
          const n = split.in[d].length;
          const m = Math.min(batch, n);
          const x = new Float32Array(m * data.features);
          const y = new Int32Array(m);
          for (let b = 0; b < m; b++) {
            if (cursors[i] >= n) {
              orders[i] = rng.permutation(n);
              cursors[i] = 0;
            }
            const r = orders[i][cursors[i]++];
            x.set(inputs.in[d].subarray(r * data.features, (r + 1) * data.features), b * data.features);
            y[b] = labels.in[d][r];
          }
          return { x, y, n: m };
        });
        const m = trainer.step(batches);
        losses.push(m.loss);
        if (step % every === 0 || step === steps - 1) evaluate(step);
        if (options.onStep?.({ testDomain: heldOut[0], seed, step: step + 1, steps, run: runIndex, runs: totalRuns, loss: m.loss }) === false) {
          stopped = true;
          break;
        }
      }
      runIndex++;
      if (heldOut.length === 1) mainRuns.push({ testDomain: heldOut[0], seed, checkpoints, losses });
    }
  }
  // selection per (test domain, trial seed), as DomainBed's collect_results groups by trial_seed
  const runs: ExperimentRun[] = mainRuns.map((run) => {
    const selection = selectModel(recordsBySeed.get(run.seed) ?? [], run.testDomain, select);
    if (selection === null) fail({ fn, argument: 'select', value: formatValue(select), rule: 'the runs did not record what this rule needs (stopped early?)' });
    return { ...run, selection };
  });
  const summary = testDomains.map((t) => {
    const accs = runs.filter((r) => r.testDomain === t).map((r) => r.selection.testAcc);
    return { domain: data.domainNames[t], ...meanSd(accs), n: accs.length };
  });
  return {
    method,
    select,
    selectLabel: SELECTION_RULES[select],
    testDomains,
    domainNames: data.domainNames,
    runs,
    summary,
    hparams: {
      model: `MLP ${[data.features, ...hidden, outputs].join('-')} (ReLU)`,
      lr,
      batchSize: batch,
      steps,
      checkpointEvery: every,
      penaltyWeight,
      anneal,
      groupDroEta: eta,
      seeds,
    },
  };
}
