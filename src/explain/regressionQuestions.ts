import { fail, LosslabError } from '../errors.js';
import { pointwiseLosses } from '../functional/losses.js';
import type { PointwiseLoss } from '../functional/lossSpec.js';
import { checkFinite } from '../figures/options.js';

/**
 * Numbers for the questions a learner asks about d2l's regression-loss figure, from the loss
 * registry's pointwise forms (value, gradient, density — each checked against PyTorch / SciPy):
 * why the ½ in ½(y − y′)², and what the "data" in log P(data | y′) is.
 */

/** A small batch: targets y_i and predictions y′_i. */
export interface DataBatch {
  readonly targets: readonly number[];
  readonly predictions: readonly number[];
}

export const DEFAULT_BATCH: DataBatch = { targets: [1, -0.5, 2], predictions: [1.5, 0, 1] };

/**
 * The batch a loss's explanation uses by default: `DEFAULT_BATCH` when the loss accepts its targets,
 * else three targets from the loss's own default up (counts for Poisson NLL) with predictions
 * around its worked example.
 */
export function defaultBatch(pointwise: PointwiseLoss, fn: string): DataBatch {
  const accepts = (y: number): boolean => {
    try {
      pointwise.target.check(y, fn);
      return true;
    } catch (error) {
      if (error instanceof LosslabError) return false;
      throw error;
    }
  };
  if (DEFAULT_BATCH.targets.every(accepts)) return DEFAULT_BATCH;
  const y = pointwise.target.default;
  const p = pointwise.example;
  return { targets: [y, y + 1, y + 2], predictions: [p, p + 1, p - 0.5] };
}

/** The likelihood of a batch of independent targets: the product, the sum of logs and the mean loss. */
export interface DataNumbers {
  readonly targets: readonly number[];
  readonly predictions: readonly number[];
  readonly n: number;
  /** p(y_i | y′_i) per sample. */
  readonly densities: number[];
  /** Π p(y_i | y′_i) = P(data | y′) under independence. */
  readonly product: number;
  /** log of the product, and the sum of the logs (the same number). */
  readonly logProduct: number;
  readonly sumLogs: number;
  /** l(y_i, y′_i) per sample and their mean. */
  readonly losses: number[];
  readonly meanLoss: number;
  /** −(1/N) Σ log p(y_i | y′_i) = mean loss + constant. */
  readonly meanNll: number;
  /** The constant dropped from −log p, averaged over the samples (the same for every sample unless it depends on y, as Poisson's log y!). */
  readonly constant: number;
}

export function dataNumbers(pointwise: PointwiseLoss, params: Readonly<Record<string, number | boolean>>, batch: DataBatch, fn: string): DataNumbers {
  const { targets, predictions } = batch;
  if (targets.length === 0 || targets.length !== predictions.length) {
    fail({
      fn,
      argument: 'batch',
      value: `${targets.length} targets and ${predictions.length} predictions`,
      rule: 'it needs as many predictions as targets, at least one',
    });
  }
  targets.forEach((y, i) => {
    checkFinite(y, fn, `batch.targets[${i}]`);
    pointwise.target.check(y, fn);
  });
  predictions.forEach((p, i) => {
    checkFinite(p, fn, `batch.predictions[${i}]`);
  });
  const densities = targets.map((y, i) => pointwise.density(y, predictions[i], params));
  const losses = targets.map((y, i) => pointwise.value(y, predictions[i], params));
  const logs = densities.map(Math.log);
  const n = targets.length;
  const product = densities.reduce((a, b) => a * b, 1);
  const sumLogs = logs.reduce((a, b) => a + b, 0);
  const meanLoss = losses.reduce((a, b) => a + b, 0) / n;
  const meanNll = -sumLogs / n;
  return { targets, predictions, n, densities, product, logProduct: Math.log(product), sumLogs, losses, meanLoss, meanNll, constant: meanNll - meanLoss };
}

/** The L2 gradient with the ½ (d2l's squared_loss) and without it (PyTorch's MSELoss per element), at one point. */
export interface HalfNumbers {
  readonly value: number;
  readonly gradient: number;
  readonly valueNoHalf: number;
  readonly gradientNoHalf: number;
}

export function halfNumbers(target: number, prediction: number): HalfNumbers {
  const half = pointwiseLosses.l2;
  const noHalf = pointwiseLosses.mse;
  return {
    value: half.value(target, prediction, {}),
    gradient: half.gradient(target, prediction, {}),
    valueNoHalf: noHalf.value(target, prediction, {}),
    gradientNoHalf: noHalf.gradient(target, prediction, {}),
  };
}
