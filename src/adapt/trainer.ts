import { domainHoldout, domainRows, type DomainDataset } from '../data/domainDataset.js';
import { fail, formatValue } from '../errors.js';
import { manualSeed } from '../nn/generator.js';
import type { Module, StateDict } from '../nn/module.js';
import { decisionFunction, fitLogisticRegression } from '../shift/logisticRegression.js';
import { RandomState } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { type DomainAlgorithm, logitMetrics, type Minibatch, type OptimizerFactory, predictFeatures, predictLogits } from './algorithm.js';
import { createAlgorithm } from './algorithms/index.js';
import { type AlgorithmName, ALGORITHM_NAMES, type HparamValue, type HparamValues, resolveHparams } from './hparams.js';
import { importanceWeightsFromProbabilities, type ImportanceWeights } from './importanceWeights.js';
import type { CheckpointRecord } from './modelSelection.js';
import { featureCount, linearClassifier, mlpFeaturizer, mnistCnn } from './networks.js';
import { devRisk, iwcvRisk, meanPredictionEntropy, softNeighborhoodDensity, type ValidatorName } from './validators.js';

/**
 * The step-by-step trainer of every domain algorithm: DomainBed's `train.py` loop as an object a
 * caller drives one step at a time — the CLI, the experiments, the sklearn-like estimator, and a
 * Web Worker (the domain-shift page of #15 posts each `step()` record and each `evaluate()` record to
 * its live curves and can stop between any two steps). Everything is platform-free.
 *
 * Data: a `DomainDataset`. Each domain is split into "in" and "out" rows (`domainHoldout`, DomainBed's
 * 80/20 per-domain holdout; `holdoutFraction: 0` keeps every row "in", in row order). Training
 * domains = every domain that is neither a test domain (held out, scored only) nor a target domain
 * (domain adaptation: its "in" rows are given to the algorithm without labels, and it is scored).
 * One step = one minibatch of `batchSize` "in" rows per training domain (and per target domain),
 * each domain reshuffled after every pass (`fullBatch`: all "in" rows, the IRM paper's setting).
 *
 * `evaluate()` records DomainBed's checkpoint: the accuracy of every domain's "in" and "out" rows
 * (only rows with labels), and, when there is a target domain, the target-free validator scores
 * (negative prediction entropy and soft neighbourhood density on the target's "in" rows; IWCV and
 * DEV from per-row losses of the training domains' "out" rows and importance weights from a logistic
 * domain classifier fitted on the inputs once). `checkpointDue` follows DomainBed: after step 0, every
 * `checkpointEvery` steps, and after the last.
 */

/** The featurizer and classifier: DomainBed's MLP (`mlp`) or MNIST CNN (`cnn`), or the user's modules. */
export type ModelSpec = 'mlp' | 'cnn' | { readonly featurizer: Module; readonly classifier?: Module };

export interface DomainTrainerOptions {
  readonly algorithm: AlgorithmName;
  /** Overrides of DomainBed's default hyperparameters (see hparams.ts), e.g. `{ irmLambda: 1000 }`. */
  readonly hparams?: Readonly<Record<string, HparamValue | undefined>>;
  readonly model?: ModelSpec;
  /** Width and depth of the `mlp` featurizer (default 256 and 3, DomainBed's mlp_width / mlp_depth). */
  readonly mlpWidth?: number;
  readonly mlpDepth?: number;
  /** The classifier's outputs: 1 = one logit with BCE for binary labels (the IRM paper); default the number of classes. */
  readonly outputs?: number;
  readonly testDomains?: readonly number[];
  readonly targetDomains?: readonly number[];
  /** The labelled training domains (default: every domain that is neither a test nor a target domain). */
  readonly trainDomains?: readonly number[];
  readonly holdoutFraction?: number;
  /** Trial seed: the holdout split, the batch order and the algorithm's own randomness. */
  readonly seed?: number;
  /** Seed of the initial weights (default `seed`). */
  readonly modelSeed?: number;
  /** Steps of the run (schedules, `done`). */
  readonly steps: number;
  readonly checkpointEvery?: number;
  readonly fullBatch?: boolean;
  /** At most this many rows of each split are scored at a checkpoint (default: all). */
  readonly evalRows?: number;
  /** Rows that carry a label (user data: target rows may lack one); default all. */
  readonly labelled?: Uint8Array;
  /** Replaces the main optimizer (DomainBed: Adam(lr, weight_decay)). */
  readonly optimizer?: OptimizerFactory;
  /** Compute the target-free validators at checkpoints (default true when there is a target domain). */
  readonly validators?: boolean;
}

/** One step's record: the algorithm's loss and terms, and the batch loss / accuracy per training domain when the step computed them. */
export interface StepRecord {
  readonly step: number;
  readonly loss: number;
  readonly terms: Readonly<Record<string, number>>;
  readonly domains: readonly { readonly domain: number; readonly loss: number; readonly accuracy: number }[];
}

/** A checkpoint: DomainBed's record plus the mean training loss since the previous checkpoint. */
export interface TrainerCheckpoint extends CheckpointRecord {
  readonly trainLoss: number;
}

/** One domain's rows as float32 inputs (bytes × scale, as `x.astype(float32) / 255`). */
export function domainInputs(data: DomainDataset, rows: ArrayLike<number>): Float32Array {
  const d = data.features;
  const out = new Float32Array(rows.length * d);
  const scale = Math.fround(data.scale);
  const x = data.x;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (x instanceof Uint8Array) for (let j = 0; j < d; j++) out[i * d + j] = Math.fround(x[r * d + j] * scale);
    else out.set(x.subarray(r * d, (r + 1) * d), i * d);
  }
  return out;
}

function indexList(fn: string, argument: string, values: readonly number[] | undefined, k: number): number[] {
  const out = [...new Set(values ?? [])];
  for (const v of out)
    if (!(Number.isInteger(v) && v >= 0 && v < k)) fail({ fn, argument, value: formatValue(v), rule: `domain indices lie in [0, ${k - 1}]` });
  return out;
}

/** Cycles through one domain's rows in reshuffled passes, filling a reusable minibatch. */
class DomainSampler {
  private order: Int32Array;
  private cursor = 0;
  private readonly x: Float32Array;
  private readonly y: Int32Array;
  readonly size: number;
  private readonly full: Minibatch | null;

  constructor(
    private readonly data: DomainDataset,
    private readonly rows: Int32Array,
    batchSize: number,
    private readonly rng: RandomState,
    fullBatch: boolean,
    private readonly weights: Float32Array | null,
  ) {
    this.size = fullBatch ? rows.length : Math.min(batchSize, rows.length);
    this.order = fullBatch ? Int32Array.from(rows.keys()) : rng.permutation(rows.length);
    this.x = new Float32Array(this.size * data.features);
    this.y = new Int32Array(this.size);
    this.full = fullBatch ? this.fill(new Float32Array(this.size), true) : null;
  }

  private fill(w: Float32Array, sequential: boolean): Minibatch {
    const d = this.data.features;
    const scale = Math.fround(this.data.scale);
    const src = this.data.x;
    for (let b = 0; b < this.size; b++) {
      if (!sequential && this.cursor >= this.rows.length) {
        this.order = this.rng.permutation(this.rows.length);
        this.cursor = 0;
      }
      const k = sequential ? b : this.order[this.cursor++];
      const r = this.rows[k];
      if (src instanceof Uint8Array) for (let j = 0; j < d; j++) this.x[b * d + j] = Math.fround(src[r * d + j] * scale);
      else this.x.set(src.subarray(r * d, (r + 1) * d), b * d);
      this.y[b] = this.data.y[r];
      if (this.weights) w[b] = this.weights[k];
    }
    const shape = [this.size, ...this.data.inputShape];
    return {
      x: new Tensor<'float32'>(this.x, shape),
      y: new Tensor<'int32'>(this.y, [this.size]),
      ...(this.weights ? { weight: new Tensor<'float32'>(w, [this.size]) } : {}),
    };
  }

  next(): Minibatch {
    return this.full ?? this.fill(new Float32Array(this.size), false);
  }
}

export class DomainTrainer {
  readonly algorithm: DomainAlgorithm;
  readonly data: DomainDataset;
  readonly trainDomains: readonly number[];
  readonly testDomains: readonly number[];
  readonly targetDomains: readonly number[];
  readonly split: { readonly in: readonly Int32Array[]; readonly out: readonly Int32Array[] };
  readonly steps: number;
  readonly checkpointEvery: number;
  readonly hparams: HparamValues;
  readonly seed: number;
  /** Importance weights of the training rows (`importance-weighting`), with their ESS. */
  readonly importanceWeights: ImportanceWeights | null = null;
  readonly history: { readonly steps: StepRecord[]; readonly checkpoints: TrainerCheckpoint[] } = { steps: [], checkpoints: [] };
  private readonly samplers: DomainSampler[];
  private readonly targetSamplers: DomainSampler[];
  private readonly labelled: Uint8Array | null;
  private readonly evalRows: number;
  private readonly validatorsOn: boolean;
  private validationWeights: { rows: Int32Array[]; weights: Float64Array } | null = null;
  private stepCount = 0;
  private lossSinceCheckpoint = 0;
  private stepsSinceCheckpoint = 0;

  constructor(data: DomainDataset, options: DomainTrainerOptions) {
    const fn = 'DomainTrainer';
    if (!ALGORITHM_NAMES.includes(options.algorithm))
      fail({ fn, argument: 'algorithm', value: formatValue(options.algorithm), rule: `it must be one of ${ALGORITHM_NAMES.join(', ')}` });
    if (!(Number.isInteger(options.steps) && options.steps >= 1))
      fail({ fn, argument: 'steps', value: formatValue(options.steps), rule: 'it must be a positive integer' });
    const k = data.domainNames.length;
    this.data = data;
    this.steps = options.steps;
    this.checkpointEvery = options.checkpointEvery ?? 100;
    if (!(Number.isInteger(this.checkpointEvery) && this.checkpointEvery >= 1))
      fail({ fn, argument: 'checkpointEvery', value: formatValue(options.checkpointEvery), rule: 'it must be a positive integer' });
    this.seed = options.seed ?? 0;
    this.testDomains = indexList(fn, 'testDomains', options.testDomains, k);
    this.targetDomains = indexList(fn, 'targetDomains', options.targetDomains, k);
    const heldOut = (d: number) => this.testDomains.includes(d) || this.targetDomains.includes(d);
    if (options.trainDomains) {
      this.trainDomains = indexList(fn, 'trainDomains', options.trainDomains, k);
      for (const d of this.trainDomains)
        if (heldOut(d)) fail({ fn, argument: 'trainDomains', value: formatValue(d), rule: 'a training domain cannot also be a test or target domain' });
    } else this.trainDomains = Array.from({ length: k }, (_, d) => d).filter((d) => !heldOut(d));
    const fraction = options.holdoutFraction ?? 0.2;
    const split =
      fraction === 0
        ? { in: Array.from({ length: k }, (_, d) => domainRows(data, d)), out: Array.from({ length: k }, () => new Int32Array(0)) }
        : domainHoldout(data, fraction, this.seed);
    this.labelled = options.labelled ?? null;
    if (this.labelled && this.labelled.length !== data.n)
      fail({ fn, argument: 'labelled', value: `${this.labelled.length} flags`, rule: `it needs one per row (${data.n})` });
    // rows without a label never train (they may only sit in target domains, as the readers ensure)
    const withLabel = (rows: Int32Array): Int32Array => (this.labelled ? rows.filter((r) => this.labelled?.[r] === 1) : rows);
    this.split = split;
    const trainRows = this.trainDomains.map((d) => withLabel(split.in[d]));
    this.trainDomains.forEach((d, i) => {
      if (trainRows[i].length === 0)
        fail({ fn, argument: 'data', value: `domain ${formatValue(data.domainNames[d])}`, rule: 'a training domain needs labelled rows' });
    });
    if (this.trainDomains.length === 0)
      fail({ fn, argument: 'testDomains', value: formatValue(this.testDomains), rule: 'at least one domain must remain for training' });
    const algorithm = options.algorithm;
    if (['dann', 'importance-weighting'].includes(algorithm) && this.trainDomains.length + this.targetDomains.length < 2)
      fail({ fn, argument: 'algorithm', value: formatValue(algorithm), rule: 'it needs two domains: several training domains, or a target domain' });
    if (algorithm === 'importance-weighting' && this.targetDomains.length === 0)
      fail({ fn, argument: 'targetDomains', value: '[]', rule: 'importance weighting needs a target domain (--target-domain)' });
    const hparams = resolveHparams(algorithm, {
      ...(algorithm === 'dann' && this.targetDomains.length > 0 ? { adversary: 'reversal' } : {}),
      ...options.hparams,
    });
    this.hparams = Object.freeze(hparams);
    const rng = new RandomState(this.seed);
    const batchSize = hparams.batchSize as number;
    if (!(Number.isInteger(batchSize) && batchSize >= 1))
      fail({ fn, argument: 'batchSize', value: formatValue(batchSize), rule: 'it must be a positive integer' });
    let weights: Float32Array[] | null = null;
    if (algorithm === 'importance-weighting') {
      const target = this.targetDomains.flatMap((d) => Array.from(split.in[d]));
      const iw = inputImportanceWeights(data, Int32Array.from(trainRows.flatMap((r) => Array.from(r))), Int32Array.from(target), {
        C: hparams.iwC as number,
        maxWeight: hparams.iwMaxWeight as number,
        seed: this.seed,
      });
      this.importanceWeights = iw;
      weights = [];
      let offset = 0;
      for (const rows of trainRows) {
        weights.push(Float32Array.from(iw.weights.subarray(offset, offset + rows.length)));
        offset += rows.length;
      }
    }
    this.samplers = trainRows.map((rows, i) => new DomainSampler(data, rows, batchSize, rng, options.fullBatch ?? false, weights ? weights[i] : null));
    this.targetSamplers = this.targetDomains.map((d) => new DomainSampler(data, split.in[d], batchSize, rng, options.fullBatch ?? false, null));
    this.evalRows = options.evalRows ?? Number.POSITIVE_INFINITY;
    this.validatorsOn = (options.validators ?? true) && this.targetDomains.length > 0;

    manualSeed(options.modelSeed ?? this.seed);
    const spec = options.model ?? 'mlp';
    const outputs = options.outputs ?? data.numClasses;
    let featurizer: Module;
    let classifier: Module | undefined;
    if (spec === 'mlp') featurizer = mlpFeaturizer(data.inputShape, { width: options.mlpWidth ?? 256, depth: options.mlpDepth ?? 3 });
    else if (spec === 'cnn') featurizer = mnistCnn(data.inputShape);
    else if (typeof spec === 'object' && spec !== null) {
      featurizer = spec.featurizer;
      classifier = spec.classifier;
    } else fail({ fn, argument: 'model', value: formatValue(spec), rule: "it must be 'mlp', 'cnn' or { featurizer, classifier }" });
    const features = featureCount(featurizer, data.inputShape);
    classifier ??= linearClassifier(features, outputs);
    this.algorithm = createAlgorithm(algorithm, {
      inputShape: data.inputShape,
      numClasses: outputs,
      numDomains: this.trainDomains.length,
      numUnlabeled: this.targetDomains.length,
      featurizer,
      classifier,
      features,
      hparams,
      optimizer: options.optimizer,
      totalSteps: this.steps,
      generator: new RandomState(this.seed + 7919),
    });
  }

  /** Steps taken so far. */
  get stepsTaken(): number {
    return this.stepCount;
  }

  get done(): boolean {
    return this.stepCount >= this.steps;
  }

  /** True right after a step DomainBed would checkpoint: step 0, every `checkpointEvery`, and the last. */
  get checkpointDue(): boolean {
    const s = this.stepCount - 1;
    return s >= 0 && (s % this.checkpointEvery === 0 || s === this.steps - 1) && this.history.checkpoints.at(-1)?.step !== s;
  }

  /** One update of the algorithm on the next minibatches. */
  step(): StepRecord {
    const minibatches = this.samplers.map((s) => s.next());
    const unlabeled = this.targetSamplers.map((s) => s.next().x);
    this.algorithm.train();
    const r = this.algorithm.update(minibatches, unlabeled);
    const record: StepRecord = {
      step: this.stepCount,
      loss: r.loss,
      terms: r.terms,
      domains: (r.domains ?? []).map((m, i) => ({ domain: this.trainDomains[i], loss: m.loss, accuracy: m.accuracy })),
    };
    this.stepCount++;
    this.lossSinceCheckpoint += r.loss;
    this.stepsSinceCheckpoint++;
    this.history.steps.push(record);
    return record;
  }

  /** Rows of a split that are scored (labelled, at most `evalRows`). */
  private scoredRows(rows: Int32Array): Int32Array {
    const l = this.labelled;
    const kept = l ? rows.filter((r) => l[r] === 1) : rows;
    return kept.length > this.evalRows ? kept.subarray(0, this.evalRows) : kept;
  }

  /** Accuracy of rows (NaN when none). */
  accuracy(rows: Int32Array): number {
    if (rows.length === 0) return Number.NaN;
    const k = this.algorithm.numClasses;
    const z = predictLogits(this.algorithm, domainInputs(this.data, rows), rows.length);
    return logitMetrics(
      z,
      Int32Array.from(rows, (r) => this.data.y[r]),
      k,
    ).accuracy;
  }

  /** DomainBed's checkpoint record (accuracy of every domain's in/out rows) plus the validators; appended to `history`. */
  evaluate(): TrainerCheckpoint {
    const k = this.data.domainNames.length;
    const inAcc: number[] = [];
    const outAcc: number[] = [];
    for (let d = 0; d < k; d++) {
      inAcc.push(this.accuracy(this.scoredRows(this.split.in[d])));
      outAcc.push(this.accuracy(this.scoredRows(this.split.out[d])));
    }
    const record: TrainerCheckpoint = {
      step: this.stepCount - 1,
      testDomains: [...this.testDomains, ...this.targetDomains],
      trainDomains: [...this.trainDomains],
      inAcc,
      outAcc,
      trainLoss: this.stepsSinceCheckpoint > 0 ? this.lossSinceCheckpoint / this.stepsSinceCheckpoint : Number.NaN,
      ...(this.validatorsOn ? { scores: this.validatorScores() } : {}),
    };
    this.lossSinceCheckpoint = 0;
    this.stepsSinceCheckpoint = 0;
    this.history.checkpoints.push(record);
    return record;
  }

  /** Target-free scores (higher is better) of the current model. */
  validatorScores(): Partial<Record<ValidatorName, number>> {
    const k = this.algorithm.numClasses;
    const rows = Int32Array.from(
      this.targetDomains.flatMap((d) => Array.from(this.split.in[d].subarray(0, Math.min(this.split.in[d].length, this.evalRows, 2000)))),
    );
    const scores: Partial<Record<ValidatorName, number>> = {};
    if (k >= 2 && rows.length >= 2) {
      const z = predictLogits(this.algorithm, domainInputs(this.data, rows), rows.length);
      scores.entropy = -meanPredictionEntropy(z, k);
      const sub = Math.min(1000, rows.length);
      scores.snd = softNeighborhoodDensity(softmaxRows(z.subarray(0, sub * k), k), k);
    }
    const v = this.importanceForValidation();
    if (v && k >= 2) {
      const losses: number[] = [];
      for (const rows of v.rows) {
        if (rows.length === 0) continue;
        const z = predictLogits(this.algorithm, domainInputs(this.data, rows), rows.length);
        for (let i = 0; i < rows.length; i++) losses.push(logitMetrics(z.subarray(i * k, (i + 1) * k), [this.data.y[rows[i]]], k).loss);
      }
      if (losses.length >= 2) {
        scores.iwcv = -iwcvRisk(losses, v.weights);
        scores.dev = -devRisk(losses, v.weights);
      }
    }
    return scores;
  }

  /** Importance weights of the training domains' "out" rows (fitted once on the inputs). */
  private importanceForValidation(): { rows: Int32Array[]; weights: Float64Array } | null {
    if (this.validationWeights) return this.validationWeights;
    const rows = this.trainDomains.map((d) => this.scoredRows(this.split.out[d]).subarray(0, 1000));
    const all = Int32Array.from(rows.flatMap((r) => Array.from(r)));
    const target = Int32Array.from(this.targetDomains.flatMap((d) => Array.from(this.split.in[d].subarray(0, 2000))));
    if (all.length < 2 || target.length < 2) return null;
    const iw = inputImportanceWeights(this.data, all, target, { seed: this.seed });
    this.validationWeights = { rows, weights: iw.weights };
    return this.validationWeights;
  }

  /** Features `[n, F]` of rows, for embeddings. */
  features(rows: Int32Array): Float32Array {
    return predictFeatures(this.algorithm, domainInputs(this.data, rows), rows.length);
  }

  /** A copy of every parameter and buffer of the algorithm (for restoring a selected checkpoint). */
  snapshot(): StateDict {
    const out: StateDict = {};
    for (const [name, t] of Object.entries(this.algorithm.stateDict())) out[name] = t.clone();
    return out;
  }

  restore(state: StateDict): void {
    this.algorithm.loadStateDict(state);
  }

  /** Runs to the end, evaluating at DomainBed's checkpoints; `onStep` / `onCheckpoint` return false to stop. */
  run(callbacks: { onStep?: (r: StepRecord) => boolean | undefined; onCheckpoint?: (c: TrainerCheckpoint) => boolean | undefined } = {}): void {
    while (!this.done) {
      const r = this.step();
      if (callbacks.onStep?.(r) === false) return;
      if (!this.checkpointDue) continue;
      const checkpoint = this.evaluate();
      if (callbacks.onCheckpoint?.(checkpoint) === false) return;
    }
  }
}

function softmaxRows(z: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(z.length);
  for (let i = 0; i < z.length / k; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, z[i * k + c]);
    let s = 0;
    for (let c = 0; c < k; c++) {
      out[i * k + c] = Math.exp(z[i * k + c] - max);
      s += out[i * k + c];
    }
    for (let c = 0; c < k; c++) out[i * k + c] /= s;
  }
  return out;
}

/**
 * Importance weights w(x) = (n_s/n_t)·p/(1 − p) for the source rows, from one L2 logistic domain
 * classifier (scikit-learn's objective, `C`) fitted on the raw inputs of at most 3,000 rows of each side
 * and applied to every source row; clipped at `maxWeight` (default 10).
 */
export function inputImportanceWeights(
  data: DomainDataset,
  source: Int32Array,
  target: Int32Array,
  options: { C?: number; maxWeight?: number; seed?: number; maxRows?: number } = {},
): ImportanceWeights {
  const maxRows = options.maxRows ?? 3000;
  const rng = new RandomState(options.seed ?? 0);
  const pick = (rows: Int32Array) => (rows.length > maxRows ? Int32Array.from(rng.choice(rows.length, maxRows), (i) => rows[i]) : rows);
  const s = pick(source);
  const t = pick(target);
  const X = domainInputs(data, Int32Array.from([...s, ...t]));
  const y = new Int32Array(s.length + t.length).fill(1, s.length);
  const model = fitLogisticRegression({ data: X, rows: y.length, cols: data.features }, y, { C: options.C ?? 1, tolerance: 1e-4, maxIterations: 100 });
  const scores = decisionFunction(model, { data: domainInputs(data, source), rows: source.length, cols: data.features });
  const p = Float64Array.from(scores, (z) => 1 / (1 + Math.exp(-z)));
  return importanceWeightsFromProbabilities(p, s.length, t.length, { maxWeight: options.maxWeight });
}
