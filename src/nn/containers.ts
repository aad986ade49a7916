import { fail, formatValue } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import type { DType } from '../tensor/dtype.js';
import type { Floatish } from '../tensor/ops/util.js';

/** `nn.Sequential`: applies its modules in order; they are named `0`, `1`, … in the state dict. */
export class Sequential extends Module {
  readonly #items: Module[];

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) fail({ fn: 'Sequential', argument: `modules[${i}]`, value: formatValue(typeof m), rule: 'every item must be a Module' });
    });
    this.#items = [...modules];
  }

  override namedChildren(): [string, Module][] {
    return this.#items.map((m, i) => [String(i), m]);
  }

  get length(): number {
    return this.#items.length;
  }

  /** The i-th module (negative counts from the end). */
  at(i: number): Module {
    const m = this.#items.at(i);
    if (!m) fail({ fn: 'Sequential.at', argument: 'index', value: formatValue(i), rule: `it must lie in [${-this.#items.length}, ${this.#items.length - 1}]` });
    return m;
  }

  append(m: Module): this {
    this.#items.push(m);
    return this;
  }

  override forward<D extends DType>(input: Tensor<D>): Tensor<Floatish<D>> {
    let x: Tensor = input;
    for (const m of this.#items) x = m.forward(x);
    return x as Tensor<Floatish<D>>;
  }
}

/** `nn.ModuleList`: holds modules so their parameters are registered; it has no forward of its own. */
export class ModuleList extends Module {
  readonly #items: Module[];

  constructor(modules: readonly Module[] = []) {
    super();
    this.#items = [...modules];
  }

  override namedChildren(): [string, Module][] {
    return this.#items.map((m, i) => [String(i), m]);
  }

  get length(): number {
    return this.#items.length;
  }

  at(i: number): Module {
    const m = this.#items.at(i);
    if (!m) fail({ fn: 'ModuleList.at', argument: 'index', value: formatValue(i), rule: `it must lie in [${-this.#items.length}, ${this.#items.length - 1}]` });
    return m;
  }

  append(m: Module): this {
    this.#items.push(m);
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.#items[Symbol.iterator]();
  }

  override forward(): Tensor {
    return fail({
      fn: 'ModuleList.forward',
      argument: 'this',
      rule: 'a ModuleList has no forward; iterate over its modules',
      fix: 'Use Sequential to chain modules.',
    });
  }
}
