import { fail, formatValue } from '../errors.js';
import type { FloatBuffer } from '../kernels/linear.js';
import { Sequential } from '../nn/containers.js';
import { Flatten, ReLU } from '../nn/layers/activation.js';
import { Conv2d } from '../nn/layers/conv.js';
import { Linear } from '../nn/layers/linear.js';
import { MaxPool2d } from '../nn/layers/pooling.js';
import type { Module } from '../nn/module.js';
import { normal_, zeros_ } from '../nn/init.js';
import type { RandomState } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { allocateFloat, type InitScheme, type ModelDType, type Parameter } from './network.js';

/**
 * The architectures `losslab train` builds on the general stack (src/nn):
 * - `mlp`: `Sequential(Linear, ReLU, …, Linear)` with `sizes = [in, hidden…, classes]`;
 * - `lenet5`: LeNet-5 as d2l and the issue define it, with ReLU and max pooling —
 *   conv 6@5×5 pad 2, pool 2, conv 16@5×5, pool 2, flatten, 120, 84, classes — on one-channel
 *   images of `imageShape` (28×28 gives the classic 16·5·5 = 400 features).
 */
export type Architecture =
  | { readonly kind: 'mlp'; readonly sizes: readonly number[] }
  | { readonly kind: 'lenet5'; readonly imageShape: readonly [number, number]; readonly classes: number };

/** Features after LeNet-5's convolutions and pools for an h × w image (0 when it is too small). */
export function lenetFeatures(h: number, w: number): number {
  const side = (s: number): number => Math.floor((Math.floor(s / 2) - 4) / 2);
  const [a, b] = [side(h), side(w)];
  return a >= 1 && b >= 1 ? 16 * a * b : 0;
}

/** The input width of an architecture (values per row). */
export function architectureInputSize(a: Architecture): number {
  return a.kind === 'mlp' ? a.sizes[0] : a.imageShape[0] * a.imageShape[1];
}

export function architectureClasses(a: Architecture): number {
  return a.kind === 'mlp' ? a.sizes[a.sizes.length - 1] : a.classes;
}

/** Checks an architecture read from a file or built from options. */
export function checkArchitecture(a: Architecture, fn: string, argument: string): Architecture {
  if (a.kind === 'mlp') {
    if (!Array.isArray(a.sizes) || a.sizes.length < 2 || !a.sizes.every((s) => Number.isInteger(s) && s >= 1)) {
      fail({ fn, argument, value: formatValue(a.sizes), rule: 'an MLP needs sizes [in, hidden…, classes], all positive integers' });
    }
  } else if (a.kind === 'lenet5') {
    const [h, w] = a.imageShape ?? [];
    if (!Number.isInteger(h) || !Number.isInteger(w) || lenetFeatures(h, w) === 0) {
      fail({ fn, argument, value: formatValue(a.imageShape), rule: 'LeNet-5 needs images of at least 12×12 pixels ([height, width])' });
    }
    if (!Number.isInteger(a.classes) || a.classes < 1)
      fail({ fn, argument, value: formatValue(a.classes), rule: 'the number of classes must be a positive integer' });
  } else {
    fail({ fn, argument, value: formatValue((a as { kind?: unknown }).kind), rule: "the architecture must be 'mlp' or 'lenet5'" });
  }
  return a;
}

/**
 * Builds the module of an architecture. `init`: `pytorch` keeps PyTorch's default initialisation
 * (drawn from `generator`), `d2l` then sets every weight to N(0, 0.01²) and every bias to 0.
 */
export function buildModule(a: Architecture, dtype: ModelDType, generator: RandomState, init: InitScheme = 'pytorch'): Sequential {
  let model: Sequential;
  if (a.kind === 'mlp') {
    const layers: Module[] = [];
    for (let l = 0; l + 1 < a.sizes.length; l++) {
      if (l > 0) layers.push(new ReLU());
      layers.push(new Linear(a.sizes[l], a.sizes[l + 1], { dtype, generator }));
    }
    model = new Sequential(...layers);
  } else {
    const [h, w] = a.imageShape;
    model = new Sequential(
      new Conv2d(1, 6, 5, { padding: 2, dtype, generator }),
      new ReLU(),
      new MaxPool2d(2),
      new Conv2d(6, 16, 5, { dtype, generator }),
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      new Linear(lenetFeatures(h, w), 120, { dtype, generator }),
      new ReLU(),
      new Linear(120, 84, { dtype, generator }),
      new ReLU(),
      new Linear(84, a.classes, { dtype, generator }),
    );
  }
  if (init === 'd2l') {
    for (const [name, p] of model.namedParameters()) {
      if (name.endsWith('.bias')) zeros_(p);
      else normal_(p, 0, 0.01, { generator });
    }
  }
  return model;
}

/**
 * An nn module behind the buffer interface the `Trainer`, the evaluation and the saved-model
 * format use (`forward(X, n, logits)`, `backward(X, n, gradLogits)`, `params` with data and grad
 * buffers — what `Network` offers for softmax regression). The parameters' data are the module's
 * own arrays, named by their state-dict keys and in PyTorch's layout; the gradient buffers receive
 * the module's `.grad` after each backward pass. Rows are reshaped to the module's input (`[n, in]`
 * for the MLP, `[n, 1, h, w]` for LeNet-5).
 */
export class ModuleNetwork {
  readonly module: Sequential;
  readonly architecture: Architecture;
  readonly dtype: ModelDType;
  readonly params: readonly Parameter[];
  private readonly tensors: readonly Tensor[];
  private output: Tensor | null = null;

  constructor(architecture: Architecture, module: Sequential, dtype: ModelDType = 'float32') {
    this.architecture = architecture;
    this.module = module;
    this.dtype = dtype;
    const named = module.namedParameters();
    this.tensors = named.map(([, p]) => p);
    this.params = named.map(([name, p]) => ({ name, shape: p.shape, data: p.data as FloatBuffer, grad: allocateFloat(dtype, p.size) }));
  }

  get inputSize(): number {
    return architectureInputSize(this.architecture);
  }

  get numClasses(): number {
    return architectureClasses(this.architecture);
  }

  /** Number of trainable values. */
  get parameterCount(): number {
    return this.params.reduce((s, p) => s + p.data.length, 0);
  }

  /** A short description for reports: `MLP 784→256→10` or `LeNet-5 on 28×28`. */
  describe(): string {
    const a = this.architecture;
    return a.kind === 'mlp' ? `MLP ${a.sizes.join('→')}` : `LeNet-5 on ${a.imageShape[0]}×${a.imageShape[1]}`;
  }

  private input(X: FloatBuffer, n: number): Tensor {
    const data = X.length === n * this.inputSize ? X : X.subarray(0, n * this.inputSize);
    const a = this.architecture;
    return new Tensor(data, a.kind === 'mlp' ? [n, a.sizes[0]] : [n, 1, a.imageShape[0], a.imageShape[1]]);
  }

  /** Logits `[n, classes]` of the rows `X[n, in]`; keeps the graph for `backward` when grad mode is on. */
  forward(X: FloatBuffer, n: number, logits: FloatBuffer): void {
    const y = this.module.forward(this.input(X, n));
    logits.set(y.data.length === n * this.numClasses ? (y.data as FloatBuffer) : y.data.subarray(0, n * this.numClasses));
    this.output = y.requiresGrad ? y : null;
  }

  /**
   * Fills every parameter's gradient buffer from the gradient of the loss w.r.t. the logits of the
   * last `forward` (overwrites, like `zero_grad()` + `backward()`).
   */
  backward(_X: FloatBuffer, n: number, gradLogits: FloatBuffer): void {
    const y = this.output;
    if (!y) {
      fail({ fn: 'ModuleNetwork.backward', argument: 'this', rule: 'it needs a forward pass with grad mode on first' });
    }
    this.module.zeroGrad();
    const c = this.numClasses;
    const g = new Tensor(gradLogits.length === n * c ? gradLogits : gradLogits.subarray(0, n * c), y.shape);
    y.backward(g);
    this.output = null;
    for (const [i, t] of this.tensors.entries()) {
      const grad = this.params[i].grad;
      if (t.grad) grad.set(t.grad.data as FloatBuffer);
      else grad.fill(0);
    }
    this.module.zeroGrad();
  }
}
