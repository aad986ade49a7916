import type { Formula } from '../functional/lossSpec.js';

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

/** Formulas of the learner questions (src/explain/questions.ts). */
export const QUESTION_FORMULAS = {
  whichLoss: {
    text: 'l = −log p,  p = softmax(z)_c;    ∂l/∂z_c = p − 1,    ∂l/∂p = −1/p',
    tex: 'l = -\\log p,\\ p = \\operatorname{softmax}(z)_c, \\qquad \\frac{\\partial l}{\\partial z_c} = p - 1, \\qquad \\frac{\\partial l}{\\partial p} = -\\frac{1}{p}',
  },
  half: {
    text: '∂/∂y′ ½(y − y′)² = y′ − y,    ∂/∂y′ (y − y′)² = 2(y′ − y)',
    tex: "\\frac{\\partial}{\\partial y'} \\tfrac12 (y - y')^2 = y' - y, \\qquad \\frac{\\partial}{\\partial y'} (y - y')^2 = 2(y' - y)",
  },
  data: {
    text: 'P(data | y′) = Π_i p(y_i | y′_i),    −(1/N) log P(data | y′) = (1/N) Σ_i l(y_i, y′_i) + const',
    tex: "P(\\text{data} \\mid y') = \\prod_i p(y_i \\mid y'_i), \\qquad -\\frac{1}{N} \\log P(\\text{data} \\mid y') = \\frac{1}{N} \\sum_i l(y_i, y'_i) + \\text{const}",
  },
  jacobian: {
    text: '∂ŷ_c/∂z_c = (e^{z_c} S − e^{z_c} e^{z_c}) / S² = ŷ_c(1 − ŷ_c),   ∂ŷ_c/∂z_i = −e^{z_c} e^{z_i} / S² = −ŷ_c ŷ_i  (i ≠ c),   S = Σ_j e^{z_j}',
    tex: '\\frac{\\partial \\hat{y}_c}{\\partial z_c} = \\frac{e^{z_c} S - e^{z_c} e^{z_c}}{S^2} = \\hat{y}_c (1 - \\hat{y}_c), \\qquad \\frac{\\partial \\hat{y}_c}{\\partial z_i} = \\frac{-e^{z_c} e^{z_i}}{S^2} = -\\hat{y}_c \\hat{y}_i \\ (i \\neq c), \\qquad S = \\sum_j e^{z_j}',
  },
  quotient: {
    text: '∂l/∂z_i = −(1/ŷ_c) ∂ŷ_c/∂z_i = ŷ_c − 1 (i = c),  ŷ_i (i ≠ c)  =  ŷ_i − y_i',
    tex: '\\frac{\\partial l}{\\partial z_i} = -\\frac{1}{\\hat{y}_c} \\frac{\\partial \\hat{y}_c}{\\partial z_i} = \\begin{cases} \\hat{y}_c - 1 & i = c \\\\ \\hat{y}_i & i \\neq c \\end{cases} = \\hat{y}_i - y_i',
  },
  information: {
    text: 'I(x) = −log P(x),    H(p) = Σ_i p_i I(i) = −Σ_i p_i log p_i,    H(y, ŷ) = −Σ_i y_i log ŷ_i',
    tex: 'I(x) = -\\log P(x), \\qquad H(p) = \\sum_i p_i I(i) = -\\sum_i p_i \\log p_i, \\qquad H(y, \\hat{y}) = -\\sum_i y_i \\log \\hat{y}_i',
  },
  mistake: {
    text: 'crossEntropy(softmax(z), c) = −log softmax(softmax(z))_c  ≥  log(1 + (C − 1)/e)',
    tex: '\\operatorname{crossEntropy}(\\operatorname{softmax}(z), c) = -\\log \\operatorname{softmax}(\\operatorname{softmax}(z))_c \\ \\geq\\ \\log\\!\\left(1 + \\frac{C - 1}{e}\\right)',
  },
} as const satisfies Record<string, Formula>;
