import { fail, formatValue } from '../errors.js';
import type { FloatBuffer } from '../kernels/linear.js';
import { Network } from '../models/network.js';
import { Adam } from '../models/optimizers.js';
import { RandomState } from '../tensor/random.js';
import { groupDroWeights, irmPenalty, irmPenaltyBinary, vrexPenalty } from './penalties.js';

/**
 * Domain generalisation for MLPs whose penalties act on the logits (ERM, IRM, V-REx, GroupDRO), on
 * losslab's `Network` (linear layers + ReLU, WebAssembly kernels) and `Adam`. One `step()` is one
 * update on the given batches of every training domain (full batch for the IRM paper's protocol),
 * so a caller (the CLI, the web lab) can pause between steps and read the per-step metrics.
 *
 * Objective (the IRM paper's `main.py` form; DomainBed's is the same with `l2 = 0`):
 *   L = mean_e R_e + l2 · Σ_params ‖w‖² + λ_t · P,   divided by λ_t when λ_t > 1,
 * with R_e the mean loss of domain e (BCE with logits for one output, cross-entropy otherwise),
 * λ_t = penaltyWeight from step `anneal` on (1 before, as the paper), and P:
 *   irm      — mean_e IRMv1(logits_e)        (binary: the paper's g²; classes: DomainBed's g₁g₂)
 *   vrex     — mean_e (R_e − R̄)²
 *   groupdro — L = Σ_e q_e R_e instead of the mean, q updated each step (η = groupDroEta)
 *   erm      — none.
 * Gradients w.r.t. the logits are closed-form (`penalties.ts`); one backward pass through the MLP.
 */
export type LogitMethod = 'erm' | 'irm' | 'vrex' | 'groupdro';

export interface MlpDomainTrainerOptions {
  readonly method: LogitMethod;
  /** Hidden layer widths, e.g. [390, 390]. */
  readonly hidden: readonly number[];
  /** Outputs: 1 = one logit with BCE (binary labels 0/1), ≥ 2 = class logits with cross-entropy. */
  readonly outputs: number;
  readonly lr: number;
  /** Coefficient of Σ‖w‖² over all parameters, biases included (the IRM paper's l2_regularizer_weight). */
  readonly l2?: number;
  readonly penaltyWeight?: number;
  /** Steps with weight 1 before `penaltyWeight` applies (the paper's penalty_anneal_iters). */
  readonly anneal?: number;
  readonly groupDroEta?: number;
  /** Seed of the Xavier-uniform initial weights (biases 0), as the paper's `nn.init.xavier_uniform_`. */
  readonly seed?: number;
  /**
   * `irm-paper` (default): the loss is divided by the penalty weight when it exceeds 1 (the paper's
   * `main.py`); `domainbed`: no division, and Adam is restarted at the step the weight switches
   * (DomainBed's IRM and VREx: "Adam doesn't like the sharp jump in gradient magnitudes").
   */
  readonly form?: 'irm-paper' | 'domainbed';
}

/** One domain's rows: float32 `[n, inputSize]` and labels (0/1 for one output, class indices otherwise). */
export interface DomainBatch {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly n: number;
}

export interface StepMetrics {
  readonly step: number;
  readonly loss: number;
  /** Mean risk over the training domains. */
  readonly nll: number;
  readonly penalty: number;
  readonly penaltyWeight: number;
  /** Risk and accuracy per training domain (on the batch of this step, before the update). */
  readonly risks: number[];
  readonly accuracies: number[];
}

export class MlpDomainTrainer {
  readonly network: Network;
  readonly options: Required<MlpDomainTrainerOptions>;
  private optimizer: Adam;
  private readonly inputSize: number;
  private stepCount = 0;
  private q: Float64Array | null = null;

  constructor(inputSize: number, options: MlpDomainTrainerOptions) {
    const fn = 'MlpDomainTrainer';
    const methods: LogitMethod[] = ['erm', 'irm', 'vrex', 'groupdro'];
    if (!methods.includes(options.method))
      fail({ fn, argument: 'method', value: formatValue(options.method), rule: `it must be one of ${methods.join(', ')}` });
    if (!(options.lr > 0)) fail({ fn, argument: 'lr', value: formatValue(options.lr), rule: 'it must be positive' });
    this.options = { l2: 0, penaltyWeight: 1, anneal: 0, groupDroEta: 0.01, seed: 0, form: 'irm-paper', ...options };
    this.inputSize = inputSize;
    this.network = new Network([inputSize, ...options.hidden, options.outputs], 'float32');
    xavierUniform(this.network, new RandomState(this.options.seed));
    this.optimizer = new Adam({ lr: options.lr });
  }

  get steps(): number {
    return this.stepCount;
  }

  /** One update on one batch per training domain; returns the step's metrics. */
  step(domains: readonly DomainBatch[]): StepMetrics {
    const { method, outputs: k, l2, anneal } = this.options;
    const E = domains.length;
    if (E < 1) fail({ fn: 'MlpDomainTrainer.step', argument: 'domains', value: '[]', rule: 'it needs at least one training domain' });
    const total = domains.reduce((s, d) => s + d.n, 0);
    const X = new Float32Array(total * this.inputSize);
    let offset = 0;
    for (const d of domains) {
      if (d.x.length !== d.n * this.inputSize)
        fail({ fn: 'MlpDomainTrainer.step', argument: 'x', value: `${d.x.length} values`, rule: `a batch of ${d.n} rows needs ${d.n * this.inputSize}` });
      X.set(d.x, offset * this.inputSize);
      offset += d.n;
    }
    const logits = new Float32Array(total * k);
    this.network.forward(X, total, logits);
    const pw = method === 'erm' ? 0 : this.stepCount >= anneal ? this.options.penaltyWeight : 1;
    const risks: number[] = [];
    const accuracies: number[] = [];
    const riskGrads: Float64Array[] = [];
    const penaltyGrads: (Float64Array | null)[] = [];
    let penalty = 0;
    offset = 0;
    for (const d of domains) {
      const z = logits.subarray(offset * k, (offset + d.n) * k);
      const r = k === 1 ? bceRisk(z, d.y) : ceRisk(z, d.y, k);
      risks.push(r.risk);
      accuracies.push(r.accuracy);
      riskGrads.push(r.grad);
      if (method === 'irm') {
        const p = k === 1 ? irmPenaltyBinary(z, d.y) : irmPenalty(z, d.y, k);
        penalty += p.value / E;
        penaltyGrads.push(p.grad);
      } else penaltyGrads.push(null);
      offset += d.n;
    }
    const nll = risks.reduce((s, r) => s + r, 0) / E;
    // dL/dR_e for each domain
    const riskWeights = new Array<number>(E).fill(1 / E);
    if (method === 'vrex') {
      const v = vrexPenalty(risks);
      penalty = v.value;
      for (let e = 0; e < E; e++) riskWeights[e] += pw * v.grad[e];
    } else if (method === 'groupdro') {
      this.q = groupDroWeights(this.q ?? new Float64Array(E).fill(1), risks, this.options.groupDroEta);
      for (let e = 0; e < E; e++) riskWeights[e] = this.q[e];
    }
    let weightNorm = 0;
    for (const p of this.network.params) for (let i = 0; i < p.data.length; i++) weightNorm += p.data[i] * p.data[i];
    const objective = method === 'groupdro' ? risks.reduce((s, r, e) => s + r * riskWeights[e], 0) : nll;
    let loss = objective + l2 * weightNorm + (method === 'groupdro' ? 0 : pw * penalty);
    const scale = pw > 1 && this.options.form === 'irm-paper' ? 1 / pw : 1;
    loss *= scale;
    const gradLogits = new Float32Array(total * k);
    offset = 0;
    domains.forEach((d, e) => {
      const rg = riskGrads[e];
      const pg = penaltyGrads[e];
      for (let i = 0; i < d.n * k; i++) {
        let g = riskWeights[e] * rg[i];
        if (pg) g += (pw / E) * pg[i];
        gradLogits[offset * k + i] = g * scale;
      }
      offset += d.n;
    });
    this.network.backward(X, total, gradLogits);
    if (this.options.form === 'domainbed' && method !== 'erm' && this.stepCount === anneal && anneal > 0) this.optimizer = new Adam({ lr: this.options.lr });
    if (l2 > 0) {
      for (const p of this.network.params) for (let i = 0; i < p.data.length; i++) p.grad[i] += 2 * l2 * scale * p.data[i];
    }
    this.optimizer.step(this.network.params);
    this.stepCount++;
    return { step: this.stepCount, loss, nll, penalty, penaltyWeight: pw, risks, accuracies };
  }

  /** Logits `[n, outputs]` of rows `x` (float32 `[n, inputSize]`). */
  predict(x: Float32Array, n: number): Float32Array {
    const out = new Float32Array(n * this.options.outputs);
    const chunk = 4096;
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start);
      const logits = new Float32Array(m * this.options.outputs);
      this.network.forward(x.subarray(start * this.inputSize, (start + m) * this.inputSize), m, logits);
      out.set(logits, start * this.options.outputs);
    }
    return out;
  }

  /** Accuracy on labelled rows (threshold 0 for one logit, argmax otherwise). */
  score(x: Float32Array, y: Int32Array, n: number): number {
    const k = this.options.outputs;
    const z = this.predict(x, n);
    let correct = 0;
    for (let i = 0; i < n; i++) {
      let pred: number;
      if (k === 1) pred = z[i] > 0 ? 1 : 0;
      else {
        pred = 0;
        for (let c = 1; c < k; c++) if (z[i * k + c] > z[i * k + pred]) pred = c;
      }
      if (pred === y[i]) correct++;
    }
    return correct / n;
  }

  /** Sets all parameters from PyTorch's order and layout (the inverse of `exportTorchParameters`). */
  importTorchParameters(flat: Float32Array): void {
    if (flat.length !== this.network.parameterCount) {
      fail({
        fn: 'MlpDomainTrainer.importTorchParameters',
        argument: 'flat',
        value: `${flat.length} values`,
        rule: `the network has ${this.network.parameterCount} parameters`,
      });
    }
    let k = 0;
    for (let l = 0; l < this.network.layers; l++) {
      const W = this.network.weight(l);
      const [fanIn, fanOut] = W.shape;
      for (let o = 0; o < fanOut; o++) for (let i = 0; i < fanIn; i++) W.data[i * fanOut + o] = flat[k++];
      const b = this.network.bias(l).data;
      for (let i = 0; i < b.length; i++) b[i] = flat[k++];
    }
  }

  /** All parameters in PyTorch's order and layout (Linear weight `[out, in]`, then bias), for peers. */
  exportTorchParameters(): Float32Array {
    const parts: number[] = [];
    for (let l = 0; l < this.network.layers; l++) {
      const W = this.network.weight(l);
      const [fanIn, fanOut] = W.shape;
      for (let o = 0; o < fanOut; o++) for (let i = 0; i < fanIn; i++) parts.push(W.data[i * fanOut + o]);
      for (const v of this.network.bias(l).data) parts.push(v);
    }
    return Float32Array.from(parts);
  }
}

/** `nn.init.xavier_uniform_` (gain 1) for each weight, zero biases: U(−a, a), a = √(6 / (fan_in + fan_out)). */
export function xavierUniform(network: Network, rng: RandomState): void {
  for (let l = 0; l < network.layers; l++) {
    const W = network.weight(l);
    const [fanIn, fanOut] = W.shape;
    const a = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < W.data.length; i++) W.data[i] = rng.uniform(-a, a);
    network.bias(l).data.fill(0);
  }
}

/** Mean BCE with logits, accuracy and dR/dz = (σ(z) − y)/n. */
function bceRisk(z: FloatBuffer, y: Int32Array): { risk: number; accuracy: number; grad: Float64Array } {
  const n = y.length;
  let risk = 0;
  let correct = 0;
  const grad = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = z[i];
    const t = y[i];
    risk += Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
    const p = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    grad[i] = (p - t) / n;
    if ((x > 0 ? 1 : 0) === t) correct++;
  }
  return { risk: risk / n, accuracy: correct / n, grad };
}

/** Mean cross-entropy, accuracy and dR/dz = (softmax(z) − onehot)/n. */
function ceRisk(z: FloatBuffer, y: Int32Array, k: number): { risk: number; accuracy: number; grad: Float64Array } {
  const n = y.length;
  let risk = 0;
  let correct = 0;
  const grad = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    let arg = 0;
    for (let c = 0; c < k; c++) {
      if (z[i * k + c] > max) {
        max = z[i * k + c];
        arg = c;
      }
    }
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(z[i * k + c] - max);
    risk += Math.log(s) + max - z[i * k + y[i]];
    for (let c = 0; c < k; c++) grad[i * k + c] = (Math.exp(z[i * k + c] - max) / s - (c === y[i] ? 1 : 0)) / n;
    if (arg === y[i]) correct++;
  }
  return { risk: risk / n, accuracy: correct / n, grad };
}
