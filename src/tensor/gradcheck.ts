import { fail, formatShape } from '../errors.js';
import { enableGrad, noGrad } from '../autograd/gradMode.js';
import { isFloatDType } from './dtype.js';
import { grad } from './grad.js';
import { cat } from './ops/indexing.js';
import { RandomState } from './random.js';
import { Tensor } from './tensor.js';

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6, as torch.autograd.gradcheck). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Throw a descriptive error on mismatch (default true, like PyTorch's `raise_exception`). */
  raiseException?: boolean;
}

export interface GradcheckResult {
  readonly ok: boolean;
  /** Largest |analytic − numerical| over all Jacobian entries. */
  readonly maxAbsError: number;
  /** Where the worst mismatch is: input index, input element, output element. */
  readonly worst: { input: number; inputElement: number; outputElement: number; analytic: number; numerical: number } | null;
}

/**
 * Compares the analytic Jacobian (one backward pass per output element, through losslab's
 * autograd) with central finite differences `(f(x+ε) − f(x−ε)) / 2ε`, in float64, like
 * `torch.autograd.gradcheck`: entry-wise `|a − n| ≤ atol + rtol·|n|`. Only float64 inputs that
 * require grad are checked; others are passed through unchanged.
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  const checked = inputs.map((t, i) => {
    if (!t.requiresGrad) return false;
    if (t.dtype !== 'float64') {
      fail({
        fn: 'gradcheck',
        argument: `inputs[${i}]`,
        value: t.dtype,
        rule: 'inputs that require grad must be float64 (finite differences in float32 are too coarse)',
      });
    }
    return true;
  });
  if (!checked.some(Boolean)) {
    fail({ fn: 'gradcheck', argument: 'inputs', rule: 'at least one input must be float64 with requiresGrad: true' });
  }

  // Fresh leaves so the check does not disturb the caller's tensors or their .grad.
  const leaves = inputs.map((t, i) => (checked[i] ? new Tensor(Float64Array.from(t.data), t.shape, true) : t));
  const output = fn(...leaves);
  if (!isFloatDType(output.dtype)) {
    fail({ fn: 'gradcheck', argument: 'fn', value: output.dtype, rule: 'it must return a float tensor' });
  }
  const nOut = output.size;

  // Analytic Jacobian, row by row (vector–Jacobian products with one-hot vectors).
  const analytic: Float64Array[][] = leaves.map((t) => Array.from({ length: nOut }, () => new Float64Array(t.size)));
  for (let o = 0; o < nOut; o++) {
    for (const leaf of leaves) leaf.grad = null;
    const out = o === 0 ? output : fn(...leaves);
    if (!out.requiresGrad) break; // output does not depend on any checked input: Jacobian stays 0
    const seed = new Tensor(new Float64Array(nOut), out.shape);
    seed.data[o] = 1;
    out.backward(out.dtype === 'float64' ? seed : new Tensor(Float32Array.from(seed.data), out.shape));
    leaves.forEach((leaf, i) => {
      if (checked[i] && leaf.grad) analytic[i][o].set(leaf.grad.data);
    });
  }

  // Numerical Jacobian by central differences.
  let maxAbsError = 0;
  let worst: GradcheckResult['worst'] = null;
  let ok = true;
  noGrad(() => {
    leaves.forEach((leaf, i) => {
      if (!checked[i]) return;
      for (let k = 0; k < leaf.size; k++) {
        const orig = leaf.data[k];
        leaf.data[k] = orig + eps;
        const plus = Float64Array.from(fn(...leaves).data);
        leaf.data[k] = orig - eps;
        const minus = Float64Array.from(fn(...leaves).data);
        leaf.data[k] = orig;
        for (let o = 0; o < nOut; o++) {
          const numerical = (plus[o] - minus[o]) / (2 * eps);
          const a = analytic[i][o][k];
          const err = Math.abs(a - numerical);
          const bad = !(err <= atol + rtol * Math.abs(numerical)) && !(Number.isNaN(a) && Number.isNaN(numerical));
          if (err > maxAbsError || (bad && ok)) {
            maxAbsError = Math.max(maxAbsError, err);
            worst = { input: i, inputElement: k, outputElement: o, analytic: a, numerical };
          }
          if (bad) ok = false;
        }
      }
    });
  });

  if (!ok && (options.raiseException ?? true) && worst) {
    const w = worst as NonNullable<GradcheckResult['worst']>;
    fail({
      fn: 'gradcheck',
      argument: `inputs[${w.input}]`,
      value: `of shape ${formatShape(leaves[w.input].shape)}`,
      rule: `the analytic gradient ${w.analytic} and the numerical ${w.numerical} of output element ${w.outputElement} with respect to element ${w.inputElement} differ by more than atol + rtol·|numerical| (atol ${atol}, rtol ${rtol})`,
    });
  }
  return { ok, maxAbsError, worst };
}

/**
 * Second-order check, like `torch.autograd.gradgradcheck`: the gradient of `fn` with a random
 * output gradient `v` (seeded), computed with `createGraph`, is itself checked by `gradcheck`
 * with respect to the inputs and `v` — so the backward formulas' own derivatives are verified.
 */
export function gradgradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions & { seed?: number } = {},
): GradcheckResult {
  const probe = fn(...inputs.map((t) => (t.requiresGrad ? new Tensor(Float64Array.from(t.data), t.shape, true) : t)));
  const rng = new RandomState(options.seed ?? 0);
  const v = new Tensor(
    Float64Array.from({ length: probe.size }, () => rng.standardNormal()),
    probe.shape,
    true,
  );
  const n = inputs.length;
  // the numerical part of gradcheck runs under noGrad, but computing a gradient needs the graph
  const firstOrder = (...xs: Tensor[]): Tensor =>
    enableGrad(() => {
      const ins = xs.slice(0, n);
      const wanted = ins.filter((t) => t.requiresGrad);
      const grads = grad(fn(...ins), wanted, { gradOutputs: [xs[n]], createGraph: true, allowUnused: true });
      return cat(grads.map((g, i) => (g ?? new Tensor(new Float64Array(wanted[i].size), wanted[i].shape)).reshape(-1)));
    });
  return gradcheck(firstOrder, [...inputs, v], options);
}
