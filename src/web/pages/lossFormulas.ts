/**
 * TeX for the BCE derivation panel (language-neutral, so not in the message catalogues). The
 * regression losses' formulas come with their derivations from src/explain.
 */
export const BCE_TEX = {
  loss: 'l(y, z) = -\\,y \\log \\sigma(z) - (1 - y) \\log\\bigl(1 - \\sigma(z)\\bigr),\\quad \\sigma(z) = \\frac{1}{1 + e^{-z}}',
  likelihood: 'P(y \\mid z) = \\sigma(z)^{y}\\,\\bigl(1 - \\sigma(z)\\bigr)^{1 - y} = e^{-l(y, z)}',
  gradient:
    '\\frac{\\partial l}{\\partial z} = -\\frac{y}{\\sigma(z)}\\,\\sigma(z)(1 - \\sigma(z)) + \\frac{1 - y}{1 - \\sigma(z)}\\,\\sigma(z)(1 - \\sigma(z)) = \\sigma(z) - y',
} as const;
