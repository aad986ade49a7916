import { fail, formatValue } from '../errors.js';
import type { Matrix } from './mmd.js';

export interface LogisticModel {
  /** Coefficients, one per column of X. */
  readonly coef: Float64Array;
  readonly intercept: number;
  readonly iterations: number;
}

/**
 * Binary L2-regularised logistic regression fitted by Newton's method (IRLS), minimising
 * ½‖w‖² + C Σᵢ log(1 + exp(−ỹᵢ(w·xᵢ + b))) with an unpenalised intercept — the objective of
 * scikit-learn's `LogisticRegression(penalty='l2', C=C)`, so coefficients agree with it.
 * y holds 0/1. Converges in a handful of iterations for the few dozen standardised columns the
 * domain classifier uses; cost O(n d² + d³) per iteration.
 */
export function fitLogisticRegression(
  X: Matrix,
  y: ArrayLike<number>,
  options: { C?: number; maxIterations?: number; tolerance?: number } = {},
): LogisticModel {
  const fn = 'fitLogisticRegression';
  const C = options.C ?? 1;
  if (!(C > 0)) fail({ fn, argument: 'C', value: formatValue(C), rule: 'the inverse regularisation strength must be positive' });
  if (y.length !== X.rows) fail({ fn, argument: 'y', value: `${y.length} labels`, rule: `it needs one label per row of X (${X.rows})` });
  const d = X.cols;
  const p = d + 1; // last parameter is the intercept
  const theta = new Float64Array(p);
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-10;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const grad = new Float64Array(p);
    const hess = new Float64Array(p * p);
    for (let j = 0; j < d; j++) {
      grad[j] = theta[j];
      hess[j * p + j] = 1;
    }
    const row = new Float64Array(p);
    row[d] = 1;
    for (let i = 0; i < X.rows; i++) {
      let z = theta[d];
      for (let j = 0; j < d; j++) {
        row[j] = X.data[i * d + j];
        z += theta[j] * row[j];
      }
      const prob = sigmoid(z);
      const r = C * (prob - y[i]);
      const w = C * prob * (1 - prob);
      for (let a = 0; a < p; a++) {
        grad[a] += r * row[a];
        const wa = w * row[a];
        for (let b = a; b < p; b++) hess[a * p + b] += wa * row[b];
      }
    }
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) hess[a * p + b] = hess[b * p + a];
    const step = solveSymmetric(hess, grad, p);
    let size = 0;
    for (let a = 0; a < p; a++) {
      theta[a] -= step[a];
      size = Math.max(size, Math.abs(step[a]));
    }
    if (size < tolerance * Math.max(1, maxAbs(theta))) {
      iterations++;
      break;
    }
  }
  return { coef: theta.slice(0, d), intercept: theta[d], iterations };
}

/** P(y = 1 | x) for each row. */
export function predictProbability(model: LogisticModel, X: Matrix): Float64Array {
  const out = new Float64Array(X.rows);
  const d = X.cols;
  for (let i = 0; i < X.rows; i++) {
    let z = model.intercept;
    for (let j = 0; j < d; j++) z += model.coef[j] * X.data[i * d + j];
    out[i] = sigmoid(z);
  }
  return out;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

/** Solves A x = b for symmetric positive-definite A by Cholesky (with a tiny ridge if needed). */
function solveSymmetric(A: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-12 : ridge * 100) {
    const L = new Float64Array(n * n);
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let s = A[i * n + j] + (i === j ? ridge : 0);
        for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
        if (i === j) {
          if (!(s > 0)) ok = false;
          else L[i * n + i] = Math.sqrt(s);
        } else L[i * n + j] = s / L[j * n + j];
      }
    }
    if (!ok) continue;
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = b[i];
      for (let k = 0; k < i; k++) s -= L[i * n + k] * z[k];
      z[i] = s / L[i * n + i];
    }
    const x = new Float64Array(n);
    for (let i = n - 1; i >= 0; i--) {
      let s = z[i];
      for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
      x[i] = s / L[i * n + i];
    }
    return x;
  }
}
