import { fail, formatValue } from '../errors.js';
import type { ValidatorName } from './validators.js';

/**
 * Model selection as DomainBed defines it (Gulrajani & Lopez-Paz 2021, "In Search of Lost Domain
 * Generalization", `domainbed/model_selection.py`). Every domain is split into "in" (80%) and "out"
 * (20%) rows; a run trains on the "in" rows of its training domains and records, at each checkpoint,
 * the accuracy on both splits of every domain. A rule picks (hyperparameters, checkpoint) for a test
 * domain from such records and reports the test accuracy there:
 *
 * - `training-domain`: maximise the mean "out" accuracy of the training domains (DomainBed's
 *   IIDAccuracySelectionMethod, "training-domain validation set"): the record's `trainDomains` when
 *   it names them (a run on a subset of the domains, e.g. adaptation from one source domain), else
 *   every domain but t (DomainBed, where every other domain trains).
 * - `leave-one-domain-out`: extra runs hold out the test domain and one more domain v; a checkpoint's
 *   validation accuracy is the mean over v of the "in" accuracy on v in the run that held v out
 *   (LeaveOneOutSelectionMethod, "leave-one-domain-out cross-validation").
 * - `oracle`: the last checkpoint, hyperparameters chosen by the test domain's "out" accuracy
 *   (OracleSelectionMethod, "test-domain validation set (oracle)") — it peeks at the test domain and is
 *   always labelled as such.
 * - a target-free validator (`entropy`, `snd`, `iwcv`, `dev`; see validators.ts): maximise its score,
 *   recorded per checkpoint, for domain adaptation.
 *
 * The reported number is always the test domain's "in" accuracy at the chosen checkpoint.
 */
export type SelectionRule = 'training-domain' | 'leave-one-domain-out' | 'oracle' | ValidatorName;

export const SELECTION_RULES: Readonly<Record<SelectionRule, string>> = {
  'training-domain': 'training-domain validation set',
  'leave-one-domain-out': 'leave-one-domain-out cross-validation',
  oracle: 'test-domain validation set (oracle)',
  iwcv: 'target-free: importance-weighted validation (IWCV)',
  dev: 'target-free: deep embedded validation (DEV)',
  entropy: 'target-free: prediction entropy',
  snd: 'target-free: soft neighbourhood density',
};

/** One checkpoint of one run (a line of DomainBed's results.jsonl). */
export interface CheckpointRecord {
  readonly step: number;
  /** The domains this run held out: [t] for a main run; [t, v] for leave-one-domain-out's extra runs. */
  readonly testDomains: readonly number[];
  /**
   * The labelled domains the run trained on (default: every domain but the held-out ones, DomainBed's
   * setting). Domains neither trained on nor held out are scored but never used for selection.
   */
  readonly trainDomains?: readonly number[];
  /** Which hyperparameter setting the run used (DomainBed's hparams_seed); default 0. */
  readonly hparams?: number;
  /** Accuracy on each domain's "in" split (env{i}_in_acc). */
  readonly inAcc: readonly number[];
  /** Accuracy on each domain's "out" split (env{i}_out_acc). */
  readonly outAcc: readonly number[];
  /** Target-free validator scores at this checkpoint (higher is better). */
  readonly scores?: Partial<Record<ValidatorName, number>>;
}

export interface Selection {
  readonly rule: SelectionRule;
  /** The rule's name as DomainBed prints it; contains "(oracle)" for the oracle. */
  readonly label: string;
  readonly oracle: boolean;
  readonly testDomain: number;
  readonly hparams: number;
  readonly step: number;
  readonly valAcc: number;
  readonly testAcc: number;
}

interface StepAcc {
  readonly step: number;
  readonly valAcc: number;
  readonly testAcc: number;
}

/** First element with the largest value (Python's `max(list, key=…)`). */
function argmax<T>(items: readonly T[], key: (t: T) => number): T | null {
  let best: T | null = null;
  for (const item of items) if (best === null || key(item) > key(best)) best = item;
  return best;
}

function isSingle(r: CheckpointRecord, t: number): boolean {
  return r.testDomains.length === 1 && r.testDomains[0] === t;
}

function runAcc(records: readonly CheckpointRecord[], t: number, rule: SelectionRule): StepAcc | null {
  const single = records.filter((r) => isSingle(r, t));
  if (rule === 'oracle') {
    if (single.length === 0) return null;
    const last = [...single].sort((a, b) => a.step - b.step)[single.length - 1];
    return { step: last.step, valAcc: last.outAcc[t], testAcc: last.inAcc[t] };
  }
  if (rule === 'training-domain') {
    const steps = single.map((r) => {
      let s = 0;
      let k = 0;
      const train = r.trainDomains;
      r.outAcc.forEach((a, i) => {
        if (train ? train.includes(i) : i !== t) {
          s += a;
          k++;
        }
      });
      return { step: r.step, valAcc: s / k, testAcc: r.inAcc[t] };
    });
    return argmax(steps, (s) => s.valAcc);
  }
  if (rule === 'leave-one-domain-out') {
    const byStep = new Map<number, CheckpointRecord[]>();
    for (const r of records) {
      if (!r.testDomains.includes(t)) continue;
      const group = byStep.get(r.step) ?? [];
      group.push(r);
      byStep.set(r.step, group);
    }
    const steps: StepAcc[] = [];
    for (const [step, group] of byStep) {
      const tests = group.filter((r) => isSingle(r, t));
      if (tests.length !== 1) continue;
      const nEnvs = tests[0].inAcc.length;
      const val = new Array<number>(nEnvs).fill(-1);
      for (const r of group) {
        if (r.testDomains.length !== 2) continue;
        const v = r.testDomains[0] === t ? r.testDomains[1] : r.testDomains[0];
        val[v] = r.inAcc[v];
      }
      const others = val.filter((_, i) => i !== t);
      if (others.some((v) => v === -1)) continue;
      steps.push({ step, valAcc: others.reduce((s, v) => s + v, 0) / (nEnvs - 1), testAcc: tests[0].inAcc[t] });
    }
    return argmax(steps, (s) => s.valAcc);
  }
  const scored = single.filter((r) => r.scores?.[rule] !== undefined);
  return argmax(
    scored.map((r) => ({ step: r.step, valAcc: r.scores?.[rule] as number, testAcc: r.inAcc[t] })),
    (s) => s.valAcc,
  );
}

/**
 * Picks (hyperparameters, checkpoint) for `testDomain` by `rule` from the records of all runs, as
 * DomainBed's `SelectionMethod.sweep_acc`: the best checkpoint per hyperparameter setting, then the
 * setting with the highest validation accuracy (ties: the later setting, as DomainBed's reversed
 * stable sort). Returns null when the records cannot serve the rule (e.g. no leave-one-out runs).
 */
export function selectModel(records: readonly CheckpointRecord[], testDomain: number, rule: SelectionRule): Selection | null {
  if (!(rule in SELECTION_RULES))
    fail({ fn: 'selectModel', argument: 'rule', value: formatValue(rule), rule: `it must be one of ${Object.keys(SELECTION_RULES).join(', ')}` });
  const byHparams = new Map<number, CheckpointRecord[]>();
  for (const r of records) {
    const key = r.hparams ?? 0;
    const group = byHparams.get(key) ?? [];
    group.push(r);
    byHparams.set(key, group);
  }
  const candidates: { hparams: number; acc: StepAcc }[] = [];
  for (const [hparams, group] of byHparams) {
    const acc = runAcc(group, testDomain, rule);
    if (acc !== null) candidates.push({ hparams, acc });
  }
  if (candidates.length === 0) return null;
  const ranked = candidates
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.acc.valAcc - b.c.acc.valAcc || a.i - b.i)
    .reverse();
  const best = ranked[0].c;
  return {
    rule,
    label: SELECTION_RULES[rule],
    oracle: rule === 'oracle',
    testDomain,
    hparams: best.hparams,
    step: best.acc.step,
    valAcc: best.acc.valAcc,
    testAcc: best.acc.testAcc,
  };
}
