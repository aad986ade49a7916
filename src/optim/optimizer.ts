import { fail, formatValue } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import type { FloatBuffer } from './updates.js';

/** One parameter group: its parameters and its own hyperparameters (`param_groups[i]`). */
export type ParamGroup<H> = H & { params: Tensor[] };

/** A group as given to a constructor: parameters plus any hyperparameters that differ from the defaults. */
export type ParamGroupSpec<H> = Partial<H> & { params: Iterable<Tensor> };

/** Per-parameter state: buffers (`momentum_buffer`, `exp_avg`, …) and the step count. */
export interface ParamState {
  step: number;
  buffers: Record<string, FloatBuffer>;
}

/** What `stateDict()` returns (`optimizer.state_dict()`): state by parameter index, and the groups with indices for parameters. */
export interface OptimizerStateDict {
  readonly state: Record<number, { step: number; buffers: Record<string, number[]> }>;
  readonly paramGroups: readonly Record<string, number | boolean | readonly number[] | null>[];
}

/**
 * The base of the optimizers, like `torch.optim.Optimizer`: parameter groups (each with its own
 * hyperparameters, e.g. a smaller lr for a pretrained backbone), per-parameter state, `zeroGrad`,
 * `step`, and a state dict for checkpoints. Parameters whose `.grad` is null are skipped.
 */
/** Hyperparameters of a group: named numbers and flags. */
export type Hyper = { [name: string]: number | boolean | null };

export abstract class Optimizer<H extends Hyper> {
  readonly paramGroups: ParamGroup<H>[] = [];
  readonly defaults: Readonly<H>;
  protected readonly state = new Map<Tensor, ParamState>();
  private readonly name: string;

  constructor(name: string, params: Iterable<Tensor> | Iterable<ParamGroupSpec<H>>, defaults: H) {
    this.name = name;
    this.defaults = Object.freeze({ ...defaults });
    const list = [...(params as Iterable<Tensor | ParamGroupSpec<H>>)];
    if (list.length === 0) fail({ fn: name, argument: 'params', value: '[]', rule: 'it must hold at least one parameter (an empty parameter list)' });
    if (list.every((p) => p instanceof Tensor)) this.addParamGroup(groupOf<H>(list as Tensor[]));
    else if (list.every((p) => !(p instanceof Tensor) && typeof p === 'object' && 'params' in p))
      for (const g of list as ParamGroupSpec<H>[]) this.addParamGroup(g);
    else
      fail({ fn: name, argument: 'params', value: 'a mixed list', rule: 'it must be a list of tensors, or a list of parameter groups { params, ...options }' });
  }

  /** Adds a group, filling unset hyperparameters from the defaults (`add_param_group`). */
  addParamGroup(spec: ParamGroupSpec<H>): void {
    const params = [...spec.params];
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) fail({ fn: this.name, argument: `params[${i}]`, value: typeof p, rule: 'it must be a Tensor' });
      if (p.dtype === 'int32' || !p.requiresGrad || !p.isLeaf)
        fail({ fn: this.name, argument: `params[${i}]`, value: p.toString(), rule: 'an optimizer can only optimize float leaf tensors that require grad' });
      if (seen.has(p)) fail({ fn: this.name, argument: `params[${i}]`, value: p.toString(), rule: 'a parameter may appear in only one group' });
      seen.add(p);
    });
    const group = { ...this.defaults, ...spec, params } as ParamGroup<H>;
    this.checkHyper(group);
    this.paramGroups.push(group);
  }

  /** Validates a group's hyperparameters (each optimizer's rules). */
  protected abstract checkHyper(group: ParamGroup<H>): void;

  /** Updates every parameter that has a gradient. */
  abstract step(): void;

  /** Clears the gradients of every parameter: to null (PyTorch 2's default) or to zeros. */
  zeroGrad(setToNone = true): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (setToNone || !p.grad) p.grad = null;
        else p.grad.data.fill(0);
      }
    }
  }

  protected stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (!s) {
      s = { step: 0, buffers: {} };
      this.state.set(p, s);
    }
    return s;
  }

  /** A checkpointable copy of the state (`state_dict()`): parameters are numbered across groups in order. */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    const groups: Record<string, number | boolean | readonly number[] | null>[] = [];
    let index = 0;
    for (const g of this.paramGroups) {
      const indices: number[] = [];
      for (const p of g.params) {
        const s = this.state.get(p);
        if (s) state[index] = { step: s.step, buffers: Object.fromEntries(Object.entries(s.buffers).map(([k, b]) => [k, Array.from(b)])) };
        indices.push(index++);
      }
      const { params: _params, ...hyper } = g;
      groups.push({ ...(hyper as Record<string, number | boolean | null>), params: indices });
    }
    return { state, paramGroups: groups };
  }

  /** Restores `stateDict()` output into an optimizer over the same parameters (`load_state_dict`). */
  loadStateDict(dict: OptimizerStateDict): void {
    const fn = `${this.name}.loadStateDict`;
    if (dict.paramGroups.length !== this.paramGroups.length) {
      fail({
        fn,
        argument: 'state',
        value: `${dict.paramGroups.length} groups`,
        rule: `it must have this optimizer's ${this.paramGroups.length} parameter groups`,
      });
    }
    const all = this.paramGroups.flatMap((g) => g.params);
    dict.paramGroups.forEach((saved, i) => {
      const ids = saved.params as readonly number[];
      if (!Array.isArray(ids) || ids.length !== this.paramGroups[i].params.length) {
        fail({ fn, argument: `state.paramGroups[${i}]`, value: formatValue(ids), rule: `it must list ${this.paramGroups[i].params.length} parameters` });
      }
      const { params: _p, ...hyper } = saved;
      Object.assign(this.paramGroups[i], hyper);
    });
    this.state.clear();
    for (const [key, s] of Object.entries(dict.state)) {
      const p = all[Number(key)];
      if (!p) fail({ fn, argument: 'state', value: `parameter ${key}`, rule: `indices must lie in [0, ${all.length - 1}]` });
      const buffers: Record<string, FloatBuffer> = {};
      for (const [name, values] of Object.entries(s.buffers)) {
        if (values.length !== p.size)
          fail({ fn, argument: `state[${key}].${name}`, value: `${values.length} values`, rule: `it must match the parameter's ${p.size} elements` });
        buffers[name] = p.dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
      }
      this.state.set(p, { step: s.step, buffers });
    }
  }
}

/** A group spec with every hyperparameter left at its default. */
function groupOf<H extends Hyper>(params: Tensor[]): ParamGroupSpec<H> {
  const spec: Partial<H> & { params: Tensor[] } = { params } as Partial<H> & { params: Tensor[] };
  return spec;
}

export function checkFiniteNonNegative(fn: string, argument: string, v: unknown, below = Infinity): void {
  if (typeof v !== 'number' || !(v >= 0 && v < below)) {
    fail({ fn, argument, value: formatValue(v), rule: below === Infinity ? 'it must be a finite number ≥ 0' : `it must lie in [0, ${below})` });
  }
}
