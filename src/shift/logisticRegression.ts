import { fail, formatValue } from '../errors.js';
import { kernelBackend } from '../kernels/backend.js';
import { lbfgs } from './lbfgs.js';
import type { Matrix } from './mmd.js';

export interface LogisticModel {
  /** Coefficients, one per column of X. */
  readonly coef: Float64Array;
  readonly intercept: number;
  readonly iterations: number;
  /** Whether L-BFGS met the gradient tolerance within `maxIterations`. */
  readonly converged: boolean;
}

export interface LogisticOptions {
  /** Inverse regularisation strength, as scikit-learn's `C` (default 1). */
  readonly C?: number;
  /** L-BFGS iterations (default 1000; scikit-learn's default `max_iter` is 100). */
  readonly maxIterations?: number;
  /**
   * Stop when max |∇| of the mean-scaled objective ≤ tolerance (scikit-learn's `tol`). Default 1e-10,
   * tighter than scikit-learn's 1e-4, so the coefficients are the optimum to ~1e-8; the domain
   * classifier passes 1e-4.
   */
  readonly tolerance?: number;
  /** Starting point (warm start): coefficients and intercept from a previous fit on similar data. */
  readonly init?: { readonly coef: ArrayLike<number>; readonly intercept: number };
  /** Fit on these rows of X only (default: all rows); `y` still has one label per row of X. */
  readonly rows?: Int32Array;
}

/** A float32 matrix (the fast path: the objective runs on the kernels of src/kernels/logistic.ts). */
export interface Float32Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Binary L2-regularised logistic regression, minimising ½‖w‖² + C Σᵢ log(1 + exp(−ỹᵢ(w·xᵢ + b)))
 * with an unpenalised intercept — the objective of scikit-learn's `LogisticRegression(penalty='l2',
 * C=C)`, so coefficients agree with it. y holds 0/1. Solved by L-BFGS (scikit-learn's default
 * solver) on the objective divided by C·n, as scikit-learn ≥ 1.1 scales it, so `tolerance` means
 * the same as its `tol`. One iteration reads X once (the loss and the gradient in one fused pass
 * per row): O(n·d), not the O(n·d² + d³) of Newton's method, which matters for wide data
 * (784 pixel columns). A float64 `X` is computed in float64 (TypeScript); a float32 `X` runs on
 * the selected kernel backend (WebAssembly SIMD by default), several times faster.
 */
export function fitLogisticRegression(X: Matrix | Float32Matrix, y: ArrayLike<number>, options: LogisticOptions = {}): LogisticModel {
  const fn = 'fitLogisticRegression';
  const C = options.C ?? 1;
  if (!(C > 0)) fail({ fn, argument: 'C', value: formatValue(C), rule: 'the inverse regularisation strength must be positive' });
  if (y.length !== X.rows) fail({ fn, argument: 'y', value: `${y.length} labels`, rule: `it needs one label per row of X (${X.rows})` });
  const rows = options.rows ?? Int32Array.from({ length: X.rows }, (_, i) => i);
  if (rows.length === 0) fail({ fn, argument: 'X', value: '0 rows', rule: 'it needs at least one row' });
  for (const r of rows) {
    if (!(r >= 0 && r < X.rows)) fail({ fn, argument: 'rows', value: formatValue(r), rule: `row indices must lie in [0, ${X.rows})` });
    if (y[r] !== 0 && y[r] !== 1) fail({ fn, argument: 'y', value: `${formatValue(y[r])} at [${r}]`, rule: 'labels must be 0 or 1' });
  }
  const d = X.cols;
  const theta0 = new Float64Array(d + 1);
  if (options.init) {
    if (options.init.coef.length !== d)
      fail({ fn, argument: 'init', value: `${options.init.coef.length} coefficients`, rule: `it needs one per column of X (${d})` });
    for (let j = 0; j < d; j++) theta0[j] = options.init.coef[j];
    theta0[d] = options.init.intercept;
  }
  const pass = X.data instanceof Float32Array ? float32Pass(X as Float32Matrix, rows, y) : float64Pass(X as Matrix, rows, y);
  const result = lbfgs(scaledObjective(pass, d, rows.length, C), theta0, {
    maxIterations: options.maxIterations ?? 1000,
    gradientTolerance: options.tolerance ?? 1e-10,
  });
  return { coef: result.x.slice(0, d), intercept: result.x[d], iterations: result.iterations, converged: result.converged };
}

/** Σ log(1 + exp(−ỹz)) over the rows, with Σ (σ(z) − y)·x written into grad[0..d) and Σ (σ(z) − y) into grad[d]. */
type DataPass = (theta: Float64Array, grad: Float64Array) => number;

/**
 * f(θ) = (1/n) Σᵢ log(1 + exp(−ỹᵢ zᵢ)) + ‖w‖²/(2Cn), zᵢ = w·xᵢ + b, θ = (w, b), and its gradient.
 */
function scaledObjective(pass: DataPass, d: number, n: number, C: number): (theta: Float64Array, grad: Float64Array) => number {
  return (theta, grad) => {
    const loss = pass(theta, grad);
    const scale = 1 / n;
    const penalty = 1 / (C * n);
    let w2 = 0;
    for (let j = 0; j < d; j++) {
      grad[j] = grad[j] * scale + penalty * theta[j];
      w2 += theta[j] * theta[j];
    }
    grad[d] *= scale;
    return loss * scale + 0.5 * penalty * w2;
  };
}

/** The float64 pass in TypeScript: each row read once, while it is in cache. */
function float64Pass(X: Matrix, rows: Int32Array, y: ArrayLike<number>): DataPass {
  const { data, cols: d } = X;
  return (theta, grad) => {
    grad.fill(0);
    const b = theta[d];
    let loss = 0;
    let gb = 0;
    for (const i of rows) {
      const off = i * d;
      let z = b;
      for (let j = 0; j < d; j++) z += theta[j] * data[off + j];
      // log(1 + exp(−ỹz)) with ỹ = ±1, and P(y = 1) = σ(z), both stable for large |z|.
      const m = y[i] === 1 ? -z : z;
      loss += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
      const r = sigmoid(z) - y[i];
      gb += r;
      if (r !== 0) for (let j = 0; j < d; j++) grad[j] += r * data[off + j];
    }
    grad[d] = gb;
    return loss;
  };
}

/** The float32 pass on the kernel backend (src/kernels/logistic.ts; WebAssembly SIMD by default). */
function float32Pass(X: Float32Matrix, rows: Int32Array, y: ArrayLike<number>): DataPass {
  const d = X.cols;
  const backend = kernelBackend();
  const labels = Float32Array.from(y);
  const w = new Float32Array(d);
  const g = new Float32Array(d + 1);
  return (theta, grad) => {
    for (let j = 0; j < d; j++) w[j] = theta[j];
    g.fill(0);
    const loss = backend.logisticLossGrad(X.data, d, rows, labels, w, theta[d], g);
    for (let j = 0; j <= d; j++) grad[j] = g[j];
    return loss;
  };
}

/** P(y = 1 | x) for each row (of the listed `rows` when given). */
export function predictProbability(model: Pick<LogisticModel, 'coef' | 'intercept'>, X: Matrix | Float32Matrix, rows?: Int32Array): Float64Array {
  const out = decisionFunction(model, X, rows);
  for (let i = 0; i < out.length; i++) out[i] = sigmoid(out[i]);
  return out;
}

/**
 * The linear score w·x + b of each row (the log-odds of y = 1), as scikit-learn's `decision_function`;
 * of the listed `rows` only when given (a float32 X runs on the kernel backend).
 */
export function decisionFunction(model: Pick<LogisticModel, 'coef' | 'intercept'>, X: Matrix | Float32Matrix, rows?: Int32Array): Float64Array {
  if (X.data instanceof Float32Array) {
    const list = rows ?? Int32Array.from({ length: X.rows }, (_, i) => i);
    const out = new Float64Array(list.length);
    kernelBackend().linearScores(X.data, X.cols, list, Float32Array.from(model.coef), model.intercept, out);
    return out;
  }
  if (rows) {
    const d = X.cols;
    const data = new Float64Array(rows.length * d);
    for (let i = 0; i < rows.length; i++) data.set(X.data.subarray(rows[i] * d, (rows[i] + 1) * d), i * d);
    return decisionFunction(model, { data, rows: rows.length, cols: d });
  }
  const out = new Float64Array(X.rows);
  const d = X.cols;
  for (let i = 0; i < X.rows; i++) {
    let z = model.intercept;
    for (let j = 0; j < d; j++) z += model.coef[j] * X.data[i * d + j];
    out[i] = z;
  }
  return out;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
