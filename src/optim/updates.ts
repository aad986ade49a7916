/**
 * The update rules of torch.optim on flat arrays — one source for the optimizers over modules
 * (src/optim/) and the buffer-based ones of the softmax-regression trainer (src/models/optimizers.ts).
 */
export type FloatBuffer = Float32Array | Float64Array;

export interface SgdHyper {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly maximize: boolean;
}

/**
 * `torch.optim.SGD`: d = ±g + λp; with momentum buf = μ·buf + (1 − dampening)·d (buf = d on the
 * first step), d = buf (or d + μ·buf with Nesterov); p ← p − lr·d.
 */
export function sgdUpdate(p: FloatBuffer, g: FloatBuffer, buf: FloatBuffer | null, first: boolean, h: SgdHyper): void {
  const { lr, momentum, dampening, weightDecay, nesterov, maximize } = h;
  const len = p.length;
  const sign = maximize ? -1 : 1;
  if (buf === null) {
    if (weightDecay === 0 && !maximize) for (let i = 0; i < len; i++) p[i] -= lr * g[i];
    else for (let i = 0; i < len; i++) p[i] -= lr * (sign * g[i] + weightDecay * p[i]);
    return;
  }
  for (let i = 0; i < len; i++) {
    const d = weightDecay === 0 ? sign * g[i] : sign * g[i] + weightDecay * p[i];
    buf[i] = first ? d : momentum * buf[i] + (1 - dampening) * d;
    p[i] -= lr * (nesterov ? d + momentum * buf[i] : buf[i]);
  }
}

export interface AdamHyper {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** L2 penalty added to the gradient (Adam) — or, with `decoupled`, p ← p·(1 − lr·λ) first (AdamW). */
  readonly weightDecay: number;
  readonly decoupled: boolean;
  readonly amsgrad: boolean;
  readonly maximize: boolean;
}

/**
 * `torch.optim.Adam` / `AdamW` at step t (1-based): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * p ← p − lr/(1−β₁ᵗ) · m / (√v̂/√(1−β₂ᵗ) + ε), v̂ = v (or its running maximum with amsgrad).
 */
export function adamUpdate(p: FloatBuffer, g: FloatBuffer, m: FloatBuffer, v: FloatBuffer, vMax: FloatBuffer | null, step: number, h: AdamHyper): void {
  const { lr, beta1, beta2, eps, weightDecay, decoupled, maximize } = h;
  const bc1 = 1 - beta1 ** step;
  const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
  const stepSize = lr / bc1;
  const sign = maximize ? -1 : 1;
  if (decoupled && weightDecay !== 0) {
    const keep = 1 - lr * weightDecay;
    for (let i = 0; i < p.length; i++) p[i] *= keep;
  }
  const l2 = decoupled ? 0 : weightDecay;
  for (let i = 0; i < p.length; i++) {
    const gi = l2 === 0 ? sign * g[i] : sign * g[i] + l2 * p[i];
    m[i] = beta1 * m[i] + (1 - beta1) * gi;
    v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
    let second = v[i];
    if (vMax) {
      if (second > vMax[i]) vMax[i] = second;
      second = vMax[i];
    }
    p[i] -= (stepSize * m[i]) / (Math.sqrt(second) / bc2Sqrt + eps);
  }
}
