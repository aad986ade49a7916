import { fail, formatValue } from '../errors.js';

/** scikit-learn's `MACHINE_EPSILON = np.finfo(np.double).eps`, the floor of every joint probability. */
export const MACHINE_EPSILON = Number.EPSILON;
/** `cdef float PERPLEXITY_TOLERANCE = 1e-5` and `EPSILON_DBL = 1e-8` of scikit-learn's `_utils.pyx` (float32 constants). */
const PERPLEXITY_TOLERANCE = Math.fround(1e-5);
const EPSILON_DBL = Math.fround(1e-8);
const STEPS = 100;

/**
 * Conditional probabilities p_{j|i} = exp(−d_ij·β_i) / Σ_k exp(−d_ik·β_i), with each precision β_i
 * found by bisection so that the entropy of row i is log(perplexity): scikit-learn's
 * `_binary_search_perplexity(sqdistances, desired_perplexity)`, step for step (distances rounded to
 * float32 as it receives them, arithmetic in float64, at most 100 steps, tolerance 1e-5 on the
 * entropy; scikit-learn 1.2 returns the float64 probabilities).
 *
 * `sqdistances` is [n, k] row-major: the full square matrix (k = n; the diagonal is skipped) or the
 * squared distances to each row's k nearest neighbours (k < n).
 */
export function binarySearchPerplexity(sqdistances: ArrayLike<number>, n: number, k: number, perplexity: number): Float64Array {
  const usingNeighbors = k < n;
  const desiredEntropy = Math.log(Math.fround(perplexity));
  const P = new Float64Array(n * k);
  const d = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    for (let j = 0; j < k; j++) d[j] = Math.fround(sqdistances[row + j]);
    let betaMin = -Infinity;
    let betaMax = Infinity;
    let beta = 1;
    for (let step = 0; step < STEPS; step++) {
      let sumP = 0;
      for (let j = 0; j < k; j++) {
        if (j !== i || usingNeighbors) {
          P[row + j] = Math.exp(-d[j] * beta);
          sumP += P[row + j];
        }
      }
      if (sumP === 0) sumP = EPSILON_DBL;
      let sumDistP = 0;
      for (let j = 0; j < k; j++) {
        P[row + j] /= sumP;
        sumDistP += d[j] * P[row + j];
      }
      const entropyDiff = Math.log(sumP) + beta * sumDistP - desiredEntropy;
      if (Math.abs(entropyDiff) <= PERPLEXITY_TOLERANCE) break;
      if (entropyDiff > 0) {
        betaMin = beta;
        beta = betaMax === Infinity ? beta * 2 : (beta + betaMax) / 2;
      } else {
        betaMax = beta;
        beta = betaMin === -Infinity ? beta / 2 : (beta + betaMin) / 2;
      }
    }
  }
  return P;
}

function checkPerplexity(fn: string, perplexity: number, n: number): void {
  if (!(perplexity > 0) || !Number.isFinite(perplexity))
    fail({ fn, argument: 'perplexity', value: formatValue(perplexity), rule: 'it must be a positive number' });
  if (perplexity >= n)
    fail({
      fn,
      argument: 'perplexity',
      value: formatValue(perplexity),
      rule: `it must be less than the number of samples (${n})`,
      fix: 'Use a smaller perplexity (5 to 50 is usual).',
    });
}

/**
 * Joint probabilities P = (P_cond + P_condᵀ) / Σ from the full [n, n] matrix of squared distances:
 * scikit-learn's `_joint_probabilities(distances, desired_perplexity)`, returned as a dense symmetric
 * [n, n] Float64Array with a zero diagonal (scikit-learn returns the condensed upper triangle).
 * Off-diagonal entries are floored at `MACHINE_EPSILON`, as there.
 */
export function jointProbabilities(sqdistances: ArrayLike<number>, n: number, perplexity: number): Float64Array {
  const fn = 'jointProbabilities';
  if (sqdistances.length !== n * n)
    fail({ fn, argument: 'sqdistances', value: `${sqdistances.length} values`, rule: `it must hold n × n = ${n * n} distances` });
  checkPerplexity(fn, perplexity, n);
  const conditional = binarySearchPerplexity(sqdistances, n, n, perplexity);
  const P = new Float64Array(n * n);
  let sum = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      P[i * n + j] = conditional[i * n + j] + conditional[j * n + i];
      sum += P[i * n + j];
    }
  const sumP = Math.max(sum, MACHINE_EPSILON);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) P[i * n + j] = i === j ? 0 : Math.max(P[i * n + j] / sumP, MACHINE_EPSILON);
  return P;
}

/** A sparse symmetric matrix in compressed sparse row form (column indices sorted within each row). */
export interface CsrMatrix {
  readonly n: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float64Array;
}

/**
 * Joint probabilities from each row's k nearest neighbours: scikit-learn's
 * `_joint_probabilities_nn` (the Barnes–Hut method's input). The conditional probabilities over the
 * neighbours are symmetrised, P = (C + Cᵀ) / Σ, as a CSR matrix; pairs outside every neighbourhood
 * are zero and not stored.
 *
 * `neighbors` and `sqdistances` are [n, k] row-major (indices and squared distances).
 */
export function jointProbabilitiesNn(neighbors: Int32Array, sqdistances: ArrayLike<number>, n: number, k: number, perplexity: number): CsrMatrix {
  const fn = 'jointProbabilitiesNn';
  if (neighbors.length !== n * k || sqdistances.length !== n * k)
    fail({ fn, argument: 'neighbors', value: `${neighbors.length} indices`, rule: `neighbors and sqdistances must hold n × k = ${n * k} entries` });
  checkPerplexity(fn, perplexity, n);
  // scikit-learn sorts each row by column index before the search (csr.sort_indices()); the
  // neighbours of a row are distinct, so an insertion sort gives the same order.
  const sortedD = new Float64Array(n * k);
  const sortedJ = new Int32Array(n * k);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    for (let t = 0; t < k; t++) {
      const j = neighbors[o + t];
      const v = sqdistances[o + t];
      let c = t;
      while (c > 0 && sortedJ[o + c - 1] > j) {
        sortedJ[o + c] = sortedJ[o + c - 1];
        sortedD[o + c] = sortedD[o + c - 1];
        c--;
      }
      sortedJ[o + c] = j;
      sortedD[o + c] = v;
    }
  }
  const conditional = binarySearchPerplexity(sortedD, n, k, perplexity);
  // C + Cᵀ as CSR. Row i of C is sorted by column; row i of Cᵀ (the rows that chose i, in increasing
  // order) is too, so each row of the sum is one merge of the two, a pair chosen both ways summed.
  const tptr = new Int32Array(n + 1);
  for (let t = 0; t < n * k; t++) tptr[sortedJ[t] + 1]++;
  for (let i = 0; i < n; i++) tptr[i + 1] += tptr[i];
  const fill = tptr.slice(0, n);
  const tcols = new Int32Array(n * k);
  const tvals = new Float64Array(n * k);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < k; t++) {
      const j = sortedJ[i * k + t];
      tcols[fill[j]] = i;
      tvals[fill[j]++] = conditional[i * k + t];
    }
  const indptr = new Int32Array(n + 1);
  const cols = new Int32Array(2 * n * k);
  const vals = new Float64Array(2 * n * k);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    const start = nnz;
    let a = i * k;
    const aEnd = a + k;
    let b = tptr[i];
    const bEnd = tptr[i + 1];
    while (a < aEnd || b < bEnd) {
      const ja = a < aEnd ? sortedJ[a] : n;
      const jb = b < bEnd ? tcols[b] : n;
      const j = Math.min(ja, jb);
      const v = ja === jb ? conditional[a++] + tvals[b++] : ja < jb ? conditional[a++] : tvals[b++];
      // a column listed twice in one row (neighbour lists given by the caller) is summed too
      if (nnz > start && cols[nnz - 1] === j) vals[nnz - 1] += v;
      else {
        cols[nnz] = j;
        vals[nnz++] = v;
      }
    }
    indptr[i + 1] = nnz;
  }
  const indices = cols.slice(0, nnz);
  const data = vals.slice(0, nnz);
  let sum = 0;
  for (let t = 0; t < nnz; t++) sum += data[t];
  const sumP = Math.max(sum, MACHINE_EPSILON);
  for (let t = 0; t < data.length; t++) data[t] /= sumP;
  return { n, indptr, indices, data };
}
