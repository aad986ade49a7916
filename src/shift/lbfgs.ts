/**
 * Limited-memory BFGS (Nocedal 1980; Liu & Nocedal 1989) for smooth convex objectives: the solver
 * behind `fitLogisticRegression` and the Platt calibration of the domain classifier, as
 * scikit-learn's default `solver='lbfgs'`. Each iteration costs one objective-and-gradient
 * evaluation (usually; more when the line search backtracks) plus O(m·p) for the two-loop
 * recursion, so for a linear model on an n × d matrix it is O(n·d) per iteration.
 *
 * The line search backtracks from the unit step until Armijo's sufficient-decrease condition
 * holds (or, once f is flat to rounding, until the gradient shrinks); pairs (s, y) with sᵀy ≤ 0 are not stored. That is enough for the strictly convex
 * objectives used here (L2-penalised logistic losses), where sᵀy > 0 always.
 */

/** Writes ∇f(x) into `grad` and returns f(x). */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Stored correction pairs (scikit-learn / SciPy default 10). */
  readonly memory?: number;
  readonly maxIterations?: number;
  /** Stop when max |∇f| ≤ gradientTolerance (SciPy's `pgtol`, scikit-learn's `tol`). */
  readonly gradientTolerance?: number;
  /** Stop when the relative decrease (f_k − f_k+1)/max(|f_k|, |f_k+1|, 1) ≤ this (SciPy's factr·eps; default 64ε; 0 turns this test off). */
  readonly relativeDecrease?: number;
}

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly iterations: number;
  readonly evaluations: number;
  /** max |∇f| at `x`. */
  readonly gradientNorm: number;
  readonly converged: boolean;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

const maxAbs = (a: Float64Array): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};

/** Minimises f from `x0` (not modified). */
export function lbfgs(f: ObjectiveWithGradient, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const m = options.memory ?? 10;
  const maxIterations = options.maxIterations ?? 1000;
  const gtol = options.gradientTolerance ?? 1e-5;
  const ftol = options.relativeDecrease ?? 64 * Number.EPSILON;
  const p = x0.length;
  let x = x0.slice();
  let g = new Float64Array(p);
  let value = f(x, g);
  let evaluations = 1;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  const direction = new Float64Array(p);
  let xNew = new Float64Array(p);
  let gNew = new Float64Array(p);
  let iterations = 0;
  let converged = maxAbs(g) <= gtol;
  while (!converged && iterations < maxIterations) {
    // Two-loop recursion: direction = −H·g.
    direction.set(g);
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(S[k], direction);
      const yk = Y[k];
      for (let i = 0; i < p; i++) direction[i] -= alpha[k] * yk[i];
    }
    const gamma = S.length > 0 ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let i = 0; i < p; i++) direction[i] *= gamma;
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k] * dot(Y[k], direction);
      const sk = S[k];
      for (let i = 0; i < p; i++) direction[i] += sk[i] * (alpha[k] - beta);
    }
    for (let i = 0; i < p; i++) direction[i] = -direction[i];
    let slope = dot(g, direction);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < p; i++) direction[i] = -g[i] / Math.max(1, Math.sqrt(dot(g, g)));
      slope = dot(g, direction);
    }
    // Backtracking line search (Armijo, c1 = 1e-4), halving the step, at most 40 times.
    let step = 1;
    let newValue = Number.NaN;
    let accepted = false;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < p; i++) xNew[i] = x[i] + step * direction[i];
      newValue = f(xNew, gNew);
      evaluations++;
      // Near the optimum f changes by less than its rounding error; then a step that does not
      // raise f beyond rounding and shrinks the gradient is progress too.
      const sufficient = newValue <= value + 1e-4 * step * slope;
      const withinRounding = newValue <= value + 1e-12 * Math.max(1, Math.abs(value)) && maxAbs(gNew) < maxAbs(g);
      if (Number.isFinite(newValue) && (sufficient || withinRounding)) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break; // no decrease possible at machine precision: x is as good as it gets
    iterations++;
    const s = new Float64Array(p);
    const y = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-16 * dot(y, y)) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const decrease = (value - newValue) / Math.max(Math.abs(value), Math.abs(newValue), 1);
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    value = newValue;
    if (maxAbs(g) <= gtol) converged = true;
    else if (ftol > 0 && decrease <= ftol) break;
  }
  return { x, value, iterations, evaluations, gradientNorm: maxAbs(g), converged };
}
