import { fail, formatValue } from '../errors.js';
import type { FloatBuffer } from '../kernels/linear.js';
import { adamUpdate, sgdUpdate } from '../optim/updates.js';
import type { Parameter } from './network.js';

/** Serializable optimizer state: a step counter and one buffer per parameter per slot. */
export interface OptimizerState {
  readonly kind: 'sgd' | 'adam';
  readonly step: number;
  /** Slot name (`momentum`, `expAvg`, `expAvgSq`) → one buffer per parameter, in parameter order. */
  readonly slots: Readonly<Record<string, readonly FloatBuffer[]>>;
}

/** Updates parameters from their `grad` buffers, in place (PyTorch's `optimizer.step()`). */
export interface Optimizer {
  readonly kind: 'sgd' | 'adam';
  /** Hyperparameters, for reports and checkpoints. */
  readonly config: Readonly<Record<string, number | boolean>>;
  /** One update; `lr` overrides the configured learning rate for this step (a schedule's value). */
  step(params: readonly Parameter[], lr?: number): void;
  getState(): OptimizerState;
  setState(state: OptimizerState): void;
}

export interface SGDOptions {
  /** Learning rate (default 0.1, d2l's choice for softmax regression). */
  lr?: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Dampening of momentum (default 0). */
  dampening?: number;
  /** L2 penalty added to the gradient, `g + λ·p` (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening = 0, as in PyTorch). */
  nesterov?: boolean;
}

function checkNonNegative(fn: string, argument: string, value: number, max = Infinity): void {
  if (!(Number.isFinite(value) && value >= 0 && value < max)) {
    fail({ fn, argument, value: formatValue(value), rule: max === Infinity ? 'it must be a finite number ≥ 0' : `it must lie in [0, ${max})` });
  }
}

/**
 * The optimizers of the buffer-based `Network` that the softmax-regression `Trainer` drives (the
 * update rules are src/optim/updates.ts, shared with the tensor optimizers of src/optim).
 * Minibatch stochastic gradient descent with PyTorch's `torch.optim.SGD` semantics:
 * `d = g + λp`; with momentum `buf = μ·buf + (1 − dampening)·d` (`buf = d` on the first step) and
 * `d = buf` (or `d + μ·buf` with Nesterov); then `p ← p − lr·d`.
 */
export class SGD implements Optimizer {
  readonly kind = 'sgd' as const;
  readonly config: Readonly<Required<SGDOptions>>;
  private steps = 0;
  private momentumBuffers: FloatBuffer[] = [];

  constructor(options: SGDOptions = {}) {
    const config = {
      lr: options.lr ?? 0.1,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      weightDecay: options.weightDecay ?? 0,
      nesterov: options.nesterov ?? false,
    };
    checkNonNegative('SGD', 'lr', config.lr);
    checkNonNegative('SGD', 'momentum', config.momentum);
    checkNonNegative('SGD', 'dampening', config.dampening);
    checkNonNegative('SGD', 'weightDecay', config.weightDecay);
    if (config.nesterov && (config.momentum <= 0 || config.dampening !== 0)) {
      fail({ fn: 'SGD', argument: 'nesterov', value: 'true', rule: 'Nesterov momentum requires a momentum > 0 and zero dampening (as in torch.optim.SGD)' });
    }
    this.config = Object.freeze(config);
  }

  step(params: readonly Parameter[], lr = this.config.lr): void {
    if (this.config.momentum !== 0 && this.momentumBuffers.length === 0) {
      this.momentumBuffers = params.map((p) => p.data.slice());
    }
    const hyper = { ...this.config, lr, maximize: false };
    for (let k = 0; k < params.length; k++) {
      sgdUpdate(params[k].data, params[k].grad, this.config.momentum === 0 ? null : this.momentumBuffers[k], this.steps === 0, hyper);
    }
    this.steps++;
  }

  getState(): OptimizerState {
    return { kind: 'sgd', step: this.steps, slots: this.momentumBuffers.length ? { momentum: this.momentumBuffers } : {} };
  }

  setState(state: OptimizerState): void {
    checkStateKind(state, 'sgd');
    this.steps = state.step;
    this.momentumBuffers = (state.slots.momentum ?? []).map((b) => b.slice());
  }
}

export interface AdamOptions {
  /** Learning rate (default 0.001, PyTorch's default). */
  lr?: number;
  /** Coefficients of the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Added to the denominator (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0; PyTorch's Adam, not AdamW). */
  weightDecay?: number;
}

/**
 * Adam with PyTorch's `torch.optim.Adam` semantics (amsgrad off): `g ← g + λp`,
 * `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `p ← p − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)`.
 */
export class Adam implements Optimizer {
  readonly kind = 'adam' as const;
  readonly config: Readonly<{ lr: number; beta1: number; beta2: number; eps: number; weightDecay: number }>;
  private steps = 0;
  private expAvg: FloatBuffer[] = [];
  private expAvgSq: FloatBuffer[] = [];

  constructor(options: AdamOptions = {}) {
    const [beta1, beta2] = options.betas ?? [0.9, 0.999];
    const config = { lr: options.lr ?? 0.001, beta1, beta2, eps: options.eps ?? 1e-8, weightDecay: options.weightDecay ?? 0 };
    checkNonNegative('Adam', 'lr', config.lr);
    checkNonNegative('Adam', 'betas[0]', beta1, 1);
    checkNonNegative('Adam', 'betas[1]', beta2, 1);
    checkNonNegative('Adam', 'eps', config.eps);
    checkNonNegative('Adam', 'weightDecay', config.weightDecay);
    this.config = Object.freeze(config);
  }

  step(params: readonly Parameter[], lr = this.config.lr): void {
    if (this.expAvg.length === 0) {
      this.expAvg = params.map((p) => zerosLike(p.data));
      this.expAvgSq = params.map((p) => zerosLike(p.data));
    }
    this.steps++;
    const hyper = { ...this.config, lr, decoupled: false, amsgrad: false, maximize: false };
    for (let k = 0; k < params.length; k++) adamUpdate(params[k].data, params[k].grad, this.expAvg[k], this.expAvgSq[k], null, this.steps, hyper);
  }

  getState(): OptimizerState {
    return { kind: 'adam', step: this.steps, slots: this.expAvg.length ? { expAvg: this.expAvg, expAvgSq: this.expAvgSq } : {} };
  }

  setState(state: OptimizerState): void {
    checkStateKind(state, 'adam');
    this.steps = state.step;
    this.expAvg = (state.slots.expAvg ?? []).map((b) => b.slice());
    this.expAvgSq = (state.slots.expAvgSq ?? []).map((b) => b.slice());
  }
}

function zerosLike(b: FloatBuffer): FloatBuffer {
  return b instanceof Float32Array ? new Float32Array(b.length) : new Float64Array(b.length);
}

function checkStateKind(state: OptimizerState, kind: 'sgd' | 'adam'): void {
  if (state.kind !== kind) {
    fail({ fn: 'Optimizer.setState', argument: 'state', value: formatValue(state.kind), rule: `a ${kind} optimizer can only restore ${kind} state` });
  }
}

export type OptimizerName = 'sgd' | 'adam';

/** Settings shared by the CLI and the estimators. */
export interface OptimizerSpec {
  readonly name: OptimizerName;
  readonly lr?: number;
  readonly momentum?: number;
  readonly weightDecay?: number;
}

/** Creates an optimizer from a name and its settings (`momentum` applies to SGD only). */
export function createOptimizer(spec: OptimizerSpec): Optimizer {
  if (spec.name === 'adam') {
    if (spec.momentum !== undefined && spec.momentum !== 0) {
      fail({
        fn: 'createOptimizer',
        argument: 'momentum',
        value: formatValue(spec.momentum),
        rule: 'momentum applies to SGD only; Adam keeps its own running averages (betas)',
        fix: 'Drop --momentum or use --optimizer sgd.',
      });
    }
    return new Adam({ lr: spec.lr, weightDecay: spec.weightDecay });
  }
  return new SGD({ lr: spec.lr, momentum: spec.momentum, weightDecay: spec.weightDecay });
}
