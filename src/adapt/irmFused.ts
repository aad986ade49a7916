import { kernelBackend, releaseWasmArray, wasmFloat32Array } from '../kernels/backend.js';
import { type AdamHyper, adamUpdate } from '../optim/updates.js';

/**
 * The IRM paper's Colored MNIST training step (`colored_mnist/main.py`) written out for full batches:
 * the MLP din → h → h → 1 (ReLU) over all training rows at once, with every activation and gradient
 * in one set of float32 arrays in the kernels' WebAssembly memory, allocated once per run. Each layer
 * is an augmented matrix (weights with the bias as a last column, and for the hidden layers a last
 * row that carries a constant 1; the rows get a last column of ones), so the biases and their
 * gradients are part of the matrix products. All the work over the activations goes to the kernel
 * backend — the products (`gemm`), `relu` and `reluBackward` — which a 2-thread backend splits;
 * TypeScript is left with one pass over the logits (loss, penalty, ∂loss/∂z), l2 and Adam.
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

/** Copies `rows` rows of `src` (`[rows, k]`) into `dst` (`[rows, k + 1]`) with a last column of ones. */
function withOnesColumn(src: Float32Array, rows: number, k: number, dst: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    dst.set(src.subarray(r * k, (r + 1) * k), r * (k + 1));
    dst[r * (k + 1) + k] = 1;
  }
}

export class IrmFusedMlp {
  /** Parameters in PyTorch's order and layout: W1 [h, din], b1 [h], W2 [h, h], b2 [h], w3 [1, h], b3 [1]. */
  readonly params: Float32Array;
  readonly grads: Float32Array;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  /**
   * The layers as augmented matrices, so that every bias and bias gradient is part of a matrix product:
   * A1 = [[W1, b1], [0, 1]] `[h+1, din+1]`, A2 = [[W2, b2], [0, 1]] `[h+1, h+1]`, a3 = [w3, b3] `[1, h+1]`
   * act on rows with a last column of ones (x̃ = [x, 1]); the extra row of A1 and A2 carries that 1
   * through the ReLUs (h̃ = [h, 1]). Their gradients (same shapes) hold [∂W, ∂b] in the first h rows;
   * the last rows (the constant) are never read.
   */
  private readonly a1: Float32Array;
  private readonly a2: Float32Array;
  private readonly a3: Float32Array;
  private readonly ga1: Float32Array;
  private readonly ga2: Float32Array;
  private readonly ga3: Float32Array;
  /** The training rows x̃ `[n, din+1]` (environments one after the other), h̃1 / h̃2 `[n, h+1]`, their gradients, logits and ∂loss/∂z. */
  private readonly x: Float32Array;
  private readonly h1: Float32Array;
  private readonly h2: Float32Array;
  private readonly g1: Float32Array;
  private readonly g2: Float32Array;
  private readonly z: Float32Array;
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
    this.params = Float32Array.from(init);
    this.grads = new Float32Array(total);
    this.m = new Float32Array(total);
    this.v = new Float32Array(total);
    const h1 = hid + 1;
    this.a1 = wasmFloat32Array(h1 * (din + 1));
    this.a2 = wasmFloat32Array(h1 * h1);
    this.a3 = wasmFloat32Array(h1);
    this.ga1 = wasmFloat32Array(h1 * (din + 1));
    this.ga2 = wasmFloat32Array(h1 * h1);
    this.ga3 = wasmFloat32Array(h1);
    // the constant rows: zeros and a 1 in the last column
    this.a1.fill(0);
    this.a1[h1 * (din + 1) - 1] = 1;
    this.a2.fill(0);
    this.a2[h1 * h1 - 1] = 1;
    this.x = wasmFloat32Array(this.n * (din + 1));
    withOnesColumn(x, this.n, din, this.x);
    this.h1 = wasmFloat32Array(this.n * h1);
    this.h2 = wasmFloat32Array(this.n * h1);
    this.g1 = wasmFloat32Array(this.n * h1);
    this.g2 = wasmFloat32Array(this.n * h1);
    this.z = wasmFloat32Array(this.n);
    this.adam = { lr: h.lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, amsgrad: false, maximize: false };
  }

  /** The parameters (PyTorch layout) into the augmented matrices, or (`back`) the augmented gradients into `grads`. */
  private exchange(back: boolean): void {
    const hid = this.h.hidden;
    const din = this.din;
    const flat = back ? this.grads : this.params;
    const [m1, m2, m3] = back ? [this.ga1, this.ga2, this.ga3] : [this.a1, this.a2, this.a3];
    const offB1 = hid * din;
    const offW2 = offB1 + hid;
    const offB2 = offW2 + hid * hid;
    const offW3 = offB2 + hid;
    for (let j = 0; j < hid; j++) {
      const r1 = j * (din + 1);
      const r2 = j * (hid + 1);
      if (back) {
        flat.set(m1.subarray(r1, r1 + din), j * din);
        flat[offB1 + j] = m1[r1 + din];
        flat.set(m2.subarray(r2, r2 + hid), offW2 + j * hid);
        flat[offB2 + j] = m2[r2 + hid];
      } else {
        m1.set(flat.subarray(j * din, (j + 1) * din), r1);
        m1[r1 + din] = flat[offB1 + j];
        m2.set(flat.subarray(offW2 + j * hid, offW2 + (j + 1) * hid), r2);
        m2[r2 + hid] = flat[offB2 + j];
      }
    }
    if (back) flat.set(m3, offW3);
    else m3.set(flat.subarray(offW3, offW3 + hid + 1));
  }

  /** Logits of `rows` rows of x̃ `[rows, din+1]` into `z` (h̃1, h̃2 hold the activations afterwards). */
  private forward(x: Float32Array, rows: number, z: Float32Array): void {
    const h1 = this.h.hidden + 1;
    const k = kernelBackend();
    const shape = { batch: 1, m: rows, n: h1, transA: false, transB: true, strideA: 0, strideB: 0, accumulate: false } as const;
    const a1 = this.h1.subarray(0, rows * h1);
    const a2 = this.h2.subarray(0, rows * h1);
    k.gemm({ ...shape, k: this.din + 1 }, x, this.a1, a1);
    k.relu(a1, a1);
    k.gemm({ ...shape, k: h1 }, a1, this.a2, a2);
    k.relu(a2, a2);
    k.gemm({ ...shape, n: 1, k: h1 }, a2, this.a3, z);
  }

  /** Logits of rows `x` `[rows, din]` (at most the training rows' count at a time). */
  logits(x: Float32Array, rows: number): Float32Array {
    this.check();
    this.exchange(false);
    const z = new Float32Array(rows);
    const chunk = this.n;
    const din = this.din;
    const buf = wasmFloat32Array(Math.min(rows, chunk) * (din + 1));
    const zb = wasmFloat32Array(Math.min(rows, chunk));
    try {
      for (let r0 = 0; r0 < rows; r0 += chunk) {
        const r1 = Math.min(rows, r0 + chunk);
        withOnesColumn(x.subarray(r0 * din, r1 * din), r1 - r0, din, buf);
        this.forward(buf, r1 - r0, zb);
        z.set(zb.subarray(0, r1 - r0), r0);
      }
    } finally {
      releaseWasmArray(buf);
      releaseWasmArray(zb);
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
    const k = kernelBackend();
    const hp = hid + 1;
    this.exchange(false);
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

    const shape = { batch: 1, strideA: 0, strideB: 0, accumulate: false } as const;
    // layer 3: [∂w3, ∂b3] = dzᵀ h̃2; g̃2 = (dz ⊗ a3) ⊙ [h̃2 > 0]
    k.gemm({ ...shape, m: 1, n: hp, k: n, transA: true, transB: false }, z, h2, this.ga3);
    k.gemm({ ...shape, m: n, n: hp, k: 1, transA: false, transB: false }, z, this.a3, g2);
    k.reluBackward(g2, h2, g2);
    // layer 2: [∂W2, ∂b2] = g̃2ᵀ h̃1 (first h rows); g̃1 = (g̃2 A2) ⊙ [h̃1 > 0]
    k.gemm({ ...shape, m: hp, n: hp, k: n, transA: true, transB: false }, g2, h1, this.ga2);
    k.gemm({ ...shape, m: n, n: hp, k: hp, transA: false, transB: false }, g2, this.a2, g1);
    k.reluBackward(g1, h1, g1);
    // layer 1: [∂W1, ∂b1] = g̃1ᵀ x̃ (the inputs need no gradient)
    k.gemm({ ...shape, m: hp, n: din + 1, k: n, transA: true, transB: false }, g1, x, this.ga1);
    this.exchange(true);

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
    if (!this.released)
      for (const a of [this.a1, this.a2, this.a3, this.ga1, this.ga2, this.ga3, this.x, this.h1, this.h2, this.g1, this.g2, this.z]) releaseWasmArray(a);
    this.released = true;
    return out;
  }
}
