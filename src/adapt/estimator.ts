import { createDataset } from '../data/dataset.js';
import { createDomainDataset, type DomainDataset } from '../data/domainDataset.js';
import { fail, formatShape, formatValue } from '../errors.js';
import type { Module, StateDict } from '../nn/module.js';
import { Tensor } from '../tensor/tensor.js';
import { logitMetrics, type OptimizerFactory, predictFeatures, predictLogits } from './algorithm.js';
import { resolveMethod } from './experiment.js';
import type { HparamValue } from './hparams.js';
import type { ImportanceWeights } from './importanceWeights.js';
import type { ValidatorName } from './validators.js';
import { DomainTrainer, type ModelSpec, type StepRecord, type TrainerCheckpoint } from './trainer.js';

/**
 * A scikit-learn-style estimator over the domain trainer, so a user can train their own nn model
 * across domains in three lines:
 *
 *   const clf = new CrossDomainClassifier({ method: 'irm', model: { featurizer: myNet } });
 *   clf.fit(X, y, { domains });                 // domain generalisation
 *   clf.fit(X, y, { targetX });                 // domain adaptation (unlabelled target rows)
 *   clf.predict(Xnew); clf.predictProba(Xnew); clf.score(Xtest, ytest);
 *
 * `X` is a float tensor `[n, ...inputShape]`, a nested array `n × features`, or a flat typed array
 * with `inputShape`. Labels are integers (any values: `classes` holds them sorted, as `classes_`).
 * `fit` holds out `holdoutFraction` of each labelled domain (DomainBed's 80/20), trains `steps`
 * steps and keeps the checkpoint the `select` rule prefers: `training-domain` (mean held-out accuracy
 * of the training domains, the default), a target-free validator (`entropy`, `snd`, `iwcv`, `dev`;
 * adaptation only) or `last`.
 */
export type EstimatorSelect = 'training-domain' | 'last' | ValidatorName;

export interface CrossDomainClassifierOptions {
  /** Any method of `losslab adapt` (erm, irm, vrex, groupdro, mixup, mldg, coral, mmd, dann, dan, importance-weighting, source-only, deep-coral). */
  readonly method?: string;
  readonly hparams?: Readonly<Record<string, HparamValue | undefined>>;
  /** `mlp` (default), `cnn` (images), or your own `{ featurizer, classifier? }` modules. */
  readonly model?: ModelSpec;
  readonly mlpWidth?: number;
  readonly mlpDepth?: number;
  readonly steps?: number;
  readonly checkpointEvery?: number;
  readonly select?: EstimatorSelect;
  readonly holdoutFraction?: number;
  readonly seed?: number;
  readonly optimizer?: OptimizerFactory;
  /** Shape of one row when X is flat (e.g. [1, 28, 28]); default [features]. */
  readonly inputShape?: readonly number[];
  /** Live progress (a web page's curves): every step, every checkpoint; return false to stop early. */
  readonly onStep?: (r: StepRecord) => boolean | undefined;
  readonly onCheckpoint?: (c: TrainerCheckpoint) => boolean | undefined;
}

/** Inputs: a float tensor [n, ...shape], rows as nested arrays, or a flat array with `inputShape`. */
export type EstimatorInput = Tensor | readonly (readonly number[])[] | Float32Array | Float64Array;

export interface CrossDomainFitOptions {
  /** The domain of each labelled row (numbers or names); default: one domain. */
  readonly domains?: ArrayLike<number | string>;
  /** Unlabelled rows of the target domain (domain adaptation). */
  readonly targetX?: EstimatorInput;
}

const FN = 'CrossDomainClassifier';

function rowsOf(X: EstimatorInput, shape: readonly number[] | undefined, argument: string): { data: Float32Array; n: number; shape: number[] } {
  if (X instanceof Tensor) {
    if (X.dtype === 'int32' || X.ndim < 2)
      fail({ fn: FN, argument, value: `${X.dtype} ${formatShape(X.shape)}`, rule: 'it must be a float tensor [n, ...inputShape]' });
    return { data: Float32Array.from(X.data), n: X.shape[0], shape: X.shape.slice(1) };
  }
  if (X instanceof Float32Array || X instanceof Float64Array) {
    const rowShape = shape ?? fail({ fn: FN, argument: 'inputShape', rule: 'a flat array X needs inputShape (the shape of one row)' });
    const size = rowShape.reduce((p, s) => p * s, 1);
    if (X.length % size !== 0) fail({ fn: FN, argument, value: `${X.length} values`, rule: `it must hold whole rows of ${size} values` });
    return { data: Float32Array.from(X), n: X.length / size, shape: [...rowShape] };
  }
  if (!Array.isArray(X) || X.length === 0)
    fail({ fn: FN, argument, value: formatValue(X), rule: 'it must be a tensor, a flat float array, or a non-empty array of rows' });
  const d = X[0].length;
  const data = new Float32Array(X.length * d);
  X.forEach((row, i) => {
    if (row.length !== d) fail({ fn: FN, argument, value: `row ${i} of ${row.length} values`, rule: `every row needs ${d} values` });
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(row[j])) fail({ fn: FN, argument, value: `${formatValue(row[j])} at [${i}, ${j}]`, rule: 'values must be finite numbers' });
      data[i * d + j] = row[j];
    }
  });
  // nested rows take the given row shape when their length fits it (images flattened per row)
  return { data, n: X.length, shape: shape && shape.reduce((p, s) => p * s, 1) === d ? [...shape] : [d] };
}

export class CrossDomainClassifier {
  readonly options: CrossDomainClassifierOptions;
  /** The sorted class labels (`classes_`). */
  classes: number[] = [];
  /** The trainer of the last `fit` (its history holds every step and checkpoint). */
  trainer: DomainTrainer | null = null;
  /** The checkpoint step whose weights the model holds after `fit`. */
  selectedStep = -1;
  #inputShape: number[] = [];

  constructor(options: CrossDomainClassifierOptions = {}) {
    this.options = { ...options };
    resolveMethod(options.method ?? 'erm', FN, 'method');
  }

  /** Importance weights of the training rows when the method is importance weighting. */
  get importanceWeights(): ImportanceWeights | null {
    return this.trainer?.importanceWeights ?? null;
  }

  fit(X: EstimatorInput, y: ArrayLike<number>, options: CrossDomainFitOptions = {}): this {
    const source = rowsOf(X, this.options.inputShape, 'X');
    if (y.length !== source.n) fail({ fn: `${FN}.fit`, argument: 'y', value: `${y.length} labels`, rule: `it needs one label per row of X (${source.n})` });
    for (let i = 0; i < y.length; i++)
      if (!Number.isInteger(y[i])) fail({ fn: `${FN}.fit`, argument: 'y', value: `${formatValue(y[i])} at [${i}]`, rule: 'labels must be integers' });
    this.classes = [...new Set(Array.from(y))].sort((a, b) => a - b);
    if (this.classes.length < 2) fail({ fn: `${FN}.fit`, argument: 'y', value: formatValue(this.classes), rule: 'it needs at least two classes' });
    const classIndex = new Map(this.classes.map((c, i) => [c, i]));
    const domainValues = options.domains ? Array.from(options.domains, String) : new Array<string>(source.n).fill('source');
    if (domainValues.length !== source.n)
      fail({ fn: `${FN}.fit`, argument: 'domains', value: `${domainValues.length} values`, rule: `it needs one domain per row of X (${source.n})` });
    const names = [...new Set(domainValues)].sort();
    const target = options.targetX === undefined ? null : rowsOf(options.targetX, source.shape, 'targetX');
    if (target && target.shape.join() !== source.shape.join())
      fail({
        fn: `${FN}.fit`,
        argument: 'targetX',
        value: formatShape([target.n, ...target.shape]),
        rule: `its rows must have X's shape ${formatShape(source.shape)}`,
      });
    const domainNames = target ? [...names, 'target'] : names;
    const n = source.n + (target?.n ?? 0);
    const features = source.data.length / source.n;
    const x = new Float32Array(n * features);
    x.set(source.data);
    if (target) x.set(target.data, source.data.length);
    const labels = new Int32Array(n);
    const domains = new Int32Array(n);
    const labelled = new Uint8Array(n);
    for (let i = 0; i < source.n; i++) {
      labels[i] = classIndex.get(y[i]) as number;
      domains[i] = names.indexOf(domainValues[i]);
      labelled[i] = 1;
    }
    if (target) domains.fill(names.length, source.n);
    const data: DomainDataset = createDomainDataset(createDataset(x, labels, { features, numClasses: this.classes.length }), domains, {
      domainNames,
      inputShape: source.shape,
      description: 'rows given to CrossDomainClassifier.fit',
    });
    const select = this.options.select ?? 'training-domain';
    const holdout = select === 'last' ? (this.options.holdoutFraction ?? 0) : (this.options.holdoutFraction ?? 0.2);
    if (select === 'training-domain' && !(holdout > 0))
      fail({ fn: FN, argument: 'holdoutFraction', value: formatValue(holdout), rule: "training-domain selection needs held-out rows (or select: 'last')" });
    if (!['training-domain', 'last'].includes(select) && !target)
      fail({ fn: FN, argument: 'select', value: formatValue(select), rule: 'a target-free validator needs targetX' });
    const trainer = new DomainTrainer(data, {
      algorithm: resolveMethod(this.options.method ?? 'erm', FN, 'method'),
      hparams: this.options.hparams,
      model: this.options.model,
      mlpWidth: this.options.mlpWidth,
      mlpDepth: this.options.mlpDepth,
      targetDomains: target ? [names.length] : [],
      holdoutFraction: holdout,
      seed: this.options.seed ?? 0,
      steps: this.options.steps ?? 1000,
      checkpointEvery: this.options.checkpointEvery ?? 100,
      labelled,
      optimizer: this.options.optimizer,
    });
    this.trainer = trainer;
    this.#inputShape = source.shape;
    let best: { score: number; step: number; state: StateDict } | null = null;
    const scoreOf = (c: TrainerCheckpoint): number => {
      if (select === 'training-domain') {
        const accs = trainer.trainDomains.map((d) => c.outAcc[d]).filter((a) => !Number.isNaN(a));
        return accs.reduce((s, a) => s + a, 0) / Math.max(accs.length, 1);
      }
      if (select === 'last') return c.step;
      return c.scores?.[select] ?? Number.NEGATIVE_INFINITY;
    };
    trainer.run({
      onStep: this.options.onStep,
      onCheckpoint: (c) => {
        const score = scoreOf(c);
        if (best === null || score > best.score) best = { score, step: c.step, state: trainer.snapshot() };
        return this.options.onCheckpoint?.(c);
      },
    });
    const chosen = best as { score: number; step: number; state: StateDict } | null;
    if (chosen) {
      trainer.restore(chosen.state);
      this.selectedStep = chosen.step;
    } else this.selectedStep = trainer.stepsTaken - 1;
    return this;
  }

  #model(fn: string): DomainTrainer {
    if (!this.trainer) fail({ fn: `${FN}.${fn}`, argument: 'this', value: 'an unfitted estimator', rule: 'call fit(X, y) first' });
    return this.trainer;
  }

  #rows(fn: string, X: EstimatorInput): { data: Float32Array; n: number } {
    const r = rowsOf(X, this.#inputShape, 'X');
    if (r.shape.join() !== this.#inputShape.join())
      fail({
        fn: `${FN}.${fn}`,
        argument: 'X',
        value: formatShape([r.n, ...r.shape]),
        rule: `its rows must have the shape fit saw, ${formatShape(this.#inputShape)}`,
      });
    return r;
  }

  /** Class logits `[n, classes]` (`decision_function`). */
  decisionFunction(X: EstimatorInput): Float32Array {
    const trainer = this.#model('decisionFunction');
    const r = this.#rows('decisionFunction', X);
    return predictLogits(trainer.algorithm, r.data, r.n);
  }

  /** Softmax probabilities `[n, classes]` (`predict_proba`). */
  predictProba(X: EstimatorInput): Float32Array {
    const z = this.decisionFunction(X);
    const k = this.classes.length;
    const out = new Float32Array(z.length);
    for (let i = 0; i < z.length / k; i++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, z[i * k + c]);
      let s = 0;
      for (let c = 0; c < k; c++) s += Math.exp(z[i * k + c] - max);
      for (let c = 0; c < k; c++) out[i * k + c] = Math.exp(z[i * k + c] - max) / s;
    }
    return out;
  }

  /** The predicted label of each row (values from `classes`). */
  predict(X: EstimatorInput): Int32Array {
    const z = this.decisionFunction(X);
    const k = this.classes.length;
    const out = new Int32Array(z.length / k);
    for (let i = 0; i < out.length; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (z[i * k + c] > z[i * k + best]) best = c;
      out[i] = this.classes[best];
    }
    return out;
  }

  /** Mean accuracy on (X, y), as scikit-learn's `score`. */
  score(X: EstimatorInput, y: ArrayLike<number>): number {
    const z = this.decisionFunction(X);
    const k = this.classes.length;
    if (y.length * k !== z.length)
      fail({ fn: `${FN}.score`, argument: 'y', value: `${y.length} labels`, rule: `it needs one label per row of X (${z.length / k})` });
    const index = new Map(this.classes.map((c, i) => [c, i]));
    return logitMetrics(
      z,
      Int32Array.from(y, (v) => index.get(v) ?? -1),
      k,
    ).accuracy;
  }

  /** The learned features `[n, F]` (a transformer's `transform`). */
  transform(X: EstimatorInput): Float32Array {
    const trainer = this.#model('transform');
    const r = this.#rows('transform', X);
    return predictFeatures(trainer.algorithm, r.data, r.n);
  }

  /** The trained featurizer and classifier. */
  get featurizer(): Module {
    return this.#model('featurizer').algorithm.featurizer;
  }

  get classifier(): Module {
    return this.#model('classifier').algorithm.classifier;
  }
}
