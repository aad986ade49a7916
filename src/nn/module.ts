import { fail, formatShape, formatValue } from '../errors.js';
import { allocate, type FloatDType } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Parameter } from './parameter.js';

/** Parameters and persistent buffers by qualified name (`fc1.weight`, `bn.running_mean`), in PyTorch's order. */
export type StateDict = Record<string, Tensor>;

export interface LoadStateDictResult {
  readonly missingKeys: readonly string[];
  readonly unexpectedKeys: readonly string[];
}

/**
 * The base of every layer and model, like `torch.nn.Module`. A subclass assigns its parameters
 * (`Parameter`) and submodules (`Module`) to properties and implements `forward`; the module
 * finds them among its own properties, in assignment order, as PyTorch's `__setattr__` does:
 *
 *   class Net extends Module {
 *     fc1 = new Linear(784, 256);
 *     fc2 = new Linear(256, 10);
 *     override forward(x: Tensor) { return this.fc2.forward(relu(this.fc1.forward(x))); }
 *   }
 *
 * Buffers (state that is saved but not trained, e.g. BatchNorm's running mean) are registered with
 * `registerBuffer` under PyTorch's name. `stateDict()` keys match PyTorch's, so weights move
 * between the two (see safetensors.ts). JavaScript has no `__call__`: call `model.forward(x)`.
 */
export abstract class Module {
  /** Training mode (`train()` / `eval()`): changes what Dropout and BatchNorm do. */
  training = true;
  readonly #buffers = new Map<string, Tensor>();
  readonly #nonPersistent = new Set<string>();

  abstract forward(...inputs: Tensor[]): Tensor;

  /** Registers (or replaces) a buffer under `name`; non-persistent buffers stay out of `stateDict()`. */
  registerBuffer<T extends Tensor>(name: string, tensor: T, persistent = true): T {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      fail({ fn: 'Module.registerBuffer', argument: 'name', value: formatValue(name), rule: 'it must be a plain identifier (no dots)' });
    this.#buffers.set(name, tensor);
    if (persistent) this.#nonPersistent.delete(name);
    else this.#nonPersistent.add(name);
    return tensor;
  }

  /** The module's own parameters, by property name, in assignment order. */
  protected ownParameters(): [string, Parameter][] {
    return Object.entries(this).filter((e): e is [string, Parameter] => e[1] instanceof Parameter);
  }

  /** Direct submodules by name (`named_children`). Containers override this. */
  namedChildren(): [string, Module][] {
    return Object.entries(this).filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant, each once, with qualified names (`named_modules`). */
  namedModules(prefix = '', seen = new Set<Module>()): [string, Module][] {
    if (seen.has(this)) return [];
    seen.add(this);
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name, seen));
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Every parameter with its qualified name, each tensor once (`named_parameters`). */
  namedParameters(recurse = true): [string, Parameter][] {
    const seen = new Set<Tensor>();
    const out: [string, Parameter][] = [];
    const modules: [string, Module][] = recurse ? this.namedModules() : [['', this]];
    for (const [prefix, m] of modules) {
      for (const [name, p] of m.ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([prefix ? `${prefix}.${name}` : name, p]);
      }
    }
    return out;
  }

  parameters(recurse = true): Parameter[] {
    return this.namedParameters(recurse).map(([, p]) => p);
  }

  /** Every buffer with its qualified name (`named_buffers`). */
  namedBuffers(recurse = true): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const modules: [string, Module][] = recurse ? this.namedModules() : [['', this]];
    for (const [prefix, m] of modules) for (const [name, b] of m.#buffers) out.push([prefix ? `${prefix}.${name}` : name, b]);
    return out;
  }

  buffers(recurse = true): Tensor[] {
    return this.namedBuffers(recurse).map(([, b]) => b);
  }

  /** Sets training mode here and in every descendant (`train(mode)`). */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Clears the parameters' gradients: to `null` (PyTorch 2's default, `set_to_none=True`) or to zeros. */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (setToNone || !p.grad) p.grad = null;
      else p.grad.data.fill(0);
    }
  }

  /** Applies `fn` to every submodule (children first) and then to this one (`apply`). */
  apply(fn: (m: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Parameters and persistent buffers by qualified name, module by module as PyTorch orders them. The tensors are the module's own (not copies). */
  stateDict(): StateDict {
    const out: StateDict = {};
    const seen = new Set<Module>();
    const visit = (m: Module, prefix: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      for (const [name, p] of m.ownParameters()) out[prefix + name] = p;
      for (const [name, b] of m.#buffers) if (!m.#nonPersistent.has(name)) out[prefix + name] = b;
      for (const [name, child] of m.namedChildren()) visit(child, `${prefix}${name}.`);
    };
    visit(this, '');
    return out;
  }

  /**
   * Copies values from `state` into the parameters and buffers in place (`load_state_dict`).
   * Shapes must match; dtypes convert. With `strict` (default) a missing or unexpected key is an
   * error naming it, as PyTorch's; otherwise they are returned.
   */
  loadStateDict(state: StateDict | ReadonlyMap<string, Tensor>, options: { strict?: boolean } = {}): LoadStateDictResult {
    const fn = 'Module.loadStateDict';
    const strict = options.strict ?? true;
    const given = state instanceof Map ? state : new Map(Object.entries(state as StateDict));
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !given.has(k));
    const unexpectedKeys = [...given.keys()].filter((k) => !(k in own));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts = [];
      if (missingKeys.length) parts.push(`missing ${missingKeys.map((k) => `'${k}'`).join(', ')}`);
      if (unexpectedKeys.length) parts.push(`unexpected ${unexpectedKeys.map((k) => `'${k}'`).join(', ')}`);
      fail({
        fn,
        argument: 'state',
        value: `a state dict with ${given.size} keys`,
        rule: `its keys must be exactly the model's (${parts.join('; ')})`,
        fix: 'Pass { strict: false } to load the keys that match.',
      });
    }
    for (const [key, target] of Object.entries(own)) {
      const source = given.get(key);
      if (!source) continue;
      if (!(source instanceof Tensor)) fail({ fn, argument: `state['${key}']`, value: typeof source, rule: 'it must be a Tensor' });
      if (!shapesEqual(source.shape, target.shape)) {
        fail({
          fn,
          argument: `state['${key}']`,
          value: `of shape ${formatShape(source.shape)}`,
          rule: `it must have the model's shape ${formatShape(target.shape)}`,
        });
      }
      if (target.dtype === 'int32') {
        for (let i = 0; i < source.size; i++) {
          const v = source.data[i];
          if (!Number.isInteger(v)) fail({ fn, argument: `state['${key}']`, value: formatValue(v), rule: 'this buffer holds integers' });
        }
      }
      target.data.set(source.data);
    }
    return { missingKeys, unexpectedKeys };
  }

  /** Converts every parameter and float buffer to `dtype` in place of the old ones (`.to(dtype)`, `.double()`). */
  to(dtype: FloatDType): this {
    for (const m of this.modules()) {
      for (const [name, p] of m.ownParameters()) {
        if (p.dtype === dtype) continue;
        const data = allocate(dtype, p.size);
        data.set(p.data);
        Reflect.set(m, name, new Parameter(data, p.shape, p.requiresGrad));
      }
      for (const [name, b] of m.#buffers) {
        if (b.dtype === dtype || b.dtype === 'int32') continue;
        const data = allocate(dtype, b.size);
        data.set(b.data);
        m.#buffers.set(name, new Tensor(data, b.shape));
      }
    }
    return this;
  }

  /** The registered buffer `name` (layers read their buffers through this, so `to()` can replace them). */
  protected buffer(name: string): Tensor {
    const b = this.#buffers.get(name);
    if (!b) throw new Error(`losslab: no buffer ${name}`);
    return b;
  }

  /** One line per module with its settings, like PyTorch's repr. */
  toString(): string {
    const children = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (children.length === 0) return `${head})`;
    const lines = children.map(([name, c]) => `  (${name}): ${c.toString().split('\n').join('\n  ')}`);
    return `${head}\n${lines.join('\n')}\n)`;
  }

  /** The settings shown by `toString()` (`extra_repr`). */
  protected extraRepr(): string {
    return '';
  }
}
