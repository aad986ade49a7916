import { kernelBackend, releaseWasmArray, wasmFloat32Array } from '../kernels/backend.js';
import { type AdamHyper, adamUpdate } from '../optim/updates.js';

/**
 * The IRM paper's Colored MNIST training step (`colored_mnist/main.py`) written out for full batches:
 * the MLP din → h → h → 1 (ReLU) over all training rows at once, with every activation and gradient
 * in one set of float32 arrays in the kernels' WebAssembly memory, allocated once per run. The five
 * large matrix products per step go to the kernel backend (`kernelBackend().gemm`, so a 2-thread
 * backend splits them); bias, ReLU, the loss and its gradient are one pass each over the activations.
 * The generic path (`DomainTrainer` with the `IRM` algorithm on nn modules) computes the same step
 * through autograd; at 60,000 × 390 each of its fresh 94 MB activations costs ~0.3 s of page faults
 * here, more than the products themselves.
 *
 * One step, for environments e with rows n_e, logits z, p = σ(z), E = 2 environments:
 *   nll = mean_e mean_{i∈e} BCE(z_i, y_i),   g_e = (1/n_e) Σ_{i∈e} (p_i − y_i) z_i  (= ∂/∂s BCE(s·z) at s = 1),
 *   loss = s_t · (nll + l2 Σ‖θ‖² + λ_t mean_e g_e²),  λ_t = penaltyWeight from step `anneal` on, 1 before,
 *   s_t = 1/λ_t when λ_t > 1, else 1;
 *   ∂loss/∂z_i = (s_t / (E n_e)) · [(p_i − y_i) + 2 λ_t g_e (p_i − y_i + p_i (1 − p_i) z_i)],
 * then back through the layers (no gradient for the inputs), + 2 l2 s_t θ, and PyTorch's Adam.
 */
export interface IrmFusedHparams {
  readonly hidden: number;
  readonly l2: number;
  readonly lr: number;
  readonly anneal: number;
  readonly penaltyWeight: number;
}

export interface IrmFusedStep {
  readonly step: number;
  readonly loss: number;
  readonly nll: number;
  readonly penalty: number;
  readonly penaltyWeight: number;
  /** Loss (BCE) and accuracy of each training environment at this step's parameters. */
  readonly envs: readonly { readonly loss: number; readonly accuracy: number }[];
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** BCE with logits, max(z, 0) − z·y + log(1 + e^−|z|) (PyTorch's form). */
function bce(z: number, y: number): number {
  return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
}

export class IrmFusedMlp {
  /** Parameters in PyTorch's order and layout: W1 [h, din], b1 [h], W2 [h, h], b2 [h], w3 [1, h], b3 [1]. */
  readonly params: Float32Array;
  readonly grads: Float32Array;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private readonly w1: Float32Array;
  private readonly b1: Float32Array;
  private readonly w2: Float32Array;
  private readonly b2: Float32Array;
  private readonly w3: Float32Array;
  private readonly gw1: Float32Array;
  private readonly gb1: Float32Array;
  private readonly gw2: Float32Array;
  private readonly gb2: Float32Array;
  private readonly gw3: Float32Array;
  private readonly gb3: Float32Array;
  /** The training rows (environments one after the other), h1 / h2 activations, their gradients, logits. */
  private readonly x: Float32Array;
  private readonly h1: Float32Array;
  private readonly h2: Float32Array;
  private readonly g1: Float32Array;
  private readonly g2: Float32Array;
  private readonly z: Float32Array;
  private readonly acc: Float64Array;
  private readonly n: number;
  private readonly adam: AdamHyper;
  private released = false;
  stepCount = 0;

  /**
   * `x`: the training rows `[Σ n_e, din]`, environment by environment, sizes `envSizes`; `y` their 0/1 labels;
   * `init`: the initial parameters (PyTorch order).
   */
  constructor(
    x: Float32Array,
    private readonly y: Float32Array,
    private readonly envSizes: readonly number[],
    private readonly din: number,
    private readonly h: IrmFusedHparams,
    init: Float32Array,
  ) {
    const hid = h.hidden;
    this.n = envSizes.reduce((s, k) => s + k, 0);
    const total = hid * din + hid + hid * hid + hid + hid + 1;
    if (init.length !== total) throw new RangeError(`IrmFusedMlp: ${init.length} initial parameters, the model has ${total}`);
    if (x.length !== this.n * din || y.length !== this.n)
      throw new RangeError(`IrmFusedMlp: x holds ${x.length / din} rows and y ${y.length}, the environments ${this.n}`);
    this.params = wasmFloat32Array(total);
    this.params.set(init);
    this.grads = wasmFloat32Array(total);
    this.m = new Float32Array(total);
    this.v = new Float32Array(total);
    let k = 0;
    const cut = (a: Float32Array, len: number) => a.subarray(k, k + len);
    const parts = [hid * din, hid, hid * hid, hid, hid, 1];
    const views: Float32Array[][] = [];
    for (const len of parts) {
      views.push([cut(this.params, len), cut(this.grads, len)]);
      k += len;
    }
    [[this.w1, this.gw1], [this.b1, this.gb1], [this.w2, this.gw2], [this.b2, this.gb2], [this.w3, this.gw3], [, this.gb3]] = views as [
      Float32Array,
      Float32Array,
    ][];
    this.x = wasmFloat32Array(this.n * din);
    this.x.set(x);
    this.h1 = wasmFloat32Array(this.n * hid);
    this.h2 = wasmFloat32Array(this.n * hid);
    this.g1 = wasmFloat32Array(this.n * hid);
    this.g2 = wasmFloat32Array(this.n * hid);
    this.z = new Float32Array(this.n);
    this.acc = new Float64Array(hid);
    this.adam = { lr: h.lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, amsgrad: false, maximize: false };
  }

  /** h ← relu(x·Wᵀ + b) for `rows` rows of x (`k` inputs each). */
  private layer(x: Float32Array, rows: number, k: number, w: Float32Array, b: Float32Array, out: Float32Array): void {
    const hid = this.h.hidden;
    kernelBackend().gemm({ batch: 1, m: rows, n: hid, k, transA: false, transB: true, strideA: 0, strideB: 0, accumulate: false }, x, w, out);
    for (let r = 0, o = 0; r < rows; r++) {
      for (let j = 0; j < hid; j++, o++) {
        const v = out[o] + b[j];
        out[o] = v > 0 || v !== v ? v : 0;
      }
    }
  }

  /** Logits of `rows` rows of `x` into `z` (h1, h2 hold the activations afterwards). */
  private forward(x: Float32Array, rows: number, z: Float32Array): void {
    const hid = this.h.hidden;
    this.layer(x, rows, this.din, this.w1, this.b1, this.h1);
    this.layer(this.h1, rows, hid, this.w2, this.b2, this.h2);
    const w3 = this.w3;
    const b3 = this.params[this.params.length - 1];
    const h2 = this.h2;
    for (let r = 0; r < rows; r++) {
      const o = r * hid;
      let s = 0;
      for (let j = 0; j < hid; j++) s += h2[o + j] * w3[j];
      z[r] = Math.fround(s + b3);
    }
  }

  /** Logits of rows `x` `[rows, din]` (at most the training rows' count at a time). */
  logits(x: Float32Array, rows: number): Float32Array {
    const z = new Float32Array(rows);
    const chunk = this.n;
    const buf = rows > chunk ? null : wasmFloat32Array(rows * this.din);
    try {
      for (let r0 = 0; r0 < rows; r0 += chunk) {
        const r1 = Math.min(rows, r0 + chunk);
        const part = buf ?? wasmFloat32Array((r1 - r0) * this.din);
        part.set(x.subarray(r0 * this.din, r1 * this.din));
        this.forward(part, r1 - r0, z.subarray(r0, r1));
        if (!buf) releaseWasmArray(part);
      }
    } finally {
      if (buf) releaseWasmArray(buf);
    }
    return z;
  }

  /** One full-batch Adam step. */
  step(): IrmFusedStep {
    this.check();
    const { hidden: hid, l2, anneal, penaltyWeight } = this.h;
    const pw = this.stepCount >= anneal ? penaltyWeight : 1;
    const scale = pw > 1 ? 1 / pw : 1;
    const { n, din, x, y, z, h1, h2, g1, g2 } = this;
    const gemm = kernelBackend().gemm;
    this.forward(x, n, z);

    // loss terms per environment, then ∂loss/∂z in place of z
    const E = this.envSizes.length;
    const envs: { loss: number; accuracy: number }[] = [];
    let nll = 0;
    let penalty = 0;
    for (let e = 0, r0 = 0; e < E; r0 += this.envSizes[e], e++) {
      const ne = this.envSizes[e];
      let loss = 0;
      let g = 0;
      let correct = 0;
      for (let i = r0; i < r0 + ne; i++) {
        loss += bce(z[i], y[i]);
        g += (sigmoid(z[i]) - y[i]) * z[i];
        if ((z[i] > 0 ? 1 : 0) === y[i]) correct++;
      }
      loss /= ne;
      g /= ne;
      envs.push({ loss, accuracy: correct / ne });
      nll += loss / E;
      penalty += (g * g) / E;
      const c = scale / (E * ne);
      for (let i = r0; i < r0 + ne; i++) {
        const p = sigmoid(z[i]);
        z[i] = c * (p - y[i] + 2 * pw * g * (p - y[i] + p * (1 - p) * z[i]));
      }
    }

    // layer 3 and the ReLU of layer 2: gw3 = dzᵀ h2, gb3 = Σ dz, g2 = (dz w3) ⊙ [h2 > 0], gb2 = Σ_rows g2
    const w3 = this.w3;
    const acc = this.acc;
    const acc3 = new Float64Array(hid);
    acc.fill(0);
    let gb3 = 0;
    for (let r = 0; r < n; r++) {
      const dz = z[r];
      gb3 += dz;
      const o = r * hid;
      for (let j = 0; j < hid; j++) {
        const a = h2[o + j];
        acc3[j] += dz * a;
        const d = a > 0 ? Math.fround(dz * w3[j]) : 0;
        g2[o + j] = d;
        acc[j] += d;
      }
    }
    for (let j = 0; j < hid; j++) {
      this.gw3[j] = acc3[j];
      this.gb2[j] = acc[j];
    }
    this.gb3[0] = gb3;
    // layer 2: gW2 = g2ᵀ h1, g1 = (g2 W2) ⊙ [h1 > 0], gb1 = Σ_rows g1
    gemm({ batch: 1, m: hid, n: hid, k: n, transA: true, transB: false, strideA: 0, strideB: 0, accumulate: false }, g2, h1, this.gw2);
    gemm({ batch: 1, m: n, n: hid, k: hid, transA: false, transB: false, strideA: 0, strideB: 0, accumulate: false }, g2, this.w2, g1);
    acc.fill(0);
    for (let r = 0, o = 0; r < n; r++) {
      for (let j = 0; j < hid; j++, o++) {
        const d = h1[o] > 0 ? g1[o] : 0;
        g1[o] = d;
        acc[j] += d;
      }
    }
    for (let j = 0; j < hid; j++) this.gb1[j] = acc[j];
    // layer 1: gW1 = g1ᵀ x (the inputs need no gradient)
    gemm({ batch: 1, m: hid, n: din, k: n, transA: true, transB: false, strideA: 0, strideB: 0, accumulate: false }, g1, x, this.gw1);

    // l2 on every parameter (biases included, as the paper's weight_norm), then Adam
    const p = this.params;
    const gr = this.grads;
    let norm = 0;
    const l2g = 2 * l2 * scale;
    for (let i = 0; i < p.length; i++) {
      norm += p[i] * p[i];
      gr[i] += l2g * p[i];
    }
    this.stepCount++;
    adamUpdate(p, gr, this.m, this.v, null, this.stepCount, this.adam);
    return { step: this.stepCount - 1, loss: scale * (nll + l2 * norm + pw * penalty), nll, penalty, penaltyWeight: pw, envs };
  }

  private check(): void {
    if (this.released) throw new Error('IrmFusedMlp: used after release()');
  }

  /** Returns the WebAssembly blocks (the parameters are copied out first). */
  release(): Float32Array {
    const out = Float32Array.from(this.params);
    if (!this.released) for (const a of [this.params, this.grads, this.x, this.h1, this.h2, this.g1, this.g2]) releaseWasmArray(a);
    this.released = true;
    return out;
  }
}
