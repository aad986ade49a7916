import { fail, formatValue } from '../errors.js';
import type { Matrix } from './matrix.js';
import { RandomState } from '../tensor/random.js';
import { jointProbabilities, jointProbabilitiesNn, MACHINE_EPSILON } from './affinities.js';
import { cosineDistances, nearestFromMatrix, nearestNeighbors, squaredEuclideanDistances } from './neighbors.js';
import { pcaScores } from './pca.js';
import { barnesHutObjective, type TsneObjective } from './barnesHut.js';

export type TsneMetric = 'euclidean' | 'cosine' | 'precomputed';

export interface TsneProgress {
  /** 'neighbors' while the affinities are computed, then 'exaggeration' (first 250 iterations) and 'optimize'. */
  readonly phase: 'neighbors' | 'exaggeration' | 'optimize';
  /** Rows done (neighbors) or iterations done (optimisation). */
  readonly done: number;
  readonly total: number;
  /** KL divergence at the last check (every 50 iterations), once known. */
  readonly klDivergence?: number;
}

/** scikit-learn's `TSNE` parameters, camelCase, with its defaults (scikit-learn 1.2). */
export interface TsneOptions {
  readonly nComponents?: number;
  readonly perplexity?: number;
  readonly earlyExaggeration?: number;
  readonly learningRate?: number | 'auto';
  readonly nIter?: number;
  readonly nIterWithoutProgress?: number;
  readonly minGradNorm?: number;
  /** 'euclidean' (squared Euclidean distances, as scikit-learn), 'cosine', or 'precomputed' (X is an [n, n] distance matrix). */
  readonly metric?: TsneMetric;
  readonly init?: 'pca' | 'random' | Float64Array;
  readonly method?: 'barnes_hut' | 'exact';
  readonly angle?: number;
  /** Seed of the random initialisation and of the randomized PCA (scikit-learn's `random_state`; default 0). */
  readonly randomState?: number;
  readonly onProgress?: (progress: TsneProgress) => void;
}

export interface TsneResult {
  /** [n, nComponents] row-major. */
  readonly embedding: Float64Array;
  readonly nComponents: number;
  /** KL divergence after optimisation (scikit-learn's `kl_divergence_`; Barnes–Hut: its tree estimate). */
  readonly klDivergence: number;
  /** Index of the last iteration run (scikit-learn's `n_iter_`). */
  readonly nIter: number;
  /** The learning rate used (scikit-learn's `learning_rate_`). */
  readonly learningRate: number;
}

/** Iterations with early exaggeration and momentum 0.5 (scikit-learn's `_EXPLORATION_N_ITER`). */
const EXPLORATION_N_ITER = 250;
/** Progress is checked every 50 iterations (`_N_ITER_CHECK`). */
const N_ITER_CHECK = 50;

const FN = 'tsne';

/**
 * t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008) with scikit-learn's
 * `TSNE` parameters, defaults and algorithm: perplexity-calibrated Gaussian affinities (exact over
 * all pairs, or over the 3·perplexity + 1 nearest neighbours for Barnes–Hut), a Student-t kernel
 * with max(nComponents − 1, 1) degrees of freedom, PCA initialisation scaled to SD 1e-4, learning
 * rate 'auto' = max(n / earlyExaggeration / 4, 50), 250 iterations of early exaggeration with
 * momentum 0.5 then momentum 0.8, per-parameter gains (+0.2 / ×0.8, floor 0.01), stopping after
 * `nIterWithoutProgress` iterations without a lower KL (checked every 50) or a gradient norm below
 * `minGradNorm`. The Barnes–Hut gradient walks a quadtree (octree in 3-D) with opening angle
 * `angle` (van der Maaten 2014). Computed in float64 (scikit-learn computes in float32), so the
 * results are not bit-identical; tests hold the affinities to 1e-10 and the final KL divergence and
 * trustworthiness to scikit-learn's over seeds.
 */
export function tsne(X: Matrix, options: TsneOptions = {}): TsneResult {
  const steps = tsneSteps(X, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `tsne` one step at a time: a generator that yields a progress record once the affinities are
 * computed and after every gradient-descent iteration, and returns the result. The same numbers as
 * `tsne` (which runs it to the end); a page can redraw between steps.
 */
export function* tsneSteps(X: Matrix, options: TsneOptions = {}): Generator<TsneProgress, TsneResult, void> {
  const nComponents = options.nComponents ?? 2;
  const perplexity = options.perplexity ?? 30;
  const earlyExaggeration = options.earlyExaggeration ?? 12;
  const nIter = options.nIter ?? 1000;
  const nIterWithoutProgress = options.nIterWithoutProgress ?? 300;
  const minGradNorm = options.minGradNorm ?? 1e-7;
  const metric = options.metric ?? 'euclidean';
  const init = options.init ?? 'pca';
  const method = options.method ?? 'barnes_hut';
  const angle = options.angle ?? 0.5;
  const seed = options.randomState ?? 0;
  const n = X.rows;
  checkOptions(X, {
    nComponents,
    perplexity,
    earlyExaggeration,
    nIter,
    nIterWithoutProgress,
    minGradNorm,
    metric,
    init,
    method,
    angle,
    learningRate: options.learningRate,
  });
  const learningRate = options.learningRate === undefined || options.learningRate === 'auto' ? Math.max(n / earlyExaggeration / 4, 50) : options.learningRate;
  const progress = options.onProgress;

  // Input affinities.
  const dof = Math.max(nComponents - 1, 1);
  if (method === 'exact') {
    const D = metric === 'precomputed' ? squareOf(X.data) : metric === 'cosine' ? squareOf(cosineDistances(X)) : squaredEuclideanDistances(X);
    const done: TsneProgress = { phase: 'neighbors', done: n, total: n };
    progress?.(done);
    yield done;
    return yield* optimize(exactObjective(jointProbabilities(D, n, perplexity), n, nComponents, dof));
  }
  const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
  const neighbors =
    metric === 'euclidean'
      ? nearestNeighbors(X, k, (done) => progress?.({ phase: 'neighbors', done, total: n }))
      : metric === 'cosine'
        ? squared(nearestFromMatrix(cosineDistances(X), n, k))
        : squared(nearestFromMatrix(X.data, n, k));
  yield { phase: 'neighbors', done: n, total: n };
  return yield* optimize(barnesHutObjective(jointProbabilitiesNn(neighbors.indices, neighbors.sqdistances, n, k, perplexity), nComponents, dof, angle));

  function* optimize(f: TsneObjective): Generator<TsneProgress, TsneResult, void> {
    try {
      return yield* run(f);
    } finally {
      f.dispose();
    }
  }

  function* run(f: TsneObjective): Generator<TsneProgress, TsneResult, void> {
    let Y: Float64Array;
    if (init instanceof Float64Array) Y = init.slice();
    else if (init === 'pca') {
      Y = pcaScores(X, nComponents, { seed });
      let mean = 0;
      for (let i = 0; i < n; i++) mean += Y[i * nComponents];
      mean /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (Y[i * nComponents] - mean) ** 2;
      const sd = Math.sqrt(v / n);
      for (let t = 0; t < Y.length; t++) Y[t] = sd > 0 ? (Y[t] / sd) * 1e-4 : 0;
    } else {
      const rs = new RandomState(seed);
      Y = new Float64Array(n * nComponents);
      for (let t = 0; t < Y.length; t++) Y[t] = Math.fround(1e-4 * rs.standardNormal());
    }
    const state = { update: new Float64Array(Y.length), gains: new Float64Array(Y.length).fill(1) };
    f.scaleP(earlyExaggeration);
    let r = yield* gradientDescent(f, Y, state, 0, EXPLORATION_N_ITER, 0.5, EXPLORATION_N_ITER, 'exaggeration');
    f.scaleP(1 / earlyExaggeration);
    if (r.it < EXPLORATION_N_ITER || nIter - EXPLORATION_N_ITER > 0)
      r = yield* gradientDescent(f, Y, state, r.it + 1, nIter, 0.8, nIterWithoutProgress, 'optimize');
    return { embedding: Y, nComponents, klDivergence: r.error, nIter: r.it, learningRate };
  }

  /** scikit-learn's `_gradient_descent`: momentum, gains, progress checks every 50 iterations. Updates Y in place. */
  function* gradientDescent(
    f: TsneObjective,
    Y: Float64Array,
    state: { update: Float64Array; gains: Float64Array },
    start: number,
    end: number,
    momentum: number,
    withoutProgress: number,
    phase: 'exaggeration' | 'optimize',
  ): Generator<TsneProgress, { error: number; it: number }, void> {
    const { update, gains } = state;
    const grad = new Float64Array(Y.length);
    let error = Number.MAX_VALUE;
    let bestError = Number.MAX_VALUE;
    let bestIter = start;
    let i = start;
    let lastKl: number | undefined;
    for (i = start; i < end; i++) {
      const check = (i + 1) % N_ITER_CHECK === 0;
      error = f.evaluate(Y, grad, check || i === end - 1);
      let norm = 0;
      for (let t = 0; t < Y.length; t++) {
        const g = grad[t];
        if (update[t] * g < 0) gains[t] += 0.2;
        else gains[t] *= 0.8;
        if (gains[t] < 0.01) gains[t] = 0.01;
        const gg = g * gains[t];
        norm += gg * gg;
        update[t] = momentum * update[t] - learningRate * gg;
        Y[t] += update[t];
      }
      if (check) {
        lastKl = error;
        if (error < bestError) {
          bestError = error;
          bestIter = i;
        } else if (i - bestIter > withoutProgress) break;
        if (Math.sqrt(norm) <= minGradNorm) break;
      }
      const step: TsneProgress = { phase, done: i + 1, total: nIter, klDivergence: lastKl };
      progress?.(step);
      yield step;
    }
    return { error, it: Math.min(i, end - 1) };
  }
}

function squareOf(D: ArrayLike<number>): Float64Array {
  return Float64Array.from(D, (v) => v * v);
}

function squared(nn: { k: number; indices: Int32Array; sqdistances: Float64Array }): typeof nn {
  return { ...nn, sqdistances: nn.sqdistances.map((v) => v * v) };
}

/** scikit-learn's `_kl_divergence`: exact Q over all pairs, O(n²) per evaluation. */
function exactObjective(P: Float64Array, n: number, dims: number, dof: number): TsneObjective {
  const W = new Float64Array(n * n);
  const exponent = (dof + 1) / -2;
  const c = (2 * (dof + 1)) / dof;
  const evaluate = (Y: Float64Array, grad: Float64Array, computeError: boolean): number => {
    let sum = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        let d2 = 0;
        for (let a = 0; a < dims; a++) {
          const diff = Y[i * dims + a] - Y[j * dims + a];
          d2 += diff * diff;
        }
        let w = d2 / dof + 1;
        w = dof === 1 ? 1 / w : w ** exponent;
        W[i * n + j] = W[j * n + i] = w;
        sum += w;
      }
    let kl = Number.NaN;
    if (computeError) kl = 0;
    grad.fill(0);
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const w = W[i * n + j];
        const q = Math.max(w / (2 * sum), MACHINE_EPSILON);
        const p = P[i * n + j];
        if (computeError) kl += 2 * p * Math.log(Math.max(p, MACHINE_EPSILON) / q);
        const m = (p - q) * w;
        for (let a = 0; a < dims; a++) {
          const diff = Y[i * dims + a] - Y[j * dims + a];
          grad[i * dims + a] += m * diff;
          grad[j * dims + a] -= m * diff;
        }
      }
    for (let t = 0; t < grad.length; t++) grad[t] *= c;
    return kl;
  };
  return {
    evaluate,
    scaleP: (s) => {
      for (let t = 0; t < P.length; t++) P[t] *= s;
    },
    dispose: () => {},
  };
}

function checkOptions(
  X: Matrix,
  o: {
    nComponents: number;
    perplexity: number;
    earlyExaggeration: number;
    nIter: number;
    nIterWithoutProgress: number;
    minGradNorm: number;
    metric: string;
    init: 'pca' | 'random' | Float64Array;
    method: string;
    angle: number;
    learningRate?: number | 'auto';
  },
): void {
  const n = X.rows;
  const bad = (argument: string, value: unknown, rule: string, fix?: string): never =>
    fail({ fn: FN, argument, value: typeof value === 'string' ? value : formatValue(value), rule, fix });
  if (!(Number.isInteger(o.nComponents) && o.nComponents >= 1)) bad('nComponents', o.nComponents, 'it must be a positive integer');
  if (!(o.perplexity > 0 && Number.isFinite(o.perplexity))) bad('perplexity', o.perplexity, 'it must be a positive number');
  if (o.perplexity >= n) bad('perplexity', o.perplexity, `it must be less than the number of samples (${n})`, 'Use a smaller perplexity (5 to 50 is usual).');
  if (!(o.earlyExaggeration >= 1)) bad('earlyExaggeration', o.earlyExaggeration, 'it must be at least 1');
  if (o.learningRate !== undefined && o.learningRate !== 'auto' && !(o.learningRate > 0 && Number.isFinite(o.learningRate)))
    bad('learningRate', o.learningRate, "it must be a positive number or 'auto'");
  if (!(Number.isInteger(o.nIter) && o.nIter >= 250)) bad('nIter', o.nIter, 'it must be an integer of at least 250 (the early-exaggeration phase)');
  if (!(Number.isInteger(o.nIterWithoutProgress) && o.nIterWithoutProgress >= -1))
    bad('nIterWithoutProgress', o.nIterWithoutProgress, 'it must be an integer ≥ −1');
  if (!(o.minGradNorm >= 0)) bad('minGradNorm', o.minGradNorm, 'it must be non-negative');
  if (o.metric !== 'euclidean' && o.metric !== 'cosine' && o.metric !== 'precomputed')
    bad('metric', formatValue(o.metric), "it must be 'euclidean', 'cosine' or 'precomputed'");
  if (o.method !== 'barnes_hut' && o.method !== 'exact') bad('method', formatValue(o.method), "it must be 'barnes_hut' or 'exact'");
  if (!(o.angle >= 0 && o.angle <= 1)) bad('angle', o.angle, 'it must lie in [0, 1]');
  if (o.method === 'barnes_hut' && o.nComponents > 3)
    bad('nComponents', o.nComponents, 'the Barnes–Hut method works in at most 3 dimensions (a quadtree or octree)', "Use method: 'exact'.");
  if (o.metric === 'precomputed') {
    if (X.rows !== X.cols) bad('X', `${X.rows} × ${X.cols}`, "with metric 'precomputed', X must be a square distance matrix");
    if (o.init === 'pca') bad('init', "'pca'", "PCA initialisation needs features, not the 'precomputed' distances", "Use init: 'random'.");
    for (const v of X.data) if (!(v >= 0)) bad('X', v, "with metric 'precomputed', distances must be non-negative numbers");
  }
  if (o.init instanceof Float64Array) {
    if (o.init.length !== n * o.nComponents) bad('init', `${o.init.length} values`, `it must hold n × nComponents = ${n * o.nComponents} values`);
  } else if (o.init !== 'pca' && o.init !== 'random') bad('init', formatValue(o.init), "it must be 'pca', 'random' or a Float64Array");
  if (n < 2) bad('X', `${n} rows`, 'it needs at least 2 samples');
  for (let t = 0; t < X.data.length; t++)
    if (!Number.isFinite(X.data[t])) bad('X', `${formatValue(X.data[t])} at row ${Math.floor(t / X.cols)}`, 'every value must be finite');
}
