import { noGrad } from '../autograd/gradMode.js';
import { fail, formatShape, formatValue } from '../errors.js';
import { bceWithLogits } from '../functional/bceWithLogits.js';
import { crossEntropy } from '../functional/crossEntropy.js';
import { Sequential } from '../nn/containers.js';
import { Module } from '../nn/module.js';
import { Adam } from '../optim/adam.js';
import type { RandomState } from '../tensor/random.js';
import { mean, mul } from '../tensor/ops/index.js';
import { cat } from '../tensor/ops/indexing.js';
import { Tensor } from '../tensor/tensor.js';
import type { HparamValues } from './hparams.js';

/**
 * DomainBed's `Algorithm` (`domainbed/algorithms.py`) on losslab's nn stack: a featurizer and a
 * classifier (any `Module`s: `featurizer: [n, ...inputShape] → [n, F]`, `classifier: [n, F] →
 * [n, classes]`), an optimizer, and `update(minibatches, unlabeled)` — one training step on one
 * minibatch per training domain (and, for domain adaptation, unlabelled minibatches of the target
 * domains) — and `predict(x)`. Each subclass implements one algorithm exactly as DomainBed's
 * `update` does; `src/adapt/trainer.ts` drives them step by step.
 *
 * A classifier with one output is a binary model trained with BCE on the logit (the IRM paper's
 * Colored MNIST form); otherwise cross-entropy over class logits (DomainBed).
 */

/** One domain's minibatch: inputs `[n, ...inputShape]`, class indices `[n]`, optional per-row weights `[n]`. */
export interface Minibatch {
  readonly x: Tensor<'float32'>;
  readonly y: Tensor<'int32'>;
  /** Importance weights (the loss is mean(w·ℓ)); only `importance-weighting` uses them. */
  readonly weight?: Tensor<'float32'>;
}

/** Loss and accuracy of one training domain's minibatch at this step (before the update). */
export interface DomainBatchMetrics {
  readonly loss: number;
  readonly accuracy: number;
}

/** What `update` returns: the loss, named terms (DomainBed's dict), and per-domain batch metrics when the step computed plain logits. */
export interface UpdateResult {
  readonly loss: number;
  readonly terms: Readonly<Record<string, number>>;
  readonly domains?: readonly DomainBatchMetrics[];
}

/** What the algorithms need from an optimizer (`torch.optim.Optimizer`'s `zero_grad` / `step`). */
export interface StepOptimizer {
  zeroGrad(setToNone?: boolean): void;
  step(): void;
}

/** Builds the optimizer of a parameter list (DomainBed: `Adam(params, lr, weight_decay)`). */
export type OptimizerFactory = (params: Tensor[], hparams: HparamValues) => StepOptimizer;

export interface AlgorithmParts {
  readonly inputShape: readonly number[];
  /** Number of classes (1 = one logit with BCE). */
  readonly numClasses: number;
  /** Number of labelled training domains. */
  readonly numDomains: number;
  /** Number of unlabelled (target) domains passed to `update` (domain adaptation; default 0). */
  readonly numUnlabeled?: number;
  readonly featurizer: Module;
  readonly classifier: Module;
  /** Feature width F (the featurizer's output); measured by a dry run when absent. */
  readonly features: number;
  readonly hparams: HparamValues;
  /** Replaces DomainBed's `Adam(lr, weight_decay)` for the main network (e.g. other betas). */
  readonly optimizer?: OptimizerFactory;
  /** Steps of the whole run (schedules such as Ganin's λ). */
  readonly totalSteps?: number;
  /** Randomness of the update (Mixup's λ, the domain permutations of Mixup and MLDG; DomainBed uses torch's and NumPy's global generators). */
  readonly generator?: RandomState;
}

export const defaultOptimizer: OptimizerFactory = (params, h) => new Adam(params, { lr: num(h, 'lr'), weightDecay: num(h, 'weightDecay') });

/** A numeric hyperparameter (an error naming it if absent). */
export function num(h: HparamValues, name: string): number {
  const v = h[name];
  if (typeof v !== 'number') fail({ fn: 'hparams', argument: name, value: formatValue(v), rule: 'this algorithm needs it as a number' });
  return v;
}

export abstract class DomainAlgorithm extends Module {
  abstract readonly name: string;
  readonly featurizer: Module;
  readonly classifier: Module;
  /** `Sequential(featurizer, classifier)`, as DomainBed's `self.network`. */
  readonly network: Sequential;
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  readonly numDomains: number;
  readonly numUnlabeled: number;
  readonly features: number;
  readonly hparams: HparamValues;
  readonly totalSteps: number;
  /** Updates so far (DomainBed's `update_count`). */
  updateCount = 0;
  protected optimizer: StepOptimizer;
  protected readonly makeOptimizer: OptimizerFactory;
  protected readonly generator: RandomState | null;

  constructor(parts: AlgorithmParts) {
    super();
    this.featurizer = parts.featurizer;
    this.classifier = parts.classifier;
    this.network = new Sequential(parts.featurizer, parts.classifier);
    this.inputShape = [...parts.inputShape];
    this.numClasses = parts.numClasses;
    this.numDomains = parts.numDomains;
    this.numUnlabeled = parts.numUnlabeled ?? 0;
    this.features = parts.features;
    this.hparams = Object.freeze({ ...parts.hparams });
    this.totalSteps = parts.totalSteps ?? 0;
    this.makeOptimizer = parts.optimizer ?? defaultOptimizer;
    this.generator = parts.generator ?? null;
    this.optimizer = this.makeOptimizer(this.networkParameters(), this.hparams);
  }

  /** The featurizer's and classifier's parameters (what DomainBed's `self.network.parameters()` holds). */
  networkParameters(): Tensor[] {
    return this.network.parameters();
  }

  /** One training step; see the subclass for its objective. */
  abstract update(minibatches: readonly Minibatch[], unlabeled?: readonly Tensor<'float32'>[]): UpdateResult;

  /** Class logits `[n, classes]` (DomainBed's `predict`). */
  predict(x: Tensor<'float32'>): Tensor<'float32'> {
    return this.classifier.forward(this.featurizer.forward(x)) as Tensor<'float32'>;
  }

  override forward(x: Tensor): Tensor {
    return this.predict(x as Tensor<'float32'>);
  }

  /** Re-creates the main optimizer (DomainBed resets Adam when IRM's / V-REx's penalty weight jumps). */
  protected resetOptimizer(): void {
    this.optimizer = this.makeOptimizer(this.networkParameters(), this.hparams);
  }

  /** Checks the minibatches against the algorithm's shape; returns them. */
  protected checked(minibatches: readonly Minibatch[], unlabeled: readonly Tensor<'float32'>[] | undefined): readonly Tensor<'float32'>[] {
    const fn = `${this.name}.update`;
    if (minibatches.length !== this.numDomains)
      fail({ fn, argument: 'minibatches', value: `${minibatches.length} minibatches`, rule: `it needs one per training domain (${this.numDomains})` });
    const u = unlabeled ?? [];
    if (u.length !== this.numUnlabeled)
      fail({ fn, argument: 'unlabeled', value: `${u.length} minibatches`, rule: `it needs one per target domain (${this.numUnlabeled})` });
    minibatches.forEach((m, i) => {
      if (m.x.shape[0] !== m.y.shape[0] || m.y.ndim !== 1 || m.x.shape[0] < 1)
        fail({
          fn,
          argument: `minibatches[${i}]`,
          value: `x ${formatShape(m.x.shape)}, y ${formatShape(m.y.shape)}`,
          rule: 'x and y need the same number of rows (≥ 1)',
        });
    });
    return u;
  }
}

/** Rows of several tensors stacked along dim 0 (no copy for one). */
export function catRows<T extends Tensor<'float32'> | Tensor<'int32'>>(tensors: readonly T[]): T {
  return (tensors.length === 1 ? tensors[0] : cat(tensors as readonly Tensor[], 0)) as T;
}

/** Float 0/1 targets `[n, 1]` for a one-logit model. */
function binaryTargets(y: Tensor<'int32'>): Tensor<'float32'> {
  return new Tensor<'float32'>(Float32Array.from(y.data), [y.shape[0], 1]);
}

/**
 * The classification loss of logits `[n, k]`: cross-entropy (k ≥ 2) or BCE with logits on labels
 * 0/1 (k = 1); with per-row weights the mean of w·ℓ.
 */
export function classLoss(logits: Tensor<'float32'>, y: Tensor<'int32'>, weight?: Tensor<'float32'>): Tensor<'float32'> {
  const binary = logits.shape[1] === 1;
  if (!weight) return binary ? bceWithLogits(logits, binaryTargets(y)) : crossEntropy(logits, y);
  const perRow = binary ? bceWithLogits(logits, binaryTargets(y), { reduction: 'none' }).reshape(-1) : crossEntropy(logits, y, { reduction: 'none' });
  return mean(mul(perRow, weight)) as Tensor<'float32'>;
}

/** IRM penalty targets: class indices for k ≥ 2, float 0/1 `[n, 1]` for one logit. */
export function penaltyTargets(logits: Tensor<'float32'>, y: Tensor<'int32'>): Tensor {
  return logits.shape[1] === 1 ? binaryTargets(y) : y;
}

/** Mean loss and accuracy of logits `[n, k]` against labels, computed from the values (no graph). */
export function logitMetrics(z: ArrayLike<number>, y: ArrayLike<number>, k: number): DomainBatchMetrics {
  const n = y.length;
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    if (k === 1) {
      const x = z[i];
      const t = y[i];
      loss += Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
      if ((x > 0 ? 1 : 0) === t) correct++;
      continue;
    }
    let max = -Infinity;
    let arg = 0;
    for (let c = 0; c < k; c++) {
      const v = z[i * k + c];
      if (v > max) {
        max = v;
        arg = c;
      }
    }
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(z[i * k + c] - max);
    loss += Math.log(s) + max - z[i * k + y[i]];
    if (arg === y[i]) correct++;
  }
  return { loss: loss / n, accuracy: correct / n };
}

/** Per-minibatch metrics from the logits of the concatenated minibatches. */
export function batchMetrics(logits: Tensor<'float32'>, minibatches: readonly Minibatch[]): DomainBatchMetrics[] {
  const k = logits.shape[1];
  let offset = 0;
  return minibatches.map((m) => {
    const n = m.y.shape[0];
    const r = logitMetrics(logits.data.subarray(offset * k, (offset + n) * k), m.y.data, k);
    offset += n;
    return r;
  });
}

/** The paper's L2 term l2·Σ‖θ‖² over every parameter: its value, and its gradient 2·l2·scale·θ added to `.grad`. */
export function addL2(params: readonly Tensor[], l2: number, scale: number): number {
  if (!(l2 > 0)) return 0;
  let norm = 0;
  for (const p of params) {
    const d = p.data;
    for (let i = 0; i < d.length; i++) norm += d[i] * d[i];
    const g = p.grad?.data;
    if (g) for (let i = 0; i < d.length; i++) g[i] += 2 * l2 * scale * d[i];
  }
  return l2 * norm;
}

/** Class logits of rows in evaluation mode, without a graph, `chunk` rows at a time. */
export function predictLogits(algorithm: DomainAlgorithm, x: Float32Array, n: number, chunk = 1024): Float32Array {
  return mapRows(algorithm, (t) => algorithm.predict(t), x, n, chunk);
}

/** Features `[n, F]` of rows in evaluation mode, without a graph. */
export function predictFeatures(algorithm: DomainAlgorithm, x: Float32Array, n: number, chunk = 1024): Float32Array {
  return mapRows(algorithm, (t) => algorithm.featurizer.forward(t) as Tensor<'float32'>, x, n, chunk);
}

function mapRows(algorithm: DomainAlgorithm, f: (x: Tensor<'float32'>) => Tensor<'float32'>, x: Float32Array, n: number, chunk: number): Float32Array {
  const size = algorithm.inputShape.reduce((p, s) => p * s, 1);
  if (x.length !== n * size)
    fail({ fn: 'predict', argument: 'x', value: `${x.length} values`, rule: `${n} rows of ${formatShape(algorithm.inputShape)} need ${n * size}` });
  const wasTraining = algorithm.training;
  algorithm.eval();
  try {
    return noGrad(() => {
      let out: Float32Array | null = null;
      let width = 0;
      for (let s = 0; s < n; s += chunk) {
        const m = Math.min(chunk, n - s);
        const y = f(new Tensor<'float32'>(x.subarray(s * size, (s + m) * size), [m, ...algorithm.inputShape]));
        if (out === null) {
          width = y.size / m;
          out = new Float32Array(n * width);
        }
        out.set(y.data as Float32Array, s * width);
      }
      return out ?? new Float32Array(0);
    });
  } finally {
    algorithm.train(wasTraining);
  }
}
