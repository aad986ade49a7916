/**
 * The formula of each regression loss, as plain Unicode (figure titles, terminal text) and as TeX
 * (KaTeX in the web lab, `$$…$$` in markdown). Language-neutral: maths reads the same in en and zh.
 * u = y − y′ is the residual. PyTorch names in the doc comments of src/functional/.
 */
export interface Formula {
  readonly text: string;
  readonly tex: string;
}

export const LOSS_FORMULAS = {
  l2: { text: 'l(y, y′) = ½(y − y′)²', tex: "l(y, y') = \\tfrac{1}{2}(y - y')^2" },
  mse: { text: 'l(y, y′) = (y − y′)²', tex: "l(y, y') = (y - y')^2" },
  l1: { text: 'l(y, y′) = |y − y′|', tex: "l(y, y') = |y - y'|" },
  huber: {
    text: 'l = ½u² (|u| ≤ δ), δ(|u| − ½δ) (|u| > δ), u = y − y′',
    tex: "l(y, y') = \\begin{cases} \\tfrac{1}{2}u^2 & |u| \\le \\delta \\\\ \\delta\\,(|u| - \\tfrac{1}{2}\\delta) & |u| > \\delta \\end{cases},\\quad u = y - y'",
  },
  'smooth-l1': {
    text: 'l = ½u²/β (|u| < β), |u| − ½β (|u| ≥ β), u = y − y′',
    tex: "l(y, y') = \\begin{cases} \\tfrac{1}{2}u^2/\\beta & |u| < \\beta \\\\ |u| - \\tfrac{1}{2}\\beta & |u| \\ge \\beta \\end{cases},\\quad u = y - y'",
  },
  'gaussian-nll': { text: 'l(y, y′) = ½(log σ² + (y − y′)²/σ²)', tex: "l(y, y') = \\tfrac{1}{2}\\left(\\log\\sigma^2 + \\frac{(y - y')^2}{\\sigma^2}\\right)" },
} as const satisfies Record<string, Formula>;
