import { LOSS_FORMULAS } from '../../figures/formulas.js';
import type { ExplorerLossId } from './lossCurves.js';

/**
 * TeX for the explorer's derivation panel (language-neutral, so not in the message catalogues):
 * the loss (from the figures' `LOSS_FORMULAS`, the same formulas `losslab plot` puts in titles), the
 * likelihood it comes from, and its gradient.
 */
export const LOSS_TEX: Readonly<Record<ExplorerLossId, string>> = {
  l2: LOSS_FORMULAS.l2.tex,
  l1: LOSS_FORMULAS.l1.tex,
  huber: LOSS_FORMULAS.huber.tex,
  'smooth-l1': LOSS_FORMULAS['smooth-l1'].tex,
  'gaussian-nll': LOSS_FORMULAS['gaussian-nll'].tex,
  bce: "l(y, z) = -\\,y \\log \\sigma(z) - (1 - y) \\log\\bigl(1 - \\sigma(z)\\bigr),\\quad \\sigma(z) = \\frac{1}{1 + e^{-z}}",
};

export const LIKELIHOOD_TEX: Readonly<Record<ExplorerLossId, string>> = {
  l2: "p(y \\mid y') = \\frac{1}{\\sqrt{2\\pi\\sigma^2}} \\exp\\!\\left(-\\frac{(y - y')^2}{2\\sigma^2}\\right),\\qquad -\\log p = \\tfrac{1}{2}\\log(2\\pi\\sigma^2) + \\frac{(y - y')^2}{2\\sigma^2}",
  l1: "p(y \\mid y') = \\tfrac{1}{2} \\exp(-|y - y'|),\\qquad -\\log p = \\log 2 + |y - y'|",
  huber: "p(y \\mid y') = \\frac{1}{Z} \\exp\\bigl(-l(y, y')\\bigr),\\qquad Z = \\sqrt{2\\pi}\\,\\operatorname{erf}(\\delta/\\sqrt{2}) + \\frac{2}{\\delta} e^{-\\delta^2/2}",
  'smooth-l1': "p(y \\mid y') = \\frac{1}{Z} \\exp\\bigl(-l(y, y')\\bigr),\\qquad Z = \\sqrt{2\\pi\\beta}\\,\\operatorname{erf}(\\sqrt{\\beta/2}) + 2 e^{-\\beta/2}",
  'gaussian-nll': "y \\sim \\mathcal{N}(y', \\sigma^2),\\qquad -\\log p = \\tfrac{1}{2}\\log 2\\pi + \\tfrac{1}{2}\\log\\sigma^2 + \\frac{(y - y')^2}{2\\sigma^2}",
  bce: "P(y \\mid z) = \\sigma(z)^{y}\\,\\bigl(1 - \\sigma(z)\\bigr)^{1 - y} = e^{-l(y, z)}",
};

export const GRADIENT_TEX: Readonly<Record<ExplorerLossId, string>> = {
  l2: "\\frac{\\partial l}{\\partial y'} = \\frac{\\partial l}{\\partial u}\\,\\frac{\\partial u}{\\partial y'} = u \\cdot (-1) = y' - y,\\qquad u = y - y'",
  l1: "\\frac{\\partial l}{\\partial y'} = \\operatorname{sign}(y' - y)",
  huber: "\\frac{\\partial l}{\\partial y'} = \\operatorname{clip}(y' - y,\\; -\\delta,\\; \\delta)",
  'smooth-l1': "\\frac{\\partial l}{\\partial y'} = \\operatorname{clip}\\!\\left(\\frac{y' - y}{\\beta},\\; -1,\\; 1\\right)",
  'gaussian-nll': "\\frac{\\partial l}{\\partial y'} = \\frac{y' - y}{\\sigma^2}",
  bce: "\\frac{\\partial l}{\\partial z} = -\\frac{y}{\\sigma(z)}\\,\\sigma(z)(1 - \\sigma(z)) + \\frac{1 - y}{1 - \\sigma(z)}\\,\\sigma(z)(1 - \\sigma(z)) = \\sigma(z) - y",
};
