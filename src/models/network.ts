import { fail, formatValue } from '../errors.js';
import { linearBackwardInput, linearBackwardParams, linearForward, wasmFloat32Array } from '../kernels/backend.js';
import type { FloatBuffer } from '../kernels/linear.js';
import { checkNetworkFits } from './modelSize.js';
import type { RandomState } from '../tensor/random.js';

export type ModelDType = 'float32' | 'float64';

/** A trainable array and its gradient buffer (what `nn.Parameter` + `.grad` are in PyTorch). */
export interface Parameter {
  /** `W0`, `b0`, `W1`, `b1`, … (layer index after the letter). */
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: FloatBuffer;
  readonly grad: FloatBuffer;
}

/**
 * What the `Trainer`, the evaluation and the saved-model format need of a classifier: logits of a
 * batch of rows, the gradient of every parameter from the gradient of the logits, and the
 * parameters as data + gradient buffers. `Network` (softmax regression, the fused step) and
 * `ModuleNetwork` (an nn module: the MLP and LeNet-5 on the general stack) implement it.
 */
export interface ClassifierNetwork {
  readonly dtype: ModelDType;
  readonly inputSize: number;
  readonly numClasses: number;
  readonly params: readonly Parameter[];
  readonly parameterCount: number;
  forward(X: FloatBuffer, n: number, logits: FloatBuffer): void;
  backward(X: FloatBuffer, n: number, gradLogits: FloatBuffer): void;
  /** A short description for reports, e.g. `sizes 784→10` or `LeNet-5 on 28×28`. */
  describe(): string;
}

/**
 * How weights start.
 * - `d2l`: W ~ N(0, 0.01²), b = 0 — d2l's `init_weights` (`nn.init.normal_(m.weight, std=0.01)`),
 *   used for softmax regression and d2l's MLP chapter. The default.
 * - `pytorch`: PyTorch's `nn.Linear` default, `kaiming_uniform_(a=√5)`, i.e. W and b ~ U(−1/√in, 1/√in).
 */
export type InitScheme = 'd2l' | 'pytorch';

/**
 * A stack of linear layers with ReLU between them: `sizes = [in, h₁, …, out]`. With no hidden
 * layer it is softmax regression's linear map; with hidden layers it is the MLP
 * (`nn.Sequential(nn.Linear, nn.ReLU, …, nn.Linear)`). It produces logits; the loss is losslab's
 * fused softmax cross-entropy, applied by the trainer.
 *
 * Weights are stored `[in, out]` (PyTorch stores `nn.Linear.weight` as `[out, in]`). Activations
 * live in buffers sized for the largest batch seen, so training allocates nothing per step.
 */
export class Network implements ClassifierNetwork {
  readonly sizes: readonly number[];
  readonly dtype: ModelDType;
  readonly params: readonly Parameter[];
  private activations: FloatBuffer[] = [];
  private activationGrads: FloatBuffer[] = [];
  private capacity = 0;

  constructor(sizes: readonly number[], dtype: ModelDType = 'float32') {
    if (sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s >= 1)) {
      fail({
        fn: 'Network',
        argument: 'sizes',
        value: formatValue([...sizes]),
        rule: 'it must list at least the input and output sizes, all positive integers',
      });
    }
    if (dtype === 'float32') checkNetworkFits(sizes, 0, { fn: 'Network', argument: 'sizes' });
    this.sizes = Object.freeze([...sizes]);
    this.dtype = dtype;
    const params: Parameter[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
      params.push(makeParameter(`W${l}`, [fanIn, fanOut], dtype));
      params.push(makeParameter(`b${l}`, [fanOut], dtype));
    }
    this.params = params;
  }

  get inputSize(): number {
    return this.sizes[0];
  }

  get numClasses(): number {
    return this.sizes[this.sizes.length - 1];
  }

  describe(): string {
    return `sizes ${this.sizes.join('→')}`;
  }

  get layers(): number {
    return this.sizes.length - 1;
  }

  weight(layer: number): Parameter {
    return this.params[2 * layer];
  }

  bias(layer: number): Parameter {
    return this.params[2 * layer + 1];
  }

  /** Draws fresh weights from `rng` (layer by layer, W in row-major order, then b). */
  initialize(rng: RandomState, scheme: InitScheme = 'd2l'): void {
    for (let l = 0; l < this.layers; l++) {
      const W = this.weight(l).data;
      const b = this.bias(l).data;
      if (scheme === 'd2l') {
        rng.fillNormal(W, 0, 0.01);
        b.fill(0);
      } else {
        const bound = 1 / Math.sqrt(this.sizes[l]);
        for (let i = 0; i < W.length; i++) W[i] = rng.uniform(-bound, bound);
        for (let i = 0; i < b.length; i++) b[i] = rng.uniform(-bound, bound);
      }
    }
  }

  /** Makes the hidden-activation buffers hold at least `n` rows. */
  reserve(n: number): void {
    if (n <= this.capacity) return;
    const alloc = (len: number): FloatBuffer => allocateFloat(this.dtype, len);
    this.activations = [];
    this.activationGrads = [];
    for (let l = 1; l + 1 < this.sizes.length; l++) {
      this.activations.push(alloc(n * this.sizes[l]));
      this.activationGrads.push(alloc(n * this.sizes[l]));
    }
    this.capacity = n;
  }

  /** Logits `[n, out]` of the rows `X[n, in]`; keeps the hidden activations for `backward`. */
  forward(X: FloatBuffer, n: number, logits: FloatBuffer): void {
    this.reserve(n);
    let input = X;
    for (let l = 0; l < this.layers; l++) {
      const last = l === this.layers - 1;
      const out = last ? logits : this.activations[l];
      linearForward(input, this.weight(l).data, this.bias(l).data, out, n, this.sizes[l], this.sizes[l + 1]);
      if (!last) {
        const len = n * this.sizes[l + 1];
        for (let i = 0; i < len; i++) if (!(out[i] > 0)) out[i] = 0;
        input = out;
      }
    }
  }

  /**
   * Fills every parameter's `grad` from the gradient of the loss w.r.t. the logits of the last
   * `forward(X, n, …)` call (overwrites, like `zero_grad()` + `backward()`). ReLU passes the
   * gradient where its output is positive (PyTorch's `threshold_backward`: zero at 0).
   */
  backward(X: FloatBuffer, n: number, gradLogits: FloatBuffer): void {
    let g = gradLogits;
    for (let l = this.layers - 1; l >= 0; l--) {
      const input = l === 0 ? X : this.activations[l - 1];
      const fanIn = this.sizes[l];
      const fanOut = this.sizes[l + 1];
      linearBackwardParams(input, g, this.weight(l).grad, this.bias(l).grad, n, fanIn, fanOut);
      if (l > 0) {
        const gIn = this.activationGrads[l - 1];
        linearBackwardInput(g, this.weight(l).data, gIn, n, fanIn, fanOut);
        const len = n * fanIn;
        for (let i = 0; i < len; i++) if (!(input[i] > 0)) gIn[i] = 0;
        g = gIn;
      }
    }
  }

  /** Number of trainable values. */
  get parameterCount(): number {
    return this.params.reduce((s, p) => s + p.data.length, 0);
  }
}

/**
 * A zeroed float buffer. float32 buffers live in the WebAssembly kernels' memory when it is available
 * (`wasmFloat32Array`), so the SIMD kernels read and write them in place instead of copying; they are
 * ordinary `Float32Array`s to every other reader. float64 buffers (gradcheck) are plain.
 */
export function allocateFloat(dtype: ModelDType, length: number): FloatBuffer {
  return dtype === 'float32' ? wasmFloat32Array(length) : new Float64Array(length);
}

function makeParameter(name: string, shape: number[], dtype: ModelDType): Parameter {
  const size = shape.reduce((a, b) => a * b, 1);
  return { name, shape: Object.freeze([...shape]), data: allocateFloat(dtype, size), grad: allocateFloat(dtype, size) };
}

/** Index of the largest of `c` values starting at `offset` (first one on ties, like `argmax`). */
export function argmaxRow(values: ArrayLike<number>, offset: number, c: number): number {
  let best = 0;
  let bestValue = values[offset];
  for (let j = 1; j < c; j++) {
    const v = values[offset + j];
    if (v > bestValue) {
      bestValue = v;
      best = j;
    }
  }
  return best;
}
