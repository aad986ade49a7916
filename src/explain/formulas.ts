import type { Formula } from '../figures/formulas.js';
import type { RegressionLossId } from '../figures/regression.js';

/** The likelihood, negative log-likelihood and gradient of each regression loss (u = y − y′). */
export const LIKELIHOOD_FORMULAS: Readonly<Record<RegressionLossId, { likelihood: Formula; nll: Formula; gradient: Formula }>> = {
  l2: {
    likelihood: {
      text: 'p(y | y′) = 1/√(2πσ²) · exp(−(y − y′)² / (2σ²))',
      tex: "p(y \\mid y') = \\frac{1}{\\sqrt{2\\pi\\sigma^2}} \\exp\\!\\left(-\\frac{(y - y')^2}{2\\sigma^2}\\right)",
    },
    nll: {
      text: '−log p(y | y′) = ½ log(2πσ²) + (y − y′)² / (2σ²)  =  ½ log 2π + l(y, y′)  for σ = 1',
      tex: "-\\log p(y \\mid y') = \\tfrac{1}{2}\\log(2\\pi\\sigma^2) + \\frac{(y - y')^2}{2\\sigma^2} \\overset{\\sigma = 1}{=} \\tfrac{1}{2}\\log 2\\pi + l(y, y')",
    },
    gradient: {
      text: '∂l/∂y′ = (∂l/∂u)(∂u/∂y′) = u · (−1) = y′ − y,  u = y − y′',
      tex: "\\frac{\\partial l}{\\partial y'} = \\frac{\\partial l}{\\partial u}\\frac{\\partial u}{\\partial y'} = u \\cdot (-1) = y' - y, \\quad u = y - y'",
    },
  },
  mse: {
    likelihood: { text: 'p(y | y′) = 1/√π · exp(−(y − y′)²)', tex: "p(y \\mid y') = \\frac{1}{\\sqrt{\\pi}} \\exp\\!\\left(-(y - y')^2\\right)" },
    nll: { text: '−log p(y | y′) = ½ log π + (y − y′)²', tex: "-\\log p(y \\mid y') = \\tfrac{1}{2}\\log\\pi + (y - y')^2" },
    gradient: { text: '∂l/∂y′ = 2(y′ − y)', tex: "\\frac{\\partial l}{\\partial y'} = 2(y' - y)" },
  },
  l1: {
    likelihood: { text: 'p(y | y′) = ½ exp(−|y − y′|)', tex: "p(y \\mid y') = \\tfrac{1}{2}\\exp(-|y - y'|)" },
    nll: { text: '−log p(y | y′) = log 2 + |y − y′|', tex: "-\\log p(y \\mid y') = \\log 2 + |y - y'|" },
    gradient: { text: '∂l/∂y′ = sign(y′ − y)', tex: "\\frac{\\partial l}{\\partial y'} = \\operatorname{sign}(y' - y)" },
  },
  huber: {
    likelihood: {
      text: 'p(y | y′) = exp(−l_δ(y, y′)) / Z,  Z = √(2π) erf(δ/√2) + (2/δ) exp(−δ²/2)',
      tex: "p(y \\mid y') = \\frac{e^{-l_\\delta(y, y')}}{Z}, \\quad Z = \\sqrt{2\\pi}\\,\\operatorname{erf}(\\delta/\\sqrt{2}) + \\frac{2}{\\delta} e^{-\\delta^2/2}",
    },
    nll: { text: '−log p(y | y′) = log Z + l_δ(y, y′)', tex: "-\\log p(y \\mid y') = \\log Z + l_\\delta(y, y')" },
    gradient: { text: '∂l/∂y′ = clip(y′ − y, −δ, δ)', tex: "\\frac{\\partial l}{\\partial y'} = \\operatorname{clip}(y' - y, -\\delta, \\delta)" },
  },
  'smooth-l1': {
    likelihood: {
      text: 'p(y | y′) = exp(−l_β(y, y′)) / Z,  Z = √(2πβ) erf(√(β/2)) + 2 exp(−β/2)',
      tex: "p(y \\mid y') = \\frac{e^{-l_\\beta(y, y')}}{Z}, \\quad Z = \\sqrt{2\\pi\\beta}\\,\\operatorname{erf}\\big(\\sqrt{\\beta/2}\\big) + 2e^{-\\beta/2}",
    },
    nll: { text: '−log p(y | y′) = log Z + l_β(y, y′)', tex: "-\\log p(y \\mid y') = \\log Z + l_\\beta(y, y')" },
    gradient: { text: '∂l/∂y′ = clip((y′ − y)/β, −1, 1)', tex: "\\frac{\\partial l}{\\partial y'} = \\operatorname{clip}\\big((y' - y)/\\beta, -1, 1\\big)" },
  },
  'gaussian-nll': {
    likelihood: {
      text: 'p(y | y′, σ²) = 1/√(2πσ²) · exp(−(y − y′)² / (2σ²))',
      tex: "p(y \\mid y', \\sigma^2) = \\frac{1}{\\sqrt{2\\pi\\sigma^2}} \\exp\\!\\left(-\\frac{(y - y')^2}{2\\sigma^2}\\right)",
    },
    nll: {
      text: '−log p = ½ log 2π + ½(log σ² + (y − y′)²/σ²) = ½ log 2π + l(y, y′)',
      tex: "-\\log p = \\tfrac{1}{2}\\log 2\\pi + \\tfrac{1}{2}\\left(\\log\\sigma^2 + \\frac{(y - y')^2}{\\sigma^2}\\right) = \\tfrac{1}{2}\\log 2\\pi + l(y, y')",
    },
    gradient: { text: '∂l/∂y′ = (y′ − y) / σ²', tex: "\\frac{\\partial l}{\\partial y'} = \\frac{y' - y}{\\sigma^2}" },
  },
};

/** Softmax and cross-entropy formulas (o: logits, ŷ: probabilities, c: the true class). */
export const SOFTMAX_FORMULAS = {
  construction: { text: 'ŷ_i = exp(o_i) / Σ_j exp(o_j)', tex: '\\hat{y}_i = \\frac{\\exp(o_i)}{\\sum_j \\exp(o_j)}' },
  temperature: {
    text: 'softmax(o / T) → one-hot argmax as T → 0, uniform as T → ∞',
    tex: '\\operatorname{softmax}(o / T) \\xrightarrow{T \\to 0} \\operatorname{onehot}(\\arg\\max_j o_j), \\qquad \\xrightarrow{T \\to \\infty} \\tfrac{1}{C}',
  },
  crossEntropy: {
    text: 'H(y, ŷ) = −Σ_i y_i log ŷ_i = H(y) + KL(y ‖ ŷ);  one-hot y: l = −log ŷ_c',
    tex: 'H(y, \\hat{y}) = -\\sum_i y_i \\log \\hat{y}_i = H(y) + \\mathrm{KL}(y \\,\\|\\, \\hat{y}), \\qquad l = -\\log \\hat{y}_c',
  },
  logSoftmax: {
    text: '−log ŷ_c = log Σ_j exp(o_j) − o_c = logsumexp(o) − o_c',
    tex: '-\\log \\hat{y}_c = \\log \\sum_j \\exp(o_j) - o_c = \\operatorname{logsumexp}(o) - o_c',
  },
  gradient: {
    text: '∂l/∂o_i = ŷ_i − y_i  =  ŷ_c − 1 (i = c),  ŷ_i (i ≠ c)',
    tex: '\\frac{\\partial l}{\\partial o_i} = \\hat{y}_i - y_i = \\begin{cases} \\hat{y}_c - 1 & i = c \\\\ \\hat{y}_i & i \\neq c \\end{cases}',
  },
  stable: {
    text: 'softmax(o)_i = exp(o_i − m) / Σ_j exp(o_j − m),  m = max_j o_j',
    tex: '\\operatorname{softmax}(o)_i = \\frac{\\exp(o_i - m)}{\\sum_j \\exp(o_j - m)}, \\quad m = \\max_j o_j',
  },
} as const satisfies Record<string, Formula>;

/** Binary cross-entropy with logits (z: the logit of class 1, σ: the logistic sigmoid). */
export const BCE_FORMULAS = {
  loss: { text: 'l(y, z) = −y log σ(z) − (1 − y) log(1 − σ(z))', tex: 'l(y, z) = -y \\log \\sigma(z) - (1 - y) \\log\\big(1 - \\sigma(z)\\big)' },
  likelihood: { text: 'P(y | z) = σ(z)^y (1 − σ(z))^(1 − y)', tex: 'P(y \\mid z) = \\sigma(z)^{y} \\big(1 - \\sigma(z)\\big)^{1 - y}' },
  nll: {
    text: '−log P(y | z) = l(y, z) = max(z, 0) − z·y + log(1 + e^(−|z|))',
    tex: '-\\log P(y \\mid z) = l(y, z) = \\max(z, 0) - z y + \\log\\big(1 + e^{-|z|}\\big)',
  },
  gradient: {
    text: '∂l/∂z = (∂l/∂p)(dp/dz) = σ(z) − y',
    tex: '\\frac{\\partial l}{\\partial z} = \\frac{\\partial l}{\\partial p}\\frac{dp}{dz} = \\sigma(z) - y',
  },
} as const satisfies Record<string, Formula>;
