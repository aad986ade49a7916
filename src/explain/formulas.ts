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
